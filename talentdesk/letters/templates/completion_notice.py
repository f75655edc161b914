"""办结通知书: the matter is done; what the result is and where to collect it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from talentdesk.i18n import N_
from talentdesk.letters.content import Recipient
from talentdesk.letters.kinds import Bilingual, LetterKind, Part, field, register
from talentdesk.letters.templates._common import demo_case_no, demo_service


@dataclass
class CompletionFields:
    case_no: str = field(N_("Application number"))
    service: Bilingual = field(N_("Service"))
    completed_on: date = field(N_("Date completed"))
    outcome: Bilingual = field(N_("Outcome"))
    collection: Bilingual | None = field(N_("Where to collect"), default=None)


@register
class CompletionNotice(LetterKind[CompletionFields]):
    code = "completion_notice"
    title = N_("Notice of completion")
    summary = N_("the matter is completed: the outcome and where to collect it")
    fields = CompletionFields

    def write(self, part: Part, recipient: Recipient, values: CompletionFields) -> None:
        part.para(
            N_("Your application for {service} was completed on {completed}."),
            service=part.text(values.service),
            completed=part.date(values.completed_on),
        )
        rows = [
            (N_("Application number"), part.text(values.case_no)),
            (N_("Outcome"), part.text(values.outcome)),
        ]
        if values.collection:
            rows.append((N_("Where to collect"), part.text(values.collection)))
        part.facts(rows)
        part.para(
            N_(
                "Please bring your identity document and this notice when you collect it. "
                "Someone collecting for you needs your written authorisation and their own "
                "identity document."
            )
        )
        part.para(
            N_(
                "You may rate this service, from very satisfied to very dissatisfied, at the "
                "window or by telephone; the centre reads every rating."
            )
        )

    def demo(self, recipient: Recipient, today: date) -> CompletionFields:
        return CompletionFields(
            case_no=demo_case_no(recipient, today),
            service=demo_service(recipient),
            completed_on=today,
            outcome=Bilingual(
                "准予办理，证件已制作完成",
                "Granted; the document is ready",
                "准予辦理，證件已製作完成",
            ),
            collection=Bilingual(
                "科学城人才服务中心一楼3号窗口（工作日9:00–17:00）",
                "Window 3, ground floor, Science City Talent Service Centre (working days "
                "9:00–17:00)",
                "科學城人才服務中心一樓3號窗口（工作日9:00–17:00）",
            ),
        )
