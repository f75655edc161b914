"""A version of the allocation rules as a reader sees it: a page in the user's language.

The published text (TOML, with its SHA-256) is what the program runs and prints on reports;
a clerk or an applicant reads this instead: the order, who may receive each kind of home, the
points, the reserved shares and the periods, written out from the parsed rules, so the page can
never say something the rules do not.
"""

from __future__ import annotations

import re
from html import escape

from talentdesk.housing.catalogue import KindOfHome
from talentdesk.housing.rules import Rules
from talentdesk.i18n import N_, _, current_language, format_number, ngettext

#: a blank of an explanation, filled with the applicant's own figures when it is given
_BLANK = re.compile(r"\{[A-Za-z_]+\}")

#: what each fact the points may count is called
POINT_FACT_LABELS: dict[str, str] = {
    "insurance_months": N_("months of social insurance in the district"),
    "recognitions": N_("recognitions (awards, talent titles)"),
    "children_under_18": N_("children under 18 in the household"),
    "parents_60_plus": N_("parents of 60 or more in the household"),
}
NEED_LABELS: dict[str, str] = {
    "elderly_parent": N_("a parent of {age} or more in the household"),
    "accessibility": N_("an accessibility need recorded"),
}


def _days(rules: Rules, count: int) -> str:
    if rules.terms.days == "calendar":
        return ngettext("{count} calendar day", "{count} calendar days", count).format(count=count)
    return ngettext("{count} working day", "{count} working days", count).format(count=count)


def rules_page(rules: Rules, kinds: dict[str, KindOfHome]) -> str:
    """The rules as HTML in the current language (names of kinds from the catalogue)."""
    language = current_language()
    out: list[str] = []

    def heading(text: str) -> None:
        out.append(f"<h3>{escape(text)}</h3>")

    def items(lines: list[str]) -> None:
        out.append("<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>")

    def kind_name(code: str) -> str:
        kind = kinds.get(code)
        return kind.name.text(language) if kind else code

    out.append(f"<h2>{escape(rules.name.text(language))}</h2>")
    out.append(
        "<p>"
        + escape(
            _("Version {version}; SHA-256 of the published text {digest}").format(
                version=rules.version, digest=rules.digest
            )
        )
        + "</p>"
    )
    heading(_("The order"))
    items(
        [
            _("Tiers first, in this order: {tiers}").format(tiers=" > ".join(rules.tier_order)),
            _("Within a tier, more points first; then the lottery number, smaller first"),
            _(
                "Down that order, each applicant receives the first kind of home on their own "
                "list that their household may receive and that still has a unit open to them"
            ),
        ]
    )
    heading(_("Who may receive each kind of home"))
    lines = []
    for code, rule in rules.types.items():
        parts = [_("households of {low} to {high}").format(low=rule.low, high=rule.high)]
        if rule.tiers is not None:
            tiers = "/".join(t for t in rules.tier_order if t in rule.tiers)
            parts.append(_("tiers {tiers}").format(tiers=tiers))
        for need in rule.needs:
            parts.append(_(NEED_LABELS.get(need, need)).format(age=rules.elderly_age))
        lines.append(
            _("{kind}: {conditions}").format(kind=kind_name(code), conditions=_("; ").join(parts))
        )
    items(lines)
    if rules.points_terms:
        heading(_("Points"))
        items(
            [
                _("{per} per {fact}, at most {max}").format(
                    per=term.per, fact=_(POINT_FACT_LABELS.get(term.fact, term.fact)), max=term.max
                )
                for term in rules.points_terms
            ]
        )
    if rules.shares:
        heading(_("Reserved shares"))
        lines = []
        for share in rules.shares:
            group = rules.groups.get(share.group)
            reserved = ", ".join(
                f"{kind_name(code)} {format_number(float(part) * 100)} %"
                for code, part in share.reserve.items()
            )
            who = group.name.text(language) if group else share.group
            lines.append(f"{share.name.text(language)} ({who}): {reserved}")
        lines.append(
            _("Units a group leaves unfilled go to the {open} and are allocated again").format(
                open=rules.open_name.text(language)
            )
        )
        items(lines)
    heading(_("Periods and leases"))
    terms = rules.terms
    lines = [
        _("An offer is answered within {period} of the release").format(
            period=_days(rules, terms.offer_days)
        ),
        _("An appeal is lodged within {period} of the release").format(
            period=_days(rules, terms.appeal_days)
        ),
        _("A lease runs {years} years; the deposit is {months} months' rent").format(
            years=terms.lease_years, months=terms.deposit_months
        ),
    ]
    if terms.notice_days:
        lines.append(
            _("The provisional list is publicly noticed (公示) for {period}").format(
                period=_days(rules, terms.notice_days)
            )
        )
    lines.append(
        _("The results are reviewed by another manager than the one who ran the round")
        if terms.review_by_another
        else _("The manager who ran a round may review its results")
    )
    refusals = rules.refusals
    lines.append(
        _("{limit} unreasonable refusals suspend an applicant for {months} months").format(
            limit=refusals.limit, months=refusals.suspension_months
        )
    )
    items(lines)
    heading(_("Why a choice may be closed"))
    # what the applicant reads, its blanks ({size}, {day} …) filled per applicant: "…" here
    items([_BLANK.sub("…", text.text(language)) for text in rules.checks.values()])
    return "\n".join(out)
