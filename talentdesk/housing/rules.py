"""The allocation rules: a versioned TOML text (resources/housing/rules-*.toml) read into plain
data, and the checks, points and reserved shares it defines, evaluated on plain facts.

The text is the authority: it is stored in the database word for word (with its SHA-256) and a
round names the version it runs under, so a round re-run later reads exactly the same rules.
Explanations are bilingual in the text itself, as the centre publishes them.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from functools import lru_cache
from typing import Any, Protocol

from talentdesk.errors import ValidationError
from talentdesk.i18n import N_
from talentdesk.letters.kinds import Bilingual

#: the code of the share every applicant may draw from
OPEN_SHARE = "open"
#: applicant-level checks, and checks of one kind of home, the rules must explain
APPLICANT_CHECKS = ("suspended",)
TYPE_CHECKS = ("household_size", "tier", "elderly_parent", "accessibility")
#: what a kind of home may need beyond household size and tier
NEEDS = ("elderly_parent", "accessibility")
#: the facts the points formula may count
POINT_FACTS = (
    "insurance_months",
    "recognitions",
    "children_under_18",
    "parents_60_plus",
    "household_size",
)


class Facts(Protocol):
    """What the rules read about an application (see allocation.Applicant)."""

    tier: str
    household_size: int
    age: int | None
    insurance_months: int
    recognitions: int
    children_under_18: int
    parents_60_plus: int
    accessibility: bool
    suspended_until: date | None
    group: str


@dataclass(frozen=True)
class TypeRule:
    """Who may receive one kind of home."""

    code: str
    low: int
    high: int
    tiers: frozenset[str] | None = None
    needs: tuple[str, ...] = ()


@dataclass(frozen=True)
class PointsTerm:
    fact: str
    per: int
    max: int


@dataclass(frozen=True)
class Group:
    code: str
    name: Bilingual
    tiers: frozenset[str] | None = None
    max_age: int | None = None


@dataclass(frozen=True)
class Share:
    """Units of some kinds reserved for a group, as fractions of each kind's units."""

    code: str
    group: str
    name: Bilingual
    reserve: Mapping[str, Fraction] = field(default_factory=dict)


#: the kinds of days the periods of the terms count: working days on the cases' calendar
#: (talentdesk.workdays), or calendar days (a period ending on a rest day ends the next
#: working day)
DAY_KINDS = ("working", "calendar")


@dataclass(frozen=True)
class Terms:
    offer_days: int = 14
    appeal_days: int = 21
    #: what offer_days and appeal_days count: "working" (the default) or "calendar" days
    days: str = "working"
    #: the deposit of a lease, in months of rent
    deposit_months: int = 2
    #: the length of a lease term (and of each renewal)
    lease_years: int = 3
    #: how many times a lease may be renewed; None: the rules set no limit
    lease_renewals: int | None = None
    #: working days (as ``days`` says) the provisional list is publicly noticed (公示) before
    #: the offers go out; 0: no notice, a reviewed round is released directly
    notice_days: int = 0
    #: the results are reviewed by another manager than the one who ran the round (separation
    #: of duties); false: the manager who ran it may review it too. Absent: true, as it always
    #: was before the rules said so
    review_by_another: bool = True


#: what a decline for good reason keeps away from the applicant next time: that very home, or
#: every home of its kind
GOOD_REASON_EXCLUDES = ("unit", "kind")
#: where a decline without good reason (or a lapse) puts the applicant in the next round: the
#: same place, after everyone else, or out of the next ``out_rounds`` rounds
WITHOUT_REASON = ("keep", "end", "out")


@dataclass(frozen=True)
class DeclineRule:
    """How the next round treats an applicant who declined an offer (or let it lapse). The home
    declined is never offered to them again, whatever the rule."""

    good_reason: str = "unit"
    without_reason: str = "keep"
    out_rounds: int = 0


#: explanations of the checks a version of the rules may leave out (older versions did)
DEFAULT_CHECKS = {
    "declined": Bilingual(
        zh="您曾放弃该房型的房源，不再向您配租",
        en="you declined this kind of home (or every unit of it left) in an earlier round",
        zh_hk="您曾放棄該房型的房源，不再向您配租",
    ),
    "sits_out": Bilingual(
        zh="无正当理由放弃配租，本轮不参加配租",
        en="out of this round after declining an offer without good reason",
        zh_hk="無正當理由放棄配租，本輪不參加配租",
    ),
}


#: the codes of the re-check before the offers (the facts that change after the run), and of
#: an objection to the public notice upheld; their explanations, for versions that leave them
#: out (a version states its own in [recheck.CODE])
RECHECK_CODES = ("employment", "home_owned", "household", "objection")
DEFAULT_RECHECK = {
    "employment": Bilingual(
        zh="经复核，申请人已不在区内用人单位就业",
        en="on re-check, the applicant is no longer employed by an employer in the zone",
        zh_hk="經複核，申請人已不在區內用人單位就業",
    ),
    "home_owned": Bilingual(
        zh="经复核，申请人家庭已在本区拥有住房（{day}登记）",
        en="on re-check, the household owns a home in the district (recorded {day})",
        zh_hk="經複核，申請人家庭已在本區擁有住房（{day}登記）",
    ),
    "household": Bilingual(
        zh="经复核，家庭人口现为{size}人，所配房型供{low}至{high}人家庭配租",
        en="on re-check, the household is now {size}; the home allocated is for households "
        "of {low} to {high}",
        zh_hk="經複核，家庭人口現為{size}人，所配房型供{low}至{high}人家庭配租",
    ),
    "objection": Bilingual(
        zh="公示期间的异议经核查成立",
        en="an objection during the public notice was found to be well founded",
        zh_hk="公示期間的異議經核查成立",
    ),
}


@dataclass(frozen=True)
class Recheck:
    """The re-check of the facts that change, before the offers: still employed by an
    employer in the zone (the employer's unified social credit code names one of
    ``zone_areas`` as its registration area, characters 3 to 8; none listed: any employer on
    the record counts), no home owned, the household still fitting the kind allocated."""

    zone_areas: tuple[str, ...] = ()


@dataclass(frozen=True)
class RefusalRule:
    limit: int = 2
    suspension_months: int = 12
    expiry_counts: bool = True


#: a failed check: its code and the values its explanation names
Failure = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class Rules:
    version: str
    name: Bilingual
    text: str
    digest: str
    tier_order: tuple[str, ...]
    terms: Terms
    refusals: RefusalRule
    checks: Mapping[str, Bilingual]
    types: Mapping[str, TypeRule]
    elderly_age: int
    points_terms: tuple[PointsTerm, ...]
    groups: Mapping[str, Group]
    #: the reserved shares, in their order of use; the open share comes after them
    shares: tuple[Share, ...]
    open_name: Bilingual
    declines: DeclineRule = DeclineRule()
    recheck: Recheck = Recheck()

    # ---- evaluation

    def tier_rank(self, tier: str) -> int:
        """A's rank is 0; an unknown tier comes after every known one."""
        try:
            return self.tier_order.index(tier)
        except ValueError:
            return len(self.tier_order)

    def applicant_check(self, facts: Facts, as_of: date) -> Failure | None:
        """Why the application is left out of the round altogether, or None."""
        if facts.suspended_until is not None and facts.suspended_until > as_of:
            return "suspended", {"until": facts.suspended_until}
        if getattr(facts, "sits_out", 0) > 0:
            return "sits_out", {}
        return None

    def type_check(self, facts: Facts, type_code: str) -> Failure | None:
        """Why the household may not receive this kind of home, or None when it may."""
        rule = self.types.get(type_code)
        if rule is None:
            return "household_size", {"size": facts.household_size, "low": 0, "high": 0}
        if not rule.low <= facts.household_size <= rule.high:
            return "household_size", {
                "size": facts.household_size,
                "low": rule.low,
                "high": rule.high,
            }
        if rule.tiers is not None and facts.tier not in rule.tiers:
            return "tier", {"tiers": "/".join(t for t in self.tier_order if t in rule.tiers)}
        for need in rule.needs:
            if need == "elderly_parent" and facts.parents_60_plus < 1:
                return "elderly_parent", {"age": self.elderly_age}
            if need == "accessibility" and not facts.accessibility:
                return "accessibility", {}
        return None

    def points(self, facts: Facts) -> int:
        total = 0
        for term in self.points_terms:
            total += min(term.per * int(getattr(facts, term.fact)), term.max)
        return total

    def in_group(self, facts: Facts) -> bool:
        """Whether the application's group is one of the rules' and the applicant fits it."""
        group = self.groups.get(facts.group)
        if group is None:
            return False
        if group.tiers is not None and facts.tier not in group.tiers:
            return False
        return group.max_age is None or (facts.age is not None and facts.age <= group.max_age)

    def share_names(self) -> dict[str, Bilingual]:
        return {**{s.code: s.name for s in self.shares}, OPEN_SHARE: self.open_name}

    def explain(self, code: str, params: Mapping[str, Any], language: str) -> str:
        """A check's explanation in a language (zh_CN, zh_HK or en), its values filled in."""
        text = self.checks[code].text(language) if code in self.checks else code
        shown = {k: v.isoformat() if isinstance(v, date) else v for k, v in params.items()}
        try:
            return text.format(**shown)
        except (KeyError, IndexError, ValueError):
            return text


# --------------------------------------------------------------------------- reading


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _bilingual(entry: Mapping[str, Any], where: str) -> Bilingual:
    if not entry.get("zh") or not entry.get("en"):
        raise _bad(N_("{where} needs texts zh and en"), where=where)
    return Bilingual(zh=entry["zh"], en=entry["en"], zh_hk=entry.get("zh_hk", ""))


def _bad(message: str, **params: Any) -> ValidationError:
    return ValidationError(message, field=N_("Housing rules"), **params)


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(N_("{where} must be a whole number"), where=where)
    return value


@lru_cache(maxsize=16)
def parse_rules(text: str) -> Rules:
    """The rules of a TOML text; a malformed text raises ValidationError naming the place."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _bad(N_("the rules are not valid TOML: {reason}"), reason=str(exc)) from None
    try:
        return _rules(data, text)
    except (KeyError, TypeError) as exc:
        raise _bad(N_("the rules lack {where}"), where=str(exc)) from None


def _rules(data: dict[str, Any], text: str) -> Rules:
    version = str(data["version"]).strip()
    if not version:
        raise _bad(N_("the rules need a version"))
    checks = {code: _bilingual(entry, f"checks.{code}") for code, entry in data["checks"].items()}
    recheck_data = dict(data.get("recheck", {}))
    areas = recheck_data.pop("zone_areas", [])
    if not isinstance(areas, list) or not all(
        isinstance(a, str) and len(a) == 6 and a.isdigit() for a in areas
    ):
        raise _bad(N_("{where} must list six-digit area codes"), where="recheck.zone_areas")
    for code in recheck_data:
        if code not in RECHECK_CODES:
            raise _bad(N_("{where} is not a code of the re-check"), where=f"recheck.{code}")
    checks = {
        **DEFAULT_CHECKS,
        **DEFAULT_RECHECK,
        **checks,
        **{code: _bilingual(e, f"recheck.{code}") for code, e in recheck_data.items()},
    }
    missing = [c for c in (*APPLICANT_CHECKS, *TYPE_CHECKS) if c not in checks]
    if missing:
        raise _bad(N_("the rules do not explain the checks {where}"), where=", ".join(missing))
    tier_order = tuple(data["tier_order"])
    types: dict[str, TypeRule] = {}
    for code, entry in data["types"].items():
        low, high = (_int(v, f"types.{code}.household") for v in entry["household"])
        if not 1 <= low <= high:
            raise _bad(N_("{where} must be from 1 up"), where=f"types.{code}.household")
        needs = tuple(entry.get("needs", ()))
        if set(needs) - set(NEEDS):
            raise _bad(N_("{where} names an unknown need"), where=f"types.{code}.needs")
        tiers = entry.get("tiers")
        types[code] = TypeRule(code, low, high, frozenset(tiers) if tiers else None, needs)
    terms = tuple(
        PointsTerm(t["fact"], _int(t["per"], "points.per"), _int(t["max"], "points.max"))
        for t in data.get("points", ())
    )
    for term in terms:
        if term.fact not in POINT_FACTS:
            raise _bad(N_("points cannot count {where}"), where=term.fact)
    groups = {
        code: Group(
            code,
            _bilingual(entry, f"groups.{code}"),
            frozenset(entry["tiers"]) if entry.get("tiers") else None,
            entry.get("max_age"),
        )
        for code, entry in data.get("groups", {}).items()
    }
    shares = []
    for entry in data.get("shares", ()):
        code = entry["code"]
        if code == OPEN_SHARE or entry["group"] not in groups:
            raise _bad(N_("share {where} must name a group of the rules"), where=code)
        reserve = {t: Fraction(str(f)) for t, f in entry.get("reserve", {}).items()}
        for type_code, fraction in reserve.items():
            if type_code not in types or not 0 <= fraction <= 1:
                raise _bad(N_("share {where} reserves a wrong fraction"), where=code)
        shares.append(Share(code, entry["group"], _bilingual(entry, f"shares.{code}"), reserve))
    for type_code in types:
        if sum(s.reserve.get(type_code, Fraction(0)) for s in shares) > 1:
            raise _bad(N_("the shares reserve more than all units of {where}"), where=type_code)
    terms_data = dict(data.get("terms", {}))
    day_kind = terms_data.pop("days", "working")
    if day_kind not in DAY_KINDS:
        raise _bad(N_("terms.days must be one of {where}"), where=", ".join(DAY_KINDS))
    another = terms_data.pop("review_by_another", True)
    if not isinstance(another, bool):
        raise _bad(N_("{where} must be true or false"), where="terms.review_by_another")
    refusals = data.get("refusals", {})
    declines = data.get("declines", {})
    decline_rule = DeclineRule(
        good_reason=declines.get("good_reason", "unit"),
        without_reason=declines.get("without_reason", "keep"),
        out_rounds=_int(declines.get("out_rounds", 0), "declines.out_rounds"),
    )
    if decline_rule.good_reason not in GOOD_REASON_EXCLUDES:
        raise _bad(
            N_("declines.good_reason must be one of {where}"), where=", ".join(GOOD_REASON_EXCLUDES)
        )
    if decline_rule.without_reason not in WITHOUT_REASON:
        raise _bad(
            N_("declines.without_reason must be one of {where}"), where=", ".join(WITHOUT_REASON)
        )
    if decline_rule.without_reason == "out" and decline_rule.out_rounds < 1:
        raise _bad(N_("{where} must be from 1 up"), where="declines.out_rounds")
    return Rules(
        version=version,
        name=_bilingual(data, "the rules"),
        text=text,
        digest=text_digest(text),
        tier_order=tier_order,
        terms=Terms(
            **{k: _int(v, f"terms.{k}") for k, v in terms_data.items()},
            days=day_kind,
            review_by_another=another,
        ),
        refusals=RefusalRule(
            limit=_int(refusals.get("limit", 2), "refusals.limit"),
            suspension_months=_int(
                refusals.get("suspension_months", 12), "refusals.suspension_months"
            ),
            expiry_counts=bool(refusals.get("expiry_counts", True)),
        ),
        checks=checks,
        types=types,
        elderly_age=_int(data.get("elderly_age", 60), "elderly_age"),
        points_terms=terms,
        groups=groups,
        shares=tuple(shares),
        open_name=_bilingual(data["open_share"], "open_share"),
        declines=decline_rule,
        recheck=Recheck(tuple(areas)),
    )


def reserved_counts(rules: Rules, units: Mapping[str, int]) -> dict[str, dict[str, int]]:
    """Units reserved per share and kind: the fraction of the kind's units, rounded down."""
    return {
        share.code: {
            type_code: int(fraction * units.get(type_code, 0))
            for type_code, fraction in share.reserve.items()
            if int(fraction * units.get(type_code, 0)) > 0
        }
        for share in rules.shares
    }
