"""Legal basis and consent records (PIPL Art. 13, 14, 29, 31), and what a record still lacks.

A talent's data is processed on a legal basis: their consent, a contract, a legal duty or a
public duty (Art. 13). Consent to sensitive data (identity documents, Art. 28-29) is separate,
and a child under 14 in the family needs a guardian's consent (Art. 31); neither is needed
when the basis is a legal or public duty. :func:`consent_gaps` names what is missing; the
record of who took which consent, under which notice and when, is kept, and a withdrawal is
recorded, never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentdesk.db.base import utcnow
from talentdesk.errors import NotFound, UserError, ValidationError, ValidationErrors
from talentdesk.i18n import N_
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.people.service import record_audit
from talentdesk.talents.guardians import DUTIES, consent_length_errors, is_young_child
from talentdesk.talents.models import ConsentRecord, Talent
from talentdesk.talents.service import load_talent

#: the legal bases of Art. 13 the centre relies on, and what the window calls them
BASIS_LABELS = {
    "consent": N_("the talent's consent"),
    "contract": N_("a contract with the talent"),
    "legal_duty": N_("a legal duty of the centre"),
    "public_duty": N_("a public duty of the centre"),
}
#: what a consent covers
SCOPE_LABELS = {
    "personal": N_("personal data"),
    "sensitive": N_("sensitive data (identity documents)"),
    "guardian": N_("a guardian's, for a child under 14"),
}
BASES = tuple(BASIS_LABELS)
SCOPES = tuple(SCOPE_LABELS)


def consent_event(row: ConsentRecord) -> dict[str, object]:
    """What the audit event of a recorded consent says."""
    return {
        "consent": row.id,
        "basis": row.basis,
        "scope": row.scope,
        "notice": row.notice_version,
        "given_by": row.given_by,
    }


def record_consent(
    session: Session,
    actor: User,
    record_no: str,
    *,
    basis: str,
    scope: str,
    notice_version: str,
    given_by: str = "",
    note: str = "",
) -> ConsentRecord:
    """Record a legal basis or a consent, as the clerk took it; audited."""
    require(actor, Permission.EDIT_TALENTS)
    talent = load_talent(session, record_no)
    errors = []
    if basis not in BASES:
        errors.append(
            ValidationError(
                N_("{value} is not a legal basis; one of {choices}"),
                field=N_("Legal basis"),
                value=basis,
                choices=", ".join(BASES),
            )
        )
    if scope not in SCOPES:
        errors.append(
            ValidationError(
                N_("{value} is not a scope; one of {choices}"),
                field=N_("Scope"),
                value=scope,
                choices=", ".join(SCOPES),
            )
        )
    if not notice_version.strip():
        errors.append(
            ValidationError(N_("name the version of the notice given"), field=N_("Notice"))
        )
    if scope == "guardian" and not given_by.strip():
        errors.append(ValidationError(N_("name the guardian who consented"), field=N_("Given by")))
    errors += consent_length_errors(given_by, notice_version, N_("Given by"))
    if errors:
        raise ValidationErrors(errors)
    row = ConsentRecord(
        talent_id=talent.id,
        basis=basis,
        scope=scope,
        notice_version=notice_version.strip(),
        given_by=given_by.strip() or talent.name_zh or talent.name_passport,
        note=note.strip(),
        taken_by=actor.id,
    )
    session.add(row)
    session.flush()
    record_audit(session, actor, "consent.record", "talent", talent.id, after=consent_event(row))
    return row


def withdraw_consent(session: Session, actor: User, consent_id: int) -> ConsentRecord:
    require(actor, Permission.EDIT_TALENTS)
    row = session.get(ConsentRecord, consent_id)
    if row is None:
        raise NotFound(N_("there is no consent record {value}"), value=consent_id)
    if row.withdrawn_at is not None:
        raise UserError(N_("consent record {value} was already withdrawn"), value=consent_id)
    row.withdrawn_at = utcnow()
    record_audit(
        session, actor, "consent.withdraw", "talent", row.talent_id, after={"consent": row.id}
    )
    return row


@dataclass(frozen=True)
class ConsentLine:
    id: int
    basis: str
    scope: str
    notice_version: str
    given_by: str
    taken_at: datetime
    withdrawn_at: datetime | None


def consent_gaps(talent: Talent, records: list[ConsentRecord], today: date) -> list[str]:
    """What the record lacks under the PIPL (msgids), given its records in force."""
    active = [r for r in records if r.withdrawn_at is None]
    gaps: list[str] = []
    if not active:
        return [N_("no legal basis is recorded (PIPL Art. 13)")]
    if any(r.basis in DUTIES for r in active):
        return gaps
    scopes = {r.scope for r in active}
    if talent.documents and "sensitive" not in scopes:
        gaps.append(N_("identity documents are kept without a separate consent (PIPL Art. 29)"))
    children = [m for m in talent.family if is_young_child(m.relation, m.birth_date, today)]
    if children and "guardian" not in scopes:
        gaps.append(N_("a child under 14 is recorded without a guardian's consent (PIPL Art. 31)"))
    return gaps


def consents_of(
    session: Session, record_no: str, *, today: date
) -> tuple[list[ConsentLine], list[str]]:
    """A talent's consent records (withdrawn ones too) and the gaps (msgids)."""
    talent = load_talent(session, record_no)
    records = list(
        session.scalars(
            select(ConsentRecord)
            .where(ConsentRecord.talent_id == talent.id)
            .order_by(ConsentRecord.id)
        )
    )
    lines = [
        ConsentLine(
            r.id, r.basis, r.scope, r.notice_version, r.given_by, r.taken_at, r.withdrawn_at
        )
        for r in records
    ]
    return lines, consent_gaps(talent, records, today)
