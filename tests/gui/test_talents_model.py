"""The talents table model: Qt's model rules, lazy pages, SQL sorting."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from talentdesk.gui import paged_model, talents_model
from talentdesk.gui.talents_model import COLUMNS, TALENT_ID_ROLE, TalentsTableModel
from talentdesk.talents.search import SORT_COLUMNS, talent_ids, talent_rows

from signing import open_desk


@pytest.fixture
def model(qapp, talent_db):
    model = TalentsTableModel(open_desk(talent_db))
    model.reload()
    return model


def test_every_column_sorts_on_an_sql_column():
    assert all(c.sort_key in SORT_COLUMNS for c in COLUMNS)
    assert len({c.sort_key for c in COLUMNS}) == len(COLUMNS)


@pytest.mark.parametrize("force_py", [False, True], ids=["qt tester", "python tester"])
def test_model_passes_qtmodeltester(qtmodeltester, model, force_py):
    qtmodeltester.check(model, force_py=force_py)
    model.set_query("王")
    model.sort(4, Qt.SortOrder.DescendingOrder)
    model.set_query("")
    model.sort(8, Qt.SortOrder.AscendingOrder)
    model.retranslate()
    model.reload()


def test_model_passes_qtmodeltester_when_empty(qtmodeltester, model):
    model.set_query("没有这个人")
    qtmodeltester.check(model)
    assert model.rowCount() == 0
    model.sort(0, Qt.SortOrder.DescendingOrder)


def test_rows_match_the_service(model, talent_db):
    with talent_db.sessions() as session:
        ids = talent_ids(session)
        rows = talent_rows(session, ids)
    assert [model.index(r, 0).data(TALENT_ID_ROLE) for r in range(model.rowCount())] == ids
    first = rows[ids[0]]
    shown = [model.index(0, c).data() for c in range(model.columnCount())]
    assert shown[0] == first.record_no
    assert shown[1] == first.name_zh
    assert shown[4] == (first.birth_date.isoformat() if first.birth_date else "")
    assert shown[3] in ("Male", "Female")
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Name"
    assert model.headerData(0, Qt.Orientation.Vertical) is None


def test_rows_are_fetched_a_page_at_a_time_and_few_pages_are_kept(model, monkeypatch):
    calls: list[int] = []
    real = talents_model.talent_rows

    def counting(session, ids):
        calls.append(len(ids))
        return real(session, ids)

    monkeypatch.setattr(talents_model, "talent_rows", counting)
    monkeypatch.setattr(paged_model, "PAGE_SIZE", 20)
    monkeypatch.setattr(paged_model, "CACHED_PAGES", 3)
    model.reload()
    assert calls == []  # opening reads ids only
    for column in range(model.columnCount()):
        model.index(5, column).data()
    assert calls == [20]  # one query for a whole page, whatever the column
    texts = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert len(calls) == 15
    assert len(model._pages) == 3
    assert all(texts)


def test_sort_moves_persistent_indexes_with_their_talent(model):
    talent = model.talent_id(10)
    kept = QPersistentModelIndex(model.index(10, 2))
    model.sort(4, Qt.SortOrder.AscendingOrder)
    assert kept.isValid()
    assert kept.column() == 2
    assert model.talent_id(kept.row()) == talent


def test_same_sort_twice_reads_nothing(model, monkeypatch):
    model.sort(4, Qt.SortOrder.AscendingOrder)
    monkeypatch.setattr(talents_model, "talent_ids", lambda *a, **k: pytest.fail("read again"))
    model.sort(4, Qt.SortOrder.AscendingOrder)
    assert model.sort_column == 4


def test_category_and_gender_follow_the_language(model, monkeypatch):
    category = next(c for c, col in enumerate(COLUMNS) if col.sort_key == "category")
    english = model.index(0, category).data()
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b: changed.append((a.row(), b.row())))
    monkeypatch.setattr(talents_model, "_", lambda text: "«" + text + "»")
    monkeypatch.setattr(paged_model, "_", lambda text: "«" + text + "»")
    model.retranslate()
    assert changed == [(0, model.rowCount() - 1)]
    assert model.index(0, category).data() == "«" + english + "»"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "«Name»"
