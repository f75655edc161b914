"""受理通知书: the application is accepted; every document still missing is named at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from talentdesk.errors import ValidationError
from talentdesk.i18n import N_
from talentdesk.letters.content import Recipient
from talentdesk.letters.kinds import Bilingual, LetterKind, Part, field, register
from talentdesk.letters.templates._common import case_facts, demo_case_no, demo_service


@dataclass
class AcceptanceFields:
    case_no: str = field(N_("Application number"))
    service: Bilingual = field(N_("Service"))
    submitted_on: date = field(N_("Date submitted"))
    promised_by: date = field(N_("Promised completion date"))
    missing_documents: list[Bilingual] = field(
        N_("Documents still to be provided"), default_factory=list
    )
    documents_due: date | None = field(N_("Documents due by"), default=None)


@register
class AcceptanceNotice(LetterKind[AcceptanceFields]):
    code = "acceptance_notice"
    title = N_("Notice of acceptance")
    summary = N_("the application is accepted; every missing document is listed at once")
    fields = AcceptanceFields

    def check(self, values: AcceptanceFields) -> list[ValidationError]:
        if values.missing_documents and values.documents_due is None:
            return [ValidationError(N_("is required"), field=N_("Documents due by"))]
        return []

    def write(self, part: Part, recipient: Recipient, values: AcceptanceFields) -> None:
        part.para(
            N_(
                "The centre received your application for {service} on {submitted}. Having "
                "examined it, the centre accepts it as of the date of this notice."
            ),
            service=part.text(values.service),
            submitted=part.date(values.submitted_on),
        )
        case_facts(part, values.service, values.case_no, values.submitted_on)
        if values.missing_documents and values.documents_due is not None:
            part.para(
                N_(
                    "This notice names at once every document that is still missing. Please "
                    "provide all of them by {due}:"
                ),
                due=part.date(values.documents_due),
            )
            part.items([part.text(d) for d in values.missing_documents])
            part.para(
                N_(
                    "The application has been accepted despite these gaps on the strength of your "
                    "signed commitment. If the documents have not reached the centre by that "
                    "date, the centre will stop processing the application and return it to you."
                )
            )
        else:
            part.para(N_("Your documents are complete; nothing more is needed from you."))
        part.para(
            N_(
                "The centre will complete the matter by {promised}. Should the time limit have "
                "to be extended, or the matter wait for a correction, the centre will tell you "
                "in writing and give the reason."
            ),
            promised=part.date(values.promised_by),
        )
        part.para(N_("Please quote the application number in every enquiry."))

    def demo(self, recipient: Recipient, today: date) -> AcceptanceFields:
        return AcceptanceFields(
            case_no=demo_case_no(recipient, today),
            service=demo_service(recipient),
            submitted_on=today - timedelta(days=1),
            promised_by=today + timedelta(days=14),
            missing_documents=[
                Bilingual(
                    "无犯罪记录证明（经认证）",
                    "Certificate of no criminal record (authenticated)",
                    "無犯罪記錄證明（經認證）",
                ),
                Bilingual(
                    "最高学位证书（经认证）",
                    "Highest degree certificate (authenticated)",
                    "最高學位證書（經認證）",
                ),
                Bilingual("体检证明", "Medical examination certificate", "體檢證明"),
            ],
            documents_due=today + timedelta(days=7),
        )
