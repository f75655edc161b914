"""What several kinds share: the service a case letter is about, and demo values."""

from __future__ import annotations

from datetime import date

from talentdesk.i18n import N_
from talentdesk.letters.content import Recipient
from talentdesk.letters.kinds import Bilingual, Part

WORK_PERMIT = Bilingual(
    zh="外国人来华工作许可（90日以上）",
    zh_hk="外國人來華工作許可（90日以上）",
    en="Foreigner's work permit (over 90 days)",
)
HUKOU = Bilingual(
    zh="人才引进入户", zh_hk="人才引進入戶", en="Household registration through the talent channel"
)


def demo_service(recipient: Recipient) -> Bilingual:
    """A work permit for a foreign talent, household registration for anyone else."""
    return HUKOU if recipient.name_zh else WORK_PERMIT


def demo_case_no(recipient: Recipient, today: date) -> str:
    return f"GZSC{today.year}{int(recipient.record_no[1:] or 0) % 1_000_000:06d}"


def case_facts(part: Part, service: Bilingual, case_no: str, submitted_on: date) -> None:
    part.facts(
        [
            (N_("Service"), part.text(service)),
            (N_("Application number"), part.text(case_no)),
            (N_("Date submitted"), part.date(submitted_on)),
        ]
    )
