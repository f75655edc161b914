"""告知承诺书: the applicant commits in writing; the centre decides on it and verifies later."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from talentdesk.i18n import N_
from talentdesk.letters.content import Recipient
from talentdesk.letters.kinds import Bilingual, LetterKind, Part, field, register
from talentdesk.letters.templates._common import demo_case_no, demo_service


@dataclass
class CommitmentFields:
    case_no: str = field(N_("Application number"))
    service: Bilingual = field(N_("Service"))
    commitments: list[Bilingual] = field(N_("What the applicant commits to"))
    due_by: date = field(N_("Commitments to be fulfilled by"))


@register
class CommitmentForm(LetterKind[CommitmentFields]):
    code = "commitment_form"
    title = N_("Commitment form")
    summary = N_("the applicant's written commitment, to be signed (commitment-based approval)")
    fields = CommitmentFields
    addressed = "applicant"
    formula = ""

    def write(self, part: Part, recipient: Recipient, values: CommitmentFields) -> None:
        part.para(
            N_(
                "For your application for {service} (application number {case_no}), this centre "
                "has told you the conditions and the documents required. Under commitment-based "
                "approval the centre may decide on your application on the strength of the "
                "commitment below, and will verify it afterwards."
            ),
            service=part.text(values.service),
            case_no=part.text(values.case_no),
        )
        part.heading(N_("The applicant's commitment"))
        part.para(
            N_(
                "I, {name}, have read and understood the conditions and requirements above, "
                "and commit to the following:"
            ),
            name=part.text(recipient.name(part.code != "en")),
        )
        part.items([part.text(c) for c in values.commitments])
        part.para(
            N_(
                "I will fulfil these commitments and hand in the original documents by {due}, "
                "and I accept that the centre verifies what I have committed to, on site or "
                "with other authorities."
            ),
            due=part.date(values.due_by),
        )
        part.para(
            N_(
                "I understand that if a commitment proves false, or is not fulfilled by that "
                "date, the approval will be revoked, the false commitment will be entered in "
                "the public credit record, and I will bear the legal consequences."
            )
        )
        part.para(N_("This form is made in two copies: one for the applicant, one for the centre."))
        part.sign_lines([N_("Applicant's signature"), N_("Date signed")])

    def demo(self, recipient: Recipient, today: date) -> CommitmentFields:
        return CommitmentFields(
            case_no=demo_case_no(recipient, today),
            service=demo_service(recipient),
            commitments=[
                Bilingual(
                    "本人提交的学历学位信息真实有效",
                    "The degree and education details I have given are true",
                    "本人提交的學歷學位信息真實有效",
                ),
                Bilingual(
                    "本人无犯罪记录，并将补交经认证的无犯罪记录证明",
                    "I have no criminal record, and will hand in an authenticated certificate of "
                    "no criminal record",
                    "本人無犯罪記錄，並將補交經認證的無犯罪記錄證明",
                ),
            ],
            due_by=today + timedelta(days=30),
        )
