"""The letters each step produces carry every field their kind requires."""

from __future__ import annotations

from datetime import date

from cases.conftest import Desk
from talentdesk.cases.service import (
    accept,
    approve,
    complete,
    load_case,
    refuse,
    request_correction,
    start_review,
)
from talentdesk.letters.kinds import build_fields, letter_kind

MON = date(2026, 3, 2)


def test_every_step_letter_builds(desk: Desk) -> None:
    letters = []
    gap = desk.open("work_permit_new", MON)
    letters += desk.run(
        request_correction, desk.clerk, gap, documents=["passport"], today=MON
    ).letters
    refused = desk.open("hukou_talent", MON)
    letters += desk.run(
        refuse,
        desk.clerk,
        refused,
        reason="不符合条件|Not eligible",
        legal_basis="第八条|Art. 8",
        today=MON,
    ).letters
    case_no = desk.open("hukou_talent", MON)
    with desk.database.sessions() as session:
        documents = {d.code: "received" for d in load_case(session, case_no).documents}
    documents["social_insurance_record"] = "commitment"
    letters += desk.run(
        accept, desk.clerk, case_no, documents=documents, commitment_signed=True, today=MON
    ).letters
    desk.run(start_review, desk.officer, case_no, today=MON)
    letters += desk.run(
        approve, desk.officer, case_no, commitments=["学历真实|The degree is genuine"], today=MON
    ).letters
    letters += desk.run(
        complete, desk.clerk, case_no, outcome="准予入户|Granted", today=MON
    ).letters
    kinds = [letter.kind for letter in letters]
    assert kinds == [
        "correction_notice",
        "refusal_notice",
        "acceptance_notice",
        "commitment_form",
        "commitment_form",
        "completion_notice",
    ]
    for letter in letters:
        values = build_fields(letter_kind(letter.kind), letter.fields)
        assert values.case_no == letter.case_no
    completion = build_fields(letter_kind("completion_notice"), letters[-1].fields)
    assert completion.outcome.en == "Granted" and completion.completed_on == MON
