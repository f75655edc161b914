"""China's working-day calendar, shared by the features that count days (cases, housing).

``calendar``: the arithmetic (pure); ``models``: its tables; ``store``: seeding and loading it.
Administrators edit it through :mod:`talentdesk.cases.admin` (four eyes).
"""
