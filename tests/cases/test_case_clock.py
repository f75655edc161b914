"""The case clock of the Administrative Licensing Law (issue 13, points 3 and 4), from the rules:

- art. 32: an application neither accepted, refused nor told what is missing by the end of the
  intake limit (5 working days) is accepted by law from the receipt of its papers, from the day
  after the limit; it is shown, listed and reported;
- art. 45: the time an expert review, an inspection or a hearing takes does not count toward
  the limits; the stops a type may make are catalogue data, each with its letter;
- corrections not handed in by their deadline end the case as withdrawn, but only once a clerk
  confirms it, with a withdrawal notice;
- a promised limit never ends after the legal one: the catalogue editor refuses it, naming both;
- the residence permit counts 15 working days;
- a provisional date made real by entering its year is no "originally";
- the workbench lists corrections and verifications due and overdue, and deemed acceptances.

Every expected date is counted by hand on the official 2026 calendar (chinese-calendar):
March 2026 has no holiday; 4-6 April are the Tomb-sweeping holiday; 15-23 February the Spring
Festival, with Saturday 14 February a working day. Mon 2 March + 5 working days = Mon 9 March;
+10 = Mon 16 March; +15 = Mon 23 March; +20 = Mon 30 March; +25 = Tue 7 April; +30 = Tue 14 April.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import select

from cases.conftest import Desk, real_calendar
from cases.test_reference_data import enter_year
from talentdesk.cases.calendar import SpecialDay
from talentdesk.cases.catalogue import current_type
from talentdesk.cases.changes import propose_case_type
from talentdesk.cases.deadlines import Clock, Limit, Unit, compute
from talentdesk.cases.describe import days_left_text, describe_case
from talentdesk.cases.lifecycle import Action
from talentdesk.cases.models import CaseEvent, CaseTypeVersion
from talentdesk.cases.queries import Flag, View, case_detail, case_ids, case_rows
from talentdesk.cases.report import case_report
from talentdesk.cases.service import (
    accept,
    end_stop,
    load_case,
    refuse,
    request_correction,
    resume,
    start_review,
    stop_clock,
    withdraw,
)
from talentdesk.cases.steps import STEPS
from talentdesk.errors import ValidationError, ValidationErrors
from talentdesk.i18n import set_language

MON_2_MARCH = date(2026, 3, 2)


def _documents(desk: Desk, case_no: str) -> dict[str, str]:
    with desk.database.sessions() as session:
        return {d.code: "received" for d in load_case(session, case_no).documents}


def _in(desk: Desk, view: View, today: date) -> list[str]:
    with desk.database.sessions() as session:
        ids = case_ids(session, view, user=desk.clerk, today=today)
        return [row.case_no for row in case_rows(session, ids, today=today).values()]


def _row(desk: Desk, case_no: str, today: date):
    with desk.database.sessions() as session:
        case = load_case(session, case_no)
        return case_rows(session, [case.id], today=today)[case.id]


# --------------------------------------------------------------------------- art. 32


def test_deemed_accepted_the_day_after_the_intake_limit(desk: Desk) -> None:
    case_no = desk.open("hukou_talent", MON_2_MARCH)
    intake_ends, deemed = date(2026, 3, 9), date(2026, 3, 10)
    # on the last day of the intake limit the centre still has time
    assert case_no not in _in(desk, View.DEEMED, intake_ends)
    assert _row(desk, case_no, intake_ends).deemed_on is None
    assert case_no in _in(desk, View.DEEMED, deemed)
    row = _row(desk, case_no, deemed)
    assert row.deemed_on == deemed and Flag.DEEMED in row.flags
    with desk.database.sessions() as session:
        detail = case_detail(session, desk.clerk, case_no, today=deemed)
        assert detail.deemed_from == MON_2_MARCH
        by_law = {d.label: d.current for d in detail.deadlines}
        # the limits run from the receipt: 20 and 10 working days after 2 March
        assert by_law["Legal time limit (deemed accepted)"] == date(2026, 3, 30)
        assert by_law["Promised time limit (deemed accepted)"] == date(2026, 3, 16)
        set_language("en")
        assert "deemed accepted on" in describe_case(detail, {})
    # too late to send it back for corrections at intake: nothing is written
    with pytest.raises(ValidationError, match="accepted by law since 2026-03-10") as caught:
        desk.run(request_correction, desk.clerk, case_no, items=["x"], today=deemed)
    assert "2026-03-09" in caught.value.text() and "2026-03-02" in caught.value.text()
    # the acceptance recorded later counts from the receipt
    desk.run(
        accept, desk.clerk, case_no, documents=_documents(desk, case_no), today=date(2026, 3, 12)
    )
    with desk.database.sessions() as session:
        case = load_case(session, case_no)
        assert case.accepted_on == MON_2_MARCH and case.deemed_accepted_on == deemed
        assert (case.legal_due, case.promised_due) == (date(2026, 3, 30), date(2026, 3, 16))
        report = case_report(
            session, desk.manager, date(2026, 3, 1), date(2026, 3, 31), as_of=date(2026, 3, 12)
        )
        assert report.total.deemed == 1
    assert case_no in _in(desk, View.DEEMED, date(2026, 3, 12))


def test_accepted_on_the_last_intake_day_is_not_deemed(desk: Desk) -> None:
    case_no = desk.open("hukou_talent", MON_2_MARCH)
    desk.run(
        accept, desk.clerk, case_no, documents=_documents(desk, case_no), today=date(2026, 3, 9)
    )
    with desk.database.sessions() as session:
        case = load_case(session, case_no)
        assert case.accepted_on == date(2026, 3, 9) and case.deemed_accepted_on is None
    assert case_no not in _in(desk, View.DEEMED, date(2026, 3, 20))


def test_a_refusal_after_the_intake_limit_ends_the_deemed_flag(desk: Desk) -> None:
    case_no = desk.open("hukou_talent", MON_2_MARCH)
    desk.run(refuse, desk.clerk, case_no, reason="r", legal_basis="b", today=date(2026, 3, 11))
    assert case_no not in _in(desk, View.DEEMED, date(2026, 3, 11))


# --------------------------------------------------------------------------- art. 45


def test_an_expert_review_does_not_count_toward_the_limits(desk: Desk) -> None:
    # professional_title: legal 20 wd, promised 15 wd, may stop for an expert review
    case_no = desk.accepted("professional_title", MON_2_MARCH)
    desk.run(start_review, desk.officer, case_no, today=date(2026, 3, 3))
    result = desk.run(
        stop_clock,
        desk.officer,
        case_no,
        stop="expert_review",
        expected="约10个工作日|about 10 working days",
        reason="评审委员会|the title committee",
        today=date(2026, 3, 11),
    )
    [letter] = result.letters
    assert letter.kind == "stop_notice"
    assert letter.fields["stop"].en == "Expert review"
    assert letter.fields["stopped_on"] == date(2026, 3, 11)
    # still stopped after the unmoved legal limit (30 March): not overdue, the clock stands still
    assert case_no not in _in(desk, View.OVERDUE, date(2026, 4, 1))
    with desk.database.sessions() as session:
        assert load_case(session, case_no).state == "stopped"
    desk.run(end_stop, desk.officer, case_no, today=date(2026, 3, 25))
    with desk.database.sessions() as session:
        case = load_case(session, case_no)
        assert case.state == "in_review"
        assert [(p.kind, p.paused_on, p.resumed_on) for p in case.pauses] == [
            ("expert_review", date(2026, 3, 11), date(2026, 3, 25))
        ]
        # 12, 13, 16-20, 23-25 March: 10 working days not counted
        assert case.legal_due == date(2026, 4, 14)  # 30th working day after 2 March
        assert case.promised_due == date(2026, 4, 7)  # 25th
        # the originals are the limits without the stop
        assert (case.legal_due_original, case.promised_due_original) == (
            date(2026, 3, 30),
            date(2026, 3, 23),
        )


def test_a_stop_the_type_does_not_have_is_refused_naming_those_it_has(desk: Desk) -> None:
    case_no = desk.accepted("hukou_talent", MON_2_MARCH)  # may stop for an inspection only
    with pytest.raises(ValidationError, match="hearing is not a stop of") as caught:
        desk.run(
            stop_clock, desk.officer, case_no, stop="hearing", expected="5 wd", today=MON_2_MARCH
        )
    assert "inspection" in caught.value.text()
    with pytest.raises(ValidationError, match="has no stops"):
        other = desk.accepted("work_permit_short", MON_2_MARCH)
        desk.run(stop_clock, desk.officer, other, stop="hearing", expected="5", today=MON_2_MARCH)


def test_the_stops_are_catalogue_data_with_their_letters(desk: Desk) -> None:
    with desk.database.sessions() as session:
        spec = current_type(session, "entrepreneurship_subsidy")
    assert [s.code for s in spec.stops] == ["expert_review", "inspection", "hearing"]
    assert all(s.letters == ("stop_notice",) for s in spec.stops)
    assert STEPS[Action.STOP].name == "stop" and STEPS[Action.END_STOP].name == "restart"


# --------------------------------------------------------------------------- corrections


def test_corrections_not_handed_in_withdraw_the_case_only_on_confirmation(desk: Desk) -> None:
    case_no = desk.accepted("hukou_talent", MON_2_MARCH)
    desk.run(
        request_correction,
        desk.clerk,
        case_no,
        items=["劳动合同盖章页|seal page"],
        today=date(2026, 3, 3),
    )
    due = date(2026, 3, 17)  # 10 working days after Tue 3 March
    with desk.database.sessions() as session:
        assert load_case(session, case_no).correction_due == due
        detail = case_detail(session, desk.clerk, case_no, today=date(2026, 3, 12))
        assert ("Corrections due by", due) in [(d.label, d.current) for d in detail.deadlines]
    # listed as due within 3 working days (13, 16, 17 March), then as overdue
    assert case_no not in _in(desk, View.CORRECTIONS_DUE, date(2026, 3, 11))
    assert case_no in _in(desk, View.CORRECTIONS_DUE, date(2026, 3, 12))
    assert case_no in _in(desk, View.CORRECTIONS_DUE, due)
    assert case_no not in _in(desk, View.CORRECTIONS_OVERDUE, due)
    assert case_no in _in(desk, View.CORRECTIONS_OVERDUE, date(2026, 3, 18))
    assert _row(desk, case_no, date(2026, 3, 12)).correction_days_left == 3
    assert Flag.CORRECTION_OVERDUE in _row(desk, case_no, date(2026, 3, 18)).flags
    # not on the deadline itself, not without the clerk's confirmation: nothing written
    with pytest.raises(ValidationError, match="only after that day"):
        desk.run(withdraw, desk.clerk, case_no, confirmed=True, today=due)
    with pytest.raises(ValidationError, match="confirm that the corrections due by 2026-03-17"):
        desk.run(withdraw, desk.clerk, case_no, today=date(2026, 3, 18))
    with desk.database.sessions() as session:
        assert load_case(session, case_no).state == "correction_requested"
    result = desk.run(withdraw, desk.clerk, case_no, confirmed=True, today=date(2026, 3, 18))
    [letter] = result.letters
    assert letter.kind == "withdrawal_notice"
    assert letter.fields["due_by"] == due and letter.fields["requested_on"] == date(2026, 3, 3)
    assert letter.fields["withdrawn_on"] == date(2026, 3, 18)
    assert [c.en for c in letter.fields["corrections"]] == ["seal page"]
    with desk.database.sessions() as session:
        case = load_case(session, case_no)
        assert (case.state, case.closed_on, case.correction_due) == (
            "withdrawn",
            date(2026, 3, 18),
            None,
        )
        actions = session.scalars(
            select(CaseEvent.action).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
        ).all()
        assert actions[-1] == "withdraw"
    assert case_no not in _in(desk, View.CORRECTIONS_OVERDUE, date(2026, 3, 18))


def test_corrections_handed_in_clear_the_deadline(desk: Desk) -> None:
    case_no = desk.accepted("hukou_talent", MON_2_MARCH)
    desk.run(request_correction, desk.clerk, case_no, items=["x"], today=date(2026, 3, 3))
    desk.run(resume, desk.clerk, case_no, today=date(2026, 3, 5))
    with desk.database.sessions() as session:
        assert load_case(session, case_no).correction_due is None
    assert case_no not in _in(desk, View.CORRECTIONS_OVERDUE, date(2026, 3, 18))


# --------------------------------------------------------------------------- limits


def test_a_promise_later_than_the_law_is_refused_naming_both(desk: Desk) -> None:
    with desk.database.transaction() as session:
        spec = current_type(session, "hukou_talent")
    longer = dataclasses.replace(spec, promised=Limit(25, Unit.WORKING_DAYS))
    with pytest.raises(ValidationErrors) as caught, desk.database.transaction() as session:
        propose_case_type(session, desk.admin, longer)
    assert (
        "the promised limit (25 working days) must not be later than the legal limit "
        "(20 working days)" in caught.value.text()
    )
    # in other units: 7 working days can end after 15 calendar days around a long holiday
    with desk.database.transaction() as session:
        spec = current_type(session, "residence_permit")
    mixed = dataclasses.replace(spec, legal=Limit(15, Unit.CALENDAR_DAYS), legal_source="test")
    with pytest.raises(ValidationErrors) as caught, desk.database.transaction() as session:
        propose_case_type(session, desk.admin, mixed)
    text = caught.value.text()
    assert (
        "the promised limit (7 working days) can end after the legal limit (15 calendar days)"
        in text
    )
    with desk.database.sessions() as session:
        assert (
            session.scalar(
                select(CaseTypeVersion.version).where(CaseTypeVersion.code == "residence_permit")
            )
            == 1
        )


def test_the_promise_is_capped_at_the_legal_limit() -> None:
    # accepted Wed 11 Feb 2026: 15 days end Thu 26 Feb; 7 working days would end Fri 27 Feb
    # (12, 13, Sat 14 worked, 24, 25, 26, 27: the Spring Festival falls between)
    deadlines = compute(
        real_calendar(),
        Clock(
            date(2026, 2, 11),
            date(2026, 2, 11),
            Limit(15, Unit.CALENDAR_DAYS),
            Limit(7, Unit.WORKING_DAYS),
        ),
    )
    assert deadlines.legal_due == date(2026, 2, 26)
    assert deadlines.promised_due == date(2026, 2, 26)


def test_a_calendar_day_legal_limit_needs_its_source(desk: Desk) -> None:
    with desk.database.transaction() as session:
        spec = current_type(session, "residence_permit")
    bare = dataclasses.replace(
        spec,
        legal=Limit(30, Unit.CALENDAR_DAYS),
        promised=Limit(5, Unit.WORKING_DAYS),
        legal_source="",
    )
    with (
        pytest.raises(ValidationErrors, match="needs its source"),
        desk.database.transaction() as s,
    ):
        propose_case_type(s, desk.admin, bare)


def test_the_residence_permit_counts_15_working_days(desk: Desk) -> None:
    with desk.database.sessions() as session:
        spec = current_type(session, "residence_permit")
    assert spec.legal == Limit(15, Unit.WORKING_DAYS) and spec.legal_source
    case_no = desk.accepted("residence_permit", MON_2_MARCH)
    with desk.database.sessions() as session:
        case = load_case(session, case_no)
        # 15th working day after Mon 2 March: Mon 23 March (15 calendar days: Tue 17 March);
        # the promise, 7 working days: Wed 11 March
        assert (case.legal_due, case.promised_due) == (date(2026, 3, 23), date(2026, 3, 11))


def test_an_entered_year_is_not_shown_as_originally(desk: Desk) -> None:
    # accepted Thu 10 Dec 2026, 20 working days: provisional Thu 7 Jan 2027 on weekends alone
    # (11 Dec, 14-18, 21-25, 28-31, Fri 1 Jan, 4-7 Jan)
    case_no = desk.accepted("hukou_talent", date(2026, 12, 10))
    with desk.database.sessions() as session:
        assert load_case(session, case_no).legal_due == date(2027, 1, 7)
    # 2027 entered with New Year's Day off and no working weekend: the 20th is Fri 8 January
    with desk.database.transaction() as session:
        enter_year(session, desk.admin, 2027, [SpecialDay(date(2027, 1, 1), False, "元旦")])
    with desk.database.sessions() as session:
        case = load_case(session, case_no)
        assert case.legal_due == case.legal_due_original == date(2027, 1, 8)
        detail = case_detail(session, desk.clerk, case_no, today=date(2026, 12, 11))
        set_language("en")
        assert "originally" not in describe_case(detail, {})
        legal = next(d for d in detail.deadlines if d.label == "Legal time limit")
        assert legal.original == legal.current == date(2027, 1, 8)


# --------------------------------------------------------------------------- the workbench


def test_commitment_verifications_due_and_overdue(desk: Desk) -> None:
    # social insurance record under commitment at acceptance: due 10 working days later, Mon 16
    # March; "due" within 3 working days, overdue from Tue 17 March
    case_no = desk.accepted(
        "hukou_talent",
        MON_2_MARCH,
        documents={"social_insurance_record": "commitment"},
        commitment_signed=True,
    )
    assert case_no not in _in(desk, View.VERIFICATIONS_DUE, date(2026, 3, 10))
    assert case_no in _in(desk, View.VERIFICATIONS_DUE, date(2026, 3, 11))
    assert case_no in _in(desk, View.VERIFICATIONS_DUE, date(2026, 3, 16))
    assert case_no not in _in(desk, View.VERIFICATIONS_OVERDUE, date(2026, 3, 16))
    assert case_no in _in(desk, View.VERIFICATIONS_OVERDUE, date(2026, 3, 17))
    row = _row(desk, case_no, date(2026, 3, 12))
    assert row.verification_days_left == 2 and Flag.VERIFICATION_DUE in row.flags
    assert Flag.VERIFICATION_OVERDUE in _row(desk, case_no, date(2026, 3, 18)).flags


def test_one_working_day_is_singular() -> None:
    set_language("en")
    assert days_left_text(1) == "1 working day left"
    assert days_left_text(2) == "2 working days left"
    assert days_left_text(-1) == "1 working day late"
    set_language("zh_CN")
    assert days_left_text(1) == "还剩 1 个工作日"
    set_language("en")


def test_the_stop_and_withdrawal_letters_are_issued_with_the_steps(desk: Desk, tmp_path) -> None:
    """Each step and its letter are one unit of work: the PDF holds both notices."""
    from pypdf import PdfReader

    from talentdesk.cases.issue import issue_letters

    stopped = desk.accepted("entrepreneurship_subsidy", MON_2_MARCH)
    waiting = desk.accepted("hukou_talent", MON_2_MARCH)
    desk.run(request_correction, desk.clerk, waiting, items=["x|x"], today=date(2026, 3, 3))
    out = tmp_path / "notices.pdf"
    with desk.database.transaction() as session:
        letters = stop_clock(
            session,
            desk.officer,
            stopped,
            stop="inspection",
            expected="约5个工作日|about 5 working days",
            today=date(2026, 3, 4),
        ).letters
        letters += withdraw(
            session, desk.clerk, waiting, confirmed=True, today=date(2026, 3, 18)
        ).letters
        assert issue_letters(session, desk.clerk, letters, out, today=date(2026, 3, 18)) == 2
    text = "".join(page.extract_text() or "" for page in PdfReader(out).pages).replace("\n", "")
    assert "需要进行以下程序：检验、检测、现场核查" in text and "第四十五条" in text
    assert "2026年3月17日前补正" in text and "视为撤回" in text
