"""Service cases against legal and promised deadlines on China's working-day calendar.

The catalogue of case types and the holiday calendar are data (seeded from resources/ and the
``chinese-calendar`` package, edited by an administrator); a case moves through the states of
:mod:`talentdesk.cases.lifecycle`, every step an event and an audit record in one transaction;
:mod:`talentdesk.cases.deadlines` does the date arithmetic. Nothing here imports Qt.
"""
