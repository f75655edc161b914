"""Regression: PySide6 6.12 on CPython 3.11 killed the process after ~570 Signal.emit() calls."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

EMITS = 10_000


class Emitter(QObject):
    number = Signal(int)
    flag = Signal(bool)


class Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.numbers: list[int] = []
        self.flags = 0

    def on_number(self, value: int) -> None:
        self.numbers.append(value)

    def on_flag(self, value: bool) -> None:
        self.flags += value is True or value is False


def test_ten_thousand_emits_all_arrive(qapp):
    emitter, receiver = Emitter(), Receiver()
    emitter.number.connect(receiver.on_number)
    emitter.flag.connect(receiver.on_flag)
    for i in range(EMITS):
        emitter.number.emit(i)
        emitter.flag.emit(i % 2 == 0)
    assert receiver.numbers == list(range(EMITS))
    assert receiver.flags == EMITS
