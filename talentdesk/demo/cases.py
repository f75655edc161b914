"""A believable year of service cases for the demo, and many cases for benchmarks.

Each case is played through the lifecycle the services enforce (intake, corrections, review,
extension, approval on a commitment, verification, completion with a rating, refusals and
returns) with made-up but plausible timing, stopping at the demo's "today": so the database
holds cases in every state, some overdue, some paused, some with a commitment to verify.

The steps are written with bulk inserts (the services would take half a minute for a year),
but every derived value comes from the functions the services use: deadlines from
:func:`~talentdesk.cases.deadlines.compute` over the same calendar, working days taken from
:func:`~talentdesk.cases.deadlines.net_working_days`, case numbers from the yearly counters.
Deterministic for a seed (``random.Random``).
"""

from __future__ import annotations

import math
import random
from collections import Counter as Tally
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from talentdesk.cases.calendar import WorkingCalendar
from talentdesk.cases.calendar_store import load_calendar
from talentdesk.cases.catalogue import CaseTypeSpec, current_types
from talentdesk.cases.deadlines import (
    Clock,
    Pause,
    compute,
    due_date,
    net_working_days,
    paused_days,
)
from talentdesk.cases.lifecycle import Action, State
from talentdesk.cases.models import (
    CaseDocument,
    CaseEvent,
    CasePause,
    Commitment,
    DepartmentMember,
    ServiceCase,
)
from talentdesk.cases.service import (
    commitment_limit,
    deadline_values,
    ensure_reference_data,
    format_case_no,
)
from talentdesk.db.base import utcnow
from talentdesk.db.numbering import next_number
from talentdesk.people.models import User
from talentdesk.people.service import ensure_user, record_audit
from talentdesk.talents.models import Talent

#: a year of a one-stop centre's cases
DEMO_CASES = 4200
CHUNK = 5000

#: the centre's staff: (user name, display name); officers work one department each
CLERKS = [
    ("clerk01", "窗口1 陈静"),
    ("clerk02", "窗口2 黄伟"),
    ("clerk03", "窗口3 林晓燕"),
    ("clerk04", "窗口4 何志强"),
    ("clerk05", "窗口5 梁嘉欣"),
    ("clerk06", "窗口6 罗文"),
]
OFFICER_NAMES = [
    "刘洋",
    "郑丽",
    "谢军",
    "冯敏",
    "邓超",
    "曹雪",
    "彭磊",
    "潘婷",
    "袁帅",
    "蒋琳",
    "蔡勇",
]
MANAGERS = [("manager01", "科长 吴建华"), ("manager02", "副科长 许明")]

#: (type, weight) for talents of Chinese nationality (mainland, Hong Kong, Macao, Taiwan) ...
DOMESTIC_TYPES = {
    "hukou_talent": 20,
    "school_place": 16,
    "talent_housing": 12,
    "entrepreneurship_subsidy": 10,
    "talent_green_card": 10,
    "medical_green_channel": 8,
    "elderly_care": 6,
    "professional_title": 6,
    "ip_fast_track": 5,
}
#: ... and for foreign nationals
FOREIGN_TYPES = {
    "residence_permit": 15,
    "work_permit_new": 12,
    "work_permit_change": 10,
    "joint_permit": 6,
    "social_insurance_foreign": 6,
    "work_permit_short": 5,
    "talent_visa_invitation": 4,
    "work_permit_new_a": 3,
    "permanent_residence": 3,
    "school_place": 4,
    "medical_green_channel": 3,
}
_CHINESE_NATIONALITIES = ("CHN", "HKG", "MAC", "TWN")
#: only mainland Chinese may settle their household registration
_MAINLAND_ONLY = {"hukou_talent"}

CORRECTIONS = [
    "劳动合同缺少用人单位盖章页",
    "学位证书须附经公证的中文译文",
    "照片不符合证件照规格",
    "社会保险缴费记录不足六个月",
    "无犯罪记录证明认证已过期",
    "申请表未由本人签名",
]
REFUSALS = [
    (
        "申请事项不属于本中心受理范围",
        "《中华人民共和国行政许可法》第三十二条",
    ),
    (
        "申请人不符合人才认定条件",
        "《广州市黄埔区人才认定办法》第五条",
    ),
]
RETURNS = [
    "申请人逾期未补正材料",
    "申请人主动撤回申请",
    "经审核不符合办理条件",
]
EXTENSIONS = [
    "需征求公安机关意见",
    "需现场核查用人单位",
]
FALSE_COMMITMENTS = ["核查发现学历信息与承诺不符"]


@dataclass
class Staff:
    clerks: list[int]
    officers: dict[str, list[int]]
    managers: list[int]


def ensure_staff(session: Session, departments: Sequence[str], actor: User) -> Staff:
    """The demo centre's clerks, officers (two per department) and managers, entered by
    ``actor`` (they have no password: the demo's accounts that sign in get one later)."""
    clerks = [
        ensure_user(session, u, display_name=n, role="clerk", actor=actor).id for u, n in CLERKS
    ]
    managers = [
        ensure_user(session, u, display_name=n, role="manager", actor=actor).id for u, n in MANAGERS
    ]
    officers: dict[str, list[int]] = {}
    have = set(session.execute(select(DepartmentMember.department_code, DepartmentMember.user_id)))
    rows = []
    for index, department in enumerate(sorted(departments)):
        officers[department] = []
        for seat in range(2):
            name = OFFICER_NAMES[(index * 2 + seat) % len(OFFICER_NAMES)]
            user = ensure_user(
                session,
                f"officer{index + 1:02d}{seat + 1}",
                display_name=f"{name}{seat + 1}",
                role="officer",
                actor=actor,
            )
            officers[department].append(user.id)
            if (department, user.id) not in have:
                rows.append({"department_code": department, "user_id": user.id})
    if rows:
        session.execute(insert(DepartmentMember), rows)
    return Staff(clerks, officers, managers)


# --------------------------------------------------------------------------- one case

_ENDED = (State.REFUSED, State.RETURNED, State.COMPLETED, State.REVOKED, State.WITHDRAWN)


@dataclass
class _Case:
    """A case being played through; it becomes rows."""

    spec: CaseTypeSpec
    talent_id: int
    owner: int
    officer: int
    submitted_on: date
    state: State = State.SUBMITTED
    accepted_on: date | None = None
    officer_id: int | None = None
    documents: dict[str, str] = field(default_factory=dict)
    #: [paused on, resumed on or None]
    pauses: list[list[date | None]] = field(default_factory=list)
    #: the kind of each pause: "correction", or the type's stop (expert_review, ...)
    pause_kinds: list[str] = field(default_factory=list)
    #: while waiting for corrections: the day they are due by
    correction_due: date | None = None
    paused_from: State | None = None
    commitments: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    extension: int = 0
    closed_on: date | None = None
    working_days_taken: int | None = None
    rating: int | None = None
    #: the day the documents promised at acceptance come in
    documents_in_on: date | None = None

    def clock_pauses(self) -> tuple[Pause, ...]:
        return tuple(Pause(p[0], p[1]) for p in self.pauses)  # type: ignore[arg-type]


class _Player:
    """Plays cases through the lifecycle with one random stream, stopping at ``today``."""

    def __init__(
        self, rng: random.Random, calendar: WorkingCalendar, staff: Staff, today: date
    ) -> None:
        self.rng = rng
        self.calendar = calendar
        self.staff = staff
        self.today = today

    def later(self, day: date, working_days: int) -> date:
        return self.calendar.add_working_days(day, working_days)

    def step(
        self,
        case: _Case,
        day: date,
        actor: int,
        action: Action,
        to: State,
        reason: str = "",
        data: dict[str, Any] | None = None,
    ) -> bool:
        """Record a step if it happens by today; False (and nothing) when it is still ahead."""
        if day > self.today:
            return False
        self._documents_in(case, day)
        case.events.append(
            {
                "day": day,
                "actor_id": actor,
                "action": str(action),
                "from_state": None if action is Action.OPEN else str(case.state),
                "to_state": str(to),
                "reason": reason,
                "data": data,
            }
        )
        case.state = to
        if to in _ENDED:
            case.closed_on = case.closed_on or day
        return True

    def _documents_in(self, case: _Case, before: date) -> None:
        """The documents promised at acceptance arrive: recorded before any later step."""
        due = case.documents_in_on
        if due is None or due > before:
            return
        case.documents_in_on = None
        [commitment] = [c for c in case.commitments if c["kind"] == "acceptance"]
        commitment.update(state="fulfilled", verified_on=due, verified_by=case.officer)
        for code, state in case.documents.items():
            if state == "commitment":
                case.documents[code] = "received"
        self.step(
            case,
            due,
            case.officer,
            Action.VERIFY,
            case.state,
            data={"kind": "acceptance", "fulfilled": True},
        )

    def pause(self, case: _Case, day: date, actor: int, length: int) -> date | None:
        """Ask for corrections on ``day``; the day they come, or None while still waiting."""
        before = case.state
        if not self.step(
            case,
            day,
            actor,
            Action.REQUEST_CORRECTION,
            State.CORRECTION_REQUESTED,
            self.rng.choice(CORRECTIONS),
        ):
            return None
        case.paused_from = before
        case.pauses.append([day, None])
        case.pause_kinds.append("correction")
        limit = case.spec.correction_due
        case.correction_due = due_date(self.calendar, day, limit.days, limit.unit)
        if self.rng.random() < 0.08:
            # they never come: a clerk confirms it a few working days after the deadline
            gone = self.later(case.correction_due, self.rng.randint(1, 5))
            if self.step(
                case,
                gone,
                actor,
                Action.WITHDRAW,
                State.WITHDRAWN,
                data={"correction_due": case.correction_due.isoformat()},
            ):
                case.pauses[-1][1] = gone
                case.paused_from = case.correction_due = None
            return None
        back = self.later(day, length)
        if not self.step(case, back, actor, Action.RESUME, before):
            return None
        case.pauses[-1][1] = back
        case.paused_from = case.correction_due = None
        return back

    def stop(self, case: _Case, day: date, actor: int) -> date | None:
        """A stop of the type (expert review ...) on ``day``; the day it ends, or None."""
        stop = self.rng.choice(case.spec.stops)
        before = case.state
        if not self.step(case, day, actor, Action.STOP, State.STOPPED, data={"stop": stop.code}):
            return None
        case.paused_from = before
        case.pauses.append([day, None])
        case.pause_kinds.append(stop.code)
        back = self.later(day, self.rng.randint(5, 20))
        if not self.step(case, back, actor, Action.END_STOP, before, data={"stop": stop.code}):
            return None
        case.pauses[-1][1] = back
        case.paused_from = None
        return back

    def play(self, case: _Case) -> None:
        rng, spec, clerk = self.rng, case.spec, case.owner
        case.documents = {d.code: "missing" for d in spec.documents}
        self.step(case, case.submitted_on, clerk, Action.OPEN, State.SUBMITTED)
        day = case.submitted_on
        draw = rng.random()
        if draw < 0.03:
            reason, basis = rng.choice(REFUSALS)
            later = self.later(day, rng.randint(0, 2))
            self.step(
                case, later, clerk, Action.REFUSE, State.REFUSED, reason, {"legal_basis": basis}
            )
            return
        if draw < 0.05 and (self.today - day).days < 40:
            # left undecided at intake: accepted by law once the intake limit ran out
            return
        if draw < 0.13:
            back = self.pause(case, day, clerk, rng.randint(2, 8))
            if back is None:
                return
            day = back
        if self.accept(case, self.later(day, rng.choice((0, 0, 0, 0, 0, 0, 1, 1, 2)))):
            self.work(case)
        self._documents_in(case, self.today)

    def accept(self, case: _Case, day: date) -> bool:
        rng, spec = self.rng, case.spec
        if day > self.today:
            return False
        covered = [d for d in spec.documents if d.commitment]
        for code in case.documents:
            case.documents[code] = "received"
        if covered and rng.random() < 0.15:
            document = rng.choice(covered)
            case.documents[document.code] = "commitment"
            case.commitments.append(self.commitment(spec, "acceptance", day, [document.names()]))
            case.documents_in_on = self.later(day, rng.randint(2, 9))
        case.accepted_on = day
        self.step(
            case,
            day,
            case.owner,
            Action.ACCEPT,
            State.ACCEPTED,
            data={"commitment": bool(case.commitments)},
        )
        if spec.on_the_spot:
            self.complete(case, day, case.owner)
            return False
        return True

    def work(self, case: _Case) -> None:
        """The back office: review, maybe corrections and an extension, decision, completion."""
        rng, spec, officer = self.rng, case.spec, case.officer
        assert case.accepted_on is not None
        day = self.later(case.accepted_on, rng.choice((0, 0, 1, 1, 2)))
        if not self.step(case, day, officer, Action.START_REVIEW, State.IN_REVIEW):
            return
        case.officer_id = officer
        if spec.may_pause and rng.random() < 0.12:
            back = self.pause(case, self.later(day, rng.randint(1, 4)), officer, rng.randint(2, 12))
            if back is None:
                return
            day = back
        if spec.stops and rng.random() < 0.25:
            back = self.stop(case, self.later(day, rng.randint(1, 4)), officer)
            if back is None:
                return
            day = back
        if spec.max_extension and rng.random() < 0.06:
            days = rng.choice(sorted({5, spec.max_extension}))
            manager = rng.choice(self.staff.managers)
            when = self.later(day, rng.randint(1, 3))
            if not self.step(
                case,
                when,
                manager,
                Action.EXTEND,
                State.IN_REVIEW,
                rng.choice(EXTENSIONS),
                {"days": days},
            ):
                return
            case.extension = days
        decided = max(day, self.decision_day(case))
        if rng.random() < 0.03:
            self.step(case, decided, officer, Action.RETURN, State.RETURNED, rng.choice(RETURNS))
            return
        on_commitment = spec.commitment_approval and rng.random() < 0.25
        if not self.step(case, decided, officer, Action.APPROVE, State.APPROVED):
            return
        if on_commitment:
            case.commitments.append(self.commitment(spec, "approval", decided, [DEGREE_COMMITMENT]))
        # the result is collected at the window, mostly the day it is decided
        done = self.later(decided, rng.choice((0, 0, 0, 1, 2, 4)))
        if self.complete(case, done, case.owner) and on_commitment:
            self.verify_approval(case)

    def decision_day(self, case: _Case) -> date:
        """When the officer decides: mostly well within the promise, some late, a few very late."""
        rng, spec = self.rng, case.spec
        basis = spec.promised or spec.legal
        assert case.accepted_on is not None
        if basis is None:
            return self.later(case.accepted_on, rng.randint(10, 40))
        draw = rng.random()
        if draw < 0.82:
            share = rng.uniform(0.25, 0.85)
        elif draw < 0.95 or spec.legal is None:
            share = rng.uniform(1.0, 1.6)
        else:
            share = rng.uniform(1.0, 1.3) * spec.legal.days / max(basis.days, 1)
        days = max(1, math.ceil(share * basis.days))
        paused = paused_days(self.calendar, case.clock_pauses(), basis.unit, case.accepted_on)
        return due_date(self.calendar, case.accepted_on, days + paused, basis.unit)

    def commitment(
        self, spec: CaseTypeSpec, kind: str, day: date, items: list[dict[str, str]]
    ) -> dict[str, Any]:
        limit = commitment_limit(spec, kind)
        return {
            "kind": kind,
            "items": items,
            "signed_on": day,
            "due_on": due_date(self.calendar, day, limit.days, limit.unit),
            "state": "pending",
            "verified_on": None,
            "verified_by": None,
            "note": "",
        }

    def verify_approval(self, case: _Case) -> None:
        """Verified near its deadline; a few commitments prove false and the approval goes."""
        commitment = case.commitments[-1]
        day = max(
            commitment["signed_on"], commitment["due_on"] - timedelta(self.rng.randint(0, 12))
        )
        if day > self.today:
            return
        kept = self.rng.random() >= 0.07
        reason = "" if kept else self.rng.choice(FALSE_COMMITMENTS)
        action, to = (Action.VERIFY, case.state) if kept else (Action.REVOKE, State.REVOKED)
        self.step(
            case, day, case.officer, action, to, reason, {"kind": "approval", "fulfilled": kept}
        )
        commitment.update(
            state="fulfilled" if kept else "false",
            verified_on=day,
            verified_by=case.officer,
            note=reason,
        )

    def complete(self, case: _Case, day: date, actor: int) -> bool:
        if day > self.today:
            return False
        assert case.accepted_on is not None
        case.rating = self.rng.choices((5, 4, 3, 2, 1, None), weights=(62, 20, 5, 2, 1, 10))[0]
        case.working_days_taken = net_working_days(
            self.calendar, case.accepted_on, day, case.clock_pauses()
        )
        return self.step(
            case,
            day,
            actor,
            Action.COMPLETE,
            State.COMPLETED,
            data={"outcome": "", "rating": case.rating},
        )


DEGREE_COMMITMENT = {
    "zh": "本人提交的学历学位信息真实有效",
    "zh_hk": "本人提交的學歷學位信息真實有效",
    "en": "The degree details I have given are true",
}


# --------------------------------------------------------------------------- rows


def _case_row(case: _Case, case_no: str, calendar: WorkingCalendar, now: Any) -> dict[str, Any]:
    """The cases row the services would have left: deadlines as refresh_deadlines computes."""
    spec = case.spec
    pending = [c for c in case.commitments if c["state"] == "pending"]
    clock = Clock(
        submitted_on=case.submitted_on,
        accepted_on=case.accepted_on,
        legal=spec.legal,
        promised=spec.promised,
        extension=case.extension,
        pauses=case.clock_pauses(),
        commitments=tuple((c["signed_on"], commitment_limit(spec, c["kind"])) for c in pending),
    )
    deadlines = compute(calendar, clock)
    for commitment, due in zip(pending, deadlines.verification_dues, strict=True):
        commitment["due_on"] = due
    first = compute(calendar, Clock(case.submitted_on, case.accepted_on, spec.legal, spec.promised))
    paused_since = case.pauses[-1][0] if case.pauses and case.pauses[-1][1] is None else None
    return {
        "case_no": case_no,
        "talent_id": case.talent_id,
        "type_code": spec.code,
        "type_version_id": spec.id,
        "state": str(case.state),
        "note": "",
        "owner_id": case.owner,
        "department": spec.department,
        "officer_id": case.officer_id,
        "submitted_on": case.submitted_on,
        "accepted_on": case.accepted_on,
        **deadline_values(deadlines, first),
        "paused_since": paused_since,
        "correction_due": case.correction_due,
        "paused_from": str(case.paused_from) if paused_since else None,
        "extension_days": case.extension,
        "closed_on": case.closed_on,
        "working_days_taken": case.working_days_taken,
        "rating": case.rating,
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }


def _insert(session: Session, cases: list[_Case], calendar: WorkingCalendar, device: str) -> None:
    """Number the cases by year in order of submission and write them with all their rows."""
    cases.sort(key=lambda c: c.submitted_on)
    by_year = Tally(c.submitted_on.year for c in cases)
    first = {
        year: next_number(session, f"case:{device}:{year}", count)
        for year, count in by_year.items()
    }
    taken: Tally[int] = Tally()
    now = utcnow()
    for start in range(0, len(cases), CHUNK):
        chunk = cases[start : start + CHUNK]
        rows = []
        for case in chunk:
            year = case.submitted_on.year
            number = first[year] + taken[year]
            taken[year] += 1
            rows.append(_case_row(case, format_case_no(year, number, device), calendar, now))
        session.execute(insert(ServiceCase.__table__), rows)
        numbers = [r["case_no"] for r in rows]
        ids = {
            case_no: case_id
            for case_no, case_id in session.execute(
                select(ServiceCase.case_no, ServiceCase.id).where(ServiceCase.case_no.in_(numbers))
            )
        }
        documents, pauses, commitments, events = [], [], [], []
        for case, row in zip(chunk, rows, strict=True):
            case_id = ids[row["case_no"]]
            documents += [
                {"case_id": case_id, "position": i, "code": code, "state": state, "note": ""}
                for i, (code, state) in enumerate(case.documents.items())
            ]
            pauses += [
                {"case_id": case_id, "paused_on": p[0], "resumed_on": p[1], "kind": kind}
                for p, kind in zip(case.pauses, case.pause_kinds, strict=True)
            ]
            commitments += [{"case_id": case_id, **c} for c in case.commitments]
            events += [
                {"case_id": case_id, "at": now, **e, "data": _json(e.get("data"))}
                for e in case.events
            ]
        for model, values in (
            (CaseDocument, documents),
            (CasePause, pauses),
            (Commitment, commitments),
            (CaseEvent, events),
        ):
            if values:
                # Core on the table: the ORM's bulk path inserts these one row at a time
                session.execute(insert(model.__table__), values)


def _json(data: dict[str, Any] | None) -> dict[str, Any] | None:
    if data is None:
        return None
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in data.items()}


# --------------------------------------------------------------------------- entry points


def _pick_type(
    rng: random.Random, nationality: str, types: dict[str, CaseTypeSpec]
) -> CaseTypeSpec:
    weights = DOMESTIC_TYPES if nationality in _CHINESE_NATIONALITIES else FOREIGN_TYPES
    codes = [c for c in weights if c in types and (c not in _MAINLAND_ONLY or nationality == "CHN")]
    return types[rng.choices(codes, weights=[weights[c] for c in codes])[0]]


def add_cases(
    session: Session,
    actor: User,
    count: int,
    *,
    first_day: date,
    today: date,
    seed: int,
    device: str = "",
) -> Tally[str]:
    """Add ``count`` cases submitted on working days from ``first_day`` to ``today``, played
    through to ``today``; one audit event for the batch. The count of cases by state."""
    ensure_reference_data(session)
    rng = random.Random(seed)
    calendar = load_calendar(session)
    types = current_types(session)
    staff = ensure_staff(session, sorted({t.department for t in types.values()}), actor)
    talents = list(session.execute(select(Talent.id, Talent.nationality).order_by(Talent.id)))
    foreign = [t for t in talents if t.nationality not in _CHINESE_NATIONALITIES]
    chinese = [t for t in talents if t.nationality in _CHINESE_NATIONALITIES]
    days = []
    day = first_day
    while day <= today:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    player = _Player(rng, calendar, staff, today)
    cases = []
    for _i in range(count):
        pool = foreign if foreign and (not chinese or rng.random() < 0.3) else chinese
        talent = rng.choice(pool)
        spec = _pick_type(rng, talent.nationality, types)
        case = _Case(
            spec=spec,
            talent_id=talent.id,
            owner=rng.choice(staff.clerks),
            officer=rng.choice(staff.officers[spec.department]),
            submitted_on=rng.choice(days),
        )
        player.play(case)
        cases.append(case)
    _insert(session, cases, calendar, device)
    record_audit(
        session,
        actor,
        "case.generate",
        "case",
        None,
        after={"count": count, "seed": seed, "from": first_day, "to": today},
    )
    return Tally(str(c.state) for c in cases)


def demo_cases(session: Session, actor: User, *, today: date, seed: int) -> Tally[str]:
    """The demo's year of cases, up to ``today``."""
    return add_cases(
        session, actor, DEMO_CASES, first_day=today - timedelta(days=365), today=today, seed=seed
    )
