"""The housing actions, declared once for the command line and the window.

Each write on rounds, applications, offers and appeals is an
:class:`~talentdesk.actions.ActionSpec`: its parameters, permission, service call and the
lines that report it. A front end may add ``progress`` (a :class:`~talentdesk.progress.Progress`)
to the values of the long ones (allocate, release).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from talentdesk.actions import ActionSpec, Kind, Param, Where
from talentdesk.errors import ValidationError
from talentdesk.i18n import N_, _, format_money
from talentdesk.people.permissions import Permission
from talentdesk.progress import no_progress

if TYPE_CHECKING:  # the services pull in SQLAlchemy: building the parser must not
    from sqlalchemy.orm import Session

    from talentdesk.people.models import User

ROUND = Param("round", N_("Round"), required=True, metavar="NAME", help=N_("the round's name"))
DAY = Param(
    "on",
    N_("Day"),
    Kind.DATE,
    metavar="DATE",
    help=N_("the day it happened (default: today)"),
    where=Where.CLI,
)


def _reference(session: Session) -> None:
    from talentdesk.housing.catalogue import ensure_housing_reference

    ensure_housing_reference(session)


def _progress(values: Mapping[str, Any]) -> Any:
    return values.get("progress") or no_progress


# --------------------------------------------------------------------------- rounds


def _open(session: Session, actor: User, v: Mapping[str, Any], _today: date) -> list[str]:
    from talentdesk.housing.rounds import open_round
    from talentdesk.letters.kinds import Bilingual

    _reference(session)
    round_ = open_round(
        session,
        actor,
        v["name"],
        Bilingual.parse(v["title"]),
        as_of=v["as_of"],
        rules_version=v["rules"] or None,
        previous=v["previous"] or None,
    )
    return [
        _("Round {name} opened under the rules {version}").format(
            name=round_.name, version=round_.rules_version
        )
    ]


def _apply(session: Session, actor: User, v: Mapping[str, Any], _today: date) -> list[str]:
    from talentdesk.housing.applications import (
        ApplicationInput,
        closed_choice_lines,
        enter_application,
        split_choices,
    )

    _reference(session)
    application = enter_application(
        session,
        actor,
        v["round"],
        ApplicationInput(
            talent=v["talent"],
            household_size=v["household"],
            preferences=split_choices(v["choices"]),
            group=v["group"],
            insurance_months=v["insurance_months"],
            needs_accessibility=v["needs_accessibility"],
        ),
    )
    return [
        _("Application {number} entered ({points} points)").format(
            number=application.application_no, points=application.points
        ),
        *closed_choice_lines(getattr(application, "closed_choices", ())),
    ]


def _withdraw(session: Session, actor: User, v: Mapping[str, Any], _today: date) -> list[str]:
    from talentdesk.housing.applications import withdraw_application

    _reference(session)
    row = withdraw_application(session, actor, v["round"], v["application_no"], v["reason"])
    return [_("Application {number} withdrawn").format(number=row.application_no)]


def _freeze(session: Session, actor: User, v: Mapping[str, Any], _today: date) -> list[str]:
    from talentdesk.housing.rounds import freeze_round

    _reference(session)
    round_ = freeze_round(session, actor, v["round"])
    return [
        _("Round {name} frozen: {count} units; SHA-256 of the applications {hash}").format(
            name=round_.name, count=len(round_.pool or ()), hash=round_.frozen_hash
        )
    ]


def _seed(session: Session, actor: User, v: Mapping[str, Any], _today: date) -> list[str]:
    from talentdesk.housing.rounds import record_seed_source

    _reference(session)
    round_ = record_seed_source(session, actor, v["round"], v["source"], v["commitment"])
    return [
        _("Seed source and commitment {commitment} recorded for round {name}").format(
            name=round_.name, commitment=round_.seed_commitment
        )
    ]


def _allocate(session: Session, actor: User, v: Mapping[str, Any], today: date) -> list[str]:
    from talentdesk.housing.report import write_results
    from talentdesk.housing.rounds import run_round

    _reference(session)
    name = v["round"]
    allocation = run_round(session, actor, name, v["seed"], progress=_progress(v), today=today)
    placed = sum(1 for p in allocation.placements if p.type_code)
    lines = [
        _("{placed} of {count} applications allocated; result digest {digest}").format(
            placed=placed, count=len(allocation.placements), digest=allocation.digest
        )
    ]
    if v["results"] is not None:
        count = write_results(session, actor, name, v["results"])
        lines.append(_("{count} rows written to {path}").format(count=count, path=v["results"]))
    return lines


def _review(session: Session, actor: User, v: Mapping[str, Any], _today: date) -> list[str]:
    from talentdesk.housing.rounds import confirmation_token, review_round

    _reference(session)
    round_ = review_round(session, actor, v["round"])
    return [
        _("Round {name} reviewed. Release it with --confirm {token}").format(
            name=round_.name, token=confirmation_token(round_)
        )
    ]


def _release(session: Session, actor: User, v: Mapping[str, Any], today: date) -> list[str]:
    from talentdesk.housing.letters import release_letters
    from talentdesk.housing.rounds import release_round

    _reference(session)
    folder: Path = v["letters"]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValidationError(
            N_("cannot create the folder {folder}: {reason}"),
            field=N_("Letters"),
            folder=str(folder),
            reason=exc.strerror or str(exc),
        ) from None
    released = release_round(
        session,
        actor,
        v["round"],
        confirm=v["confirm"],
        today=today,
        on=v.get("on"),
        write_letters=release_letters(folder, progress=_progress(v)),
    )
    lines = [
        _("Round {name} released: {offers} offers, {others} notices").format(
            name=v["round"], offers=released.offers, others=released.not_allocated
        )
    ]
    for batch in released.letters:
        lines.append(
            _("{count} letters written to {path}").format(
                count=len(batch.references), path=batch.path
            )
        )
    return lines


#: withdrawals a re-check lists one by one (the rest: ``housing withdrawals``)
SHOWN = 20


def _recheck(session: Session, actor: User, v: Mapping[str, Any], today: date) -> list[str]:
    from talentdesk.housing.catalogue import load_rules
    from talentdesk.housing.notice import recheck_round
    from talentdesk.i18n import current_language

    _reference(session)
    done = recheck_round(session, actor, v["round"], today=today, on=v.get("on"))
    rules = load_rules(session, done.round.rules_version)
    language = current_language()
    lines = [
        _(
            "Round {name} re-checked: {count} results withdrawn, {units} of them with a unit "
            "that goes down the master order at release"
        ).format(name=done.round.name, count=len(done.failed), units=done.units_freed)
    ]
    for failed in done.failed[:SHOWN]:
        lines.append(
            f"{failed.application_no}\t{failed.code}\t"
            f"{rules.explain(failed.code, failed.params, language)}"
        )
    if len(done.failed) > SHOWN:
        lines.append(
            _("… and {count} more: see housing withdrawals").format(count=len(done.failed) - SHOWN)
        )
    return lines


def _declare(session: Session, actor: User, v: Mapping[str, Any], today: date) -> list[str]:
    from talentdesk.housing.notice import declare_facts

    _reference(session)
    owned = {"yes": True, "no": False}.get(v.get("home_owned") or "")
    row = declare_facts(
        session,
        actor,
        v["round"],
        v["application_no"],
        home_owned=owned,
        household=v.get("household"),
        today=today,
        on=v.get("on"),
    )
    return [
        _("Application {number}: home owned {owned}, household now {size}").format(
            number=row.application_no,
            owned=_("yes") if row.home_owned else _("no"),
            size=row.household_now if row.household_now is not None else "-",
        )
    ]


def _notice(session: Session, actor: User, v: Mapping[str, Any], today: date) -> list[str]:
    from talentdesk.housing.notice import notice_round

    _reference(session)
    round_ = notice_round(session, actor, v["round"], today=today, on=v.get("on"))
    assert round_.noticed_on is not None and round_.notice_ends is not None
    return [
        _(
            "Provisional list of round {name} publicly noticed from {first} to {last}; "
            "it may be released from the next day"
        ).format(
            name=round_.name,
            first=round_.noticed_on.isoformat(),
            last=round_.notice_ends.isoformat(),
        )
    ]


def _object(session: Session, actor: User, v: Mapping[str, Any], today: date) -> list[str]:
    from talentdesk.housing.notice import lodge_objection

    _reference(session)
    objection = lodge_objection(
        session,
        actor,
        v["round"],
        v["application_no"],
        v["objector"],
        v["grounds"],
        today=today,
        on=v.get("on"),
    )
    return [_("Objection {id} recorded").format(id=objection.id)]


def _decide_objection(
    session: Session, actor: User, v: Mapping[str, Any], today: date
) -> list[str]:
    from talentdesk.housing.notice import decide_objection

    _reference(session)
    if bool(v["uphold"]) == bool(v["dismiss"]):
        raise ValidationError(
            N_("uphold the objection or dismiss it: one of the two"), field=N_("Decision")
        )
    objection = decide_objection(
        session,
        actor,
        v["objection"],
        upheld=bool(v["uphold"]),
        decision=v["decision"],
        code=v.get("code") or None,
        today=today,
        on=v.get("on"),
    )
    if objection.state == "upheld":
        return [
            _(
                "Objection {id} upheld: the result is withdrawn ({code}); its unit goes down "
                "the master order at release"
            ).format(id=objection.id, code=objection.code)
        ]
    return [_("Objection {id} dismissed").format(id=objection.id)]


def _close(session: Session, actor: User, v: Mapping[str, Any], _today: date) -> list[str]:
    from talentdesk.housing.rounds import close_round

    _reference(session)
    round_ = close_round(session, actor, v["round"])
    return [_("Round {name} closed").format(name=round_.name)]


# --------------------------------------------------------------------------- offers, appeals


def _accept(session: Session, actor: User, v: Mapping[str, Any], today: date) -> list[str]:
    from talentdesk.housing.offers import accept_offer

    _reference(session)
    offer = accept_offer(session, actor, v["offer"], today=today, on=v.get("on"))
    return [
        _("Offer {id} accepted; the unit is reserved until the lease starts").format(id=offer.id)
    ]


def _decline(session: Session, actor: User, v: Mapping[str, Any], today: date) -> list[str]:
    from talentdesk.housing.offers import decline_offer

    _reference(session)
    result = decline_offer(
        session,
        actor,
        v["offer"],
        v["reason"],
        good_reason=v["good_reason"],
        today=today,
        on=v.get("on"),
    )
    lines = [
        _("Offer {id} declined; refusals counted: {count}").format(
            id=v["offer"], count=result.refusals
        )
    ]
    if result.suspended_until:
        lines.append(
            _("The applicant is suspended until {day}").format(
                day=result.suspended_until.isoformat()
            )
        )
    lines += _passed_on([result.passed_to] if result.passed_to else [])
    lines += _offer_letters(session, actor, v, [result.passed_to] if result.passed_to else [])
    return lines


def _passed_on(offers: list[Any]) -> list[str]:
    """What the clerk is told of freed units offered down the round's waiting list."""
    return [
        _("The unit goes to the next on the waiting list: offer {offer} ({source})").format(
            offer=o.id,
            source=_("upheld appeal")
            if o.source == "appeal"
            else _("a home freed after the run, down the master order"),
        )
        for o in offers
    ]


def _letters_folder(v: Mapping[str, Any]) -> Path | None:
    """The folder of the letters the values name (made if need be), or None."""
    folder = v.get("letters")
    if not folder:
        return None
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValidationError(
            N_("cannot create the folder {folder}: {reason}"),
            field=N_("Letters"),
            folder=str(folder),
            reason=exc.strerror or str(exc),
        ) from None
    return Path(folder)


def _offer_letters(
    session: Session, actor: User, v: Mapping[str, Any], offers: list[Any]
) -> list[str]:
    """Offer letters of offers made after the release, when a folder is given."""
    folder = _letters_folder(v) if offers else None
    if folder is None:
        return []
    from talentdesk.housing.letters import later_offer_letters

    batch = later_offer_letters(session, actor, offers, folder)
    return [
        _("{count} letters written to {path}").format(count=len(batch.references), path=batch.path)
    ]


def _expire(session: Session, actor: User, v: Mapping[str, Any], today: date) -> list[str]:
    from talentdesk.housing.offers import expire_offers

    _reference(session)
    lapsed = expire_offers(session, actor, v["round"] or None, today=today, on=v.get("on"))
    passed = [o.passed_to for o in lapsed if getattr(o, "passed_to", None) is not None]
    return [
        _("{count} offers lapsed").format(count=len(lapsed)),
        *_passed_on(passed),
        *_offer_letters(session, actor, v, passed),
    ]


def _appeal(session: Session, actor: User, v: Mapping[str, Any], today: date) -> list[str]:
    from talentdesk.housing.offers import lodge_appeal

    _reference(session)
    appeal = lodge_appeal(
        session,
        actor,
        v["round"],
        v["application_no"],
        v["grounds"],
        today=today,
        on=v.get("on"),
    )
    return [_("Appeal {id} recorded").format(id=appeal.id)]


def _decide(session: Session, actor: User, v: Mapping[str, Any], today: date) -> list[str]:
    from talentdesk.housing.offers import decide_appeal

    _reference(session)
    if bool(v["uphold"]) == bool(v["dismiss"]):
        raise ValidationError(
            N_("uphold the appeal with a kind of home, or dismiss it: one of the two"),
            field=N_("Decision"),
        )
    appeal = decide_appeal(
        session,
        actor,
        v["appeal"],
        upheld=not v["dismiss"],
        decision=v["decision"],
        type_code=v["uphold"] or None,
        today=today,
        on=v.get("on"),
    )
    decided = _appeal_letter(session, actor, v, appeal)
    if appeal.state == "dismissed":
        return [_("Appeal {id} dismissed").format(id=appeal.id), *decided]
    if appeal.offer_id is None:
        return [
            _(
                "Appeal {id} upheld; no unit of the kind is free: it waits on the round's "
                "waiting list for the next one freed"
            ).format(id=appeal.id),
            *decided,
        ]
    from talentdesk.housing.models import Offer

    made = session.get_one(Offer, appeal.offer_id)
    return [
        _("Appeal {id} upheld: offer {offer} made").format(id=appeal.id, offer=appeal.offer_id),
        *decided,
        *_offer_letters(session, actor, v, [made]),
    ]


def _appeal_letter(session: Session, actor: User, v: Mapping[str, Any], appeal: Any) -> list[str]:
    """The decision letter of an appeal, when a folder is given."""
    folder = _letters_folder(v)
    if folder is None:
        return []
    from talentdesk.housing.letters import appeal_decision_letter

    batch = appeal_decision_letter(session, actor, appeal, folder)
    return [
        _("{count} letters written to {path}").format(count=len(batch.references), path=batch.path)
    ]


def _lines(result: list[str]) -> list[str]:
    return result


def _spec(
    name: str,
    title: str,
    button: str,
    help_text: str,
    permission: Permission,
    run: Any,
    *params: Param,
) -> ActionSpec[list[str]]:
    return ActionSpec(name, title, button, help_text, params, (permission,), run, _lines)


OFFER = Param("offer", N_("Offer"), Kind.INT, positional=True, metavar="OFFER_ID", where=Where.CLI)
APPLICATION = Param(
    "application_no",
    N_("Application"),
    positional=True,
    metavar="APPLICATION_NO",
    where=Where.CLI,
)
ROUNDS = Permission.RUN_HOUSING_ROUNDS
DESK = Permission.APPLY_HOUSING

ACTIONS: dict[str, ActionSpec[list[str]]] = {
    spec.name: spec
    for spec in (
        _spec(
            "open",
            N_("opening of a round"),
            N_("Open a round…"),
            N_("open an allocation round for applications"),
            ROUNDS,
            _open,
            Param(
                "name",
                N_("Name"),
                positional=True,
                help=N_("a short name without spaces, e.g. 2026-2"),
            ),
            Param(
                "title",
                N_("Title"),
                required=True,
                metavar="中文|English",
                help=N_("the round's title in letters"),
            ),
            Param(
                "as_of",
                N_("Ages counted on"),
                Kind.DATE,
                metavar="DATE",
                help=N_("the day ages are counted on (default: today)"),
            ),
            Param(
                "rules",
                N_("Rules"),
                metavar="VERSION",
                help=N_("the rules version (default: newest)"),
            ),
            Param(
                "previous",
                N_("Previous round"),
                metavar="NAME",
                help=N_("carry over the applications of this released round that hold no offer"),
            ),
        ),
        _spec(
            "apply",
            N_("application"),
            N_("Enter an application…"),
            N_("enter one application in an open round"),
            DESK,
            _apply,
            ROUND,
            Param(
                "talent",
                N_("Talent"),
                required=True,
                metavar="RECORD_NO",
                help=N_("record number"),
            ),
            Param(
                "household",
                N_("Household size"),
                Kind.INT,
                required=True,
                minimum=1,
                maximum=12,
                help=N_("people in the household, talent included"),
            ),
            Param(
                "choices",
                N_("Preferences"),
                required=True,
                metavar="KIND>KIND...",
                help=N_("kinds of home, most wanted first, separated by >"),
            ),
            Param("group", N_("Reserved group"), help=N_("the group of a reserved share, if any")),
            Param(
                "insurance_months",
                N_("Months of social insurance"),
                Kind.INT,
                default=0,
                minimum=0,
                maximum=600,
                help=N_("months of social insurance paid"),
            ),
            Param(
                "needs_accessibility",
                N_("Needs accessibility"),
                Kind.BOOL,
                help=N_("the talent needs an accessible home"),
            ),
        ),
        _spec(
            "withdraw",
            N_("withdrawal of an application"),
            N_("Withdraw…"),
            N_("withdraw an application"),
            DESK,
            _withdraw,
            ROUND,
            APPLICATION,
            Param("reason", N_("Reason"), required=True, help=N_("why (kept in the audit trail)")),
        ),
        _spec(
            "freeze",
            N_("freeze"),
            N_("Freeze…"),
            N_("close the round to applications and store the hash of their list"),
            ROUNDS,
            _freeze,
            ROUND,
        ),
        _spec(
            "seed",
            N_("seed source"),
            N_("Record the seed's source…"),
            N_(
                "record where the seed will come from and the SHA-256 of the seed, before "
                "anyone sees a result (once: it is never replaced)"
            ),
            ROUNDS,
            _seed,
            ROUND,
            Param(
                "source",
                N_("Seed source"),
                required=True,
                help=N_("e.g. the draw of a notary on a date"),
            ),
            Param(
                "commitment",
                N_("Seed commitment"),
                required=True,
                help=N_(
                    "the SHA-256 of the seed, 64 hexadecimal digits (e.g. sha256sum of the "
                    "sealed seed); the run takes only the seed that matches it"
                ),
            ),
        ),
        _spec(
            "allocate",
            N_("allocation run"),
            N_("Run with the seed…"),
            N_("run the allocation of a frozen round with the revealed seed"),
            ROUNDS,
            _allocate,
            ROUND,
            Param("seed", N_("Seed"), required=True, help=N_("the seed, now revealed")),
            Param(
                "results",
                N_("Results"),
                Kind.OUTPUT,
                metavar="FILE.xlsx",
                help=N_(
                    "write one row per application to this .xlsx file (or .csv, for "
                    "programs: its lottery numbers are written 0x…, which Excel keeps as text)"
                ),
                where=Where.CLI,
            ),
        ),
        _spec(
            "review",
            N_("review"),
            N_("Mark reviewed…"),
            N_("mark the results reviewed; prints the confirmation that release needs"),
            ROUNDS,
            _review,
            ROUND,
        ),
        _spec(
            "recheck",
            N_("re-check"),
            N_("Re-check…"),
            N_(
                "re-check the facts that change (employed in the zone, no home owned, the "
                "household) for a reviewed round and withdraw the results of those no longer "
                "eligible, with the rules' code; done again, it replaces the previous re-check"
            ),
            ROUNDS,
            _recheck,
            ROUND,
            DAY,
        ),
        _spec(
            "declare",
            N_("declaration of changed facts"),
            N_("Record changed facts…"),
            N_(
                "record on an application a fact declared since it was made (a home owned, "
                "the household's size now), with its day; the re-check reads it"
            ),
            DESK,
            _declare,
            ROUND,
            APPLICATION,
            Param(
                "home_owned",
                N_("Home owned"),
                Kind.CHOICE,
                choices=(("yes", N_("yes")), ("no", N_("no"))),
                metavar="yes|no",
                help=N_("whether the household owns a home now"),
            ),
            Param(
                "household",
                N_("Household size now"),
                Kind.INT,
                minimum=1,
                maximum=12,
                help=N_("people in the household now, talent included"),
            ),
            DAY,
        ),
        _spec(
            "notice",
            N_("public notice"),
            N_("Publish the provisional list…"),
            N_(
                "publish the provisional list of a reviewed, re-checked round for the notice "
                "period of its rules (terms.notice_days, counted from the next day)"
            ),
            ROUNDS,
            _notice,
            ROUND,
            DAY,
        ),
        _spec(
            "object",
            N_("objection"),
            N_("Record an objection…"),
            N_("record an objection to an entry of the provisional list during its notice"),
            DESK,
            _object,
            ROUND,
            APPLICATION,
            Param(
                "objector",
                N_("Objector"),
                required=True,
                help=N_("who objects, as they gave themselves"),
            ),
            Param("grounds", N_("Grounds"), required=True, help=N_("the grounds of the objection")),
            DAY,
        ),
        _spec(
            "decide-objection",
            N_("decision on an objection"),
            N_("Decide the objection…"),
            N_(
                "uphold an objection (the result is withdrawn with a code; its unit goes down "
                "the master order at release) or dismiss it"
            ),
            Permission.DECIDE_HOUSING_APPEALS,
            _decide_objection,
            Param(
                "objection",
                N_("Objection"),
                Kind.INT,
                positional=True,
                metavar="OBJECTION_ID",
                where=Where.CLI,
            ),
            Param("uphold", N_("Uphold"), Kind.BOOL, help=N_("uphold it")),
            Param("dismiss", N_("Dismiss"), Kind.BOOL, help=N_("dismiss it")),
            Param(
                "code",
                N_("Reason code"),
                Kind.CHOICE,
                choices=(
                    ("objection", N_("objection found well founded")),
                    ("employment", N_("not employed in the zone")),
                    ("home_owned", N_("owns a home")),
                ),
                help=N_("the rules' code an upheld objection withdraws the result with"),
            ),
            Param(
                "decision",
                N_("Decision"),
                required=True,
                help=N_("the decision, as written to the objector"),
            ),
            DAY,
        ),
        _spec(
            "release",
            N_("release"),
            N_("Release…"),
            N_("make the offers and write the letters (needs confirmation)"),
            ROUNDS,
            _release,
            ROUND,
            Param(
                "confirm",
                N_("Confirmation"),
                required=True,
                metavar="TOKEN",
                help=N_("the confirmation review printed"),
            ),
            Param(
                "letters",
                N_("Letters"),
                Kind.FOLDER,
                required=True,
                metavar="FOLDER",
                help=N_("write the offer letters and not-allocated notices into this folder"),
            ),
            DAY,
        ),
        _spec(
            "close",
            N_("closing of a round"),
            N_("Close the round…"),
            N_("close a released round whose offers are all answered"),
            ROUNDS,
            _close,
            ROUND,
        ),
        _spec(
            "accept",
            N_("acceptance of an offer"),
            N_("Accept the offer…"),
            N_("the applicant accepts an offer"),
            DESK,
            _accept,
            OFFER,
            DAY,
        ),
        _spec(
            "decline",
            N_("refusal of an offer"),
            N_("Decline…"),
            N_("the applicant declines an offer, with the reason"),
            DESK,
            _decline,
            OFFER,
            Param("reason", N_("Reason"), required=True, help=N_("the applicant's reason")),
            Param(
                "good_reason",
                N_("The centre accepts the reason"),
                Kind.BOOL,
                help=N_("the centre accepts the reason: the refusal does not count (managers)"),
            ),
            Param(
                "letters",
                N_("Letters"),
                Kind.FOLDER,
                metavar="FOLDER",
                help=N_("write the letter of any offer made into this folder"),
            ),
            DAY,
        ),
        _spec(
            "expire",
            N_("lapse of offers"),
            N_("Let lapsed offers go…"),
            N_("let offers past their deadline lapse"),
            ROUNDS,
            _expire,
            Param("round", N_("Round"), metavar="NAME", help=N_("only this round")),
            Param(
                "letters",
                N_("Letters"),
                Kind.FOLDER,
                metavar="FOLDER",
                help=N_("write the letter of any offer made into this folder"),
            ),
            DAY,
        ),
        _spec(
            "appeal",
            N_("appeal"),
            N_("Record an appeal…"),
            N_("record an applicant's appeal"),
            DESK,
            _appeal,
            ROUND,
            APPLICATION,
            Param("grounds", N_("Grounds"), required=True, help=N_("the grounds of the appeal")),
            DAY,
        ),
        _spec(
            "decide-appeal",
            N_("decision on an appeal"),
            N_("Decide…"),
            N_("uphold an appeal (placed in a free unit, nobody else moves) or dismiss it"),
            Permission.DECIDE_HOUSING_APPEALS,
            _decide,
            Param(
                "appeal",
                N_("Appeal"),
                Kind.INT,
                positional=True,
                metavar="APPEAL_ID",
                where=Where.CLI,
            ),
            Param(
                "uphold",
                N_("Uphold, placing it in"),
                metavar="KIND",
                help=N_("uphold, placing it in this kind"),
            ),
            Param("dismiss", N_("Dismiss"), Kind.BOOL, help=N_("dismiss it")),
            Param(
                "decision",
                N_("Decision"),
                required=True,
                help=N_("the decision, as written to them"),
            ),
            Param(
                "letters",
                N_("Letters"),
                Kind.FOLDER,
                metavar="FOLDER",
                help=N_(
                    "write the decision letter (the decision written 中文 | English) and the "
                    "letter of any offer made into this folder"
                ),
            ),
            DAY,
        ),
    )
}


# --------------------------------------------------------------------------- leases


def _lease_start(session: Session, actor: User, v: Mapping[str, Any], today: date) -> list[str]:
    from talentdesk.housing.leases import start_lease

    _reference(session)
    lease = start_lease(session, actor, v["offer"], today=today, on=v.get("on"))
    return [
        _(
            "Lease {id} started on {start}, ends on {end}; the unit is let. Deposit due: {deposit}"
        ).format(
            id=lease.id,
            start=lease.starts_on.isoformat(),
            end=lease.ends_on.isoformat(),
            deposit=format_money(lease.deposit),
        )
    ]


def _lease_move_in(session: Session, actor: User, v: Mapping[str, Any], today: date) -> list[str]:
    from talentdesk.housing.leases import move_in

    _reference(session)
    lease = move_in(session, actor, v["lease"], today=today, on=v.get("on"))
    assert lease.moved_in_on is not None
    return [
        _("The tenant of lease {id} moved in on {day}").format(
            id=lease.id, day=lease.moved_in_on.isoformat()
        )
    ]


def _lease_deposit(session: Session, actor: User, v: Mapping[str, Any], today: date) -> list[str]:
    from talentdesk.housing.leases import pay_deposit

    _reference(session)
    lease = pay_deposit(session, actor, v["lease"], today=today, on=v.get("on"))
    assert lease.deposit_paid_on is not None
    return [
        _("Deposit {deposit} of lease {id} paid on {day}").format(
            id=lease.id, deposit=format_money(lease.deposit), day=lease.deposit_paid_on.isoformat()
        )
    ]


def _lease_renew(session: Session, actor: User, v: Mapping[str, Any], today: date) -> list[str]:
    from talentdesk.housing.leases import renew_lease

    _reference(session)
    lease = renew_lease(session, actor, v["lease"], today=today, on=v.get("on"))
    return [
        _("Lease {old} renewed: lease {id}, term {term}, from {start} to {end}").format(
            old=v["lease"],
            id=lease.id,
            term=lease.term,
            start=lease.starts_on.isoformat(),
            end=lease.ends_on.isoformat(),
        )
    ]


def _lease_end(session: Session, actor: User, v: Mapping[str, Any], today: date) -> list[str]:
    from talentdesk.housing.leases import end_lease

    _reference(session)
    ended = end_lease(session, actor, v["lease"], v["reason"], today=today, on=v.get("on"))
    assert ended.lease.ended_on is not None
    day = ended.lease.ended_on.isoformat()
    lines = [
        _("Lease {id} ended early on {day}; the unit is vacant").format(id=ended.lease.id, day=day)
        if ended.early
        else _("Lease {id} ended on {day}; the unit is vacant").format(id=ended.lease.id, day=day)
    ]
    made = [ended.passed_to] if ended.passed_to else []
    return lines + _passed_on(made) + _offer_letters(session, actor, v, made)


LEASE = Param("lease", N_("Lease"), Kind.INT, positional=True, metavar="LEASE_ID", where=Where.CLI)

#: ``talentdesk housing lease ...``: the steps after an accepted offer (see leases.py)
LEASE_ACTIONS: dict[str, ActionSpec[list[str]]] = {
    spec.name: spec
    for spec in (
        _spec(
            "start",
            N_("start of a lease"),
            N_("Start lease…"),
            N_(
                "start the lease of an accepted offer's unit: the unit is let from that day; "
                "the deposit and the term's end follow from the round's rules"
            ),
            DESK,
            _lease_start,
            OFFER,
            DAY,
        ),
        _spec(
            "move-in",
            N_("move-in"),
            N_("Record the move-in…"),
            N_("the tenant moves in (not before the lease's start)"),
            DESK,
            _lease_move_in,
            LEASE,
            DAY,
        ),
        _spec(
            "deposit",
            N_("payment of a deposit"),
            N_("Record the deposit paid…"),
            N_("the tenant pays the lease's deposit (months of rent, as the rules say)"),
            DESK,
            _lease_deposit,
            LEASE,
            DAY,
        ),
        _spec(
            "renew",
            N_("renewal of a lease"),
            N_("Renew…"),
            N_(
                "renew a running lease, by its last day: a new term from the day after it "
                "ends, as long and as many times as the rules allow (managers)"
            ),
            ROUNDS,
            _lease_renew,
            LEASE,
            DAY,
        ),
        _spec(
            "end",
            N_("end of a lease"),
            N_("End the lease…"),
            N_(
                "the tenant leaves, at the end of the term or early: the unit is vacant again "
                "and, while its round is released, goes to the next on the waiting list"
            ),
            DESK,
            _lease_end,
            LEASE,
            Param("reason", N_("Reason"), required=True, help=N_("why (kept in the audit trail)")),
            Param(
                "letters",
                N_("Letters"),
                Kind.FOLDER,
                metavar="FOLDER",
                help=N_("write the letter of any offer made into this folder"),
            ),
            DAY,
        ),
    )
}
