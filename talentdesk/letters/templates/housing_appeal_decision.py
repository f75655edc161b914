"""人才住房配租申诉决定书: what became of an applicant's appeal against a round's result.

Dismissed; upheld and placed (the offer letter names the home); or upheld with no home of the
kind free, on the round's waiting list until the next one is freed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from talentdesk.i18n import N_
from talentdesk.letters.content import Recipient
from talentdesk.letters.kinds import Bilingual, LetterKind, Part, field, register
from talentdesk.letters.templates.housing_offer import DEMO_ROUND

#: what a decision may be (the appeal's state once decided)
OUTCOMES = ("dismissed", "upheld", "waiting")


@dataclass
class AppealDecisionFields:
    round: Bilingual = field(N_("Allocation round"))
    lodged_on: date = field(N_("Appeal lodged on"))
    decided_on: date = field(N_("Decided on"))
    #: dismissed / upheld / waiting
    outcome: str = field(N_("Outcome"))
    #: the decision's reasons, as "中文 | English" (printed in both parts)
    decision: Bilingual = field(N_("Decision"))
    unit_type: Bilingual | None = field(N_("Unit type"), default=None)


@register
class HousingAppealDecision(LetterKind[AppealDecisionFields]):
    code = "housing_appeal_decision"
    title = N_("Decision on a talent housing appeal")
    summary = N_("an appeal against a round's result dismissed, upheld, or upheld and waiting")
    fields = AppealDecisionFields

    def write(self, part: Part, recipient: Recipient, values: AppealDecisionFields) -> None:
        part.para(
            N_(
                "The centre has decided on your appeal of {lodged_on} against the result of "
                "{round} of talent housing, on {decided_on}."
            ),
            lodged_on=part.date(values.lodged_on),
            round=part.text(values.round),
            decided_on=part.date(values.decided_on),
        )
        unit_type = part.text(values.unit_type) if values.unit_type else ""
        if values.outcome == "dismissed":
            part.para(N_("Your appeal is dismissed: the result of the round stands."))
        elif values.outcome == "upheld":
            part.para(
                N_(
                    "Your appeal is upheld: you are offered a home of the type {unit_type}; "
                    "the offer letter names it and the day by which to accept. Nobody else's "
                    "offer changes."
                ),
                unit_type=unit_type,
            )
        else:
            part.para(
                N_(
                    "Your appeal is upheld into a home of the type {unit_type}, but no home of "
                    "it is free now. You are on the round's waiting list: the next home of that "
                    "type freed in this round (declined or lapsed) is offered to you, before "
                    "the applicants after you in the priority order. Nobody else's offer changes."
                ),
                unit_type=unit_type,
            )
        part.para(N_("The reasons: {decision}"), decision=part.text(values.decision))

    def demo(self, recipient: Recipient, today: date) -> AppealDecisionFields:
        return AppealDecisionFields(
            round=DEMO_ROUND,
            lodged_on=today - timedelta(days=10),
            decided_on=today,
            outcome="waiting",
            decision=Bilingual(
                "家庭成员出生日期录入有误，更正后符合长者公寓配租条件。",
                "a family member's birth date was entered wrongly; corrected, the household "
                "qualifies for elderly-care homes",
                "家庭成員出生日期錄入有誤，更正後符合長者公寓配租條件。",
            ),
            unit_type=Bilingual("长者公寓双人间", "elderly-care double", "長者公寓雙人間"),
        )
