"""不予许可决定书: the application is refused, with the reasons and how to appeal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from talentdesk.i18n import N_
from talentdesk.letters.content import Recipient
from talentdesk.letters.kinds import Bilingual, LetterKind, Part, field, register
from talentdesk.letters.templates._common import demo_case_no, demo_service

#: Administrative Reconsideration Law (2023) art. 20: sixty days from knowing of the decision
RECONSIDERATION_DAYS = 60
#: Administrative Litigation Law art. 46: six months from knowing of the decision
LITIGATION_MONTHS = 6
RECONSIDERATION_BODY = Bilingual(
    "广州市黄埔区人民政府",
    "the People's Government of Huangpu District, Guangzhou",
    "廣州市黃埔區人民政府",
)
COURT = Bilingual("广州铁路运输法院", "the Guangzhou Railway Transport Court", "廣州鐵路運輸法院")


@dataclass
class RefusalFields:
    case_no: str = field(N_("Application number"))
    service: Bilingual = field(N_("Service"))
    submitted_on: date = field(N_("Date submitted"))
    reasons: list[Bilingual] = field(N_("Reasons"))
    legal_basis: Bilingual = field(N_("Legal basis"))
    reconsideration_body: Bilingual = field(
        N_("Reconsideration body"), default=RECONSIDERATION_BODY
    )
    court: Bilingual = field(N_("Court"), default=COURT)


@register
class RefusalNotice(LetterKind[RefusalFields]):
    code = "refusal_notice"
    title = N_("Notice of refusal")
    summary = N_("the application is refused: the reasons and how to appeal")
    fields = RefusalFields
    addressed = "applicant"
    formula = N_("This decision is hereby made.")

    def write(self, part: Part, recipient: Recipient, values: RefusalFields) -> None:
        part.para(
            N_(
                "The centre received your application for {service} (application number "
                "{case_no}) on {submitted}. Having examined it, the centre has decided not to "
                "grant it, for the following reasons:"
            ),
            service=part.text(values.service),
            case_no=part.text(values.case_no),
            submitted=part.date(values.submitted_on),
        )
        part.items([part.text(r) for r in values.reasons])
        part.para(N_("Legal basis: {basis}."), basis=part.text(values.legal_basis))
        part.heading(N_("How to appeal"))
        part.para(
            N_(
                "If you disagree with this decision, you may apply to {body} for administrative "
                "reconsideration within {days} days of receiving this notice, or bring an "
                "administrative lawsuit before {court} within {months} months of receiving it."
            ),
            body=part.text(values.reconsideration_body),
            days=part.number(RECONSIDERATION_DAYS),
            court=part.text(values.court),
            months=part.number(LITIGATION_MONTHS),
        )
        part.para(
            N_(
                "You may apply again once the conditions are met. The documents you handed in "
                "are returned with this notice, except the copies the centre must keep on file."
            )
        )

    def demo(self, recipient: Recipient, today: date) -> RefusalFields:
        return RefusalFields(
            case_no=demo_case_no(recipient, today),
            service=demo_service(recipient),
            submitted_on=today - timedelta(days=12),
            reasons=[
                Bilingual(
                    "申请人在本区连续缴纳社会保险未满6个月",
                    "The applicant has paid social insurance in the district for less than six "
                    "consecutive months",
                    "申請人在本區連續繳納社會保險未滿6個月",
                ),
            ],
            legal_basis=Bilingual(
                "《广州市黄埔区人才引进入户实施办法》第八条",
                "Article 8 of the Huangpu District Measures for Household Registration of "
                "Introduced Talents",
                "《廣州市黃埔區人才引進入戶實施辦法》第八條",
            ),
        )
