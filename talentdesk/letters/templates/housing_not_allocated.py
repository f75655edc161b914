"""人才住房未获配租通知书: no home this round, and why, choice by choice.

The allocation offers homes one applicant at a time down the published priority order; each
choice is explained by the position at which its type ran out ("your 1st choice filled at
position 4,318; yours was 7,512").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from talentdesk.errors import ValidationError
from talentdesk.i18n import N_
from talentdesk.letters.content import Recipient
from talentdesk.letters.kinds import Bilingual, LetterKind, Part, field, register
from talentdesk.letters.templates.housing_offer import DEMO_ROUND

#: separates a unit type from the position at which it filled: "两居室|2-bedroom@4318"
FILLED_AT = "@"


@dataclass(frozen=True)
class ChoiceFill:
    """One of the applicant's choices: its unit type, and the position at which it ran out
    (None: the household was not eligible for the type; 0: no home of it was open to them)."""

    unit_type: Bilingual
    filled_at: int | None = None
    #: the rule of the published allocation rules that closes the type to the household (its
    #: explanation as the rules word it), when filled_at is None
    rule: Bilingual | None = None

    @classmethod
    def parse(cls, text: str) -> ChoiceFill:
        unit_type, _sep, position = text.partition(FILLED_AT)
        position = position.strip().replace(",", "")
        if position and not position.isdigit():
            raise ValidationError(N_("{value} is not a whole number"), value=position)
        return cls(Bilingual.parse(unit_type), int(position) if position else None)

    @classmethod
    def from_json(cls, data: Any) -> ChoiceFill:
        rule = data.get("rule")
        return cls(
            Bilingual.from_json(data["unit_type"]),
            data.get("filled_at"),
            Bilingual.from_json(rule) if rule else None,
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"unit_type": self.unit_type.to_json(), "filled_at": self.filled_at}
        if self.rule is not None:
            out["rule"] = self.rule.to_json()
        return out


@dataclass
class NotAllocatedFields:
    round: Bilingual = field(N_("Allocation round"))
    position: int = field(N_("Position in the priority order"))
    choices: list[ChoiceFill] = field(N_("Choices and where they filled"))
    appeal_by: date = field(N_("Appeal by"))
    next_round: Bilingual | None = field(N_("Next round"), default=None)
    tier: str = field(N_("Tier"), default="")
    points: int | None = field(N_("Points"), default=None)
    lottery: str = field(N_("Lottery number"), default="")


@register
class HousingNotAllocated(LetterKind[NotAllocatedFields]):
    code = "housing_not_allocated"
    title = N_("Notice of talent housing not allocated")
    summary = N_("no home in this round, explained choice by choice")
    fields = NotAllocatedFields

    def write(self, part: Part, recipient: Recipient, values: NotAllocatedFields) -> None:
        position = part.number(values.position)
        part.para(
            N_(
                "In {round} of talent housing, homes were offered one applicant at a time, "
                "down the published priority order (tier, then points, then lottery number). "
                "Your application stood at position {position}. When your turn came, no home "
                "of a type you chose was left, so this round has no offer for you."
            ),
            round=part.text(values.round),
            position=position,
        )
        if values.tier and values.points is not None and values.lottery:
            part.para(
                N_(
                    "Your place in that order was decided by your tier {tier}, your "
                    "{points} points and your lottery number {lottery}."
                ),
                tier=values.tier,
                points=part.number(values.points),
                lottery=values.lottery,
            )
        part.heading(N_("How each of your choices filled"))
        lines = []
        for number, choice in enumerate(values.choices, start=1):
            unit_type = part.text(choice.unit_type)
            if choice.filled_at is None and choice.rule is not None:
                text = part.t(
                    N_("Choice {number}, {unit_type}: not open to your household: {rule}.")
                ).format(number=number, unit_type=unit_type, rule=part.text(choice.rule))
            elif choice.filled_at is None:
                text = part.t(
                    N_("Choice {number}, {unit_type}: your household does not meet its conditions.")
                ).format(number=number, unit_type=unit_type)
            elif choice.filled_at == 0:
                text = part.t(
                    N_("Choice {number}, {unit_type}: no home of this type was open to you.")
                ).format(number=number, unit_type=unit_type)
            else:
                text = part.t(
                    N_(
                        "Choice {number}, {unit_type}: the last home of this type went to "
                        "position {filled}; yours was {position}."
                    )
                ).format(
                    number=number,
                    unit_type=unit_type,
                    filled=part.number(choice.filled_at),
                    position=position,
                )
            lines.append(text)
        part.items(lines, numbered=False)
        if values.next_round:
            part.para(
                N_(
                    "Your application carries over to {next_round} unless you withdraw it; you "
                    "need not apply again."
                ),
                next_round=part.text(values.next_round),
            )
        part.para(
            N_(
                "If you believe your position or your eligibility was decided wrongly, you may "
                "appeal in writing by {appeal_by}. A successful appeal is placed without "
                "changing anyone else's offer."
            ),
            appeal_by=part.date(values.appeal_by),
        )

    def demo(self, recipient: Recipient, today: date) -> NotAllocatedFields:
        return NotAllocatedFields(
            round=DEMO_ROUND,
            position=7_512,
            choices=[
                ChoiceFill(Bilingual("两居室", "2-bedroom", "兩居室"), 4_318),
                ChoiceFill(Bilingual("一居室", "1-bedroom", "一居室"), 6_907),
                ChoiceFill(Bilingual("人才公寓单间", "studio", "人才公寓單間"), 7_204),
                ChoiceFill(
                    Bilingual("长者公寓双人间", "elderly-care double", "長者公寓雙人間"),
                    rule=Bilingual(
                        "该房型须有年满60周岁的父母（以家庭成员出生日期计）",
                        "this kind of home needs a parent aged 60 or over (from the family "
                        "records)",
                        "該房型須有年滿60周歲的父母（以家庭成員出生日期計）",
                    ),
                ),
            ],
            tier="D",
            points=46,
            lottery="55f2b87e8220e3e6",
            appeal_by=today + timedelta(days=21),
            next_round=Bilingual(
                "2027年第一轮配租", "the first allocation round of 2027", "2027年第一輪配租"
            ),
        )
