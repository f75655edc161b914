"""视为撤回申请告知书: the corrections did not come by their deadline; the application is
treated as withdrawn."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from talentdesk.i18n import N_
from talentdesk.letters.content import Recipient
from talentdesk.letters.kinds import Bilingual, LetterKind, Part, field, register
from talentdesk.letters.templates._common import case_facts, demo_case_no, demo_service


@dataclass
class WithdrawalFields:
    case_no: str = field(N_("Application number"))
    service: Bilingual = field(N_("Service"))
    submitted_on: date = field(N_("Date submitted"))
    requested_on: date = field(N_("Corrections requested on"))
    due_by: date = field(N_("Corrections due by"))
    withdrawn_on: date = field(N_("Treated as withdrawn on"))
    corrections: list[Bilingual] = field(
        N_("What must be corrected or added"), default_factory=list
    )


@register
class WithdrawalNotice(LetterKind[WithdrawalFields]):
    code = "withdrawal_notice"
    title = N_("Notice that the application is treated as withdrawn")
    summary = N_("the corrections did not come by their deadline; the application is withdrawn")
    fields = WithdrawalFields

    def write(self, part: Part, recipient: Recipient, values: WithdrawalFields) -> None:
        part.para(
            N_(
                "The centre received your application for {service} on {submitted}. On "
                "{requested} the centre asked you to correct or add documents by {due}:"
            ),
            service=part.text(values.service),
            submitted=part.date(values.submitted_on),
            requested=part.date(values.requested_on),
            due=part.date(values.due_by),
        )
        if values.corrections:
            part.items([part.text(c) for c in values.corrections])
        part.para(
            N_(
                "They had not reached the centre by that date, and no good reason was given. "
                "The application is therefore treated as withdrawn as of {day}, and the centre "
                "closes it. You may apply again at any time."
            ),
            day=part.date(values.withdrawn_on),
        )
        case_facts(part, values.service, values.case_no, values.submitted_on)
        part.para(N_("Please quote the application number in every enquiry."))

    def demo(self, recipient: Recipient, today: date) -> WithdrawalFields:
        return WithdrawalFields(
            case_no=demo_case_no(recipient, today),
            service=demo_service(recipient),
            submitted_on=today - timedelta(days=30),
            requested_on=today - timedelta(days=20),
            due_by=today - timedelta(days=3),
            withdrawn_on=today,
            corrections=[
                Bilingual(
                    "劳动合同：缺少用人单位盖章页",
                    "Employment contract: the page with the employer's seal is missing",
                    "勞動合同：缺少用人單位蓋章頁",
                )
            ],
        )
