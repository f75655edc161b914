"""Memory behaviour of long batch jobs (imports, allocation rounds)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cycle collector while a batch builds objects that all live to its end.

    Each collection would walk tens of thousands of live objects and free nothing: 2 of 9
    seconds of a 10,000-row talents import, 40 % of an allocation round of 20,000.
    Reference counting still frees everything else.

    At the end, what the batch left is moved to the oldest generation without a walk
    (``gc.freeze()`` then ``gc.unfreeze()``) before collection resumes: otherwise the first
    allocation afterwards starts a collection of the youngest generation that walks every
    object the batch made (a million in a round of 200,000, 0.4 s spent after its last step).
    Cycles left by the batch are collected by the next full collection, as any old object's.
    Nested, only the outermost pause does this.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


#: objects made (less those freed) between two collections of the youngest generation while a
#: command runs: more than start-up makes, so that loading the modules, SQLAlchemy's mapped
#: classes and pyHanko's ASN.1 specs is never walked (Python's own threshold is 700: about
#: 0.1 s of a 1 s command), while a long command (a release of thousands of letters) still
#: has the cycles it leaves collected, a million objects at a time.
COMMAND_THRESHOLD = 1_000_000
_THRESHOLDS = gc.get_threshold()


def quiet_collector() -> None:
    """Collect the youngest generation only every :data:`COMMAND_THRESHOLD` objects (a
    command's process, from its start: ``talentdesk.__main__``)."""
    gc.set_threshold(COMMAND_THRESHOLD, *_THRESHOLDS[1:])


def resume_collector() -> None:
    """Python's own thresholds again, in a process that goes on to live long (the window's)
    after :func:`quiet_collector`: what start-up made first joins the oldest generation
    unwalked, as at the end of :func:`paused_gc`."""
    if gc.get_threshold() != _THRESHOLDS:
        gc.freeze()
        gc.unfreeze()
        gc.set_threshold(*_THRESHOLDS)
