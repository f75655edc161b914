"""人才住房配租通知书: a home is offered in an allocation round, with a deadline to accept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from talentdesk.i18n import N_
from talentdesk.letters.content import Recipient
from talentdesk.letters.kinds import Bilingual, LetterKind, Part, field, register

DEMO_ROUND = Bilingual(
    "2026年第二轮配租", "the second allocation round of 2026", "2026年第二輪配租"
)


@dataclass
class HousingOfferFields:
    round: Bilingual = field(N_("Allocation round"))
    position: int = field(N_("Position in the priority order"))
    project: Bilingual = field(N_("Housing project"))
    building: str = field(N_("Building"))
    unit_no: str = field(N_("Unit number"))
    unit_type: Bilingual = field(N_("Unit type"))
    area: Decimal = field(N_("Floor area (m²)"))
    rent: Decimal = field(N_("Monthly rent"), money=True)
    deposit: Decimal = field(N_("Deposit"), money=True)
    accept_by: date = field(N_("Accept by"))
    lease_years: int = field(N_("Lease term (years)"), default=3)


@register
class HousingOffer(LetterKind[HousingOfferFields]):
    code = "housing_offer"
    title = N_("Offer of talent housing")
    summary = N_("a home is offered in an allocation round, with the deadline to accept")
    fields = HousingOfferFields

    def write(self, part: Part, recipient: Recipient, values: HousingOfferFields) -> None:
        part.para(
            N_(
                "In {round} of talent housing, your application stood at position {position} "
                "of the published priority order, and the centre offers you the home below."
            ),
            round=part.text(values.round),
            position=part.number(values.position),
        )
        part.facts(
            [
                (N_("Housing project"), part.text(values.project)),
                (N_("Building"), part.text(values.building)),
                (N_("Unit number"), part.text(values.unit_no)),
                (N_("Unit type"), part.text(values.unit_type)),
                (N_("Floor area (m²)"), part.number(values.area)),
                (N_("Monthly rent"), part.money(values.rent)),
                (N_("Deposit"), part.money(values.deposit)),
                (N_("Lease term (years)"), part.number(values.lease_years)),
            ]
        )
        part.para(
            N_(
                "Please accept or decline this offer at the window by {accept_by}. If the centre "
                "has not heard from you by then, the offer lapses and the home goes to the next "
                "applicant."
            ),
            accept_by=part.date(values.accept_by),
        )
        part.para(
            N_(
                "The lease is renewed each year while you qualify; you must move out within "
                "three months of leaving the employment that qualified you. Declining offers "
                "without good reason twice may suspend you from allocation for twelve months. "
                "Please bring your identity document and this notice when you sign the lease."
            )
        )

    def demo(self, recipient: Recipient, today: date) -> HousingOfferFields:
        return HousingOfferFields(
            round=DEMO_ROUND,
            position=1_208,
            project=Bilingual(
                "科学城人才公寓（一期）",
                "Science City Talent Apartments, phase 1",
                "科學城人才公寓（一期）",
            ),
            building="3",
            unit_no="1206",
            unit_type=Bilingual("两居室", "2-bedroom", "兩居室"),
            area=Decimal("70"),
            rent=Decimal("2380.00"),
            deposit=Decimal("4760.00"),
            accept_by=today + timedelta(days=14),
        )
