"""Applications in a round: entered at the window (one form) or imported from a spreadsheet
(every row checked first; one bad row and nothing is written), corrected while the round is
open, withdrawn until its results are released.

The facts the rules read are copied from the talent record on entry and again when the round
is frozen (:func:`facts_values`), with the points they give, so that the run reads this table
and nothing else about the applicants.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from talentdesk.db.numbering import next_number
from talentdesk.db.raw import as_date, as_json, fetch_tuples
from talentdesk.errors import NotFound, ValidationError, ValidationErrors
from talentdesk.housing.allocation import Applicant
from talentdesk.housing.catalogue import (
    kinds_of_home,
    load_rules,
    published_kinds,
    published_rules,
)
from talentdesk.housing.facts import TalentFacts, talent_facts
from talentdesk.housing.models import Application, Result, Round
from talentdesk.housing.rules import Rules
from talentdesk.housing.sheets import ONE_ROW_EACH
from talentdesk.housing.states import RoundState, load_round, require_state
from talentdesk.i18n import N_, _, current_language
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.people.service import Audit, record_audit, record_audits
from talentdesk.progress import Progress, no_progress
from talentdesk.sheet_template import CodeList, Template, write_template
from talentdesk.spreadsheets import Column, ImportReport, RowError, RowReader, normal, read_table
from talentdesk.talents.models import Talent
from talentdesk.talents.service import normalize_record_no

MAX_HOUSEHOLD = 12
MAX_CHOICES = 10
MAX_INSURANCE_MONTHS = 600
#: how ranked choices may be separated when typed: "two_bedroom > studio", "两居室；单间"
_CHOICE_SEPARATORS = re.compile(r"\s*[>＞;；,，、\n]\s*")
_YES = {"1", "y", "yes", "true", "是", "有", "√"}
_NO = {"", "0", "n", "no", "false", "否", "无", "無"}
#: rows written per INSERT
CHUNK = 2000


@dataclass
class ApplicationInput:
    """What the form or a spreadsheet row gives for one application."""

    talent: int | str
    household_size: int
    preferences: list[str]
    group: str = ""
    insurance_months: int = 0
    needs_accessibility: bool = False
    #: who lives with the talent: [{"relation": ..., "name": ...}]
    household: list[dict[str, str]] = field(default_factory=list)
    note: str = ""


def format_application_no(year: int, number: int) -> str:
    return f"HA{year}-{number:06d}"


def split_choices(text: str) -> list[str]:
    return [part for part in _CHOICE_SEPARATORS.split(normal(text)) if part]


# --------------------------------------------------------------------------- checks


def check_application(
    rules: Rules, data: ApplicationInput, facts: TalentFacts, kinds: set[str]
) -> list[ValidationError]:
    """Every problem with the input, each naming its field (an empty list: it may be saved)."""
    errors: list[ValidationError] = []

    def fail(field_name: str, message: str, **params: Any) -> None:
        errors.append(ValidationError(message, field=field_name, **params))

    if not 1 <= data.household_size <= MAX_HOUSEHOLD:
        fail(N_("Household size"), N_("must be from 1 to {value}"), value=MAX_HOUSEHOLD)
    elif data.household and len(data.household) + 1 > data.household_size:
        fail(N_("Household size"), N_("the household lists more people than its size"))
    if not data.preferences:
        fail(N_("Preferences"), N_("rank at least one kind of home"))
    if len(data.preferences) > MAX_CHOICES:
        fail(N_("Preferences"), N_("rank at most {value} kinds of home"), value=MAX_CHOICES)
    for code in sorted({c for c in data.preferences if data.preferences.count(c) > 1}):
        fail(N_("Preferences"), N_("{value} is given twice"), value=code)
    unknown = False
    for code in data.preferences:
        if code not in kinds or code not in rules.types:
            fail(N_("Preferences"), N_("no kind of home {value}"), value=code)
            unknown = True
    closed = closed_choices(rules, data, facts)
    if data.preferences and not unknown and len(closed) == len(set(data.preferences)):
        # no choice is open to the household: refused, with the rule each one fails
        for code, reason in closed:
            fail(
                N_("Preferences"),
                N_("no chosen kind of home is open to this household: {value}: {reason}"),
                value=code,
                reason=reason,
            )
    if data.group:
        group = rules.groups.get(data.group)
        if group is None:
            fail(N_("Reserved group"), N_("no group {value} in the rules"), value=data.group)
        elif not rules.in_group(_applicant(data, facts, "")):
            fail(
                N_("Reserved group"),
                N_("the talent (tier {tier}, age {age}) does not belong to the group {value}"),
                tier=facts.tier,
                age=facts.age if facts.age is not None else "?",
                value=data.group,
            )
    if not 0 <= data.insurance_months <= MAX_INSURANCE_MONTHS:
        fail(
            N_("Months of social insurance"),
            N_("must be from 0 to {value}"),
            value=MAX_INSURANCE_MONTHS,
        )
    return errors


def closed_choices(
    rules: Rules, data: ApplicationInput, facts: TalentFacts
) -> list[tuple[str, str]]:
    """(kind, why not, in the user's language) of each chosen kind of the rules that the
    household may not receive under them: what the clerk is shown on entry."""
    applicant = _applicant(data, facts, "")
    language = current_language()
    closed = []
    for code in dict.fromkeys(data.preferences):
        if code not in rules.types:
            continue
        failure = rules.type_check(applicant, code)
        if failure is not None:
            closed.append((code, rules.explain(failure[0], failure[1], language)))
    return closed


def closed_choice_lines(closed: Sequence[tuple[str, str]]) -> list[str]:
    return [
        _("{value} is not open to this household: {reason}").format(value=code, reason=reason)
        for code, reason in closed
    ]


def _applicant(data: ApplicationInput, facts: TalentFacts, application_no: str) -> Applicant:
    return Applicant(
        application_no=application_no,
        talent=facts.record_no,
        tier=facts.tier,
        household_size=data.household_size,
        preferences=tuple(data.preferences),
        group=data.group,
        age=facts.age,
        insurance_months=data.insurance_months,
        recognitions=facts.recognitions,
        children_under_18=facts.children_under_18,
        parents_60_plus=facts.parents_60_plus,
        accessibility=data.needs_accessibility or facts.family_accessibility,
        suspended_until=facts.suspended_until,
    )


#: the columns copied from the talent record (see facts_values)
FACT_COLUMNS = (
    "tier",
    "age",
    "recognitions",
    "children_under_18",
    "parents_60_plus",
    "family_accessibility",
    "suspended_until",
    "points",
)


def facts_values(row: Any, facts: TalentFacts, rules: Rules) -> dict[str, Any]:
    """The fact columns of an application (and its points) from the talent's facts."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    # what the points formula may count (rules.POINT_FACTS), positionally: a frozen round
    # computes this for every one of its applications
    counted = Applicant(
        "",
        facts.record_no,
        facts.tier,
        get("household_size"),
        (),
        get("share_group"),
        facts.age,
        get("insurance_months"),
        facts.recognitions,
        facts.children_under_18,
        facts.parents_60_plus,
        False,
        facts.suspended_until,
    )
    return {
        "tier": facts.tier,
        "age": facts.age,
        "recognitions": facts.recognitions,
        "children_under_18": facts.children_under_18,
        "parents_60_plus": facts.parents_60_plus,
        "family_accessibility": facts.family_accessibility,
        "suspended_until": facts.suspended_until,
        "points": rules.points(counted),
    }


_NOTHING: frozenset[int] = frozenset()


def applicant_of(row: Any, record_no: str) -> Applicant:
    """An application (a record, or a row of RUN_COLUMNS) as the allocation reads it."""
    # positional: a round loads 20,000 of these, and keywords cost a fifth of the load
    return Applicant(
        row.application_no,
        record_no,
        row.tier,
        row.household_size,
        tuple(row.preferences.split(">")),
        row.share_group,
        row.age,
        row.insurance_months,
        row.recognitions,
        row.children_under_18,
        row.parents_60_plus,
        row.needs_accessibility or row.family_accessibility,
        row.suspended_until,
        frozenset(row.declined_units) if row.declined_units else _NOTHING,
        tuple(row.declined_kinds.split(">")) if row.declined_kinds else (),
        bool(row.moved_to_end),
        row.sits_out,
    )


def _talent_id(session: Session, key: int | str) -> int:
    if isinstance(key, int):
        found = session.get(Talent, key)
    else:
        found = session.scalar(select(Talent).where(Talent.record_no == normalize_record_no(key)))
    if found is None:
        raise NotFound(N_("no talent with record number {value}"), value=str(key))
    return found.id


def _values(data: ApplicationInput) -> dict[str, Any]:
    return {
        "household_size": data.household_size,
        "household": data.household,
        "preferences": ">".join(data.preferences),
        "share_group": data.group,
        "insurance_months": data.insurance_months,
        "needs_accessibility": data.needs_accessibility,
        "note": data.note,
    }


#: what the audit trail keeps of an application, before and after each change
SNAPSHOT_FIELDS = (
    "application_no",
    "talent_id",
    "status",
    "household_size",
    "preferences",
    "share_group",
    "insurance_months",
    "needs_accessibility",
    "points",
)


def snapshot(row: Application | Mapping[str, Any]) -> dict[str, Any]:
    """An application as the audit trail keeps it: from a record, or from the values
    :func:`write_applications` inserts (the same dict either way)."""
    if isinstance(row, Mapping):
        return {name: row[name] for name in SNAPSHOT_FIELDS}
    return {name: getattr(row, name) for name in SNAPSHOT_FIELDS}


# --------------------------------------------------------------------------- the services


def enter_application(
    session: Session, actor: User, round_name: str, data: ApplicationInput
) -> Application:
    """Register one application in an open round (the window's form)."""
    require(actor, Permission.APPLY_HOUSING)
    round_ = load_round(session, round_name)
    require_state(round_, RoundState.OPEN)
    rules = load_rules(session, round_.rules_version)
    talent_id = _talent_id(session, data.talent)
    facts = talent_facts(session, [talent_id], round_.as_of, rules)[talent_id]
    errors = check_application(rules, data, facts, set(kinds_of_home(session)))
    errors += _already_applied(session, round_, [talent_id])
    if errors:
        raise ValidationErrors(errors)
    (application_id,) = write_applications(session, actor, round_, rules, [(data, facts)])
    application = session.get_one(Application, application_id)
    #: what the clerk is told: the chosen kinds the household may not receive, and why
    application.closed_choices = closed_choices(rules, data, facts)  # type: ignore[attr-defined]
    return application


def _already_applied(
    session: Session, round_: Round, talent_ids: list[int]
) -> list[ValidationError]:
    rows = session.execute(
        select(Talent.record_no, Application.application_no)
        .join(Talent, Talent.id == Application.talent_id)
        .where(Application.round_id == round_.id, Application.talent_id.in_(talent_ids))
    )
    return [
        ValidationError(
            N_("talent {record_no} already applied in this round: {value}"),
            field=N_("Talent"),
            record_no=record_no,
            value=number,
        )
        for record_no, number in rows
    ]


def load_application(session: Session, round_: Round, application_no: str) -> Application:
    row = session.scalar(
        select(Application).where(
            Application.round_id == round_.id,
            Application.application_no == normal(application_no).upper(),
        )
    )
    if row is None:
        raise NotFound(N_("no application {value} in this round"), value=application_no)
    return row


def update_application(
    session: Session,
    actor: User,
    round_name: str,
    application_no: str,
    data: ApplicationInput,
    *,
    expected_version: int | None = None,
) -> Application:
    """Correct an application while its round is open."""
    require(actor, Permission.APPLY_HOUSING)
    round_ = load_round(session, round_name)
    require_state(round_, RoundState.OPEN)
    row = load_application(session, round_, application_no)
    if expected_version is not None and row.version != expected_version:
        raise ValidationError(
            N_("application {value} was changed by someone else meanwhile; reopen it"),
            value=row.application_no,
        )
    rules = load_rules(session, round_.rules_version)
    facts = talent_facts(session, [row.talent_id], round_.as_of, rules)[row.talent_id]
    errors = check_application(rules, data, facts, set(kinds_of_home(session)))
    if errors:
        raise ValidationErrors(errors)
    before = snapshot(row)
    for name, value in _values(data).items():
        setattr(row, name, value)
    for name, value in facts_values(row, facts, rules).items():
        setattr(row, name, value)
    session.flush()
    record_audit(
        session,
        actor,
        "housing.application.update",
        "housing_application",
        row.id,
        before=before,
        after=snapshot(row),
    )
    return row


def withdraw_application(
    session: Session, actor: User, round_name: str, application_no: str, reason: str
) -> Application:
    """Withdraw an application until the round's results are released. Before the run, a
    frozen round is frozen again (its list changed); after the run the results stand (a round
    is never drawn again) and the home it was given goes, at release, to the next applicant in
    the master order who wanted that kind (see rounds.release_round)."""
    require(actor, Permission.APPLY_HOUSING)
    round_ = load_round(session, round_name)
    require_state(
        round_,
        RoundState.OPEN,
        RoundState.FROZEN,
        RoundState.RUN,
        RoundState.REVIEWED,
        RoundState.NOTICED,
    )
    if not reason.strip():
        raise ValidationError(N_("is required"), field=N_("Reason"))
    row = load_application(session, round_, application_no)
    before = snapshot(row)
    row.status = "withdrawn"
    row.note = (row.note + "\n" if row.note else "") + reason.strip()
    session.flush()
    record_audit(
        session,
        actor,
        "housing.application.withdraw",
        "housing_application",
        row.id,
        before=before,
        after={**snapshot(row), "reason": reason.strip()},
    )
    return row


# --------------------------------------------------------------------------- lists


#: an application's status, as a clerk reads it
APPLICATION_STATUSES: dict[str, str] = {
    "active": N_("in the round"),
    "withdrawn": N_("withdrawn by the applicant"),
}


@dataclass(frozen=True)
class ApplicationLine:
    """One application as the round's list shows it."""

    id: int
    application_no: str
    record_no: str
    name: str
    tier: str
    household_size: int
    preferences: tuple[str, ...]
    group: str
    points: int
    status: str


def applications_of(session: Session, actor: User, round_name: str) -> list[ApplicationLine]:
    """The round's applications in application-number order."""
    require(actor, Permission.VIEW_HOUSING)
    round_ = load_round(session, round_name)
    rows = session.execute(
        select(Application, Talent.record_no, Talent.name_zh, Talent.name_passport)
        .join(Talent, Talent.id == Application.talent_id)
        .where(Application.round_id == round_.id)
        .order_by(Application.application_no)
    )
    return [
        ApplicationLine(
            a.id,
            a.application_no,
            record_no,
            name_zh or name_passport,
            a.tier,
            a.household_size,
            tuple(a.preferences.split(">")),
            a.share_group,
            a.points,
            a.status,
        )
        for a, record_no, name_zh, name_passport in rows
    ]


#: the columns the run and the freeze read: everything the rules see, nothing else
RUN_COLUMNS = (
    Application.id,
    Application.talent_id,
    Application.application_no,
    Application.household_size,
    Application.preferences,
    Application.share_group,
    Application.insurance_months,
    Application.needs_accessibility,
    *(getattr(Application, name) for name in FACT_COLUMNS),
    Application.declined_units,
    Application.declined_kinds,
    Application.moved_to_end,
    Application.sits_out,
)


def active_applications(session: Session, round_id: int) -> list[Any]:
    """The round's active applications as plain rows (the RUN_COLUMNS and the talent's
    record_no): a round of 20,000 loads in a tenth of the time ORM objects take."""
    # on the connection, not the session: plain rows, without the ORM's loading machinery
    return list(
        session.connection().execute(
            select(*RUN_COLUMNS, Talent.record_no)
            .join(Talent, Talent.id == Application.talent_id)
            .where(Application.round_id == round_id, Application.status == "active")
        )
    )


#: what the run reads of each application, in the order of :class:`Applicant`'s fields
_APPLICANT_COLUMNS = (
    Application.application_no,
    Talent.record_no,
    Application.tier,
    Application.household_size,
    Application.preferences,
    Application.share_group,
    Application.age,
    Application.insurance_months,
    Application.recognitions,
    Application.children_under_18,
    Application.parents_60_plus,
    # one column, not two: the rules read only whether either needs an accessible home
    or_(Application.needs_accessibility, Application.family_accessibility).label("accessibility"),
    Application.suspended_until,
    Application.declined_units,
    Application.declined_kinds,
    Application.moved_to_end,
    Application.sits_out,
    Application.id,
)


def round_applicants(
    session: Session, round_id: int, *, as_run: bool
) -> tuple[list[Applicant], dict[str, int]]:
    """The round's applications as the allocation reads them, and their ids by application
    number: the active ones, or (``as_run``) those the run gave a result. Read as plain rows
    (see talentdesk.db.raw): what the Run button waits for, 200,000 of them in a large round.
    Each distinct list of kinds is split once and shared; the named tuples are made from
    plain tuples (their own constructor is a Python function of 17 arguments)."""
    query = select(*_APPLICANT_COLUMNS).join(Talent, Talent.id == Application.talent_id)
    if as_run:
        query = query.join(Result, Result.application_id == Application.id).where(
            Result.round_id == round_id
        )
    else:
        query = query.where(Application.status == "active")
    # in application-number order, the order of the round's canonical text (its hash is
    # checked next), so sorting them there costs next to nothing
    query = query.where(Application.round_id == round_id).order_by(Application.application_no)
    applicants = []
    append = applicants.append
    ids = {}
    make = tuple.__new__
    lists: dict[str, tuple[str, ...]] = {}
    for (
        number,
        record_no,
        tier,
        size,
        preferences,
        group,
        age,
        months,
        recognitions,
        children,
        parents,
        needs,
        suspended,
        declined_units,
        declined_kinds,
        to_end,
        sits_out,
        row_id,
    ) in fetch_tuples(session, query):
        kinds = lists.get(preferences)
        if kinds is None:
            kinds = lists[preferences] = tuple(preferences.split(">"))
        if declined_units in _NO_UNITS:
            units = _NOTHING
        else:
            listed = as_json(declined_units)
            units = frozenset(listed) if listed else _NOTHING
        append(
            make(
                Applicant,
                (
                    number,
                    record_no,
                    tier,
                    size,
                    kinds,
                    group,
                    age,
                    months,
                    recognitions,
                    children,
                    parents,
                    bool(needs),
                    as_date(suspended) if suspended else None,
                    units,
                    tuple(declined_kinds.split(">")) if declined_kinds else (),
                    bool(to_end),
                    sits_out,
                ),
            )
        )
        ids[number] = row_id
    return applicants, ids


#: the values of ``declined_units`` that list no unit, as the drivers give them
_NO_UNITS = (None, "[]", "null", [])


# --------------------------------------------------------------------------- spreadsheets

COLUMNS: tuple[Column, ...] = (
    Column(
        "talent",
        "档案号",
        "Record no.",
        N_("The talent's record number."),
        "T0000123",
        12,
        ("人才档案号", "record number"),
    ),
    Column(
        "household_size",
        "家庭人口",
        "Household size",
        N_("People who will live in the home, the talent included."),
        "3",
        10,
        ("共同居住人数",),
    ),
    Column(
        "preferences",
        "意向房型",
        "Preferences",
        N_("Kinds of home, most wanted first, separated by > (codes or names)."),
        "two_bedroom > one_bedroom > studio",
        36,
        ("房型意向", "choices"),
    ),
    Column(
        "group",
        "专项",
        "Reserved group",
        N_("Code of the group of a reserved share the talent belongs to, or empty."),
        "",
        14,
        ("group",),
    ),
    Column(
        "insurance_months",
        "社保月数",
        "Months of social insurance",
        N_("Months of social insurance paid in the district."),
        "36",
        12,
    ),
    Column(
        "needs_accessibility",
        "无障碍需求",
        "Needs accessibility",
        N_(
            "yes if the talent needs an accessible home (family members' needs come from "
            "the record)."
        ),
        "no",
        12,
    ),
    Column("note", "备注", "Notes", N_("Anything else."), "", 24),
)
_BY_KEY = {c.key: c for c in COLUMNS}


def write_applications_template(path: Path) -> None:
    rules = published_rules()
    write_template(
        path,
        Template(
            COLUMNS,
            sheet_title="申请 Applications",
            heading=_("How to fill in the housing applications sheet"),
            intro=_(ONE_ROW_EACH),
            codes=[
                CodeList(
                    _("Kinds of home"),
                    _("Meaning"),
                    {code: f"{k.name.zh} / {k.name.en}" for code, k in published_kinds().items()},
                ),
                CodeList(
                    _("Reserved groups"),
                    _("Meaning"),
                    {code: f"{g.name.zh} / {g.name.en}" for code, g in rules.groups.items()},
                ),
            ],
            choices={"group": list(rules.groups)},
        ),
    )


def _kind_names(session: Session) -> dict[str, str]:
    names: dict[str, str] = {}
    for code, kind in kinds_of_home(session).items():
        for text in (code, kind.name.zh, kind.name.zh_hk, kind.name.en):
            if text:
                names[text.casefold()] = code
    return names


def import_applications(
    session: Session,
    actor: User,
    path: Path,
    round_name: str,
    *,
    progress: Progress = no_progress,
    ignore_columns: Sequence[str] = (),
) -> ImportReport:
    """Check every row; if all are good, enter the applications in the (open) round."""
    require(actor, Permission.APPLY_HOUSING)
    round_ = load_round(session, round_name)
    require_state(round_, RoundState.OPEN)
    rules = load_rules(session, round_.rules_version)
    table = read_table(Path(path), COLUMNS, ignore_columns=ignore_columns)
    report = ImportReport(rows_read=len(table.rows), warnings=table.warnings)
    names = _kind_names(session)
    kinds = set(names.values())
    record_nos = {normalize_record_no(r.get("talent")) for r in table.rows if r.get("talent")}
    talents = _talent_ids(session, record_nos)
    facts = talent_facts(session, talents.values(), round_.as_of, rules)
    applied = {
        talent_id: number
        for talent_id, number in session.execute(
            select(Application.talent_id, Application.application_no).where(
                Application.round_id == round_.id
            )
        )
    }
    ready: list[tuple[ApplicationInput, TalentFacts]] = []
    first_row: dict[int, int] = {}
    talent_header = table.header_for(_BY_KEY["talent"])
    for done, row in enumerate(table.rows, start=1):
        cells = RowReader(table, _BY_KEY, row)
        record_no = normalize_record_no(cells.required("talent"))
        talent_id = talents.get(record_no)
        if record_no and talent_id is None:
            cells.fail(
                "talent",
                ValidationError(N_("no talent with record number {value}"), value=record_no),
            )
        choices = [names.get(c.casefold(), c) for c in split_choices(cells.text("preferences"))]
        data = ApplicationInput(
            talent=talent_id or 0,
            household_size=cells.integer("household_size", low=1) or 0,
            preferences=choices,
            group=cells.text("group"),
            insurance_months=cells.integer("insurance_months", default=0) or 0,
            needs_accessibility=_yes_no(cells, "needs_accessibility"),
            note=cells.text("note"),
        )
        if talent_id is not None:
            if talent_id in applied:
                cells.fail(
                    "talent",
                    ValidationError(
                        N_("talent {record_no} already applied in this round: {value}"),
                        record_no=record_no,
                        value=applied[talent_id],
                    ),
                )
            if talent_id in first_row:
                cells.errors.append(
                    RowError(
                        row.number,
                        talent_header,
                        _("{value} is also given in row {row}").format(
                            value=record_no, row=first_row[talent_id]
                        ),
                    )
                )
            first_row.setdefault(talent_id, row.number)
            problems = check_application(rules, data, facts[talent_id], kinds)
            for error in problems:
                column = _FIELD_COLUMNS.get(error.field or "", "")
                if column:
                    header = table.header_for(_BY_KEY[column])
                else:  # gettext("") would be the catalog's header, not an empty name
                    header = _(error.field) if error.field else ""
                cells.errors.append(RowError(row.number, header, error.reason()))
            if not problems:
                report.warnings += [
                    _("row {row}: {value}").format(row=row.number, value=line)
                    for line in closed_choice_lines(closed_choices(rules, data, facts[talent_id]))
                ]
            ready.append((data, facts[talent_id]))
        report.errors += cells.errors
        if done % 500 == 0:
            progress(done, 2 * len(table.rows))
    report.errors = sorted(set(report.errors))
    if report.errors:
        return report
    report.created = len(write_applications(session, actor, round_, rules, ready))
    progress(1, 1)
    return report


_FIELD_COLUMNS = {
    N_("Household size"): "household_size",
    N_("Preferences"): "preferences",
    N_("Reserved group"): "group",
    N_("Months of social insurance"): "insurance_months",
}


def _talent_ids(session: Session, record_nos: set[str]) -> dict[str, int]:
    numbers = sorted(record_nos)
    found: dict[str, int] = {}
    for start in range(0, len(numbers), CHUNK):
        chunk = numbers[start : start + CHUNK]
        found.update(
            session.execute(
                select(Talent.record_no, Talent.id).where(Talent.record_no.in_(chunk))
            ).all()
        )
    return found


def _yes_no(cells: RowReader, key: str) -> bool:
    text = cells.text(key).casefold()
    if text in _YES:
        return True
    if text not in _NO:
        cells.fail(key, ValidationError(N_("write yes or no, not {value}"), value=text))
    return False


def write_applications(
    session: Session,
    actor: User,
    round_: Round,
    rules: Rules,
    ready: Sequence[tuple[ApplicationInput, TalentFacts]],
) -> list[int]:
    """Write checked applications: numbered in the given order, inserted in bulk, each audited
    as ``housing.application.create``; their ids, in that order.

    The one writer of new applications: the form (a batch of one), the import and the demo's
    round. The numbers are taken in the caller's transaction, so a rollback gives them back.
    """
    if not ready:
        return []
    year = round_.as_of.year
    first = next_number(session, f"housing-application-{year}", len(ready))
    rows = []
    for offset, (data, facts) in enumerate(ready):
        values = {
            "round_id": round_.id,
            "application_no": format_application_no(year, first + offset),
            "talent_id": facts.talent_id,
            "status": "active",
            "created_by": actor.id,
            **_values(data),
        }
        values.update(facts_values(values, facts, rules))
        rows.append(values)
    table = Application.__table__
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(table), rows[start : start + CHUNK])
    numbers = [values["application_no"] for values in rows]
    ids: dict[str, int] = {}
    for start in range(0, len(numbers), CHUNK):
        ids.update(
            session.execute(
                select(table.c.application_no, table.c.id).where(
                    table.c.round_id == round_.id,
                    table.c.application_no.in_(numbers[start : start + CHUNK]),
                )
            ).all()
        )
    record_audits(
        session,
        actor,
        (
            Audit(
                "housing.application.create",
                "housing_application",
                ids[values["application_no"]],
                after=snapshot(values),
            )
            for values in rows
        ),
    )
    return [ids[number] for number in numbers]
