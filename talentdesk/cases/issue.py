"""Issue the letters a case's steps produced, through the letters package's service.

Each letter is issued, numbered and recorded as any other (so ``talentdesk letters verify``
checks it); the letters of one step go into one PDF, in the order the step gave them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from talentdesk.cases.letters import LetterRequest
from talentdesk.letters.join import join_pdfs
from talentdesk.letters.service import issue_letters as issue
from talentdesk.outputs import atomic_path, scratch_folder
from talentdesk.people.models import User


def issue_letters(
    session: Session,
    actor: User,
    requests: Sequence[LetterRequest],
    out: Path,
    *,
    today: date | None = None,
) -> int:
    """Issue every requested letter into the PDF ``out``; how many were issued."""
    if not requests:
        return 0

    def one(request: LetterRequest, path: Path) -> None:
        issue(
            session,
            actor,
            request.kind,
            [request.talent_id],
            path,
            values=request.fields,
            today=today,
        )

    if len(requests) == 1:
        one(requests[0], out)
        return 1
    # several kinds: the letters service writes one kind per file, so join the files
    with scratch_folder("talentdesk-case-letters-") as folder:
        parts = [folder / f"{n:03d}-{r.kind}.pdf" for n, r in enumerate(requests)]
        for request, part in zip(requests, parts, strict=True):
            one(request, part)
        with atomic_path(out) as target:
            join_pdfs(parts, target, title=requests[0].case_no)
    return len(requests)
