"""talentdesk.memory: the cycle collector paused for a batch, and what it leaves afterwards."""

from __future__ import annotations

import gc
import weakref

from talentdesk.memory import paused_gc


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_paused_inside_and_resumed_after() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled(), "the inner pause does not resume collection"
    assert gc.isenabled()


def test_resumed_after_an_error() -> None:
    try:
        with paused_gc():
            raise ValueError("the batch failed")
    except ValueError:
        pass
    assert gc.isenabled()


def test_a_pause_under_a_disabled_collector_leaves_it_disabled() -> None:
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_batch_objects_leave_the_youngest_generation_without_a_collection() -> None:
    with paused_gc():
        kept = [[n] for n in range(50_000)]
    young = gc.get_count()[0]
    assert young < 1_000, "the next allocation would walk every object the batch made"
    assert gc.get_freeze_count() == 0, "nothing is left frozen"
    assert any(o is kept[0] for o in gc.get_objects(generation=2))


def test_a_cycle_made_in_the_batch_is_still_collected() -> None:
    with paused_gc():
        a, b = _Node(), _Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
        del a, b
    assert gone() is not None, "a cycle waits for the collector"
    gc.collect()
    assert gone() is None
