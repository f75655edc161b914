"""Retention: what is past the time the rules keep it, and the job that anonymises or deletes it.

The rules are data (``resources/privacy/retention.toml``): for each record class the program
knows, how long its records are kept, the action after, and the source. The job runs in two
steps, so that a manager approves exactly what was shown:

1. :func:`preview_retention` lists every record due, each with the rule and the day its clock
   started, and an approval code computed from the list;
2. :func:`apply_retention`, given that code by a manager, does it in one transaction: talents
   are anonymised through the talent writer (identity documents, family and contact data go;
   category, tier, nationality and employer stay for the statistics), the names in their housing
   applications and consent records are blanked, ended sessions are deleted; one audit event
   names every record. When anything changed since the preview, the code no longer matches and
   nothing is done.

:func:`finish_retention` then deletes the copies the database upgrades left (they hold the
records as they were) and makes the deletion real on SQLite: the search index was merged in the
transaction (its segments would still hold the old text), the file is vacuumed
(``secure_delete`` has already zeroed the freed pages) and the write-ahead log is emptied.

The audit trail is never cut: it is the record of processing, kept at least as long as the
rules' ``[audit]`` table says. Its snapshots hold no identity or telephone numbers (they are
masked when recorded), but they do keep the names the record had.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache, cached_property
from pathlib import Path

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from talentdesk.assets import resource
from talentdesk.cases.lifecycle import OPEN_STATES
from talentdesk.cases.models import ServiceCase as Case
from talentdesk.db.base import utcnow
from talentdesk.db.engine import Database
from talentdesk.errors import UserError
from talentdesk.housing.models import Application, Offer, Round
from talentdesk.housing.states import RoundState
from talentdesk.i18n import N_, _, current_language, ngettext
from talentdesk.people.models import User, UserSession
from talentdesk.people.permissions import Permission, require
from talentdesk.people.service import record_audit
from talentdesk.talents.models import ConsentRecord, Talent
from talentdesk.talents.service import TalentInput, load_talent, snapshot
from talentdesk.talents.writer import TalentEdit, write_talents

#: record class → the one action it allows
CLASSES = {
    "inactive_talent": "anonymise",
    "withdrawn_consent": "anonymise",
    "ended_session": "delete",
    "migration_backup": "delete",
}
ACTION_LABELS = {"anonymise": N_("anonymised"), "delete": N_("deleted")}
#: what an anonymised record keeps in place of names
ANONYMISED = "（已匿名）"


class RetentionRulesError(ValueError):
    """The rules file cannot be used; the message names the file, the rule and the field."""


@dataclass(frozen=True)
class RetentionRule:
    record_class: str
    zh: str
    en: str
    years: int
    months: int
    days: int
    action: str
    source_zh: str
    source_en: str

    def cutoff(self, today: date) -> date:
        """Records whose clock started before this day are due."""
        months = self.years * 12 + self.months
        year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
        day = min(today.day, _days_in(year, month + 1))
        return date(year, month + 1, day) - timedelta(days=self.days)

    def label(self) -> str:
        """The class's name in the program's language."""
        return self.zh if current_language().startswith("zh") else self.en

    def source(self) -> str:
        return self.source_zh if current_language().startswith("zh") else self.source_en

    def period_text(self) -> str:
        """How long, in words of the program's language: "3 years", "30 days"."""
        parts = [
            ngettext("{n} year", "{n} years", self.years),
            ngettext("{n} month", "{n} months", self.months),
            ngettext("{n} day", "{n} days", self.days),
        ]
        amounts = (self.years, self.months, self.days)
        return " ".join(p.format(n=n) for p, n in zip(parts, amounts, strict=True) if n)

    def action_label(self) -> str:
        return _(ACTION_LABELS[self.action])

    def summary(self, due: int) -> str:
        """One line: the rule, how long, what then, its source and how many are due."""
        return _("{rule}: kept {period}, then {action} ({source}): {count} due").format(
            rule=self.label(),
            period=self.period_text(),
            action=self.action_label(),
            source=self.source(),
            count=due,
        )

    @property
    def period(self) -> str:
        parts = [(self.years, "y"), (self.months, "m"), (self.days, "d")]
        return " ".join(f"{n}{unit}" for n, unit in parts if n) or "0d"


@dataclass(frozen=True)
class RetentionRules:
    access_months: int
    processing_years: int
    rules: tuple[RetentionRule, ...]


def _days_in(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def _number(path: Path, where: str, entry: dict[str, object], key: str) -> int:
    value = entry.get(key, 0)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise RetentionRulesError(f"{path}: {where}: {key} must be a whole number, 0 or more")
    return value


def read_retention_rules(path: Path) -> RetentionRules:
    """The rules a retention file declares; :class:`RetentionRulesError` if it is bad."""
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except OSError as exc:
        raise RetentionRulesError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RetentionRulesError(f"{path}: not valid TOML: {exc}") from None
    audit = data.get("audit", {})
    access = _number(path, "[audit]", audit, "access_months")
    processing = _number(path, "[audit]", audit, "processing_years")
    if access < 6 or processing < 3:
        raise RetentionRulesError(
            f"{path}: [audit]: the trail is kept at least 6 months (access) and 3 years "
            "(processing); the file asks for less"
        )
    rules = []
    seen: set[str] = set()
    for index, entry in enumerate(data.get("rule", []), start=1):
        where = f"rule {index}"
        record_class = entry.get("class", "")
        if record_class not in CLASSES:
            raise RetentionRulesError(
                f"{path}: {where}: class {record_class!r} is not one of {', '.join(CLASSES)}"
            )
        if record_class in seen:
            raise RetentionRulesError(f"{path}: {where}: class {record_class} is given twice")
        seen.add(record_class)
        action = entry.get("action", "")
        if action != CLASSES[record_class]:
            raise RetentionRulesError(
                f"{path}: {where}: {record_class} allows the action {CLASSES[record_class]}, "
                f"not {action!r}"
            )
        for key in ("zh", "en", "source_zh", "source_en"):
            if not str(entry.get(key, "")).strip():
                raise RetentionRulesError(f"{path}: {where}: {key} is required")
        rule = RetentionRule(
            record_class,
            str(entry["zh"]),
            str(entry["en"]),
            _number(path, where, entry, "years"),
            _number(path, where, entry, "months"),
            _number(path, where, entry, "days"),
            action,
            str(entry["source_zh"]),
            str(entry["source_en"]),
        )
        if not (rule.years or rule.months or rule.days):
            raise RetentionRulesError(f"{path}: {where}: give years, months or days to keep")
        rules.append(rule)
    return RetentionRules(access, processing, tuple(rules))


def retention_file() -> Path:
    return resource("privacy", "retention.toml")


@cache
def retention_rules() -> RetentionRules:
    return read_retention_rules(retention_file())


# --------------------------------------------------------------------------- what is due


@dataclass(frozen=True)
class DueItem:
    """One record past its time: the rule's class, the record, since when its clock runs."""

    record_class: str
    key: str
    since: date
    action: str


@dataclass(frozen=True)
class RetentionPreview:
    today: date
    rules: tuple[RetentionRule, ...]
    items: tuple[DueItem, ...]
    code: str

    def of(self, record_class: str) -> list[DueItem]:
        return [item for item in self.items if item.record_class == record_class]


def _approval_code(today: date, items: list[DueItem]) -> str:
    lines = [today.isoformat(), *(f"{i.record_class} {i.key} {i.since}" for i in items)]
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest().upper()
    return f"{digest[:4]}-{digest[4:8]}"


def _day(moment: datetime | date | None) -> date | None:
    if moment is None:
        return None
    return moment.date() if isinstance(moment, datetime) else moment


class _Served:
    """Talents the centre still serves (an open case, an application in a round not closed,
    or a home they accepted), read once per preview however many rules ask."""

    def __init__(self, session: Session) -> None:
        self._session = session

    @cached_property
    def ids(self) -> set[int]:
        return _still_served(self._session)


def _still_served(session: Session) -> set[int]:
    """Talents the centre still serves: an open case, an application in a round not closed,
    or a home they accepted."""
    served = set(session.scalars(select(Case.talent_id).where(Case.state.in_(OPEN_STATES))))
    served |= set(
        session.scalars(
            select(Application.talent_id)
            .join(Round, Round.id == Application.round_id)
            .where(Round.state != RoundState.CLOSED)
        )
    )
    served |= set(session.scalars(select(Offer.talent_id).where(Offer.state == "accepted")))
    return served


def _inactive_talents(
    session: Session, rule: RetentionRule, today: date, served: _Served
) -> list[DueItem]:
    cutoff = rule.cutoff(today)
    last_case = (
        select(Case.talent_id, func.max(Case.updated_at).label("at"))
        .group_by(Case.talent_id)
        .subquery()
    )
    last_application = (
        select(Application.talent_id, func.max(Application.updated_at).label("at"))
        .group_by(Application.talent_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Talent.id, Talent.record_no, Talent.updated_at, last_case.c.at, last_application.c.at
        )
        .outerjoin(last_case, last_case.c.talent_id == Talent.id)
        .outerjoin(last_application, last_application.c.talent_id == Talent.id)
        .where(Talent.anonymised_at.is_(None), Talent.updated_at < datetime.combine(cutoff, time()))
        .order_by(Talent.id)
    )
    due = []
    for talent_id, record_no, *moments in rows:
        last = max(d for d in map(_day, moments) if d is not None)
        if last < cutoff and talent_id not in served.ids:
            due.append(DueItem(rule.record_class, record_no, last, rule.action))
    return due


def _withdrawn_consents(
    session: Session, rule: RetentionRule, today: date, served: _Served
) -> list[DueItem]:
    cutoff = rule.cutoff(today)
    in_force = select(ConsentRecord.talent_id).where(ConsentRecord.withdrawn_at.is_(None))
    rows = session.execute(
        select(Talent.id, Talent.record_no, func.max(ConsentRecord.withdrawn_at))
        .join(ConsentRecord, ConsentRecord.talent_id == Talent.id)
        .where(Talent.anonymised_at.is_(None), Talent.id.not_in(in_force))
        .group_by(Talent.id, Talent.record_no)
        .order_by(Talent.id)
    )
    due = []
    for talent_id, record_no, withdrawn in rows:
        since = _day(withdrawn)
        if since is not None and since < cutoff and talent_id not in served.ids:
            due.append(DueItem(rule.record_class, record_no, since, rule.action))
    return due


def _ended_sessions(
    session: Session, rule: RetentionRule, today: date, served: _Served
) -> list[DueItem]:
    cutoff = datetime.combine(rule.cutoff(today), time())
    ended = func.coalesce(UserSession.ended_at, UserSession.expires_at)
    rows = session.execute(
        select(UserSession.id, ended).where(ended < cutoff).order_by(UserSession.id)
    )
    return [
        DueItem(rule.record_class, str(session_id), _day(at) or today, rule.action)
        for session_id, at in rows
    ]


def _migration_backups(
    session: Session, rule: RetentionRule, today: date, served: _Served
) -> list[DueItem]:
    """The copies the upgrades left in the ``backups`` folder beside a SQLite file."""
    database = session.get_bind().url.database
    if session.get_bind().dialect.name != "sqlite" or not database or database == ":memory:":
        return []
    source = Path(database)
    cutoff = rule.cutoff(today)
    due = []
    for path in sorted((source.parent / "backups").glob(f"{source.stem}-*-schema-*")):
        taken = date.fromtimestamp(path.stat().st_mtime)
        if taken < cutoff:
            due.append(DueItem(rule.record_class, path.name, taken, rule.action))
    return due


_FINDERS = {
    "inactive_talent": _inactive_talents,
    "withdrawn_consent": _withdrawn_consents,
    "ended_session": _ended_sessions,
    "migration_backup": _migration_backups,
}


def preview_retention(session: Session, actor: User, today: date) -> RetentionPreview:
    """Every record the rules find past its time today, and the code that approves them."""
    require(actor, Permission.VIEW_RETENTION)
    rules = retention_rules().rules
    items: list[DueItem] = []
    talents: set[str] = set()
    served = _Served(session)
    for rule in rules:
        for item in _FINDERS[rule.record_class](session, rule, today, served):
            if item.action == "anonymise":
                if item.key in talents:  # found by two rules: anonymised once
                    continue
                talents.add(item.key)
            items.append(item)
    return RetentionPreview(today, rules, tuple(items), _approval_code(today, items))


# --------------------------------------------------------------------------- doing it


@dataclass(frozen=True)
class RetentionDone:
    code: str
    anonymised: int
    deleted_sessions: int
    #: the upgrade copies to delete once the transaction is committed
    backups: tuple[Path, ...] = ()

    def summary(self) -> str:
        return _(
            "Done ({code}): {anonymised} talent records anonymised, {sessions} ended sessions "
            "and {backups} upgrade copies deleted; the freed space in the database file was "
            "erased."
        ).format(
            code=self.code,
            anonymised=self.anonymised,
            sessions=self.deleted_sessions,
            backups=len(self.backups),
        )


def _anonymised_input(data: TalentInput) -> TalentInput:
    """What an anonymised record keeps: what the statistics count, nothing that names."""
    return TalentInput(
        name_zh=ANONYMISED,
        gender=data.gender,
        nationality=data.nationality,
        category=data.category,
        tier=data.tier,
        employer_id=data.employer_id,
        letter_language=data.letter_language,
    )


def apply_retention(session: Session, actor: User, today: date, code: str) -> RetentionDone:
    """Anonymise and delete what the preview with this ``code`` listed; one audit event."""
    require(actor, Permission.APPLY_RETENTION)
    preview = preview_retention(session, actor, today)
    if not preview.items:
        raise UserError(N_("nothing is past its retention: there is nothing to approve"))
    if code.strip().upper() != preview.code:
        raise UserError(
            N_(
                "the records past retention changed since code {value} was shown (it is "
                "{code} now): look at the list again before approving it"
            ),
            value=code.strip(),
            code=preview.code,
        )
    now = utcnow()
    records = [item.key for item in preview.items if item.action == "anonymise"]
    edits, ids = [], []
    for record_no in records:
        talent = load_talent(session, record_no)
        data = _anonymised_input(TalentInput.from_talent(talent))
        edits.append(TalentEdit(talent.id, data, snapshot(talent), anonymised=True))
        ids.append(talent.id)
    if edits:
        write_talents(session, actor, edits)
        session.execute(update(Talent).where(Talent.id.in_(ids)).values(anonymised_at=now))
        for application in session.scalars(
            select(Application).where(Application.talent_id.in_(ids))
        ):
            application.household = [
                {**member, "name": ""} for member in application.household or []
            ]
        session.execute(
            update(ConsentRecord)
            .where(ConsentRecord.talent_id.in_(ids))
            .values(given_by=ANONYMISED)
        )
    sessions = [int(item.key) for item in preview.items if item.record_class == "ended_session"]
    database = session.get_bind().url.database or ""
    backups = tuple(
        Path(database).parent / "backups" / item.key
        for item in preview.items
        if item.record_class == "migration_backup"
    )
    if sessions:
        session.execute(UserSession.__table__.delete().where(UserSession.id.in_(sessions)))
    record_audit(
        session,
        actor,
        "retention.apply",
        "retention",
        None,
        after={
            "code": preview.code,
            "on": today.isoformat(),
            "anonymised": records,
            "deleted_sessions": len(sessions),
            "deleted_backups": [path.name for path in backups],
            "rules": {r.record_class: r.period for r in preview.rules},
        },
    )
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("INSERT INTO talents_fts(talents_fts) VALUES ('optimize')"))
    return RetentionDone(preview.code, len(records), len(sessions), backups)


def finish_retention(database: Database, done: RetentionDone) -> None:
    """After the job's commit: delete the upgrade copies it listed, and leave none of the
    deleted bytes in the SQLite file or its write-ahead log. (A PostgreSQL server reclaims
    space with its own VACUUM; a file system may keep a deleted file's blocks until reused.)"""
    for path in done.backups:
        for leftover in ("", "-wal", "-shm", "-journal"):
            path.with_name(path.name + leftover).unlink(missing_ok=True)
    if not database.is_sqlite:
        return
    # the driver's own connection: it runs outside any transaction (VACUUM refuses one)
    connection = database.engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    finally:
        connection.close()
