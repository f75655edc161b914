"""The page engine: sections (a letter, a report) laid out page by page into one PDF, safely.

A :class:`Book` writes sections one after another. Each section numbers its own pages ("page x
of y"; a report of several parts is one section, numbered through): a page draws a form XObject
where its number goes, and the forms are defined once the section knows how many pages it has
(reportlab allows a form to be used before it is defined). A section's pages may differ in size
(a portrait summary, a landscape table): the numberer is told each page's size.

reportlab keeps every page of a document in memory until it saves, so a long batch is written in
parts of about :data:`PART_PAGES` pages, each a complete PDF in a temporary folder, then joined
into one file (see join.py): drawing takes the same memory however many letters a batch has,
and the join about 10 KB a page.

The output is written to a temporary file beside the target and renamed over it only when the
whole book is done: a failed or cancelled batch leaves neither a broken nor a partial file.
A book given the centre's seal is signed as its last step (see signing.py).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame
from reportlab.platypus.doctemplate import ActionFlowable

from talentdesk.errors import UserError
from talentdesk.i18n import N_
from talentdesk.letters.fonts import register_fonts
from talentdesk.letters.stamp import LETTER_SEAL_BOX
from talentdesk.outputs import atomic_path, file_sha256

if TYPE_CHECKING:
    from talentdesk.letters.seal import Seal

#: pages per part file of a long book (see the module's docstring)
PART_PAGES = 1000
#: Streams are Flate-compressed binary; ASCII85 on top only makes files larger and slower.
rl_config.useA85 = 0


class Cancelled(UserError):
    """The user stopped a long job; nothing was written."""

    def __init__(self) -> None:
        super().__init__(N_("cancelled; nothing was written"))


def never_cancelled() -> bool:
    return False


#: draws ``page`` of ``pages`` on a page of the size given (in a form the size of the page)
PageNumberer = Callable[[Canvas, int, int, tuple[float, float]], None]


class Book:
    """One PDF being written: use as a context manager; the file appears only on success."""

    def __init__(
        self,
        path: Path,
        *,
        title: str = "",
        author: str = "",
        part_pages: int = PART_PAGES,
        seal: Seal | None = None,
        seal_box: tuple[float, float, float, float] = LETTER_SEAL_BOX,
    ) -> None:
        register_fonts()
        self.path = path
        self.title = title
        self.author = author
        self.part_pages = part_pages
        #: signs the finished file (with the manifest the writer sets), when given
        self.seal = seal
        self.seal_box = seal_box
        self.manifest: dict[str, Any] = {}
        #: SHA-256 of the finished (signed) file, once it is written
        self.file_digest = ""
        self._stack = ExitStack()
        self._target: Path | None = None
        self._parts_dir: Path | None = None
        self._parts: list[Path] = []
        self._canvas: Canvas | None = None
        self._part_page_count = 0
        self._sections = 0
        self._section_pages: list[tuple[str, tuple[float, float]]] = []
        #: the forms of :meth:`stamp` the current part holds, by their key
        self._stamps: dict[Hashable, str] = {}
        self._page_open = False
        self.pages = 0

    # -- the file ---------------------------------------------------------------------------

    def __enter__(self) -> Book:
        self._target = self._stack.enter_context(atomic_path(self.path))
        self._parts_dir = Path(tempfile.mkdtemp(prefix="talentdesk-pdf-"))
        self._stack.callback(shutil.rmtree, self._parts_dir, ignore_errors=True)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool | None:
        if exc is None:
            try:
                self._finish()
            except BaseException as error:
                if not self._stack.__exit__(type(error), error, error.__traceback__):
                    raise
                return None
        return self._stack.__exit__(exc_type, exc, tb)

    def _finish(self) -> None:
        assert self._target is not None
        if self._canvas is not None:
            self._save_part()
        if not self._parts:
            raise UserError(N_("nothing to write to {path}"), path=str(self.path))
        if len(self._parts) == 1:
            shutil.move(self._parts[0], self._target)
        else:
            from talentdesk.letters.join import join_pdfs

            join_pdfs(self._parts, self._target, title=self.title, author=self.author)
        if self.seal is not None:
            from talentdesk.letters.signing import sign_pdf

            sign_pdf(self._target, self.seal, self.manifest, box=self.seal_box)
        self.file_digest = file_sha256(self._target)

    @property
    def canvas(self) -> Canvas:
        if self._canvas is None:
            assert self._parts_dir is not None, "use the Book in a with block"
            path = self._parts_dir / f"part-{len(self._parts):05d}.pdf"
            canvas = Canvas(str(path), pagesize=A4, initialFontName=register_fonts()[0])
            canvas.setTitle(self.title)
            canvas.setAuthor(self.author)
            canvas.setCreator("talentdesk")
            self._canvas = canvas
            self._parts.append(path)
        return self._canvas

    def _save_part(self) -> None:
        assert self._canvas is not None
        self._canvas.save()
        self._canvas = None
        self._part_page_count = 0
        self._stamps = {}

    def add_part(self, path: Path, pages: int) -> None:
        """Put a complete PDF of ``pages`` pages drawn elsewhere (see press.py) next in the book;
        the file is moved into the book's folder. Only between sections."""
        assert self._parts_dir is not None, "use the Book in a with block"
        if self._canvas is not None:
            self._save_part()
        moved = self._parts_dir / f"part-{len(self._parts):05d}.pdf"
        shutil.move(path, moved)
        self._parts.append(moved)
        self.pages += pages

    # -- sections and pages -----------------------------------------------------------------

    @contextmanager
    def section(self, numberer: PageNumberer) -> Iterator[None]:
        """Pages started inside are one section, numbered by ``numberer(canvas, page, pages,
        pagesize)``.

        A part ends only between sections, so a section's forms live in its part.
        """
        self._sections += 1
        self._section_pages = []
        yield
        self._close_page()
        canvas = self.canvas
        pages = len(self._section_pages)
        for number, (name, size) in enumerate(self._section_pages, start=1):
            canvas.beginForm(name, 0, 0, size[0], size[1])
            numberer(canvas, number, pages, size)
            canvas.endForm()
        if self._part_page_count >= self.part_pages:
            self._save_part()

    def new_page(self, pagesize: tuple[float, float] = A4) -> Canvas:
        """Start a page of the current section and return the canvas to draw it on."""
        self._close_page()
        canvas = self.canvas
        canvas.setPageSize(pagesize)
        self._section_pages.append((f"pn{self._sections}_{len(self._section_pages) + 1}", pagesize))
        self._page_open = True
        self.pages += 1
        self._part_page_count += 1
        return canvas

    def stamp(self, key: Hashable, draw: Callable[[Canvas], None]) -> None:
        """Draw on this page what ``draw`` draws, kept once in the part as a form that each
        page showing it refers to: for marks many pages share, the same for the same ``key``
        (the letterhead, the seal's mark). Drawn once, they cost a page nothing to draw again
        and the file nothing to hold again."""
        canvas = self.canvas
        name = self._stamps.get(key)
        if name is None:
            name = self._stamps[key] = f"stamp{len(self._stamps) + 1}"
            canvas.beginForm(name)
            draw(canvas)
            canvas.endForm()
        canvas.doForm(name)

    def page_number(self) -> None:
        """Draw this page's "page x of y" here (defined when the section ends)."""
        self.canvas.doForm(self._section_pages[-1][0])

    @property
    def page_in_section(self) -> int:
        return len(self._section_pages)

    def _close_page(self) -> None:
        if self._page_open:
            self.canvas.showPage()
            self._page_open = False


FrameFor = Callable[[int], Frame]


def flow(
    book: Book,
    story: list[Flowable],
    frame_for: FrameFor,
    furnish: Callable[[Canvas, int], None],
    pagesize: tuple[float, float] = A4,
) -> int:
    """Lay out ``story`` over as many pages of the current section as it needs; the page count.

    ``frame_for(page)`` gives the frame of a page (the first may differ), ``furnish(canvas,
    page)`` draws its header and footer. A flowable taller than an empty frame is an error.
    """
    pages = 0
    story = list(story)
    while story:
        pages += 1
        canvas = book.new_page(pagesize)
        furnish(canvas, book.page_in_section)
        frame = frame_for(book.page_in_section)
        placed = _fill(frame, story, canvas)
        if not placed and story:
            raise UserError(N_("a part of the document is too large for a page"))
    return pages


def _fill(frame: Frame, story: list[Flowable], canvas: Canvas) -> int:
    """Put as much of ``story`` into ``frame`` as fits, splitting where it can; how many went in.

    Does what platypus's document template does with the actions a split may return: a frame
    break (KeepTogether's "start me on the next page") ends the page unless the page is still
    empty, where it is dropped so that an over-tall group is split rather than moved forever.
    """
    placed = 0
    while story:
        head = story[0]
        if isinstance(head, ActionFlowable):
            story.pop(0)
            if head.action[:1] in (("frameEnd",), ("pageEnd",)) and placed:
                break
            continue
        if frame.add(head, canvas, trySplit=0):
            story.pop(0)
            placed += 1
            continue
        pieces: Sequence[Flowable] = frame.split(head, canvas)
        if not pieces or (len(pieces) == 1 and pieces[0] is head):
            break
        story[0:1] = list(pieces)
        if not isinstance(pieces[0], ActionFlowable):
            if not frame.add(pieces[0], canvas, trySplit=0):
                break
            story.pop(0)
            placed += 1
    return placed
