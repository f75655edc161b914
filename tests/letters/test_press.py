"""A large batch is drawn by worker processes, in parts joined in order: the same letters."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update

from letters.pdfs import TODAY, pages, pdf_text, qr_texts, squeezed
from talentdesk.db.engine import Database
from talentdesk.errors import UserError
from talentdesk.letters import press
from talentdesk.letters.codes import parse_qr_text
from talentdesk.letters.service import issue_letters
from talentdesk.letters.verify import verify_pdf
from talentdesk.people.models import User
from talentdesk.talents.models import Talent


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Five letters are "large": parts of two letters, drawn by two workers."""
    monkeypatch.setattr(press, "PARALLEL_FROM", 2)
    monkeypatch.setattr(press, "PART_LETTERS", 2)
    monkeypatch.setattr(press, "worker_count", lambda: 2)


def issue(database: Database, actor: User, keys: list[str], out: Path):
    with database.transaction() as session:
        return issue_letters(
            session, actor, "housing_offer", keys, out, today=TODAY, demo_defaults=True
        )


def test_letters_drawn_by_workers_are_the_letters_drawn_here(
    database: Database, admin: User, talents: dict[str, str], folder: Path, small_parts: None
) -> None:
    keys = [talents["zh_CN"], talents["zh_HK"]] * 2 + [talents["zh_CN"]]
    out = folder / "parallel.pdf"
    batch = issue(database, admin, keys, out)
    assert len(pages(out)) == batch.pages == 5
    # in the order issued: each page's QR code names its own letter
    assert [parse_qr_text(t)[0] for t in qr_texts(out)] == batch.references
    text = squeezed(pdf_text(out))
    assert "尊敬的王芳女士" in text and "尊敬的陳志明先生" in text
    with database.sessions() as session:
        check = verify_pdf(session, out)
    assert check.ok, [p.text() for p in check.problems]
    assert [c.reference for c in check.letters] == batch.references


def test_a_refusal_in_a_large_batch_reaches_the_clerk_whole_and_nothing_is_written(
    database: Database, admin: User, talents: dict[str, str], folder: Path, small_parts: None
) -> None:
    with database.transaction() as session:  # a name recorded before the glyph check
        session.execute(
            update(Talent)
            .where(Talent.record_no == talents["zh_HK"])
            .values(name_zh="陳\U0002fffd")
        )
    out = folder / "parallel.pdf"
    with pytest.raises(UserError) as caught:
        issue(database, admin, [talents["zh_CN"]] * 3 + [talents["zh_HK"]], out)
    assert "U+2FFFD" in caught.value.text()
    assert not out.exists()


class _BrokenPool:
    """Workers that cannot start (a program built without spawn support, no memory left)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def submit(self, *args: object, **kwargs: object):
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        future: Future[object] = Future()
        future.set_exception(BrokenProcessPool("a worker died"))
        return future

    def shutdown(self, **kwargs: object) -> None:
        pass


def test_when_workers_fail_the_letters_are_drawn_here_all_of_them_in_order(
    database: Database,
    admin: User,
    talents: dict[str, str],
    folder: Path,
    small_parts: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(press, "ProcessPoolExecutor", _BrokenPool)
    out = folder / "fallback.pdf"
    batch = issue(database, admin, [talents["zh_CN"], talents["zh_HK"]] * 3, out)
    assert len(pages(out)) == batch.pages == 6
    assert [parse_qr_text(t)[0] for t in qr_texts(out)] == batch.references
