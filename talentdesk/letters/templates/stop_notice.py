"""不计入期限告知书 (行政许可法 art. 45): an expert review, an inspection or a hearing is needed;
the time it takes does not count toward the time limit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from talentdesk.i18n import N_
from talentdesk.letters.content import Recipient
from talentdesk.letters.kinds import Bilingual, LetterKind, Part, field, register
from talentdesk.letters.templates._common import case_facts, demo_case_no, demo_service


@dataclass
class StopFields:
    case_no: str = field(N_("Application number"))
    service: Bilingual = field(N_("Service"))
    submitted_on: date = field(N_("Date submitted"))
    #: what stops the clock: expert review, inspection, hearing (the catalogue's name)
    stop: Bilingual = field(N_("Procedure"))
    stopped_on: date = field(N_("From"))
    expected: Bilingual = field(N_("Time needed"))
    reason: Bilingual | None = field(N_("Reason"), default=None)


@register
class StopNotice(LetterKind[StopFields]):
    code = "stop_notice"
    title = N_("Notice of time not counted toward the time limit")
    summary = N_(
        "an expert review, inspection or hearing is needed; its time does not count toward "
        "the time limit"
    )
    fields = StopFields

    def write(self, part: Part, recipient: Recipient, values: StopFields) -> None:
        part.para(
            N_(
                "The centre received your application for {service} on {submitted}. Before it "
                "can be decided, the following procedure is needed by law: {stop}."
            ),
            service=part.text(values.service),
            submitted=part.date(values.submitted_on),
            stop=part.text(values.stop),
        )
        if values.reason is not None:
            part.para(N_("Reason: {reason}"), reason=part.text(values.reason))
        part.para(
            N_(
                "It begins on {day} and is expected to take {expected}. Under article 45 of the "
                "Administrative Licensing Law, the time it takes does not count toward the time "
                "limit of your application, which runs again when it is over."
            ),
            day=part.date(values.stopped_on),
            expected=part.text(values.expected),
        )
        case_facts(part, values.service, values.case_no, values.submitted_on)
        part.para(N_("Please quote the application number in every enquiry."))

    def demo(self, recipient: Recipient, today: date) -> StopFields:
        return StopFields(
            case_no=demo_case_no(recipient, today),
            service=demo_service(recipient),
            submitted_on=today - timedelta(days=10),
            stop=Bilingual("专家评审", "Expert review", "專家評審"),
            stopped_on=today,
            expected=Bilingual("约20个工作日", "about 20 working days", "約20個工作日"),
        )
