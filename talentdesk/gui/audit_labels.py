"""What the audit trail's kinds of record and actions are called on the auditor's screen.

The trail stores codes (``housing.offer.accept``, ``user_session``): exports and the command
line keep them. The screen names them in the reader's language; a code this version has no
name for (a newer version's, a plug-in's) is shown as it is stored.
"""

from __future__ import annotations

from talentdesk.i18n import N_, _
from talentdesk.person_file import EVENT_LABELS, OTHER_EVENT, event_label

#: the kinds of record of the trail, by their stored code
ENTITY_LABELS: dict[str, str] = {
    "talent": N_("talent record"),
    "case": N_("case"),
    "user": N_("user"),
    "user_session": N_("session"),
    "housing_round": N_("allocation round"),
    "housing_application": N_("housing application"),
    "housing_offer": N_("housing offer"),
    "housing_appeal": N_("housing appeal"),
    "housing_lease": N_("lease"),
    "housing_objection": N_("objection"),
    "change_request": N_("change to approve"),
    "letter": N_("letter"),
    "seal": N_("seal"),
    "database": N_("database"),
    "employer": N_("employer"),
    "team": N_("team"),
    "case_type": N_("case type"),
    "calendar": N_("working-day calendar"),
    "fair": N_("fair"),
}

#: actions of the trail the person's file does not name (it names the talent's own events)
ACTION_LABELS: dict[str, str] = {
    "sign_in": N_("signed in"),
    "sign_out": N_("signed out"),
    "sign_in.failed": N_("sign-in refused"),
    "unlock.failed": N_("unlocking refused"),
    "user.create": N_("user created"),
    "user.change": N_("user changed"),
    "user.setup": N_("first administrator set up"),
    "user.locked": N_("user locked out"),
    "user.unlock": N_("user unlocked"),
    "user.password_changed": N_("password changed"),
    "user.password_reset": N_("password reset"),
    "backup.create": N_("backup taken"),
    "backup.restore": N_("backup restored"),
    "backup.rotation": N_("old backups removed"),
    "seal.root.create": N_("root certificate created"),
    "seal.seal.create": N_("seal certificate created"),
    "seal.import": N_("seal imported"),
    "seal.revoke": N_("seal revoked"),
    "calendar.year": N_("calendar year entered"),
    "calendar.day": N_("special day changed"),
    "change.propose": N_("change proposed"),
    "change.approve": N_("change approved"),
    "change.reject": N_("change rejected"),
    "case_type.create": N_("case type created"),
    "case_type.revise": N_("case type revised"),
    "case.generate": N_("cases generated"),
    "retention.apply": N_("retention applied"),
    "letterhead.update": N_("letterhead changed"),
    "letter.wording.revise": N_("letter wording revised"),
    "policy.change": N_("policy changed"),
    "employer.create": N_("employer registered"),
    "team.create": N_("team registered"),
    "talent.export": N_("talents exported"),
    "talent.report": N_("report of a talent made"),
    "audit.export": N_("audit trail exported"),
    "enquiry.add": N_("enquiry recorded"),
    "fair.prepare": N_("fair prepared"),
    "fair.receipt": N_("fair receipt printed"),
    "housing.round.open": N_("allocation round opened"),
    "housing.round.freeze": N_("applications frozen"),
    "housing.round.seed_source": N_("seed source recorded"),
    "housing.round.review": N_("results reviewed"),
    "housing.round.recheck": N_("facts re-checked"),
    "housing.round.notice": N_("provisional list noticed"),
    "housing.round.close": N_("allocation round closed"),
    "housing.units.import": N_("units imported"),
    "housing.units.generate": N_("units generated"),
    "housing.rules.add": N_("housing rules added"),
    "housing.application.declare": N_("application facts declared"),
    "housing.objection.lodge": N_("objection lodged"),
    "housing.objection.decide": N_("objection decided"),
}


def entity_text(code: str) -> str:
    """A kind of record in the current language (the stored code when it has no name)."""
    label = ENTITY_LABELS.get(code)
    return _(label) if label else code


def action_text(code: str) -> str:
    """An action in the current language (the stored code when it has no name)."""
    label = ACTION_LABELS.get(code)
    if label is None:
        label = event_label(code) if code in EVENT_LABELS or code.startswith("case.") else None
    if label is None or label == OTHER_EVENT:
        return code
    return _(label)


def action_code(text: str) -> str:
    """The stored code of an action typed by its name (in the current language) or by code."""
    typed = text.strip()
    for code in (*ACTION_LABELS, *EVENT_LABELS):
        if action_text(code) == typed:
            return code
    return typed
