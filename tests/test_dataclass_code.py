"""Dataclass methods compiled once and kept (talentdesk/dataclass_code.py).

Each probe runs in a fresh interpreter with its own cache folder, as a command's process does.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

#: classes of every shape dataclasses writes methods for; prints what a user of them sees
PROBE = r"""
import json, sys
from talentdesk.dataclass_code import keep_compiled_methods
methods = keep_compiled_methods("probe") if sys.argv[1] == "kept" else None
import dataclasses
from dataclasses import dataclass, field

@dataclass
class Plain:
    name: str
    tags: list[str] = field(default_factory=list)
    count: int = 0

@dataclass(frozen=True, order=True)
class Frozen:
    a: int
    b: str = "x"

@dataclass(kw_only=True, slots=True)
class Slotted:
    x: float
    y: float = 1.5

p, f, s = Plain("王", ["a"]), Frozen(1), Slotted(x=2.0)
try:
    f.a = 2
    frozen = "changed"
except dataclasses.FrozenInstanceError:
    frozen = "refused"
print(json.dumps({
    "repr": [repr(p), repr(f), repr(s)],
    "eq": [p == Plain("王", ["a"]), f == Frozen(1, "x"), f < Frozen(2)],
    "hash": hash(f) == hash(Frozen(1)),
    "frozen": frozen,
    "fresh_default": Plain("a").tags is not Plain("b").tags,
    "init_annotations": {k: repr(v) for k, v in Plain.__init__.__annotations__.items()},
    "kw_only": str(Slotted.__init__.__kwdefaults__),
    "slots": Slotted.__slots__,
    "compiled": None if methods is None else [len(methods.codes), methods.changed],
}, ensure_ascii=False))
"""


def _run(cache: Path, mode: str) -> dict[str, object]:
    env = {**os.environ, "TALENTDESK_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, mode], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return json.loads(done.stdout)


def _kept_file(cache: Path) -> Path:
    (path,) = (cache / "dataclass-code").glob("*.marshal")
    return path


def test_kept_methods_behave_as_compiled_ones_and_the_next_process_compiles_nothing(
    tmp_path: Path,
) -> None:
    plain = _run(tmp_path / "unused", "plain")
    first = _run(tmp_path, "kept")
    second = _run(tmp_path, "kept")
    compiled_first, compiled_second = first.pop("compiled"), second.pop("compiled")
    plain.pop("compiled")
    assert first == plain and second == plain
    assert plain["init_annotations"] == {
        "name": "<class 'str'>",
        "tags": "list[str]",
        "count": "<class 'int'>",
        "return": "None",  # not the string 'None': no __future__ flag leaked into the code
    }
    assert isinstance(compiled_first, list) and compiled_first[1] is True
    assert compiled_first[0] > 10
    # the second process read every method from the file and wrote nothing new
    assert compiled_second == [compiled_first[0], False]


def _sealed(payload: bytes) -> bytes:
    return hashlib.sha256(payload).digest() + payload


def _flip_a_byte_of_code(data: bytes) -> bytes:
    """One byte in the middle of the marshalled code changed (the digest kept): bit rot."""
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x5A]) + data[middle + 1 :]


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: b"not marshal at all",
        lambda data: data[: len(data) // 2],  # truncated
        _flip_a_byte_of_code,
        lambda data: _sealed(marshal.dumps([1, 2, 3])),  # sound, but not a dict
        lambda data: _sealed(marshal.dumps({b"key": "not code"})),
        lambda data: _sealed(b"\xe3\x00\x00"),  # sealed, but marshal cannot read it
    ],
    ids=["empty", "garbage", "truncated", "a-byte-changed", "not-a-dict", "not-code", "bad"],
)
def test_a_damaged_file_is_started_afresh(tmp_path: Path, damage: Callable[[bytes], bytes]) -> None:
    _run(tmp_path, "kept")
    path = _kept_file(tmp_path)
    path.write_bytes(damage(path.read_bytes()))
    again = _run(tmp_path, "kept")
    assert again["frozen"] == "refused" and again["eq"] == [True, True, True]
    assert isinstance(again["compiled"], list) and again["compiled"][1] is True
    written = path.read_bytes()  # written whole again at the exit
    assert written[:32] == hashlib.sha256(written[32:]).digest()
    assert len(marshal.loads(written[32:])) == again["compiled"][0]


def test_a_cache_folder_that_cannot_be_written_costs_time_not_the_command(
    tmp_path: Path,
) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("in the way")
    result = _run(blocked, "kept")
    assert result["frozen"] == "refused" and result["eq"] == [True, True, True]


def test_a_whole_command_keeps_them_under_its_own_name(tmp_path: Path) -> None:
    env = {**os.environ, "TALENTDESK_CACHE_DIR": str(tmp_path)}
    for command in (["--version"], ["--lang", "en", "letters", "kinds", "--help"]):
        done = subprocess.run(
            [sys.executable, "-m", "talentdesk", *command],
            capture_output=True,
            text=True,
            env=env,
        )
        assert done.returncode == 0, done.stderr
    kept = sorted(p.name.split("-cpython")[0] for p in (tmp_path / "dataclass-code").iterdir())
    assert kept == ["en-letters", "window"]


@pytest.mark.parametrize(
    ("arguments", "label"),
    [
        ([], "window"),
        (["--demo"], "window"),
        (["letters", "verify", "x.pdf"], "letters-verify"),
        (["--db", "/srv/centre.sqlite3", "cases", "list", "--due"], "cases-list"),
        (["--db", "C:\\centre.sqlite3", "housing"], "housing"),
        (["../../etc", "passwd"], "passwd"),
    ],
)
def test_the_label_is_the_commands_first_words(arguments: list[str], label: str) -> None:
    from talentdesk.dataclass_code import command_label

    assert command_label(arguments) == label


def test_commands_run_at_once_share_the_file_whole(tmp_path: Path) -> None:
    """Four processes start with no file and all write it at their exit: each writes whole
    (a part renamed into place), so the one left is sound and the next reads all of it."""
    env = {**os.environ, "TALENTDESK_CACHE_DIR": str(tmp_path)}
    command = [sys.executable, "-c", PROBE, "kept"]
    running = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    for process in running:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        assert json.loads(out)["frozen"] == "refused"
    written = _kept_file(tmp_path).read_bytes()
    assert written[:32] == hashlib.sha256(written[32:]).digest()
    assert list((tmp_path / "dataclass-code").glob("*.part")) == []
    assert _run(tmp_path, "kept")["compiled"][1] is False  # type: ignore[index]
