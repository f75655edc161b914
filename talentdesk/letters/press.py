"""Rendering a batch of letters on every core: parts drawn in worker processes, joined in order.

Composing a letter (its wording, values and digest) and recording it stay in the issuing
process, which holds the session and the key. Drawing it (layout, fonts, QR code: four fifths
of a letter's time) is pure: a batch of :data:`PARALLEL_FROM` letters or more is cut into
parts of up to :data:`PART_LETTERS`, each drawn by a worker process into a complete PDF from a
:class:`LetterOrder` (what a worker needs to compose the same letter again), and the parts are
joined in order into the book (see render.Book.add_part). A smaller batch, or a computer with one
core, draws in the issuing process. Worker processes are started fresh ("spawn", as Windows
does), so they share nothing with the session.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
import tempfile
from collections import deque
from collections.abc import Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from talentdesk.errors import UserError
from talentdesk.letters.content import Recipient
from talentdesk.letters.layout import Letter, render_letter
from talentdesk.letters.letterhead import Letterhead
from talentdesk.letters.render import Book

log = logging.getLogger(__name__)

#: a batch this large is drawn by worker processes
PARALLEL_FROM = 200
#: letters per part a worker draws (each part carries its own font subsets)
PART_LETTERS = 500
#: worker processes at most (a desktop's cores; more only adds start-up time)
MAX_WORKERS = 4


@dataclass(frozen=True)
class LetterOrder:
    """What a worker needs to compose and draw one letter exactly as the issuer composed it."""

    kind: str
    reference: str
    issued_on: date
    recipient: Recipient
    letterhead: Letterhead
    values: object
    chinese: str
    qr_payload: str
    sealed_at: datetime | None
    draft: bool
    wording: Mapping[str, Mapping[str, str]]

    @classmethod
    def of(cls, letter: Letter) -> LetterOrder:
        return cls(
            letter.kind.code,
            letter.reference,
            letter.issued_on,
            letter.recipient,
            letter.letterhead,
            letter.values,
            letter.chinese,
            letter.qr_payload,
            letter.sealed_at,
            letter.draft,
            letter.wording,
        )

    def letter(self) -> Letter:
        from talentdesk.letters.kinds import letter_kind

        letter = Letter(
            kind=letter_kind(self.kind),
            reference=self.reference,
            issued_on=self.issued_on,
            recipient=self.recipient,
            letterhead=self.letterhead,
            values=self.values,
            chinese=self.chinese,
            qr_payload=self.qr_payload,
            sealed_at=self.sealed_at,
            draft=self.draft,
            wording=self.wording,
        )
        letter.compose()
        return letter


@dataclass(frozen=True)
class _Refused:
    """A UserError raised in a worker, carried back whole (exceptions lose their fields)."""

    message: str
    field: str | None
    params: dict[str, Any]


def draw_part(orders: list[LetterOrder], path: str) -> list[int] | _Refused:
    """In a worker: draw ``orders`` into the PDF ``path``; the page count of each letter."""
    try:
        pages = []
        with Book(Path(path), part_pages=10**9) as book:
            for order in orders:
                pages.append(render_letter(book, order.letter()))
        return pages
    except UserError as error:
        return _Refused(error.message, error.field, dict(error.params))


def get_ready() -> None:
    """In a worker, as soon as it starts: load what drawing needs (the modules, the fonts, the
    styles), while the issuer composes the first part rather than after it sent it."""
    from talentdesk.letters.layout import styles

    for chinese in (True, False):
        styles(chinese)


def worker_count() -> int:
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


class Press:
    """Draws a batch's letters into ``book`` in the order they are given (see the module)."""

    def __init__(self, book: Book, total: int) -> None:
        self.book = book
        workers = worker_count()
        self.parallel = total >= PARALLEL_FROM and workers > 1
        self.part_letters = max(1, min(PART_LETTERS, math.ceil(total / workers)))
        #: page count of each letter drawn, in order
        self.pages: list[int] = []
        self._waiting: list[LetterOrder] = []
        self._sent = 0
        self._parts: deque[tuple[Future[list[int] | _Refused], Path, list[LetterOrder]]] = deque()
        self._pool: ProcessPoolExecutor | None = None
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        if self.parallel:
            self._folder = tempfile.TemporaryDirectory(prefix="talentdesk-press-")
            self._pool = ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("spawn")
            )
            # a worker starts when a task waits for it: start them all now, each getting ready
            # (a second or more of loading) while the first part is composed here
            try:
                for _worker in range(workers):
                    self._pool.submit(get_ready)
            except (BrokenProcessPool, RuntimeError, OSError):
                pass  # the first part's submit meets the same fault and draws here

    def __enter__(self) -> Press:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        if self._folder is not None:
            self._folder.cleanup()

    def add(self, letter: Letter) -> None:
        """Draw ``letter`` (now, or in a worker's part)."""
        if not self.parallel:
            if letter.parts and not letter.parts[0].drawing:  # composed for a worker
                letter = LetterOrder.of(letter).letter()
            self.pages.append(render_letter(self.book, letter))
            return
        self._waiting.append(LetterOrder.of(letter))
        if len(self._waiting) >= self.part_letters:
            self._send()
        # keep the book filling in order while the workers draw
        while self._parts and self._parts[0][0].done():
            self._take()

    def finish(self) -> list[int]:
        """Wait for every part and put it in the book; the page count of each letter."""
        if self._waiting:
            self._send()
        while self._parts:
            self._take()
        return self.pages

    def _send(self) -> None:
        assert self._pool is not None and self._folder is not None
        self._sent += 1
        path = Path(self._folder.name) / f"part-{self._sent:05d}.pdf"
        orders, self._waiting = self._waiting, []
        try:
            future = self._pool.submit(draw_part, orders, str(path))
        except (BrokenProcessPool, RuntimeError, OSError):
            self._draw_here(orders)
            return
        self._parts.append((future, path, orders))

    def _take(self) -> None:
        future, path, orders = self._parts.popleft()
        try:
            drawn = future.result()
        except (BrokenProcessPool, OSError) as error:
            # workers cannot start or died (no spawn in this program, memory): draw here
            log.warning("letters drawn in this process: the workers failed (%s)", error)
            self._draw_here(orders)
            return
        if isinstance(drawn, _Refused):
            raise UserError(drawn.message, field=drawn.field, **drawn.params)
        self.book.add_part(path, sum(drawn))
        self.pages += drawn

    def _draw_here(self, orders: list[LetterOrder]) -> None:
        """Draw in this process, in order: this part, then every part sent after it."""
        self.parallel = False
        later = [order for _future, _path, sent in self._parts for order in sent]
        self._parts.clear()
        for order in [*orders, *later, *self._waiting]:
            self.pages.append(render_letter(self.book, order.letter()))
        self._waiting = []
