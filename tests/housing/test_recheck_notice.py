"""Issue 13, point 8, written from the rules (rules-2026.3.toml: [recheck] and
terms.notice_days = 5): before an offer the facts that change are re-checked, with reason
codes; the provisional list is publicly noticed (公示) for 5 working days; objections are
recorded and decided; then the round is released. Every expected outcome is worked out by hand.

The world (conftest): T1 王芳 C, a parent of 68 (3 points); T4 刘洋 A; T5 陈静 C, a child under
18 (5 points); T7 林晓燕 D. Everyone below asks for a two-bedroom only, household 2 (the kind
is for 2 to 4): the master order is T4 (tier A), T5 (C, 5 points), T1 (C, 3), T7 (D). The two
two-bedrooms go out in the order ZSC1/2/801, 802: T4 gets 801, T5 802; T1 and T7 wait.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from talentdesk.assets import resource
from talentdesk.errors import ValidationError
from talentdesk.housing.letters import release_letters
from talentdesk.housing.models import Application, Offer, Result, Unit, Withdrawal
from talentdesk.housing.notice import (
    decide_objection,
    declare_facts,
    lodge_objection,
    notice_round,
    recheck_round,
    withdrawals_of,
    write_provisional_list,
)
from talentdesk.housing.results import explain_application
from talentdesk.housing.rules import parse_rules
from talentdesk.housing.states import RoundState, load_round, wizard_steps
from talentdesk.letters.models import IssuedLetter
from talentdesk.talents.identity import usci_check_char
from talentdesk.talents.models import Talent
from talentdesk.talents.service import create_employer

from .conftest import TODAY, Housing

RULES_2026_3 = resource("housing", "rules-2026.3.toml")
#: run before the National Day holidays of 2026 (1 to 7 October; Saturday 10 October worked)
RUN_ON = date(2026, 9, 28)
NOTICED_ON = date(2026, 9, 29)
#: 5 working days from the day after 29 September: 30 Sep, 8, 9, 10 (a Saturday worked), 12 Oct
NOTICE_ENDS = date(2026, 10, 12)
FOUR = ("T0000004", "T0000005", "T0000001", "T0000007")


def _credit_code(area: str, body: str) -> str:
    first17 = "91" + area + body
    return first17 + usci_check_char(first17)


def _employ(h: Housing, employers: dict[str, str]) -> dict[str, int]:
    """Register an employer of the zone (Huangpu, 440112) and one of Tianhe (440106); employ
    the talents named (record number → "zone" / "tianhe" / "none")."""
    with h.database.transaction() as session:
        ids = {
            "zone": create_employer(
                session,
                h.clerk,
                "广州科学城测试有限公司",
                "Guangzhou Science City Test Co., Ltd.",
                credit_code=_credit_code("440112", "MA5D12345"),
            ).id,
            "tianhe": create_employer(
                session,
                h.clerk,
                "广州天河测试有限公司",
                "Guangzhou Tianhe Test Co., Ltd.",
                credit_code=_credit_code("440106", "MA5D54321"),
            ).id,
        }
        for record_no, where in employers.items():
            talent = session.scalar(select(Talent).where(Talent.record_no == record_no))
            assert talent is not None
            talent.employer_id = ids.get(where)
    return ids


def _move(h: Housing, record_no: str, employer_id: int | None) -> None:
    """The talent record now names another employer (or none): the talent changed jobs."""
    with h.database.transaction() as session:
        talent = session.scalar(select(Talent).where(Talent.record_no == record_no))
        assert talent is not None
        talent.employer_id = employer_id


def _round(h: Housing, *, rules: str = "2026.3") -> tuple[str, dict[str, str], str]:
    """The round of the four under ``rules``, run on RUN_ON and reviewed: its name, the
    application numbers by record number, the release's confirmation."""
    name = h.open(rules_version=rules)
    numbers = {r: h.apply(name, r, 2, "two_bedroom") for r in FOUR}
    token = h.allocate(name, run_on=RUN_ON)
    return name, numbers, token


def _offers(h: Housing, name: str) -> dict[str, str]:
    """Record number → unit number of the round's offers."""
    with h.database.sessions() as session:
        round_ = load_round(session, name)
        return {
            record_no: unit_no
            for record_no, unit_no in session.execute(
                select(Talent.record_no, Unit.unit_no)
                .join(Offer, Offer.talent_id == Talent.id)
                .join(Unit, Unit.id == Offer.unit_id)
                .where(Offer.round_id == round_.id)
            )
        }


def _notice(h: Housing, name: str) -> None:
    h.run(recheck_round, h.manager, name, today=TODAY, on=RUN_ON)
    h.run(notice_round, h.manager, name, today=TODAY, on=NOTICED_ON)


# --------------------------------------------------------------------------- the rules' text


def test_the_rules_2026_3_set_the_notice_and_the_re_check_codes() -> None:
    rules = parse_rules(RULES_2026_3.read_text(encoding="utf-8"))
    assert rules.terms.notice_days == 5 and rules.recheck.zone_areas == ("440112", "440116")
    for code in ("employment", "home_owned", "household", "objection"):
        assert rules.checks[code].zh and rules.checks[code].en and rules.checks[code].zh_hk
    # the published versions stay as they were: no notice, the codes' texts by default
    published = parse_rules(resource("housing", "rules-2026.2.toml").read_text(encoding="utf-8"))
    assert published.terms.notice_days == 0 and published.recheck.zone_areas == ()
    assert "owns a home" in published.explain("home_owned", {"day": "2026-12-01"}, "en")


def test_bad_re_check_data_is_refused_naming_the_place() -> None:
    text = RULES_2026_3.read_text(encoding="utf-8")
    with pytest.raises(ValidationError, match=r"recheck\.zone_areas"):
        parse_rules(text.replace('zone_areas = ["440112", "440116"]', 'zone_areas = ["4401"]'))
    with pytest.raises(ValidationError, match=r"recheck\.pets"):
        parse_rules(text.replace("[recheck.objection]", "[recheck.pets]"))


# --------------------------------------------------------------------------- the re-check


def test_an_applicant_who_left_the_zone_is_withdrawn_and_the_next_gets_the_unit(
    housing: Housing, tmp_path: Path
) -> None:
    h = housing
    ids = _employ(h, dict.fromkeys(FOUR, "zone"))
    name, numbers, token = _round(h)
    assert _results(h, name) == {"T0000004": "801", "T0000005": "802"}
    _move(h, "T0000005", ids["tianhe"])  # T5 now works for an employer of Tianhe
    done = h.run(recheck_round, h.manager, name, today=TODAY, on=RUN_ON)
    assert [(f.application_no, f.code, f.unit_id is not None) for f in done.failed] == [
        (numbers["T0000005"], "employment", True)
    ]
    with h.database.sessions() as session:
        lines = withdrawals_of(session, h.manager, name)
    assert [(w.application_no, w.code, w.source) for w in lines] == [
        (numbers["T0000005"], "employment", "recheck")
    ]
    assert "no longer employed by an employer in the zone" in lines[0].reason
    with h.database.sessions() as session:
        explained = explain_application(session, h.manager, name, numbers["T0000005"])
    assert explained[-1] == (
        "Withdrawn on 2026-09-28 before the offers (employment): on re-check, the applicant is "
        "no longer employed by an employer in the zone"
    )
    _notice(h, name)
    h.release(name, token, on=date(2026, 10, 13), write_letters=release_letters(tmp_path))
    # 802 goes down the master order to T1, the next who wanted a two-bedroom; T7 still waits
    assert _offers(h, name) == {"T0000004": "801", "T0000001": "802"}
    # T5 is told why, in the not-allocated notice: the rule of the re-check
    with h.database.sessions() as session:
        content = session.scalars(
            select(IssuedLetter.content).where(
                IssuedLetter.kind == "housing_not_allocated",
                IssuedLetter.talent_id == h.talent_id("T0000005"),
            )
        ).one()
    assert "已不在区内用人单位就业" in str(content)


def _results(h: Housing, name: str) -> dict[str, str]:
    """Record number → unit number the run gave."""
    with h.database.sessions() as session:
        round_ = load_round(session, name)
        return dict(
            session.execute(
                select(Talent.record_no, Unit.unit_no)
                .join(Application, Application.talent_id == Talent.id)
                .join(Result, Result.application_id == Application.id)
                .join(Unit, Unit.id == Result.unit_id)
                .where(Result.round_id == round_.id)
            ).all()
        )


def test_a_household_grown_beyond_the_kind_and_a_home_owned_are_withdrawn(
    housing: Housing,
) -> None:
    h = housing
    _employ(h, dict.fromkeys(FOUR, "zone"))
    name, numbers, token = _round(h)
    # T4 (801) now a household of 5: a two-bedroom is for 2 to 4
    h.run(declare_facts, h.clerk, name, numbers["T0000004"], household=5, today=TODAY)
    # T1 (waiting, next for a freed two-bedroom) bought a home: out of the waiting list too
    h.run(
        declare_facts, h.clerk, name, numbers["T0000001"], home_owned=True, today=TODAY,
        on=date(2026, 9, 1),
    )  # fmt: skip
    done = h.run(recheck_round, h.manager, name, today=TODAY, on=RUN_ON)
    got = {f.application_no: (f.code, f.params) for f in done.failed}
    assert got == {
        numbers["T0000004"]: ("household", {"size": 5, "low": 2, "high": 4}),
        numbers["T0000001"]: ("home_owned", {"day": "2026-09-01"}),
    }
    assert done.units_freed == 1
    with h.database.sessions() as session:
        reasons = {w.application_no: w.reason for w in withdrawals_of(session, h.manager, name)}
    assert "the household is now 5" in reasons[numbers["T0000004"]]
    assert "recorded 2026-09-01" in reasons[numbers["T0000001"]]
    # the re-check done again (T1's purchase was a mistake, corrected) replaces the first
    h.run(declare_facts, h.clerk, name, numbers["T0000001"], home_owned=False, today=TODAY)
    _move(h, "T0000007", None)  # T7 no longer employed at all
    done = h.run(recheck_round, h.manager, name, today=TODAY, on=RUN_ON)
    assert {f.application_no: f.code for f in done.failed} == {
        numbers["T0000004"]: "household",
        numbers["T0000007"]: "employment",
    }
    _notice(h, name)
    h.release(name, token, on=date(2026, 10, 13))
    # 801 freed by T4 goes to T1 (next in the master order); T5 keeps 802
    assert _offers(h, name) == {"T0000005": "802", "T0000001": "801"}


def test_under_rules_without_a_notice_a_reviewed_round_is_released_directly(
    housing: Housing,
) -> None:
    h = housing
    _employ(h, dict.fromkeys(FOUR, "zone"))
    name, _numbers, token = _round(h, rules="2026.2")
    with pytest.raises(ValidationError, match="set no public notice"):
        h.run(notice_round, h.manager, name, today=TODAY, on=NOTICED_ON)
    with h.database.sessions() as session:
        codes = [s.code for s in wizard_steps(load_round(session, name))]
    assert codes == ["freeze", "seed", "run", "review", "release"]
    h.release(name, token, on=NOTICED_ON)
    assert _offers(h, name) == {"T0000004": "801", "T0000005": "802"}


# --------------------------------------------------------------------------- the public notice


def test_release_is_refused_before_the_notice_ends_counted_over_the_holidays(
    housing: Housing,
) -> None:
    h = housing
    _employ(h, dict.fromkeys(FOUR, "zone"))
    name, _numbers, token = _round(h)
    with pytest.raises(ValidationError, match="notice the provisional list"):
        h.release(name, token, on=date(2026, 10, 13))
    with pytest.raises(ValidationError, match="re-check round"):
        h.run(notice_round, h.manager, name, today=TODAY, on=NOTICED_ON)
    _notice(h, name)
    with h.database.sessions() as session:
        round_ = load_round(session, name)
        assert (round_.state, round_.noticed_on, round_.notice_ends) == (
            RoundState.NOTICED,
            NOTICED_ON,
            NOTICE_ENDS,
        )
        steps = {s.code: (s.done, s.allowed) for s in wizard_steps(round_, notice=True)}
    assert steps["recheck"] == (True, False) and steps["notice"] == (True, False)
    assert steps["release"] == (False, True)
    with pytest.raises(ValidationError) as refused:
        h.release(name, token, on=NOTICE_ENDS)
    assert "runs until 2026-10-12" in str(refused.value)
    h.release(name, token, on=date(2026, 10, 13))
    assert len(_offers(h, name)) == 2


def test_an_objection_upheld_withdraws_and_release_waits_for_every_decision(
    housing: Housing, tmp_path: Path
) -> None:
    h = housing
    _employ(h, dict.fromkeys(FOUR, "zone"))
    name, numbers, token = _round(h)
    _notice(h, name)
    # not on the provisional list: T7 was not allocated
    with pytest.raises(ValidationError, match="not on the provisional list"):
        h.run(
            lodge_objection, h.clerk, name, numbers["T0000007"], "某市民", "…", today=TODAY,
            on=NOTICED_ON,
        )  # fmt: skip
    first = h.run(
        lodge_objection, h.clerk, name, numbers["T0000005"], "匿名来信",
        "陈静家庭在萝岗区已有房产", today=TODAY, on=date(2026, 9, 30),
    )  # fmt: skip
    second = h.run(
        lodge_objection, h.clerk, name, numbers["T0000004"], "李某", "刘洋已离职",
        today=TODAY, on=date(2026, 10, 8),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="ended on 2026-10-12"):
        h.run(
            lodge_objection, h.clerk, name, numbers["T0000004"], "李某", "…", today=TODAY,
            on=date(2026, 10, 13),
        )  # fmt: skip
    h.run(
        decide_objection, h.manager, first.id, upheld=True, code="home_owned",
        decision="经不动产登记核查属实", today=TODAY, on=date(2026, 10, 9),
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        h.release(name, token, on=date(2026, 10, 13))
    assert f"objections {second.id} " in str(refused.value)
    h.run(
        decide_objection, h.manager, second.id, upheld=False, decision="经核查仍在职",
        today=TODAY, on=date(2026, 10, 9),
    )  # fmt: skip
    # the provisional list as published, without the result withdrawn, the name masked
    out = tmp_path / "公示名单.csv"
    assert h.run(write_provisional_list, h.manager, name, out) == 1
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[1][1] == numbers["T0000004"] and rows[1][2] == "刘＊"
    h.release(name, token, on=date(2026, 10, 13))
    # T5's 802 goes to T1, the next in the master order
    assert _offers(h, name) == {"T0000004": "801", "T0000001": "802"}
    with h.database.sessions() as session:
        withdrawal = session.scalar(select(Withdrawal))
        assert withdrawal is not None
        assert (withdrawal.source, withdrawal.code, withdrawal.objection_id) == (
            "objection",
            "home_owned",
            first.id,
        )


# --------------------------------------------------------------------------- the dates


def test_every_step_dated_out_of_order_or_in_the_future_is_refused_naming_both(
    housing: Housing,
) -> None:
    h = housing
    _employ(h, dict.fromkeys(FOUR, "zone"))
    name, numbers, _token = _round(h)
    with pytest.raises(ValidationError) as refused:
        h.run(recheck_round, h.manager, name, today=TODAY, on=date(2026, 9, 27))
    assert "2026-09-27" in str(refused.value) and "2026-09-28" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        h.run(recheck_round, h.manager, name, today=TODAY, on=date(2026, 11, 26))
    assert "2026-11-26" in str(refused.value) and "2026-11-25" in str(refused.value)
    h.run(recheck_round, h.manager, name, today=TODAY, on=date(2026, 9, 29))
    with pytest.raises(ValidationError) as refused:
        h.run(notice_round, h.manager, name, today=TODAY, on=RUN_ON)
    assert "2026-09-28" in str(refused.value) and "2026-09-29" in str(refused.value)
    h.run(notice_round, h.manager, name, today=TODAY, on=date(2026, 9, 29))
    with pytest.raises(ValidationError) as refused:
        h.run(
            lodge_objection, h.clerk, name, numbers["T0000004"], "李某", "…", today=TODAY,
            on=RUN_ON,
        )  # fmt: skip
    assert "2026-09-28" in str(refused.value) and "2026-09-29" in str(refused.value)
    objection = h.run(
        lodge_objection, h.clerk, name, numbers["T0000004"], "李某", "…", today=TODAY,
        on=date(2026, 10, 9),
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        h.run(
            decide_objection, h.manager, objection.id, upheld=False, decision="…",
            today=TODAY, on=date(2026, 10, 8),
        )  # fmt: skip
    assert "2026-10-08" in str(refused.value) and "2026-10-09" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        h.run(
            declare_facts, h.clerk, name, numbers["T0000004"], household=3, today=TODAY,
            on=date(2026, 12, 1),
        )  # fmt: skip
    assert "2026-12-01" in str(refused.value) and "2026-11-25" in str(refused.value)


# --------------------------------------------------------------------------- the command line


def test_the_re_check_and_the_notice_on_the_command_line(
    housing: Housing, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from talentdesk.cli import main

    from signing import db_arg, sign_in_cli

    h = housing
    _employ(h, dict.fromkeys(FOUR, "zone"))
    name = h.open(rules_version="2026.3")
    numbers = {r: h.apply(name, r, 2, "two_bedroom") for r in FOUR}
    token = h.allocate(name, run_on=date.today())  # the command line's clock is the system's
    sign_in_cli(h.database)
    db = db_arg(h.database)

    def run(*args: str, code: int = 0) -> str:
        assert main(["--lang", "en", "housing", *args, "--db", db]) == code, capsys.readouterr()
        captured = capsys.readouterr()
        return captured.out + captured.err

    out = run("declare", numbers["T0000004"], "--round", name, "--household", "5")
    assert "household now 5" in out
    out = run("recheck", "--round", name)
    assert "1 results withdrawn, 1 of them with a unit" in out
    assert f"{numbers['T0000004']}\thousehold\t" in out and "the household is now 5" in out
    assert "the household is now 5" in run("withdrawals", "--round", name)
    out = run("notice", "--round", name)
    ends = date.fromisoformat(out.split(" to ")[1][:10])
    assert "publicly noticed from" in out and ends > date.today()
    listed = tmp_path / "公示.csv"  # as published: T5 alone (T4 was withdrawn on re-check)
    assert "1 rows written" in run("provisional-list", "--round", name, "--out", str(listed))
    out = run(
        "object", numbers["T0000005"], "--round", name, "--objector", "李某", "--grounds", "已购房"
    )
    assert "Objection 1 recorded" in out
    assert "李某" in run("objections", "--round", name)
    letters = tmp_path / "letters"
    out = run("release", "--round", name, "--confirm", token, "--letters", str(letters), code=1)
    assert f"runs until {ends.isoformat()}" in out
    out = run("decide-objection", "1", "--uphold", "--code", "home_owned", "--decision", "属实")
    assert "Objection 1 upheld" in out
    # the list as it stands now: T4 out on re-check, T5 on the objection
    listed = tmp_path / "list.csv"
    assert "0 rows written" in run("provisional-list", "--round", name, "--out", str(listed))
    with pytest.raises(SystemExit):
        main(["--lang", "en", "housing", "decide-objection", "--help"])
    help_text = capsys.readouterr().out
    assert "--uphold" in help_text and "--code" in help_text and "home_owned" in help_text
