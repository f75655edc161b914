"""补正材料通知书: the documents must be corrected; the clock stops until they are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from talentdesk.i18n import N_
from talentdesk.letters.content import Recipient
from talentdesk.letters.kinds import Bilingual, LetterKind, Part, field, register
from talentdesk.letters.templates._common import case_facts, demo_case_no, demo_service


@dataclass
class CorrectionFields:
    case_no: str = field(N_("Application number"))
    service: Bilingual = field(N_("Service"))
    submitted_on: date = field(N_("Date submitted"))
    corrections: list[Bilingual] = field(N_("What must be corrected or added"))
    due_by: date = field(N_("Corrections due by"))


@register
class CorrectionNotice(LetterKind[CorrectionFields]):
    code = "correction_notice"
    title = N_("Notice requesting correction of documents")
    summary = N_("the documents must be corrected or completed; the time limit is paused")
    fields = CorrectionFields

    def write(self, part: Part, recipient: Recipient, values: CorrectionFields) -> None:
        part.para(
            N_(
                "The centre received your application for {service} on {submitted}. Having "
                "examined the documents, the centre found that they are incomplete or not in the "
                "required form. Everything that must be corrected or added is listed here at "
                "once:"
            ),
            service=part.text(values.service),
            submitted=part.date(values.submitted_on),
        )
        part.items([part.text(c) for c in values.corrections])
        case_facts(part, values.service, values.case_no, values.submitted_on)
        part.para(
            N_(
                "Please hand in the corrected and added documents together, at the window, by "
                "{due}. The time limit of your application is paused from the date of this notice "
                "and runs again from the day the centre receives the complete documents."
            ),
            due=part.date(values.due_by),
        )
        part.para(
            N_(
                "If they have not reached the centre by that date and you have not given a good "
                "reason, the application will be treated as withdrawn. You may apply again at any "
                "time. Please bring this notice with you."
            )
        )

    def demo(self, recipient: Recipient, today: date) -> CorrectionFields:
        return CorrectionFields(
            case_no=demo_case_no(recipient, today),
            service=demo_service(recipient),
            submitted_on=today - timedelta(days=2),
            corrections=[
                Bilingual(
                    "劳动合同：缺少用人单位盖章页",
                    "Employment contract: the page with the employer's seal is missing",
                    "勞動合同：缺少用人單位蓋章頁",
                ),
                Bilingual(
                    "学位证书：须附中文译文并经公证",
                    "Degree certificate: a notarised Chinese translation must be attached",
                    "學位證書：須附中文譯文並經公證",
                ),
            ],
            due_by=today + timedelta(days=10),
        )
