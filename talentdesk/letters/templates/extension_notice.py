"""延长审批期限告知书: the legal time limit is extended, by how much, to when and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from talentdesk.i18n import N_
from talentdesk.letters.content import Recipient
from talentdesk.letters.kinds import Bilingual, LetterKind, Part, field, register
from talentdesk.letters.templates._common import case_facts, demo_case_no, demo_service


@dataclass
class ExtensionFields:
    case_no: str = field(N_("Application number"))
    service: Bilingual = field(N_("Service"))
    submitted_on: date = field(N_("Date submitted"))
    #: how much longer, in the limit's own unit ("10 working days")
    extension: Bilingual = field(N_("Extended by"))
    legal_due_before: date = field(N_("Time limit before the extension"))
    legal_due: date = field(N_("Extended time limit"))
    reason: Bilingual = field(N_("Reason for the extension"))


@register
class ExtensionNotice(LetterKind[ExtensionFields]):
    code = "extension_notice"
    title = N_("Notice of extension of the time limit")
    summary = N_("the legal time limit is extended: by how much, until when, and why")
    fields = ExtensionFields

    def write(self, part: Part, recipient: Recipient, values: ExtensionFields) -> None:
        part.para(
            N_(
                "The centre received your application for {service} on {submitted}. The matter "
                "cannot be decided within the time limit, which ends on {before}."
            ),
            service=part.text(values.service),
            submitted=part.date(values.submitted_on),
            before=part.date(values.legal_due_before),
        )
        part.para(
            N_(
                "With the approval of the person responsible, the time limit is extended by "
                "{extension}, to {due}, for the following reason: {reason}"
            ),
            extension=part.text(values.extension),
            due=part.date(values.legal_due),
            reason=part.text(values.reason),
        )
        case_facts(part, values.service, values.case_no, values.submitted_on)
        part.para(N_("Please quote the application number in every enquiry."))

    def demo(self, recipient: Recipient, today: date) -> ExtensionFields:
        return ExtensionFields(
            case_no=demo_case_no(recipient, today),
            service=demo_service(recipient),
            submitted_on=today - timedelta(days=30),
            extension=Bilingual("10个工作日", "10 working days", "10個工作日"),
            legal_due_before=today + timedelta(days=1),
            legal_due=today + timedelta(days=15),
            reason=Bilingual(
                "须征求其他部门意见", "other departments must be consulted", "須徵求其他部門意見"
            ),
        )
