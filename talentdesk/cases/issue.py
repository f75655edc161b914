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
from talentdesk.letters.service import IssuedBatch, combine_batches
from talentdesk.letters.service import issue_letters as issue
from talentdesk.outputs import scratch_folder
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
    return len(issue_case_letters(session, actor, requests, out, today=today))


def issue_case_letters(
    session: Session,
    actor: User,
    requests: Sequence[LetterRequest],
    out: Path,
    *,
    today: date | None = None,
) -> list[str]:
    """Issue every requested letter into the PDF ``out``; their references (TD-2026-…)."""
    if not requests:
        return []

    def one(request: LetterRequest, path: Path) -> IssuedBatch:
        return issue(
            session,
            actor,
            request.kind,
            [request.talent_id],
            path,
            values=request.fields,
            today=today,
        )

    if len(requests) == 1:
        return list(one(requests[0], out).references)
    # several kinds: the letters service writes one kind per file; the files are joined into
    # one, signed again as one (see combine_batches)
    with scratch_folder("talentdesk-case-letters-") as folder:
        batches = [
            one(request, folder / f"{n:03d}-{request.kind}.pdf")
            for n, request in enumerate(requests)
        ]
        combine_batches(session, actor, batches, out, title=requests[0].case_no)
    return [reference for batch in batches for reference in batch.references]
