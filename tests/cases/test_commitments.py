"""Commitments: acceptance despite minor gaps (容缺受理) and approval on commitment (告知承诺制)."""

from __future__ import annotations

from datetime import date

import pytest

from cases.conftest import Desk
from talentdesk.cases.lifecycle import State
from talentdesk.cases.service import (
    accept,
    approve,
    complete,
    load_case,
    start_review,
    verify_commitment,
)
from talentdesk.errors import ValidationError, ValidationErrors

MON = date(2026, 3, 2)


def test_acceptance_on_a_signed_commitment_for_a_minor_gap(desk: Desk) -> None:
    case_no = desk.open("work_permit_new", MON)
    with desk.database.sessions() as session:
        documents = {d.code: "received" for d in load_case(session, case_no).documents}
    documents["no_criminal_record"] = "commitment"
    with pytest.raises(ValidationErrors, match="signed commitment"):
        desk.run(accept, desk.clerk, case_no, documents=documents, today=MON)
    documents["degree_certificate"] = "commitment"
    with pytest.raises(ValidationErrors, match="cannot be covered by a commitment"):
        desk.run(
            accept, desk.clerk, case_no, documents=documents, commitment_signed=True, today=MON
        )
    documents["degree_certificate"] = "received"
    result = desk.run(
        accept, desk.clerk, case_no, documents=documents, commitment_signed=True, today=MON
    )
    case = result.case
    [commitment] = case.commitments
    assert commitment.kind == "acceptance" and commitment.state == "pending"
    assert commitment.due_on == date(2026, 3, 16)  # 10 working days
    assert case.verification_due == date(2026, 3, 16)
    acceptance, form = result.letters
    assert acceptance.kind == "acceptance_notice" and form.kind == "commitment_form"
    [missing] = acceptance.fields["missing_documents"]
    assert missing.en.startswith("Certificate of no criminal record")
    assert acceptance.fields["documents_due"] == date(2026, 3, 16)
    assert acceptance.fields["promised_by"] == case.promised_due
    assert form.fields["due_by"] == date(2026, 3, 16)

    kept = desk.run(
        verify_commitment, desk.officer, case_no, fulfilled=True, today=date(2026, 3, 9)
    )
    assert kept.case.verification_due is None and kept.case.state == State.ACCEPTED
    assert {d.state for d in kept.case.documents} == {"received"}
    with pytest.raises(ValidationError, match="no commitment waiting"):
        desk.run(verify_commitment, desk.officer, case_no, fulfilled=True, today=MON)


def test_approval_on_commitment_verified_later_and_revoked_when_false(desk: Desk) -> None:
    case_no = desk.accepted("hukou_talent", MON)
    desk.run(start_review, desk.officer, case_no, today=MON)
    result = desk.run(
        approve,
        desk.officer,
        case_no,
        commitments=["学历真实|The degree is genuine"],
        today=date(2026, 3, 4),
    )
    [letter] = result.letters
    assert letter.kind == "commitment_form"
    assert letter.fields["commitments"][0].en == "The degree is genuine"
    # 30 calendar days: 3 April, a working day
    assert result.case.verification_due == letter.fields["due_by"] == date(2026, 4, 3)
    desk.run(complete, desk.clerk, case_no, rating=5, today=date(2026, 3, 5))
    with pytest.raises(ValidationError, match="give the reason"):
        desk.run(verify_commitment, desk.officer, case_no, fulfilled=False, today=date(2026, 4, 1))
    revoked = desk.run(
        verify_commitment,
        desk.officer,
        case_no,
        fulfilled=False,
        reason="学历造假",
        today=date(2026, 4, 1),
    )
    case = revoked.case
    assert case.state == State.REVOKED and case.verification_due is None
    # it was completed on 5 March: that is what its deadlines are measured against
    assert case.closed_on == date(2026, 3, 5)
    [commitment] = case.commitments
    assert commitment.state == "false" and commitment.note == "学历造假"


def test_a_false_commitment_before_approval_returns_the_case(desk: Desk) -> None:
    case_no = desk.open("work_permit_new", MON)
    with desk.database.sessions() as session:
        documents = {d.code: "received" for d in load_case(session, case_no).documents}
    documents["medical_certificate"] = "commitment"
    desk.run(accept, desk.clerk, case_no, documents=documents, commitment_signed=True, today=MON)
    result = desk.run(
        verify_commitment,
        desk.officer,
        case_no,
        fulfilled=False,
        reason="逾期未交体检证明",
        today=date(2026, 3, 17),
    )
    assert result.case.state == State.RETURNED and result.case.closed_on == date(2026, 3, 17)


def test_types_without_commitment_approval_refuse_it(desk: Desk) -> None:
    case_no = desk.accepted("school_place", MON)
    desk.run(start_review, desk.officer, case_no, today=MON)
    with pytest.raises(ValidationError, match="cannot be approved on a commitment"):
        desk.run(approve, desk.officer, case_no, commitments=["x"], today=MON)
