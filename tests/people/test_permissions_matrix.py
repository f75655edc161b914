"""Every role against every service entry point that writes, on a real database (each backend).

For each entry point (every case step of ``STEPS``, every housing action of ``ACTIONS`` and the
other writing services) and each role of ``resources/people/roles.toml``, the real service is
called as a user of that role on a copy of a small world (staff, talents, a housing pool):

- a role the table grants the permission to is not refused: the call succeeds (each entry
  point's preparation gives it what it needs), and is rolled back so that every role meets the
  same state;
- a role the table does not grant it to is refused with PermissionDenied, and neither the
  database nor the output folder changes.

The same list of entry points makes docs/roles.md; regenerate it after changing the roles or
an entry point's permission with:

    uv run python tests/people/test_permissions_matrix.py
"""

from __future__ import annotations

import hashlib
import re
import secrets
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from talentdesk.db.engine import Database, open_database, sqlite_url
from talentdesk.errors import PermissionDenied, UserError
from talentdesk.people.models import User
from talentdesk.people.permissions import (
    ROLE_PERMISSIONS,
    Permission,
    RolesFileError,
    read_roles,
    roles,
    roles_markdown,
)

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "roles.md"
TODAY = date(2026, 11, 25)
ROUND = "2026-2"
TALENT = "T0000001"

P = Permission


# --------------------------------------------------------------------------- the world


@dataclass
class World:
    """A copy of the template: its database, its staff by role, a folder for inputs."""

    database: Database
    users: dict[str, User]
    folder: Path
    #: what the entry point's preparation found (a case number, an offer id, ...)
    found: dict[str, Any] = field(default_factory=dict)

    @property
    def admin(self) -> User:
        return self.users["admin"]

    def run(self, step: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """A service call as the administrator, committed (the preparation of a test)."""
        with self.database.transaction() as session:
            return step(session, self.admin, *args, **kwargs)


def _build_template(path: Path) -> None:
    database = open_database(sqlite_url(path))
    _build_world(database, path.parent)
    database.dispose()


def _build_world(database: Database, folder: Path) -> None:
    from housing.conftest import build_world

    from talentdesk.cases.service import ensure_reference_data
    from talentdesk.people.service import ensure_user

    build_world(database, folder)  # clerk, manager, admin, auditor; the pool; 8 talents
    with database.transaction() as session:
        for role in roles():
            ensure_user(session, role, display_name=f"{role} 用户", role=role)
        # runs the rounds the entries review: nobody reviews a round they ran
        ensure_user(session, "runner", display_name="运行人", role="manager")
        # proposes the changes the entries approve: nobody approves their own
        ensure_user(session, "proposer", display_name="提议人", role="admin")
        ensure_reference_data(session)


@pytest.fixture(scope="module")
def world_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("matrix template") / "world.sqlite3"
    _build_template(path)
    return path


@pytest.fixture(scope="module")
def world_postgres_template(
    postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    from postgres import template

    folder = tmp_path_factory.mktemp("matrix postgres template")
    with template(
        postgres_url, "matrix_template", lambda database: _build_world(database, folder)
    ) as name:
        yield name


def _world(database: Database, folder: Path) -> World:
    with database.sessions() as session:
        users = {u.username: u for u in session.scalars(select(User))}
    return World(database, {role: users[role] for role in roles()}, folder)


@pytest.fixture
def world(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    """A copy of the world of this test's own, on each backend (see tests/conftest.py)."""
    if backend == "postgresql":
        from postgres import copy_of

        url = request.getfixturevalue("postgres_url")
        with copy_of(url, request.getfixturevalue("world_postgres_template")) as database:
            yield _world(database, tmp_path)
        return
    path = tmp_path / "人才 库" / "world.sqlite3"
    path.parent.mkdir()
    shutil.copyfile(request.getfixturevalue("world_template"), path)
    database = open_database(sqlite_url(path))
    yield _world(database, tmp_path)
    database.dispose()


def fingerprint(database: Database) -> str:
    """A digest of every row of every table."""
    digest = hashlib.sha256()
    with database.engine.connect() as conn:
        for table in sorted(inspect(conn).get_table_names()):
            digest.update(table.encode())
            rows = conn.exec_driver_sql(f'SELECT * FROM "{table}"')
            for line in sorted(repr(tuple(row)) for row in rows):
                digest.update(line.encode())
    return digest.hexdigest()


# --------------------------------------------------------------------------- preparations


def _case(w: World, upto: str, type_code: str = "work_permit_new", **approve: Any) -> None:
    """A case of ``type_code`` walked by the administrator up to the state ``upto``."""
    from talentdesk.cases import service

    if upto == "correction overdue":
        # asked for on Mon 26 October, due 10 working days later (Mon 9 November)
        asked = date(2026, 10, 26)
        case_no = w.run(service.open_case, TALENT, type_code, today=asked).case_no
        w.found["case"] = case_no
        w.run(service.request_correction, case_no, items=["补充材料"], today=asked)
        return
    case_no = w.run(service.open_case, TALENT, type_code, today=TODAY).case_no
    w.found["case"] = case_no
    if upto == "submitted":
        return
    if upto == "correction":
        w.run(
            service.request_correction,
            case_no,
            documents=[],
            items=["补充材料"],
            checklist_states={},
            reason="",
            today=TODAY,
        )
        return
    with w.database.sessions() as session:
        codes = [d.code for d in service.load_case(session, case_no).documents]
    w.run(service.accept, case_no, documents=dict.fromkeys(codes, "received"), today=TODAY)
    if upto == "accepted":
        return
    w.run(service.start_review, case_no, reason="", today=TODAY)
    if upto == "in_review":
        return
    if upto == "stopped":
        w.run(service.stop_clock, case_no, stop="expert_review", expected="10 wd", today=TODAY)
        return
    w.run(service.approve, case_no, reason="", today=TODAY, **({"commitments": []} | approve))
    if upto == "approved":
        return
    w.run(service.complete, case_no, outcome="准予许可", rating=None, reason="", today=TODAY)


def _round(w: World, upto: str) -> None:
    """The round ROUND with five applications, taken by the administrator up to ``upto``."""
    from housing.conftest import TITLE

    from talentdesk.housing import rounds
    from talentdesk.housing.applications import ApplicationInput, enter_application

    # the public notice's states: a round under rules that set one (2026.3); the others under
    # 2026.2, without a notice, so that a reviewed round is released on the same day
    notice = upto in ("re-checked", "noticed", "objected")
    if notice:
        _under_notice_rules(w)
    version = "2026.3" if notice else "2026.2"
    w.run(rounds.open_round, ROUND, TITLE, as_of=TODAY, rules_version=version)
    if upto == "open":
        return
    applications = [
        ("T0000001", 2, ["two_bedroom", "elderly_single", "studio"], ""),
        ("T0000002", 1, ["one_bedroom", "studio"], "young"),
        ("T0000003", 1, ["studio"], "young"),
        ("T0000004", 2, ["top_talent", "two_bedroom"], ""),
        ("T0000008", 1, ["top_talent"], ""),
    ]
    numbers = [
        w.run(
            enter_application,
            ROUND,
            ApplicationInput(talent=t, household_size=n, preferences=p, group=g),
        ).application_no
        for t, n, p, g in applications
    ]
    w.found["application"] = numbers[0]
    if upto == "applied":
        return
    w.run(rounds.freeze_round, ROUND)
    if upto == "frozen without a seed source":
        return
    w.run(
        rounds.record_seed_source,
        ROUND,
        "福利彩票 2026-12-01",
        rounds.seed_commitment("2026-12-01 draw 123"),
    )
    if upto == "frozen":
        return
    with w.database.transaction() as session:
        runner = session.scalars(select(User).where(User.username == "runner")).one()
        rounds.run_round(session, runner, ROUND, "2026-12-01 draw 123", today=TODAY)
    if upto == "run":
        return
    token = rounds.confirmation_token(w.run(rounds.review_round, ROUND))
    w.found["token"] = token
    if upto == "reviewed":
        return
    if notice:
        from talentdesk.housing.notice import lodge_objection, notice_round, recheck_round

        w.run(recheck_round, ROUND, today=TODAY)
        if upto == "re-checked":
            return
        w.run(notice_round, ROUND, today=TODAY)
        w.found["placed"] = _placed(w)
        if upto == "noticed":
            return
        objection = w.run(lodge_objection, ROUND, w.found["placed"], "李某", "x", today=TODAY)
        w.found["objection"] = objection.id
        return
    w.run(rounds.release_round, ROUND, confirm=token, today=TODAY)
    _found_offers_and_unplaced(w)
    if upto == "released":
        return
    from talentdesk.housing.offers import expire_offers, lodge_appeal

    if upto == "answered":  # every offer lapsed, long after its deadline
        # a lapsed unit goes down the waiting list as a new offer: those lapse in turn
        day = date(2027, 6, 1)
        while w.run(expire_offers, ROUND, today=day):
            day += timedelta(days=60)
        return

    appeal = w.run(lodge_appeal, ROUND, w.found["unplaced"], "my parent is 66", today=TODAY)
    w.found["appeal"] = appeal.id


def _under_notice_rules(w: World) -> None:
    """The talents employed in the zone (the re-check before the notice withdraws anyone
    without an employer there)."""
    from talentdesk.talents.identity import usci_check_char
    from talentdesk.talents.models import Talent
    from talentdesk.talents.service import create_employer

    first17 = "91440112MA5D12345"
    employer = w.run(
        create_employer, "广州矩阵有限公司", "Matrix Co., Ltd.", first17 + usci_check_char(first17)
    )
    with w.database.transaction() as session:
        for talent in session.scalars(select(Talent)):
            talent.employer_id = employer.id


def _placed(w: World) -> str:
    from talentdesk.housing.results import result_lines

    with w.database.sessions() as session:
        return next(
            line.application_no
            for line in result_lines(session, w.admin, ROUND)
            if line.outcome == "allocated"
        )


def _found_offers_and_unplaced(w: World) -> None:
    from talentdesk.housing.models import Offer
    from talentdesk.housing.results import result_lines

    with w.database.sessions() as session:
        w.found["offer"] = session.scalar(
            select(Offer.id).where(Offer.state == "pending").order_by(Offer.id)
        )
        w.found["unplaced"] = next(
            line.application_no
            for line in result_lines(session, w.admin, ROUND)
            if line.outcome != "allocated"
        )


def _exported(w: World) -> None:
    from talentdesk.talents.spreadsheet import export_talents

    w.found["sheet"] = w.folder / "talents.xlsx"
    w.run(export_talents, w.found["sheet"])


def _consented(w: World) -> None:
    from talentdesk.talents.consent import record_consent

    w.found["consent"] = w.run(
        lambda s, u: (
            record_consent(s, u, TALENT, basis="consent", scope="personal", notice_version="v1").id
        )
    )


def _proposed_by_another_admin(w: World) -> None:
    from talentdesk.cases.calendar import SpecialDay
    from talentdesk.cases.changes import propose_year

    with w.database.transaction() as session:
        proposer = session.scalars(select(User).where(User.username == "proposer")).one()
        days = [SpecialDay(date(2027, 1, 1), False, "元旦")]
        w.found["change"] = propose_year(session, proposer, 2027, days).id


def _units_file(w: World) -> None:
    from housing.conftest import UNITS_CSV

    w.found["units"] = w.folder / "units again.csv"
    w.found["units"].write_text(UNITS_CSV, encoding="utf-8")


# --------------------------------------------------------------------------- entry points


Call = Callable[[World, Session, User, Path], Any]


@dataclass(frozen=True)
class Entry:
    area: str
    #: the function (or the action of STEPS / ACTIONS) it calls, as failures and docs name it
    name: str
    #: the role needs any one of these
    permissions: tuple[Permission, ...]
    call: Call
    prepare: Callable[[World], None] = lambda _w: None
    #: what it does, for docs/roles.md
    what: str = ""


#: a verification needs a case approved on the applicant's commitment
COMMITMENT = {"commitments": ["补交无犯罪记录证明 | certificate of no criminal record"]}


def _step_entries() -> list[Entry]:
    from talentdesk.cases.lifecycle import Action
    from talentdesk.cases.steps import STEPS

    states = {
        Action.ACCEPT: "submitted",
        Action.REQUEST_CORRECTION: "submitted",
        Action.RESUME: "correction",
        Action.REFUSE: "submitted",
        Action.START_REVIEW: "accepted",
        Action.APPROVE: "in_review",
        Action.COMPLETE: "approved",
        Action.RETURN: "in_review",
        Action.EXTEND: "accepted",
        Action.ASSIGN: "accepted",
        Action.VERIFY: "approved",
        Action.RATE: "completed",
        Action.STOP: "in_review",
        Action.END_STOP: "stopped",
        Action.WITHDRAW: "correction overdue",
    }
    #: the steps that need a type with stops of the clock (expert review ...)
    stopping = {Action.STOP, Action.END_STOP}
    values: dict[Action, dict[str, Any]] = {
        Action.ACCEPT: {"all_received": True},
        Action.REQUEST_CORRECTION: {"items": ["补充材料"]},
        Action.REFUSE: {
            "reason": "不属于本中心受理范围",
            "legal_basis": "《行政许可法》第三十二条",
        },
        Action.COMPLETE: {"outcome": "准予许可"},
        Action.RETURN: {"reason": "材料不实"},
        Action.EXTEND: {"days": 10, "reason": "情况复杂"},
        Action.ASSIGN: {"officer": "officer"},
        Action.VERIFY: {"fulfilled": True},
        Action.RATE: {"rating": 5},
        Action.STOP: {"stop": "expert_review", "expected": "约10个工作日|about 10 working days"},
        Action.WITHDRAW: {"confirmed": True},
    }
    entries = []
    for action, spec in STEPS.items():

        def call(w: World, s: Session, u: User, _out: Path, spec: Any = spec, a: Any = action):
            return spec.perform(
                s, u, spec.defaults() | {"case": w.found["case"]} | values.get(a, {}), TODAY
            )

        def prepare(w: World, state: str = states[action], a: Action = action) -> None:
            kind = "professional_title" if a in stopping else "work_permit_new"
            _case(w, state, kind, **(COMMITMENT if a is Action.VERIFY else {}))

        entries.append(
            Entry("cases", f"STEPS[{spec.name}]", spec.permissions, call, prepare, spec.title)
        )
    return entries


def _housing_entries() -> list[Entry]:
    from talentdesk.housing.actions import ACTIONS

    before = {
        "open": None,
        "apply": "open",
        "withdraw": "applied",
        "freeze": "applied",
        "seed": "frozen without a seed source",
        "allocate": "frozen",
        "review": "run",
        "recheck": "reviewed",
        "declare": "applied",
        "notice": "re-checked",
        "object": "noticed",
        "decide-objection": "objected",
        "release": "reviewed",
        "close": "answered",
        "accept": "released",
        "decline": "released",
        "expire": "released",
        "appeal": "released",
        "decide-appeal": "appealed",
    }

    def values(w: World, name: str, out: Path) -> dict[str, Any]:
        f = w.found
        return {
            "open": {"name": "2027-1", "title": "2027年第一轮配租|the first round of 2027"},
            "apply": {
                "round": ROUND,
                "talent": "T0000005",
                "household": 2,
                "choices": "one_bedroom>studio",
            },
            "withdraw": {"round": ROUND, "application_no": f.get("application"), "reason": "x"},
            "freeze": {"round": ROUND},
            "seed": {
                "round": ROUND,
                "source": "福利彩票 2026-12-01",
                "commitment": hashlib.sha256(b"2026-12-01 draw 123").hexdigest(),
            },
            "allocate": {"round": ROUND, "seed": "2026-12-01 draw 123"},
            "review": {"round": ROUND},
            "recheck": {"round": ROUND},
            "declare": {"round": ROUND, "application_no": f.get("application"), "household": 3},
            "notice": {"round": ROUND},
            "object": {
                "round": ROUND,
                "application_no": f.get("placed"),
                "objector": "李某",
                "grounds": "x",
            },
            "decide-objection": {"objection": f.get("objection"), "dismiss": True, "decision": "x"},
            "release": {"round": ROUND, "confirm": f.get("token"), "letters": out / "letters"},
            "close": {"round": ROUND},
            "accept": {"offer": f.get("offer")},
            "decline": {"offer": f.get("offer"), "reason": "太远"},
            "expire": {},
            "appeal": {"round": ROUND, "application_no": f.get("unplaced"), "grounds": "x"},
            "decide-appeal": {"appeal": f.get("appeal"), "dismiss": True, "decision": "驳回"},
        }[name]

    entries = []
    for name, spec in ACTIONS.items():

        def call(w: World, s: Session, u: User, out: Path, spec: Any = spec, name: str = name):
            return spec.perform(s, u, spec.defaults() | values(w, name, out), TODAY)

        upto = before[name]

        def prepare(w: World, upto: str | None = upto) -> None:
            if upto is not None:
                _round(w, upto)

        entries.append(
            Entry("housing", f"ACTIONS[{name}]", spec.permissions, call, prepare, spec.title)
        )
    return entries + _lease_entries()


def _leased(w: World, upto: str) -> None:
    """The round released, its first offer of a home with a rent (a deposit to pay) accepted;
    with its lease started, when asked."""
    from talentdesk.housing.leases import start_lease
    from talentdesk.housing.models import Offer, Unit
    from talentdesk.housing.offers import accept_offer

    _round(w, "released")
    with w.database.sessions() as session:
        w.found["offer"] = session.scalar(
            select(Offer.id)
            .join(Unit, Unit.id == Offer.unit_id)
            .where(Offer.state == "pending", Unit.rent > 0)
            .order_by(Offer.id)
        )
    w.run(accept_offer, w.found["offer"], today=TODAY)
    if upto == "leased":
        w.found["lease"] = w.run(start_lease, w.found["offer"], today=TODAY).id


def _lease_entries() -> list[Entry]:
    from talentdesk.housing.actions import LEASE_ACTIONS

    entries = []
    for name, spec in LEASE_ACTIONS.items():
        upto = "accepted" if name == "start" else "leased"

        def call(w: World, s: Session, u: User, out: Path, spec: Any = spec, name: str = name):
            f = w.found
            key = {"offer": f.get("offer")} if name == "start" else {"lease": f.get("lease")}
            extra = {"reason": "退租"} if name == "end" else {}
            return spec.perform(s, u, spec.defaults() | key | extra, TODAY)

        def prepare(w: World, upto: str = upto) -> None:
            _leased(w, upto)

        entries.append(
            Entry("housing", f"LEASE_ACTIONS[{name}]", spec.permissions, call, prepare, spec.title)
        )
    return entries


def _other_entries() -> list[Entry]:
    from talentdesk.backups import set_rotation
    from talentdesk.cases import admin as cases_admin
    from talentdesk.cases import changes
    from talentdesk.cases.calendar import SpecialDay
    from talentdesk.cases.catalogue import seed_catalogue_file
    from talentdesk.cases.report import case_report
    from talentdesk.cases.service import open_case
    from talentdesk.fair.intake import IntakeInput, register_intake
    from talentdesk.fair.prepare import FairRequest, prepare_fair
    from talentdesk.fair.queue import list_queue
    from talentdesk.housing.catalogue import add_rules, seed_rule_files
    from talentdesk.housing.pool import import_units
    from talentdesk.housing.report import allocation_report, write_results
    from talentdesk.letters import seal
    from talentdesk.letters.letterhead import update_letterhead
    from talentdesk.letters.service import issue_letters
    from talentdesk.letters.talents_report import talents_report
    from talentdesk.people import accounts
    from talentdesk.privacy import retention
    from talentdesk.privacy.own_data import write_own_data
    from talentdesk.talents import consent
    from talentdesk.talents.report import reveal_talent
    from talentdesk.talents.service import (
        TalentInput,
        create_employer,
        create_talent,
        load_talent,
        update_talent,
    )
    from talentdesk.talents.spreadsheet import export_talents, import_talents
    from talentdesk.talents.teams import create_team

    def edited(s: Session, u: User) -> Any:
        talent = load_talent(s, TALENT)
        data = TalentInput.from_talent(talent)
        data.name_passport = "WANG FANG"
        return update_talent(s, u, talent.id, data, expected_version=talent.version)

    rules_text = seed_rule_files()[-1].read_text(encoding="utf-8")
    new_rules = re.sub(r'(?m)^version = ".*"$', 'version = "2099.1"', rules_text)
    case_type = seed_catalogue_file().types["ip_fast_track"]

    return [
        Entry(
            "talents",
            "create_talent",
            (P.EDIT_TALENTS,),
            lambda w, s, u, o: create_talent(
                s, u, TalentInput(name_zh="赵六", gender="M", category="other", tier="E")
            ),
        ),
        Entry("talents", "update_talent", (P.EDIT_TALENTS,), lambda w, s, u, o: edited(s, u)),
        Entry(
            "talents",
            "reveal_talent",
            (P.REVEAL_PERSONAL,),
            lambda w, s, u, o: reveal_talent(s, u, TALENT),
        ),
        Entry(
            "talents",
            "record_consent",
            (P.EDIT_TALENTS,),
            lambda w, s, u, o: consent.record_consent(
                s, u, TALENT, basis="consent", scope="personal", notice_version="v1"
            ),
        ),
        Entry(
            "talents",
            "withdraw_consent",
            (P.EDIT_TALENTS,),
            lambda w, s, u, o: consent.withdraw_consent(s, u, w.found["consent"]),
            _consented,
        ),
        Entry(
            "talents",
            "write_own_data",
            (P.REVEAL_PERSONAL,),
            lambda w, s, u, o: write_own_data(s, u, TALENT, o / "副本"),
            what="file of personal data",
        ),
        Entry(
            "users",
            "add_user",
            (P.ADMINISTER,),
            lambda w, s, u, o: accounts.add_user(s, u, "new01", "新人", "clerk", "first-pass-1"),
        ),
        Entry(
            "users",
            "change_user",
            (P.ADMINISTER,),
            lambda w, s, u, o: accounts.change_user(s, u, "clerk", display_name="窗口 改"),
        ),
        Entry(
            "users",
            "reset_password",
            (P.ADMINISTER,),
            lambda w, s, u, o: accounts.reset_password(s, u, "clerk", "temporary-1"),
        ),
        Entry(
            "users",
            "unlock_user",
            (P.ADMINISTER,),
            lambda w, s, u, o: accounts.unlock_user(s, u, "clerk"),
        ),
        Entry(
            "users",
            "set_account_policy",
            (P.ADMINISTER,),
            lambda w, s, u, o: accounts.set_account_policy(s, u, idle_lock_minutes=5),
        ),
        Entry(
            "talents",
            "import_talents",
            (P.IMPORT_TALENTS,),
            lambda w, s, u, o: import_talents(s, u, w.found["sheet"]),
            _exported,
        ),
        Entry(
            "talents",
            "export_talents",
            (P.EXPORT_TALENTS,),
            lambda w, s, u, o: export_talents(s, u, o / "talents.xlsx"),
        ),
        Entry(
            "talents",
            "talents_report",
            (P.EXPORT_TALENTS,),
            lambda w, s, u, o: talents_report(s, u),
            what="report of personal data",
        ),
        Entry(
            "talents",
            "create_team",
            (P.EDIT_TALENTS,),
            lambda w, s, u, o: create_team(s, u, "量子计算团队", today=TODAY),
        ),
        Entry(
            "employers",
            "create_employer",
            (P.EDIT_TALENTS,),
            lambda w, s, u, o: create_employer(s, u, "广州示例科技有限公司"),
        ),
        Entry(
            "employers",
            "create_employer (override a failed check digit)",
            (P.OVERRIDE_CREDIT_CODE,),
            lambda w, s, u, o: create_employer(
                s, u, "广州覆核科技有限公司", credit_code="91440101MA59ABCD1X", override_check=True
            ),
        ),
        Entry(
            "fairs",
            "prepare_fair",
            (P.PREPARE_FAIRS,),
            lambda w, s, u, o: prepare_fair(
                s,
                u,
                FairRequest(
                    out=o / "fair.tdfair",
                    password="a fair's password 2026",
                    name="海交会",
                    held_on=TODAY,
                    laptop="L1",
                    username=w.users["clerk"].username,
                ),
            ),
            what="encrypted copy of reference data",
        ),
        Entry(
            "fairs",
            "register_intake",
            (P.EDIT_TALENTS,),
            lambda w, s, u, o: register_intake(
                s, u, IntakeInput(name_passport="Anna Weber", gender="F", topics=["visa"])
            ),
        ),
        Entry("fairs", "list_queue", (P.MERGE_FAIRS,), lambda w, s, u, o: list_queue(s, u)),
        Entry(
            "backups",
            "set_rotation",
            (P.ADMINISTER,),
            lambda w, s, u, o: set_rotation(s, u, last=5),
        ),
        Entry(
            "retention",
            "preview_retention",
            (P.VIEW_RETENTION,),
            lambda w, s, u, o: retention.preview_retention(s, u, TODAY),
        ),
        Entry(
            "retention",
            "apply_retention",
            (P.APPLY_RETENTION,),
            lambda w, s, u, o: (
                retention.apply_retention(
                    s, u, TODAY, retention.preview_retention(s, w.users["manager"], TODAY).code
                )
                if _a_session_long_ended(s, w.users["clerk"])
                else None
            ),
        ),
        Entry(
            "letters",
            "issue_letters",
            (P.ISSUE_LETTERS,),
            lambda w, s, u, o: issue_letters(
                s, u, "acceptance_notice", [TALENT], o / "letters.pdf", demo_defaults=True
            ),
        ),
        Entry("letters", "roll_seal", (P.ADMINISTER,), lambda w, s, u, o: seal.roll_seal(s, u)),
        Entry(
            "letters",
            "revoke_seal",
            (P.ADMINISTER,),
            lambda w, s, u, o: seal.revoke_seal(
                s, u, seal.roll_seal(s, w.users["admin"]).fingerprint, "a matrix test"
            ),
        ),
        Entry("letters", "list_seals", (P.VIEW_TALENTS,), lambda w, s, u, o: seal.list_seals(s, u)),
        Entry(
            "letters",
            "root_certificate_pem",
            (P.VIEW_TALENTS,),
            lambda w, s, u, o: (
                seal.current_seal(s, w.users["admin"]),
                seal.root_certificate_pem(s, u),
            ),
        ),
        Entry(
            "letters",
            "update_letterhead",
            (P.ADMINISTER,),
            lambda w, s, u, o: update_letterhead(s, u, {"telephone": "020-12345678"}),
        ),
        Entry(
            "cases",
            "open_case",
            (P.OPEN_CASES,),
            lambda w, s, u, o: open_case(s, u, TALENT, "work_permit_new", today=TODAY),
        ),
        Entry(
            "cases",
            "case_report",
            (P.REPORT_CASES,),
            lambda w, s, u, o: case_report(s, u, date(2026, 1, 1), TODAY, as_of=TODAY),
        ),
        Entry(
            "case types",
            "propose_case_type",
            (P.EDIT_CATALOGUE,),
            lambda w, s, u, o: changes.propose_case_type(s, u, case_type),
        ),
        Entry(
            "case types",
            "set_department_members",
            (P.ADMINISTER,),
            lambda w, s, u, o: cases_admin.set_department_members(
                s, u, next(iter(seed_catalogue_file().departments)), [w.users["officer"]]
            ),
        ),
        Entry(
            "calendar",
            "propose_year",
            (P.EDIT_CALENDAR,),
            lambda w, s, u, o: changes.propose_year(
                s, u, 2027, [SpecialDay(date(2027, 1, 1), False, "元旦")]
            ),
        ),
        Entry(
            "calendar",
            "propose_calendar_day",
            (P.EDIT_CALENDAR,),
            lambda w, s, u, o: changes.propose_calendar_day(
                s, u, date(2026, 12, 2), working=False, name="调休"
            ),
        ),
        Entry(
            "calendar",
            "approve_change",
            (P.EDIT_CALENDAR,),
            lambda w, s, u, o: changes.approve_change(s, u, w.found["change"]),
            _proposed_by_another_admin,
        ),
        Entry(
            "housing pool",
            "import_units",
            (P.EDIT_HOUSING_POOL,),
            lambda w, s, u, o: import_units(s, u, w.found["units"]),
            _units_file,
        ),
        Entry(
            "housing pool",
            "add_rules",
            (P.EDIT_HOUSING_POOL,),
            lambda w, s, u, o: add_rules(s, u, new_rules),
        ),
        Entry(
            "housing",
            "allocation_report",
            (P.VIEW_HOUSING,),
            lambda w, s, u, o: allocation_report(s, u, ROUND),
            lambda w: _round(w, "released"),
            "report of personal data",
        ),
        Entry(
            "housing",
            "write_results",
            (P.VIEW_HOUSING,),
            lambda w, s, u, o: write_results(s, u, ROUND, o / "results.csv"),
            lambda w: _round(w, "run"),
            "file of personal data",
        ),
    ]


def entry_points() -> list[Entry]:
    return _step_entries() + _housing_entries() + _other_entries()


ENTRIES = entry_points()


def expected_docs() -> str:
    return roles_markdown(
        (e.area, f"`{e.name}`" + (f" ({e.what})" if e.what else ""), e.permissions) for e in ENTRIES
    )


# --------------------------------------------------------------------------- the matrix


def _files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*"))


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: f"{e.area}:{e.name}")
def test_every_role_meets_the_table(entry: Entry, world: World) -> None:
    entry.prepare(world)
    failures: list[str] = []
    outcomes: dict[str, str] = {}
    for role, user in world.users.items():
        out = world.folder / f"out {role}"
        out.mkdir()
        granted = bool(ROLE_PERMISSIONS[role] & set(entry.permissions))
        before = fingerprint(world.database)
        where = f"{role} × {entry.name}"
        if granted:
            with world.database.write_sessions() as session:
                session.begin()
                try:
                    entry.call(world, session, user, out)
                    outcomes[role] = "done"
                except PermissionDenied as exc:
                    failures.append(f"{where}: refused though the table grants it: {exc.text()}")
                except UserError as exc:
                    outcomes[role] = f"input error: {exc.text()}"
                finally:
                    session.rollback()
            continue
        try:
            with world.database.transaction() as session:
                entry.call(world, session, user, out)
        except PermissionDenied:
            if fingerprint(world.database) != before:
                failures.append(f"{where}: refused, but the database changed")
            if _files(out):
                failures.append(f"{where}: refused, but wrote {_files(out)}")
        except Exception as exc:  # anything but a refusal is a failure
            failures.append(f"{where}: not refused with PermissionDenied: {exc!r}")
        else:
            failures.append(f"{where}: ALLOWED although the table does not grant it")
    assert not failures, "\n".join(failures)
    not_done = {role: outcome for role, outcome in outcomes.items() if outcome != "done"}
    assert not not_done, f"{entry.name}: roles granted it could not do it: {not_done}"


def test_every_writing_step_and_action_is_in_the_matrix() -> None:
    from talentdesk.cases.steps import STEPS
    from talentdesk.housing.actions import ACTIONS

    names = {e.name for e in ENTRIES}
    assert {f"STEPS[{s.name}]" for s in STEPS.values()} <= names
    assert {f"ACTIONS[{name}]" for name in ACTIONS} <= names
    from talentdesk.housing.actions import LEASE_ACTIONS

    assert {f"LEASE_ACTIONS[{name}]" for name in LEASE_ACTIONS} <= names


# --------------------------------------------------------------------------- the table itself


def test_the_auditor_reads_everything_and_changes_nothing() -> None:
    auditor = roles()["auditor"]
    assert auditor.read_only
    assert auditor.permissions and all(p.reads_only for p in auditor.permissions)
    assert {P.VIEW_TALENTS, P.VIEW_CASES, P.VIEW_HOUSING, P.VIEW_AUDIT} <= auditor.permissions


def _a_session_long_ended(session: Session, user: User) -> bool:
    """Something for the retention job to do: a sign-in that ended two years ago."""
    from talentdesk.people.models import UserSession

    ended = datetime(2024, 11, 1, 18, 0)
    session.add(
        UserSession(
            user_id=user.id,
            token_digest=secrets.token_hex(32),
            kind="window",
            machine="matrix",
            started_at=ended,
            expires_at=ended,
            ended_at=ended,
        )
    )
    session.flush()
    return True


def test_the_administrator_holds_every_permission_but_retention_and_each_role_is_named() -> None:
    table = roles()
    assert list(table) == ["clerk", "officer", "manager", "admin", "auditor"]
    # approving the retention job (anonymising records for good) is the manager's decision
    assert table["admin"].permissions == frozenset(Permission) - {Permission.APPLY_RETENTION}
    assert Permission.APPLY_RETENTION in table["manager"].permissions
    for role in table.values():
        assert role.zh and role.en and role.description
    assert table["clerk"].label("zh_CN") == "窗口受理员"
    assert table["clerk"].label("zh_HK") == "櫃檯受理員"
    assert table["clerk"].label("en") == "Clerk"


def _roles_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "roles.toml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = 'zh = "审计员"\nen = "Auditor"\ndescription = "reads"\n'


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[roles.auditor\n", "not valid TOML"),
        ("[people]\n", "unknown tables people"),
        ("", "no [roles.NAME] tables"),
        (
            f'[roles.auditor]\n{GOOD}permissions = ["talents.peek"]\n',
            "unknown permission 'talents.peek'",
        ),
        (f'[roles.auditor]\n{GOOD}permissions = "talents.view"\n', "permissions must be a list"),
        ('[roles.auditor]\nen = "Auditor"\ndescription = "x"\npermissions = []\n', "zh must be"),
        (f"[roles.auditor]\n{GOOD}permissions = []\ncolour = 1\n", "unknown keys colour"),
        (
            f'[roles.auditor]\n{GOOD}read_only = true\npermissions = ["cases.view", "admin"]\n',
            "read_only but is granted admin",
        ),
        (
            f'[roles.auditor]\n{GOOD}permissions = ["talents.view", "talents.view"]\n',
            "listed twice",
        ),
    ],
)
def test_a_bad_roles_file_is_refused_naming_file_and_entry(
    tmp_path: Path, text: str, says: str
) -> None:
    path = _roles_file(tmp_path, text)
    with pytest.raises(RolesFileError) as info:
        read_roles(path)
    message = str(info.value)
    assert str(path) in message and says in message
    if "[roles.auditor]" in text:
        assert "role 'auditor'" in message


def test_a_good_roles_file_reads() -> None:
    assert read_roles(ROOT / "resources" / "people" / "roles.toml") == roles()


def test_nobody_reviews_a_round_they_ran(world: World) -> None:
    from talentdesk.housing import rounds

    _round(w := world, "frozen")
    w.run(rounds.run_round, ROUND, "2026-12-01 draw 123")
    with pytest.raises(PermissionDenied, match="separation of duties"):
        w.run(rounds.review_round, ROUND)
    with w.database.transaction() as session:
        rounds.review_round(session, w.users["manager"], ROUND)


def test_the_refusal_names_the_role_in_the_users_language(world: World) -> None:
    from talentdesk.i18n import set_language
    from talentdesk.people.permissions import require

    set_language("zh_CN")
    with pytest.raises(PermissionDenied) as info:
        require(world.users["auditor"], P.EDIT_TALENTS)
    assert "审计员" in info.value.text()


# --------------------------------------------------------------------------- docs/roles.md


def test_docs_roles_md_is_current() -> None:
    current = DOCS.read_text(encoding="utf-8") if DOCS.exists() else ""
    assert current == expected_docs(), (
        "docs/roles.md is out of date: run  uv run python tests/people/test_permissions_matrix.py"
    )


if __name__ == "__main__":  # regenerate docs/roles.md
    sys.path.insert(0, str(ROOT / "tests"))
    DOCS.write_text(expected_docs(), encoding="utf-8")
    print(f"wrote {DOCS}")
