"""Kill the real command line while it writes, and check what the database holds afterwards.

Shared by ``tests/stress/crash.py`` (the benchmark-style run, ``--kills N``), the quick version
in the suite (``tests/test_crash.py``) and the two-desk run (``tests/test_concurrency.py``).

A *kind* of write is one real command (``python -m talentdesk ...`` in a subprocess) and the
check of its effect on a copy of a base database. A *kill* starts the command on a fresh copy
and sends it SIGKILL either at a random moment of its run or at the moment its success line
appears on its standard output (read line by line; ``PYTHONUNBUFFERED`` makes the line reach
the pipe the moment it is printed, as a terminal would show it). Then:

* ``PRAGMA integrity_check`` must say "ok" (with ``foreign_key_check`` and the full-text
  index's own check);
* a write whose success line was printed (read before or after the kill) must be in the
  database, in its new state, with its files;
* no half write: the command's effect is all there or not there at all.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from signing import open_desk

PROJECT = Path(__file__).resolve().parents[2]
#: the talent whose cases and letters the kinds write (the base's first talent)
CASE_TALENT = "T0000001"
LETTER_TALENT = "T0000001"
APPLY_TALENT = "T0000003"
ROUND = "R1"
CASE_TYPE = "work_permit_new"
CALENDAR_YEAR = 2031
TELEPHONE = "020-3220 9999"
IMPORT_ROWS = 40
#: surnames and given-name characters no demo talent has: the imported names are new
_SURNAMES = "鞠晏郗訾缑"
_GIVEN = "岚岫峤嵘巍崧峦嶂"


# --------------------------------------------------------------------------- environment


# The audit keys of every copy of the base database go in one folder for the whole run, since
# each command has a data folder of its own (a copy without its key could not be written);
# databases built in this process (the small base) keep their keys there too. Under pytest the
# suite's own keys folder (set per test) is the one used: cli_env reads it when called.
os.environ.setdefault("TALENTDESK_KEYS_DIR", tempfile.mkdtemp(prefix="talentdesk-keys-"))


#: database id -> the token of the base's signed-in session (copies of a base share its id):
#: every command's data folder gets the sign-in file ``talentdesk login`` would have written
_SIGNED_IN: dict[str, str] = {}


def _sign_in_base(database: Any, desk: Any) -> None:
    from talentdesk.people.accounts import database_id

    with database.sessions() as session:
        _SIGNED_IN[database_id(session)] = desk.signed_in.token


def cli_env(data_dir: Path) -> dict[str, str]:
    """The environment of a command: its own data folder (settings, log, the base's sign-in),
    no database URL, and output that reaches the pipe when printed."""
    for database_id, token in _SIGNED_IN.items():
        sessions = data_dir / "sessions"
        sessions.mkdir(parents=True, exist_ok=True, mode=0o700)
        token_file = sessions / f"{database_id}.token"
        token_file.write_text(token, encoding="ascii")
        token_file.chmod(0o600)
    env = dict(os.environ)
    env.pop("TALENTDESK_DATABASE_URL", None)
    env["TALENTDESK_DATA_DIR"] = str(data_dir)
    env["TALENTDESK_KEYS_DIR"] = os.environ["TALENTDESK_KEYS_DIR"]
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def cli(*args: str | Path) -> list[str]:
    """The real command line, in English (the success lines are matched in English)."""
    return [sys.executable, "-m", "talentdesk", "--lang", "en", *(str(a) for a in args)]


def import_names(count: int, *, skip: int = 0) -> list[str]:
    """``count`` distinct Chinese names no base talent has (after the first ``skip``)."""
    names: list[str] = []
    for surname in _SURNAMES:
        for first in _GIVEN:
            for second in _GIVEN:
                if first != second:
                    names.append(surname + first + second)
    if skip + count > len(names):
        raise ValueError("not that many names")
    return names[skip : skip + count]


def write_talents_file(path: Path, names: Sequence[str], *, first_day: int = 0) -> Path:
    """A spreadsheet of new talents (.xlsx or .csv by the suffix), one per name."""
    header = ["姓名", "性别", "出生日期", "人才类别", "人才层次"]
    rows = []
    for i, name in enumerate(names):
        born = date.fromordinal(date(1970, 1, 1).toordinal() + 37 * (first_day + i))
        rows.append([name, "MF"[i % 2], born.isoformat(), "other", "DE"[i % 2]])
    if path.suffix == ".csv":
        lines = [",".join(header)] + [",".join(row) for row in rows]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


# --------------------------------------------------------------------------- the base database


@dataclass
class Base:
    """A database to copy for every scenario, and what it held when it was made."""

    path: Path
    folder: Path
    #: a case still submitted (the accept kind accepts it)
    accept_case: str
    import_file: Path
    import_names: list[str]
    facts: dict[str, Any] = field(default_factory=dict)

    def copy_to(self, folder: Path) -> Path:
        """A private copy of the base file (the base is closed: no -wal beside it)."""
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / "desk.sqlite3"
        shutil.copyfile(self.path, target)
        return target


def _small_talents(desk, count: int) -> None:
    from talentdesk.talents.service import TalentInput, create_talent

    def work(session, actor) -> None:
        for i in range(count):
            born = date.fromordinal(date(1975, 1, 1).toordinal() + 41 * i)
            name = "测" + "甲乙丙丁戊己庚辛壬癸"[i % 10] + "子丑寅卯辰巳午未申酉戌亥"[i // 10 % 12]
            create_talent(
                session,
                actor,
                TalentInput(
                    name_zh=name + ("" if i < 120 else "二"),
                    gender="MF"[i % 2],
                    birth_date=born,
                    category="other",
                    tier="DE"[i % 2],
                ),
            )

    desk.run(work)


def build_base(folder: Path, *, demo: bool, talents: int = 120) -> Base:
    """The base database: the demo (``talentdesk demo``, about 25 s) or a small one (a fresh
    database with ``talents`` talents, about a second); with a submitted case to accept and an
    open housing round. The acting user is the desk's own, as for every command."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "base.sqlite3"
    env = cli_env(folder / "data")
    if demo:
        subprocess.run(
            cli("demo", "--db", path), env=env, check=True, capture_output=True, timeout=600
        )
    from talentdesk.db.engine import open_database, sqlite_url
    from talentdesk.housing.actions import ACTIONS

    database = open_database(sqlite_url(path))
    try:
        desk = open_desk(database)
        _sign_in_base(database, desk)
        if not demo:
            _small_talents(desk, talents)

        def prepare(session, actor) -> str:
            from talentdesk.cases.service import open_case

            case = open_case(session, actor, CASE_TALENT, CASE_TYPE)
            spec = ACTIONS["open"]
            values = spec.defaults()
            values.update(name=ROUND, title="第一轮|round one")
            spec.run(session, actor, values, date.today())
            return case.case_no

        accept_case = desk.run(prepare)
    finally:
        database.dispose()
    names = import_names(IMPORT_ROWS)
    base = Base(
        path=path,
        folder=folder,
        accept_case=accept_case,
        import_file=write_talents_file(folder / "new talents.xlsx", names),
        import_names=names,
    )
    base.facts = facts(path, base)
    if base.facts["import_names_present"]:
        raise RuntimeError("the base already holds talents with the names to import")
    for suffix in ("-wal", "-shm"):
        if path.with_name(path.name + suffix).exists():
            raise RuntimeError(f"the base {path} is still open ({suffix} beside it)")
    return base


# --------------------------------------------------------------------------- reading a database


def connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=30)


def one(db: sqlite3.Connection, sql: str, *params: object) -> Any:
    row = db.execute(sql, params).fetchone()
    return row[0] if row else None


def counter(db: sqlite3.Connection, name: str) -> int:
    return int(one(db, "SELECT value FROM counters WHERE name = ?", name) or 0)


def audits(db: sqlite3.Connection, action: str) -> int:
    return int(one(db, "SELECT count(*) FROM audit_events WHERE action = ?", action) or 0)


def case_counter_name() -> str:
    return f"case::{date.today().year}"


def facts(path: Path, base: Base) -> dict[str, Any]:
    """What a scenario's checks compare with: the base's counts and values."""
    db = connect(path)
    try:
        marks = ",".join("?" * len(base.import_names))
        return {
            "talents": one(db, "SELECT count(*) FROM talents"),
            "talent_counter": counter(db, "talent"),
            "talent_audits": audits(db, "talent.create"),
            "import_names_present": one(
                db, f"SELECT count(*) FROM talents WHERE name_zh IN ({marks})", *base.import_names
            ),
            "max_case_id": one(db, "SELECT coalesce(max(id), 0) FROM cases"),
            "case_counter": counter(db, case_counter_name()),
            "case_open_audits": audits(db, "case.open"),
            "case_accept_audits": audits(db, "case.accept"),
            "max_letter_id": one(db, "SELECT coalesce(max(id), 0) FROM issued_letters"),
            "letter_audits": audits(db, "letters.issue"),
            "applications": one(
                db,
                "SELECT count(*) FROM housing_applications a JOIN housing_rounds r "
                "ON r.id = a.round_id WHERE r.name = ?",
                ROUND,
            ),
            "application_audits": audits(db, "housing.application.create"),
            "telephone": one(db, "SELECT value FROM letter_settings WHERE key = 'telephone'"),
            "letterhead_audits": audits(db, "letterhead.update"),
            "calendar_audits": audits(db, "change.propose"),
            "calendar_year": one(
                db, "SELECT count(*) FROM calendar_years WHERE year = ?", CALENDAR_YEAR
            ),
        }
    finally:
        db.close()


def health(path: Path) -> list[str]:
    """What is wrong with the file as a database: empty when integrity, foreign keys and the
    full-text index are all sound."""
    problems: list[str] = []
    try:
        db = connect(path)
    except sqlite3.Error as exc:
        return [f"cannot open: {exc}"]
    try:
        rows = [r[0] for r in db.execute("PRAGMA integrity_check")]
        if rows != ["ok"]:
            problems.append("integrity_check: " + "; ".join(map(str, rows[:5])))
        bad_keys = db.execute("PRAGMA foreign_key_check").fetchall()
        if bad_keys:
            problems.append(f"foreign_key_check: {bad_keys[:5]}")
        try:
            db.execute("INSERT INTO talents_fts(talents_fts) VALUES ('integrity-check')")
            db.rollback()
        except sqlite3.Error as exc:
            problems.append(f"full-text index: {exc}")
    except sqlite3.Error as exc:
        problems.append(f"cannot read: {exc}")
    finally:
        db.close()
    # the audit trail's chain: a kill never leaves it broken (events commit with their writes)
    verified = subprocess.run(
        cli("audit", "verify", "--db", path),
        capture_output=True,
        text=True,
        env=cli_env(path.parent / "verify-data"),
        cwd=PROJECT,
        timeout=120,
    )
    if verified.returncode != 0:
        problems.append("audit verify: " + (verified.stdout + verified.stderr).strip()[:300])
    return problems


# --------------------------------------------------------------------------- kinds of write


@dataclass
class Verdict:
    """What a scenario left: ``none`` (nothing of the write), ``full`` (all of it) or ``half``.

    ``unplaced`` marks a write committed but whose file was not put in place yet (killed
    between the commit and the rename): never acknowledged, so not lost, but counted.
    """

    state: str
    detail: str = ""
    unplaced: bool = False


@dataclass
class Scenario:
    """One run of one kind on a private copy of the base."""

    base: Base
    folder: Path
    db: Path
    out: Path

    @classmethod
    def make(cls, base: Base, folder: Path) -> Scenario:
        if folder.exists():
            shutil.rmtree(folder)
        db = base.copy_to(folder)
        out = folder / "out"
        out.mkdir()
        return cls(base, folder, db, out)


Check = Callable[[Scenario, sqlite3.Connection, "re.Match[str] | None"], Verdict]


@dataclass(frozen=True)
class Kind:
    name: str
    args: Callable[[Scenario], list[str]]
    #: the line the command prints once its write is committed
    success: re.Pattern[str]
    check: Check

    def argv(self, scenario: Scenario) -> list[str]:
        return cli(*self.args(scenario), "--db", scenario.db)


def _pdf_ok(path: Path) -> bool:
    if not path.is_file():
        return False
    data = path.read_bytes()
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]


def _all_or_nothing(parts: dict[str, bool]) -> Verdict:
    if all(parts.values()):
        return Verdict("full")
    if not any(parts.values()):
        return Verdict("none")
    return Verdict("half", ", ".join(f"{k}={v}" for k, v in parts.items()))


def _check_import(s: Scenario, db: sqlite3.Connection, match: re.Match[str] | None) -> Verdict:
    f = s.base.facts
    names = s.base.import_names
    marks = ",".join("?" * len(names))
    rows = db.execute(f"SELECT record_no FROM talents WHERE name_zh IN ({marks})", names).fetchall()
    records = {r[0] for r in rows}
    first = int(f["talent_counter"]) + 1
    expected = {f"T{n:07d}" for n in range(first, first + len(names))}
    added = int(one(db, "SELECT count(*) FROM talents")) - int(f["talents"])
    verdict = _all_or_nothing(
        {
            "talents": len(rows) == len(names) and added == len(names),
            "record numbers": records == expected,
            "counter": counter(db, "talent") == int(f["talent_counter"]) + len(names),
            "audit": audits(db, "talent.create") == int(f["talent_audits"]) + len(names),
        }
    )
    if verdict.state == "half":
        verdict.detail += f"; {len(rows)} of {len(names)} names, {added} talents added"
    if match and int(match.group(1)) != len(names):
        verdict = Verdict("half", f"success line says {match.group(0)!r}")
    return verdict


def _check_case_open(s: Scenario, db: sqlite3.Connection, match: re.Match[str] | None) -> Verdict:
    f = s.base.facts
    new = db.execute(
        "SELECT c.id, c.case_no, c.state, c.type_code, t.record_no FROM cases c "
        "JOIN talents t ON t.id = c.talent_id WHERE c.id > ?",
        (f["max_case_id"],),
    ).fetchall()
    events = int(
        one(
            db,
            "SELECT count(*) FROM case_events WHERE action = 'open' AND case_id > ?",
            f["max_case_id"],
        )
    )
    case = new[0] if len(new) == 1 else None
    verdict = _all_or_nothing(
        {
            "case": case is not None
            and case[2] == "submitted"
            and case[3] == CASE_TYPE
            and case[4] == CASE_TALENT,
            "event": events == 1,
            "counter": counter(db, case_counter_name()) == int(f["case_counter"]) + 1,
            "audit": audits(db, "case.open") == int(f["case_open_audits"]) + 1,
        }
    )
    if len(new) > 1:
        verdict = Verdict("half", f"{len(new)} cases opened")
    if match and verdict.state == "full" and case is not None and case[1] != match.group(1):
        verdict = Verdict("half", f"acknowledged {match.group(1)}, stored {case[1]}")
    return verdict


def _check_case_accept(s: Scenario, db: sqlite3.Connection, match: re.Match[str] | None) -> Verdict:
    f = s.base.facts
    state, accepted_on = db.execute(
        "SELECT state, accepted_on FROM cases WHERE case_no = ?", (s.base.accept_case,)
    ).fetchone()
    events = int(
        one(
            db,
            "SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id "
            "WHERE c.case_no = ? AND e.action = 'accept'",
            s.base.accept_case,
        )
    )
    letters = int(
        one(
            db,
            "SELECT count(*) FROM issued_letters WHERE id > ? AND kind = 'acceptance_notice'",
            f["max_letter_id"],
        )
    )
    pdf = s.out / "acceptance.pdf"
    committed = {
        "state": state == "accepted" and accepted_on is not None,
        "event": events == 1,
        "letter": letters == 1,
        "audit": audits(db, "case.accept") == int(f["case_accept_audits"]) + 1,
    }
    verdict = _all_or_nothing({**committed, "pdf": _pdf_ok(pdf)})
    if verdict.state == "half" and all(committed.values()) and not pdf.exists():
        return Verdict("full", "committed; the letter's PDF not in place", unplaced=True)
    if pdf.exists() and not _pdf_ok(pdf):
        verdict = Verdict("half", "a damaged PDF in place")
    return verdict


def _check_letter(s: Scenario, db: sqlite3.Connection, match: re.Match[str] | None) -> Verdict:
    f = s.base.facts
    refs = [
        r[0]
        for r in db.execute(
            "SELECT reference FROM issued_letters WHERE id > ?", (f["max_letter_id"],)
        )
    ]
    pdf = s.out / "offer.pdf"
    committed = {
        "register": len(refs) == 1,
        "audit": audits(db, "letters.issue") == int(f["letter_audits"]) + 1,
    }
    verdict = _all_or_nothing({**committed, "pdf": _pdf_ok(pdf)})
    if verdict.state == "half" and all(committed.values()) and not pdf.exists():
        verdict = Verdict("full", "committed; the PDF not in place", unplaced=True)
    elif pdf.exists() and not _pdf_ok(pdf):
        verdict = Verdict("half", "a damaged PDF in place")
    if len(refs) > 1:
        verdict = Verdict("half", f"{len(refs)} letters registered")
    if match and refs and refs[0] != match.group(1):
        verdict = Verdict("half", f"acknowledged {match.group(1)}, registered {refs[0]}")
    return verdict


def _check_apply(s: Scenario, db: sqlite3.Connection, match: re.Match[str] | None) -> Verdict:
    f = s.base.facts
    rows = db.execute(
        "SELECT a.application_no FROM housing_applications a "
        "JOIN housing_rounds r ON r.id = a.round_id JOIN talents t ON t.id = a.talent_id "
        "WHERE r.name = ? AND t.record_no = ?",
        (ROUND, APPLY_TALENT),
    ).fetchall()
    total = int(
        one(
            db,
            "SELECT count(*) FROM housing_applications a JOIN housing_rounds r "
            "ON r.id = a.round_id WHERE r.name = ?",
            ROUND,
        )
    )
    verdict = _all_or_nothing(
        {
            "application": len(rows) == 1 and total == int(f["applications"]) + 1,
            "audit": audits(db, "housing.application.create") == int(f["application_audits"]) + 1,
        }
    )
    if match and rows and rows[0][0] != match.group(1):
        verdict = Verdict("half", f"acknowledged {match.group(1)}, stored {rows[0][0]}")
    return verdict


def _check_letterhead(s: Scenario, db: sqlite3.Connection, match: re.Match[str] | None) -> Verdict:
    f = s.base.facts
    value = one(db, "SELECT value FROM letter_settings WHERE key = 'telephone'")
    stored = value is not None and json.loads(str(value)) == TELEPHONE
    if not stored and value != f["telephone"]:
        return Verdict("half", f"telephone is {value!r}")
    return _all_or_nothing(
        {
            "value": stored,
            "audit": audits(db, "letterhead.update") == int(f["letterhead_audits"]) + 1,
        }
    )


def _check_calendar(s: Scenario, db: sqlite3.Connection, match: re.Match[str] | None) -> Verdict:
    """The year is proposed (a second administrator's approval puts it in effect): one pending
    change with both days, and its audit event; the calendar itself unchanged."""
    f = s.base.facts
    proposals = [
        json.loads(payload)
        for (payload,) in db.execute(
            "SELECT payload FROM change_requests WHERE kind = 'calendar.year'"
        )
    ]
    mine = [p for p in proposals if p.get("year") == CALENDAR_YEAR]
    days = {d["day"]: (d["working"], d["name"]) for p in mine for d in p["days"]}
    return _all_or_nothing(
        {
            "proposed once": len(mine) == 1,
            "new year's day": days.get(f"{CALENDAR_YEAR}-01-01") == (False, "元旦"),
            "second day": days.get(f"{CALENDAR_YEAR}-01-02") == (False, "元旦"),
            "audit": audits(db, "change.propose") == int(f["calendar_audits"]) + 1,
            "calendar as it was": one(
                db, "SELECT count(*) FROM calendar_years WHERE year = ?", CALENDAR_YEAR
            )
            == f["calendar_year"],
        }
    )


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "import",
            lambda s: ["import", "talents", s.base.import_file],
            re.compile(r"^(\d+) talents added, (\d+) updated\b"),
            _check_import,
        ),
        Kind(
            "case open",
            lambda s: ["cases", "open", "--talent", CASE_TALENT, "--type", CASE_TYPE],
            re.compile(r"^Case (\S+) opened$"),
            _check_case_open,
        ),
        Kind(
            "case accept",
            lambda s: [
                "cases",
                "accept",
                s.base.accept_case,
                "--all-received",
                "--letters",
                s.out / "acceptance.pdf",
            ],
            re.compile(r"^(\S+): accepted\b"),
            _check_case_accept,
        ),
        Kind(
            "letter",
            lambda s: [
                "letters",
                "render",
                "housing_offer",
                "--talent",
                LETTER_TALENT,
                "--out",
                s.out / "offer.pdf",
                "--demo-values",
            ],
            re.compile(r"^1 letter \((\S+)\) written to "),
            _check_letter,
        ),
        Kind(
            "housing apply",
            lambda s: [
                "housing",
                "apply",
                "--round",
                ROUND,
                "--talent",
                APPLY_TALENT,
                "--household",
                "1",
                "--choices",
                "studio",
            ],
            re.compile(r"^Application (\S+) entered\b"),
            _check_apply,
        ),
        Kind(
            "letterhead",
            lambda s: ["letters", "letterhead", "--set", f"telephone={TELEPHONE}"],
            # the settings are listed after the commit: the first line is the acknowledgement
            re.compile(r"^name_zh\s"),
            _check_letterhead,
        ),
        Kind(
            "calendar",
            lambda s: [
                "cases",
                "calendar",
                str(CALENDAR_YEAR),
                "--enter",
                "--holiday",
                f"{CALENDAR_YEAR}-01-01:元旦",
                "--holiday",
                f"{CALENDAR_YEAR}-01-02:元旦",
            ],
            # the year is printed (not yet entered) after the proposal's commit
            re.compile(rf"^{CALENDAR_YEAR}: not entered yet"),
            _check_calendar,
        ),
    )
}


def verdict_of(kind: Kind, scenario: Scenario, match: re.Match[str] | None) -> Verdict:
    db = connect(scenario.db)
    try:
        return kind.check(scenario, db, match)
    finally:
        db.close()


# --------------------------------------------------------------------------- running and killing


@dataclass
class Run:
    """One start of a command: how it ended and what it printed."""

    returncode: int
    stdout: list[str]
    stderr: str
    elapsed: float
    #: seconds from the start to the success line, when it was printed
    ack_at: float | None
    match: re.Match[str] | None
    kill_sent_at: float | None

    @property
    def killed(self) -> bool:
        return self.returncode == -signal.SIGKILL

    @property
    def acknowledged(self) -> bool:
        return self.match is not None


def run_command(
    argv: Sequence[str],
    *,
    env: dict[str, str],
    success: re.Pattern[str],
    kill_at_ack: bool = False,
    kill_after: float | None = None,
    kill_at_write: Path | None = None,
    timeout: float = 300,
) -> Run:
    """Run a command, reading its output line by line; SIGKILL it ``kill_after`` seconds after
    its start, the moment its success line is read (``kill_at_ack``), the moment the file
    ``kill_at_write`` (a database's -wal) first grows, or not at all."""
    start = time.monotonic()
    proc = subprocess.Popen(
        list(argv), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=PROJECT
    )
    lock = threading.Lock()
    sent: list[float] = []

    def kill() -> None:
        with lock:
            if proc.returncode is None and not sent:
                proc.send_signal(signal.SIGKILL)  # does nothing once the process was reaped
                sent.append(time.monotonic() - start)

    errors: list[bytes] = []
    stderr = proc.stderr
    assert stderr is not None
    reader = threading.Thread(target=lambda: errors.append(stderr.read()))
    reader.start()
    timer = threading.Timer(kill_after, kill) if kill_after is not None else None
    if timer is not None:
        timer.start()
    watchdog = threading.Timer(timeout, kill)
    watchdog.start()
    watcher = None
    if kill_at_write is not None:
        watcher = threading.Thread(target=_watch_growth, args=(kill_at_write, proc, kill))
        watcher.start()
    lines: list[str] = []
    match: re.Match[str] | None = None
    ack_at = None
    try:
        assert proc.stdout is not None
        for raw in iter(proc.stdout.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            lines.append(line)
            if match is None and (found := success.search(line)):
                match, ack_at = found, time.monotonic() - start
                if kill_at_ack:
                    kill()
        proc.wait()
    finally:
        if timer is not None:
            timer.cancel()
        watchdog.cancel()
        reader.join()
        if watcher is not None:
            watcher.join()
        with lock:
            if proc.returncode is None:
                proc.kill()
                proc.wait()
    return Run(
        returncode=proc.returncode,
        stdout=lines,
        stderr=b"".join(errors).decode("utf-8", "replace"),
        elapsed=time.monotonic() - start,
        ack_at=ack_at,
        match=match,
        kill_sent_at=sent[0] if sent else None,
    )


def _watch_growth(path: Path, proc: subprocess.Popen[bytes], kill: Callable[[], None]) -> None:
    """Kill the process the moment ``path`` (a -wal) grows beyond its size at the start and its
    32-byte header, that is when a commit's first frame is being written (busy-waits: the
    frames of a commit follow each other within microseconds)."""

    def size() -> int:
        try:
            return os.stat(path).st_size
        except FileNotFoundError:
            return 0

    start = max(size(), 32)
    while proc.returncode is None and proc.poll() is None:
        if size() > start:
            kill()
            return


@dataclass(frozen=True)
class WalState:
    """What a -wal file holds after a kill: frames of committed transactions, and frames (or
    a torn frame) written after the last commit, which recovery must ignore."""

    committed: int
    uncommitted: int
    torn_bytes: int

    @property
    def mid_commit(self) -> bool:
        return self.uncommitted > 0 or self.torn_bytes > 0


def wal_state(db: Path) -> WalState:
    """Read the -wal beside ``db`` (before anything opens it: the last close checkpoints it)."""
    import struct

    try:
        data = db.with_name(db.name + "-wal").read_bytes()
    except FileNotFoundError:
        return WalState(0, 0, 0)
    if len(data) < 32:
        return WalState(0, 0, len(data))
    page_size = struct.unpack(">I", data[8:12])[0]
    salts = data[16:24]
    frame = 24 + page_size
    committed = frames = 0
    offset = 32
    while offset + frame <= len(data):
        if data[offset + 8 : offset + 16] != salts:
            break
        frames += 1
        if struct.unpack(">I", data[offset + 4 : offset + 8])[0]:  # the database size: a commit
            committed = frames
        offset += frame
    torn = len(data) - offset if offset + frame > len(data) else 0
    return WalState(committed, frames - committed, torn)


@dataclass
class Timing:
    """How long a kind's command takes on the base: to its success line, to its exit."""

    ack: float
    exit: float


def calibrate(kind: Kind, base: Base, folder: Path, env: dict[str, str], runs: int = 2) -> Timing:
    acks, exits = [], []
    for i in range(runs):
        scenario = Scenario.make(base, folder / f"calibrate {kind.name} {i}")
        run = run_command(kind.argv(scenario), env=env, success=kind.success)
        if run.returncode != 0 or run.ack_at is None:
            raise RuntimeError(
                f"{kind.name}: {' '.join(kind.argv(scenario))} failed "
                f"(exit {run.returncode}):\n" + "\n".join(run.stdout) + "\n" + run.stderr
            )
        verdict = verdict_of(kind, scenario, run.match)
        if verdict.state != "full":
            raise RuntimeError(f"{kind.name}: a run to its end left {verdict}")
        acks.append(run.ack_at)
        exits.append(run.elapsed)
        shutil.rmtree(scenario.folder)
    return Timing(sorted(acks)[len(acks) // 2], sorted(exits)[len(exits) // 2])


@dataclass
class Kill:
    """One kill and what the database held after it."""

    kind: str
    #: "ack": at the success line; "write": when the -wal first grows; "random": after a delay
    mode: str
    delay: float | None
    run: Run
    verdict: Verdict
    problems: list[str]
    stray_files: list[str]
    wal: WalState = WalState(0, 0, 0)

    @property
    def lost(self) -> bool:
        return self.run.acknowledged and self.verdict.state != "full"


def random_delay(timing: Timing, rng: random.Random) -> float:
    """A moment of the run: anywhere up to the success line, or (more often) in its last
    stretch, where the write happens."""
    if rng.random() < 0.4:
        return rng.uniform(0.0, timing.ack)
    window = min(0.6, 0.5 * timing.ack)
    return rng.uniform(timing.ack - window, timing.ack + 0.02)


def kill_once(
    kind: Kind,
    base: Base,
    folder: Path,
    env: dict[str, str],
    *,
    mode: str,
    delay: float | None = None,
    keep: bool = False,
) -> Kill | None:
    """Run ``kind`` on a fresh copy and kill it; None when it ended before the kill."""
    scenario = Scenario.make(base, folder)
    run = run_command(
        kind.argv(scenario),
        env=env,
        success=kind.success,
        kill_at_ack=mode == "ack",
        kill_after=delay if mode == "random" else None,
        kill_at_write=scenario.db.with_name(scenario.db.name + "-wal") if mode == "write" else None,
    )
    if not run.killed:
        if run.returncode != 0:
            raise RuntimeError(
                f"{kind.name} failed without a kill (exit {run.returncode}):\n"
                + "\n".join(run.stdout)
                + "\n"
                + run.stderr
            )
        shutil.rmtree(scenario.folder)
        return None
    wal = wal_state(scenario.db)
    problems = health(scenario.db)
    try:
        verdict = verdict_of(kind, scenario, run.match)
    except sqlite3.Error as exc:
        verdict = Verdict("half", f"cannot check: {exc}")
    stray = sorted(p.name for p in scenario.out.iterdir() if p.name.startswith("."))
    kill = Kill(kind.name, mode, delay, run, verdict, problems, stray, wal)
    if not keep and not (kill.lost or problems or verdict.state == "half"):
        shutil.rmtree(scenario.folder)  # a failure's folder stays, to look at
    return kill


def kill_plan(
    kinds: Iterable[str], total: int, *, ack_share: float = 0.35, write_share: float = 0.15
) -> list[tuple[str, str]]:
    """``total`` kills spread over the kinds: (kind, mode), about ``ack_share`` at the success
    line (at least one per kind), ``write_share`` at the first write to the -wal, the rest at
    random moments."""
    names = list(kinds)
    plan: list[tuple[str, str]] = []
    for i, name in enumerate(names):
        count = total // len(names) + (1 if i < total % len(names) else 0)
        at_ack = max(1, round(count * ack_share)) if count else 0
        at_write = min(count - at_ack, round(count * write_share))
        plan += [(name, "ack")] * at_ack + [(name, "write")] * at_write
        plan += [(name, "random")] * (count - at_ack - at_write)
    return plan


def run_kills(
    plan: Sequence[tuple[str, str]],
    base: Base,
    folder: Path,
    env: dict[str, str],
    *,
    seed: int = 9,
    timings: dict[str, Timing] | None = None,
    report: Callable[[Kill], None] | None = None,
    max_misses: int = 20,
) -> list[Kill]:
    """Every kill of the plan; a random kill that came too late (the command had ended) is
    tried again with a new delay."""
    rng = random.Random(seed)
    timings = dict(timings or {})
    kills: list[Kill] = []
    for n, (name, mode) in enumerate(plan):
        kind = KINDS[name]
        if mode == "random" and name not in timings:
            timings[name] = calibrate(kind, base, folder, env, runs=1)
        for _attempt in range(max_misses):
            delay = random_delay(timings[name], rng) if mode == "random" else None
            kill = kill_once(kind, base, folder / f"kill {n:03d}", env, mode=mode, delay=delay)
            if kill is not None:
                break
            timings[name] = Timing(timings[name].ack * 0.9, timings[name].exit)
        else:
            raise RuntimeError(f"{name}: {max_misses} tries ended before their kill")
        kills.append(kill)
        if name not in timings and kill.run.ack_at is not None:  # a kill at the success line
            timings[name] = Timing(kill.run.ack_at, kill.run.ack_at)
        if report is not None:
            report(kill)
    return kills


# --------------------------------------------------------------------------- the figures


HEADERS = (
    "kind",
    "kills",
    "at ack",
    "at write",
    "random",
    "acknowledged",
    "present",
    "lost",
    "committed, unacked",
    "file not placed",
    "mid-commit",
    "half writes",
    "integrity failures",
    "stray temp files",
)


def table(kills: Sequence[Kill]) -> tuple[list[str], list[list[object]]]:
    """The figures per kind and in all: the rows of the report."""
    rows: list[list[object]] = []
    names = list(dict.fromkeys(k.kind for k in kills))
    for name in [*names, None]:
        group = [k for k in kills if name is None or k.kind == name]
        rows.append(
            [
                name or "all",
                len(group),
                sum(k.mode == "ack" for k in group),
                sum(k.mode == "write" for k in group),
                sum(k.mode == "random" for k in group),
                sum(k.run.acknowledged for k in group),
                sum(k.run.acknowledged and k.verdict.state == "full" for k in group),
                sum(k.lost for k in group),
                sum(not k.run.acknowledged and k.verdict.state == "full" for k in group),
                sum(k.verdict.unplaced for k in group),
                sum(k.wal.mid_commit for k in group),
                sum(k.verdict.state == "half" for k in group),
                sum(bool(k.problems) for k in group),
                sum(len(k.stray_files) for k in group),
            ]
        )
    return list(HEADERS), rows


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=True)]
    lines = ["  ".join(str(h).rjust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(str(x).rjust(w) for x, w in zip(row, widths, strict=True)))
    return "\n".join(lines)


def describe_moment(kill: Kill) -> str:
    if kill.mode == "ack":
        return "at its success line"
    if kill.mode == "write":
        return "at its first write to the -wal"
    return f"after {kill.delay:.3f}s"


def failures(kills: Sequence[Kill]) -> list[str]:
    """Every kill that lost an acknowledged write, left a half write or a damaged database."""
    out = []
    for k in kills:
        if k.lost or k.verdict.state == "half" or k.problems:
            when = describe_moment(k)
            out.append(
                f"{k.kind} killed {when}: acknowledged={k.run.acknowledged} "
                f"state={k.verdict.state} {k.verdict.detail} {'; '.join(k.problems)}\n"
                f"  stdout: {k.run.stdout}\n  stderr: {k.run.stderr.strip()[-500:]}"
            )
    return out


# --------------------------------------------------------------------------- messages


#: a progress line on a pipe ("Checking: 3/40"): not part of a fault's message
PROGRESS_LINE = re.compile(r"^[^:]+: \d+/\d+$")


def message_lines(stderr: str) -> list[str]:
    """What a command said on stderr, without its progress lines."""
    return [
        line
        for line in stderr.splitlines()
        if line.strip() and not PROGRESS_LINE.match(line.strip())
    ]


# --------------------------------------------------------------------------- a nearly full disk


def tmpfs_refusal() -> str | None:
    """Why a small tmpfs cannot be mounted here (None when it can be tried)."""
    if not sys.platform.startswith("linux"):
        return "not Linux"
    if os.geteuid() != 0:
        return "not running as root"
    if shutil.which("mount") is None or shutil.which("umount") is None:
        return "no mount command"
    return None


class SmallDisk:
    """A tmpfs of a given size mounted on a folder of ours, unmounted at the end."""

    def __init__(self, mountpoint: Path, size: int) -> None:
        self.mountpoint = mountpoint
        self.size = size

    def __enter__(self) -> SmallDisk:
        self.mountpoint.mkdir(parents=True, exist_ok=False)
        subprocess.run(
            [
                "mount",
                "-t",
                "tmpfs",
                "-o",
                f"size={self.size},mode=0700",
                "talentdesk-crash",
                str(self.mountpoint),
            ],
            check=True,
            capture_output=True,
        )
        return self

    def __exit__(self, *_exc: object) -> None:
        subprocess.run(["umount", str(self.mountpoint)], check=False, capture_output=True)
        with contextlib.suppress(OSError):
            self.mountpoint.rmdir()

    def clear(self) -> None:
        for entry in self.mountpoint.iterdir():
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()

    def free(self) -> int:
        st = os.statvfs(self.mountpoint)
        return st.f_bavail * st.f_frsize

    def fill(self, leave: int) -> None:
        """Write a filler file until only ``leave`` bytes are free."""
        chunk = b"\0" * (1 << 20)
        with open(self.mountpoint / "filler", "wb", buffering=0) as f:
            while (room := self.free() - leave) > 0:
                try:
                    f.write(chunk[: min(len(chunk), room)])
                except OSError:
                    break


@dataclass
class FullDiskRun:
    kind: str
    free: int
    data_on_disk: bool
    run: Run
    verdict: Verdict
    problems: list[str]

    @property
    def messages(self) -> list[str]:
        return message_lines(self.run.stderr)

    def faults(self) -> list[str]:
        """What is wrong with how the command ended (empty when nothing is)."""
        out: list[str] = []
        text = "\n".join(self.run.stdout) + "\n" + self.run.stderr
        if "Traceback" in text:
            out.append("a traceback was printed")
        if self.problems:
            out.append("; ".join(self.problems))
        if self.run.returncode == 0:
            if not self.run.acknowledged:
                out.append("exit 0 without its success line")
            if self.verdict.state != "full":
                out.append(f"exit 0 but the write is {self.verdict.state}")
        else:
            if self.run.acknowledged:
                out.append(f"exit {self.run.returncode} after its success line")
            if len(self.messages) != 1 or not self.messages[0].startswith("Error: "):
                out.append(
                    f"stderr is {len(self.messages)} lines, not one 'Error: ' line; "
                    f"the first: {self.messages[:1]}"
                )
            if self.verdict.state != "none":
                out.append(f"failed, yet the write is {self.verdict.state}")
        return out


FREE_LEVELS = (0, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20)


def full_disk_runs(
    base: Base,
    folder: Path,
    kinds: Sequence[str],
    *,
    levels: Sequence[int] = FREE_LEVELS,
    report: Callable[[FullDiskRun], None] | None = None,
) -> list[FullDiskRun]:
    """Every kind on a copy of the base on a tmpfs with only ``level`` bytes left free; the
    data folder (settings, the log) on that disk for every other level."""
    size = base.path.stat().st_size + max(levels) + (24 << 20)
    outside = folder / "data outside"
    runs: list[FullDiskRun] = []
    with SmallDisk(folder / "small disk", size) as disk:
        for n, level in enumerate(levels):
            data_on_disk = n % 2 == 0
            for name in kinds:
                kind = KINDS[name]
                disk.clear()
                scenario = Scenario.make(base, disk.mountpoint / "desk")
                env = cli_env(disk.mountpoint / "data" if data_on_disk else outside)
                disk.fill(level)
                run = run_command(kind.argv(scenario), env=env, success=kind.success)
                (disk.mountpoint / "filler").unlink()
                problems = health(scenario.db)
                try:
                    verdict = verdict_of(kind, scenario, run.match)
                except sqlite3.Error as exc:
                    verdict = Verdict("half", f"cannot check: {exc}")
                result = FullDiskRun(name, level, data_on_disk, run, verdict, problems)
                runs.append(result)
                if report is not None:
                    report(result)
    return runs
