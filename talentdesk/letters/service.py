"""Issuing letters: validate, number, compose, render into one PDF, record, audit.

One letter or a batch of thousands go the same way: :func:`issue_letters` takes the caller's
session (the caller owns the transaction), the acting user, the kind, the talents, the field
values and where to write. It reports progress and asks ``cancelled()`` between letters: a
cancelled or failed batch raises, writes no file and, with the transaction rolled back, records
no letter and uses up no reference number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, joinedload

from talentdesk.db.base import utcnow
from talentdesk.db.numbering import next_number
from talentdesk.errors import NotFound, UserError
from talentdesk.i18n import N_
from talentdesk.letters.codes import qr_text, verification_code
from talentdesk.letters.content import (
    CONTENT_FORMAT,
    Recipient,
    digest_of,
    format_reference,
)
from talentdesk.letters.kinds import (
    LetterKind,
    build_fields,
    fields_to_json,
    letter_kind,
)
from talentdesk.letters.layout import ENGLISH, Letter
from talentdesk.letters.letterhead import Letterhead, load_letterhead
from talentdesk.letters.models import IssuedLetter
from talentdesk.letters.press import Press
from talentdesk.letters.render import Book, Cancelled, never_cancelled
from talentdesk.letters.seal import current_seal
from talentdesk.letters.wording import Wording, wording_of
from talentdesk.names import cjk_chars, has_cjk
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.people.service import record_audit
from talentdesk.progress import Progress, no_progress
from talentdesk.talents.models import Talent
from talentdesk.talents.service import normalize_record_no

#: talents loaded, and letters recorded, this many at a time
CHUNK = 500

#: field values for one recipient: the same for all, or computed per recipient
FieldValues = Mapping[str, Any] | Callable[[Recipient], Mapping[str, Any]]


@dataclass(frozen=True)
class IssuedBatch:
    """What a call wrote: the file, the references in order, the number of pages, and the
    values a zh_HK letter printed converted from Simplified to Traditional (each pair once)."""

    path: Path
    references: list[str]
    pages: int
    #: (first, last) page of each letter, in the order of ``references``
    letter_pages: list[tuple[int, int]] = field(default_factory=list)
    converted: tuple[tuple[str, str], ...] = ()


def reserve_references(session: Session, prefix: str, year: int, count: int) -> int:
    """Take ``count`` consecutive numbers of the year's letter counter; the first of them."""
    return next_number(session, f"letter-{prefix}-{year}", count)


def resolve_talents(session: Session, keys: Sequence[int | str]) -> list[int]:
    """Talent ids for ids or record numbers, in the order given; every unknown one is named."""
    numbers = [normalize_record_no(k) for k in keys if isinstance(k, str)]
    by_number: dict[str, int] = {}
    for start in range(0, len(numbers), CHUNK):
        chunk = numbers[start : start + CHUNK]
        rows = session.execute(
            select(Talent.record_no, Talent.id).where(Talent.record_no.in_(chunk))
        )
        by_number.update({row.record_no: row.id for row in rows})
    ids: list[int] = []
    missing: list[str] = []
    for key in keys:
        if isinstance(key, int):
            ids.append(key)
        elif (found := by_number.get(normalize_record_no(key))) is not None:
            ids.append(found)
        else:
            missing.append(key)
    if missing:
        raise NotFound(N_("no talent with record number {value}"), value=", ".join(missing))
    return ids


def _talents(session: Session, ids: Sequence[int]) -> Iterator[Talent]:
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        loaded = {
            t.id: t
            for t in session.scalars(
                select(Talent).options(joinedload(Talent.employer)).where(Talent.id.in_(chunk))
            )
        }
        for talent_id in chunk:
            if talent_id not in loaded:
                raise NotFound(N_("no talent with record number {value}"), value=str(talent_id))
            yield loaded[talent_id]


def compose_letter(
    kind: LetterKind[Any],
    recipient: Recipient,
    values: object,
    *,
    reference: str,
    issued_on: date,
    letterhead: Letterhead,
    draft: bool = False,
    drawing: bool = True,
    wording: Wording | None = None,
) -> tuple[Letter, dict[str, Any], str]:
    """The letter ready to render (unless not ``drawing``: see LetterPart), its canonical
    content and that content's digest. ``wording``: the kind's revised texts (wording.py)."""
    letter = Letter(
        kind=kind,
        reference=reference,
        issued_on=issued_on,
        recipient=recipient,
        letterhead=letterhead,
        values=values,
        chinese="zh_HK" if recipient.letter_language == "zh_HK" else "zh_CN",
        draft=draft,
        wording=wording.texts if wording is not None else {},
    )
    letter.compose(drawing=drawing)
    check_english(letter)
    content = {
        "format": CONTENT_FORMAT,
        "reference": reference,
        "kind": kind.code,
        "issued_on": issued_on.isoformat(),
        "languages": letter.languages,
        "letterhead": letterhead.printed(),
        "recipient": recipient.to_json(),
        "fields": fields_to_json(values),
        "printed": letter.printed(),
    }
    if wording is not None and wording.version:  # the program's own wording: no entry
        content["wording"] = wording.version
    digest = digest_of(content)
    # the QR code's text (see codes.py) is set by the issuer, which holds the session and key
    letter.qr_payload = ""
    return letter, content, digest


def check_english(letter: Letter) -> None:
    """Refuse a letter whose English would show Chinese characters, rather than print it.

    The fields were checked when they were built (kinds.language_errors); this is the last
    look, at what the composed English part and the English lines of the letterhead and the
    reference block really print. A talent's name is never the reason (with no Latin name it
    prints in pinyin); an employer with no English name is, since no program can guess it.
    """
    recipient = letter.recipient
    if recipient.employer_zh and not recipient.employer_en:
        raise UserError(
            N_(
                "the employer {name} has no English name, which the letter prints: enter it "
                "in the employer's record"
            ),
            name=recipient.employer_zh,
        )
    head = letter.letterhead
    english = [recipient.name_en, recipient.employer_en, head.name_en, head.address_en]
    for part in letter.parts:
        if part.code == ENGLISH:
            english += part.printed
    for text in english:
        if has_cjk(text):
            raise UserError(
                N_(
                    "the English part of the letter would print Chinese characters ({chars}) "
                    "in {value}: nothing was written"
                ),
                chars=cjk_chars(text),
                value=text,
            )


def _naming(recipient: Recipient, exc: UserError) -> UserError:
    """An error of one letter in a batch, naming the talent it is about."""
    return UserError(
        N_("record {record_no}: {reason}"), record_no=recipient.record_no, reason=exc.text()
    )


def issue_letters(
    session: Session,
    actor: User,
    kind_code: str,
    talents: Sequence[int | str],
    out: Path,
    *,
    values: FieldValues | None = None,
    demo_defaults: bool = False,
    today: date | None = None,
    progress: Progress = no_progress,
    cancelled: Callable[[], bool] = never_cancelled,
    part_pages: int | None = None,
    draft: bool = False,
    wording: Wording | None = None,
) -> IssuedBatch:
    """Issue one letter of ``kind_code`` to each talent, all into one PDF at ``out``.

    ``values`` are the kind's fields (typed, or text as the command line gives them); with
    ``demo_defaults`` a field not given takes the kind's demo value, so that any kind can be
    tried on the demo database. Every letter's fields are checked before it is written; the
    first bad one stops the batch, naming the talent and the field.

    A ``draft`` is for previewing: every page is marked as a draft, the reference reads
    PREFIX-YEAR-DRAFT, there is no QR code, and nothing is recorded or numbered.

    Letters are composed with the kind's latest wording (wording.py), or a draft with the
    ``wording`` given (a revision previewed before it is kept).
    """
    require(actor, Permission.ISSUE_LETTERS)
    kind = letter_kind(kind_code)
    if wording is None or not draft:
        wording = wording_of(session, kind.code)
    if not talents:
        raise UserError(N_("no talents given"))
    today = today or date.today()
    letterhead = load_letterhead(session)
    ids = resolve_talents(session, talents)
    prefix = letterhead.reference_prefix
    first = 0 if draft else reserve_references(session, prefix, today.year, len(ids))

    def fields_for(recipient: Recipient) -> object:
        given = values(recipient) if callable(values) else (values or {})
        defaults = kind.demo(recipient, today) if demo_defaults else None
        try:
            return build_fields(kind, given, defaults=defaults)
        except UserError as exc:
            if len(ids) == 1:
                raise
            raise _naming(recipient, exc) from exc

    references: list[str] = []
    converted: dict[tuple[str, str], None] = {}
    digests: list[str] = []
    placed: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    title = kind.title
    options = {"part_pages": part_pages} if part_pages else {}
    seal = None if draft else current_seal(session, actor)
    sealed_at = utcnow()
    with (
        Book(
            out,
            title=title,
            author=letterhead.name_en,
            seal=seal,
            **options,
        ) as book,
        Press(book, len(ids)) as press,
    ):
        for number, talent in enumerate(_talents(session, ids)):
            if cancelled():
                raise Cancelled()
            recipient = Recipient.of(talent)
            if draft:
                reference = f"{prefix}-{today.year}-DRAFT"
            else:
                reference = format_reference(prefix, today.year, first + number)
            fields = fields_for(recipient)
            try:
                letter, content, digest = compose_letter(
                    kind,
                    recipient,
                    fields,
                    reference=reference,
                    issued_on=today,
                    letterhead=letterhead,
                    draft=draft,
                    drawing=not press.parallel,
                    wording=wording,
                )
            except UserError as exc:
                if len(ids) == 1:
                    raise
                raise _naming(recipient, exc) from exc
            if not draft:
                code = verification_code(session, reference, digest, writing=True)
                letter.sealed_at = sealed_at
                letter.qr_payload = qr_text(kind, letter.values, reference, today.isoformat(), code)
            press.add(letter)
            converted.update(dict.fromkeys(letter.converted()))
            references.append(reference)
            digests.append(digest)
            # drawing may lag behind in the workers: the last step is theirs
            progress(min(number + 1, len(ids) - 1), len(ids))
            if draft:
                continue
            rows.append(
                {
                    "reference": reference,
                    "kind": kind.code,
                    "talent_id": talent.id,
                    "languages": " ".join(letter.languages),
                    "content": content,
                    "digest": digest,
                    "issued_at": utcnow(),
                    "issued_by": actor.id,
                }
            )
            if len(rows) >= CHUNK:
                session.execute(insert(IssuedLetter), rows)
                rows = []
        if rows:
            session.execute(insert(IssuedLetter), rows)
        last = 0
        for reference, digest, pages in zip(references, digests, press.finish(), strict=True):
            placed.append(
                {"reference": reference, "digest": digest, "pages": [last + 1, last + pages]}
            )
            last += pages
        progress(len(ids), len(ids))
        book.manifest = {"letters": placed}
        pages = book.pages
    letter_pages = [(p["pages"][0], p["pages"][1]) for p in placed]
    if draft:
        return IssuedBatch(out, references, pages, letter_pages, tuple(converted))
    for start in range(0, len(references), CHUNK):
        session.execute(
            update(IssuedLetter)
            .where(IssuedLetter.reference.in_(references[start : start + CHUNK]))
            .values(file_digest=book.file_digest)
        )
    record_audit(
        session,
        actor,
        "letters.issue",
        "letter",
        None,
        after={
            "kind": kind.code,
            "count": len(references),
            "first": references[0],
            "last": references[-1],
            "file": out.name,
            "file_digest": book.file_digest,
        },
    )
    return IssuedBatch(out, references, pages, letter_pages, tuple(converted))


def combine_batches(
    session: Session, actor: User, batches: Sequence[IssuedBatch], out: Path, *, title: str
) -> IssuedBatch:
    """Join issued batches (letters of several kinds for one case) into one file at ``out``,
    signed again as one: its manifest lists every letter with its pages, and each letter's
    record names the joined file (the parts are scratch: ``letters verify`` takes the
    joined one)."""
    from talentdesk.letters.join import join_pdfs
    from talentdesk.letters.signing import sign_pdf
    from talentdesk.letters.stamp import LETTER_SEAL_BOX
    from talentdesk.outputs import atomic_path, file_sha256

    references = [reference for batch in batches for reference in batch.references]
    digests = dict(
        session.execute(
            select(IssuedLetter.reference, IssuedLetter.digest).where(
                IssuedLetter.reference.in_(references)
            )
        ).all()
    )
    placed, before = [], 0
    for batch in batches:
        for reference, (start, end) in zip(batch.references, batch.letter_pages, strict=True):
            span = (before + start, before + end)
            placed.append({"reference": reference, "digest": digests[reference], "pages": span})
        before += batch.pages
    with atomic_path(out) as target:
        pages = join_pdfs([b.path for b in batches], target, title=title)
        sign_pdf(target, current_seal(session, actor), {"letters": placed}, box=LETTER_SEAL_BOX)
        digest = file_sha256(target)
    session.execute(
        update(IssuedLetter)
        .where(IssuedLetter.reference.in_(references))
        .values(file_digest=digest)
    )
    return IssuedBatch(out, references, pages, [(p["pages"][0], p["pages"][1]) for p in placed])


def issued_letter(session: Session, reference: str) -> IssuedLetter | None:
    return session.scalar(select(IssuedLetter).where(IssuedLetter.reference == reference))
