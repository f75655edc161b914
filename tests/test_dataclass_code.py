"""Dataclass methods compiled once and kept (talentdesk/dataclass_code.py).

Each probe runs in a fresh interpreter with its own cache folder, as a command's process does.
"""

from __future__ import annotations

import hashlib
import hmac
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


def _key() -> bytes:
    from talentdesk.dataclass_code import KEY_FILE
    from talentdesk.settings import keys_dir

    return (keys_dir() / KEY_FILE).read_bytes()


def _sealed(payload: bytes, key: bytes | None = None) -> bytes:
    """``payload`` as the program writes it: its HMAC under the program's key first."""
    return hmac.digest(key or _key(), payload, "sha256") + payload


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
    assert written == _sealed(written[32:])
    assert len(marshal.loads(written[32:])) == again["compiled"][0]


PLANTED = compile(
    "print('PLANTED')\ndef __create_fn__(**kw):\n    raise SystemExit(9)", "x", "exec"
)


@pytest.mark.parametrize(
    "seal",
    [
        lambda payload: hashlib.sha256(payload).digest() + payload,  # a plain digest
        lambda payload: _sealed(payload, b"k" * 32),  # another key
        lambda payload: payload,  # nothing
    ],
    ids=["sha256", "another-key", "unsealed"],
)
def test_a_planted_file_runs_nothing(tmp_path: Path, seal: Callable[[bytes], bytes]) -> None:
    """Code for every method the probe's classes need, written by someone without the key."""
    _run(tmp_path, "kept")
    path = _kept_file(tmp_path)
    genuine = marshal.loads(path.read_bytes()[32:])
    path.write_bytes(seal(marshal.dumps(dict.fromkeys(genuine, PLANTED))))
    env = {**os.environ, "TALENTDESK_CACHE_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "kept"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert "PLANTED" not in done.stdout
    assert json.loads(done.stdout)["frozen"] == "refused"


def test_the_key_is_made_once_private_and_without_one_nothing_is_kept(tmp_path: Path) -> None:
    from talentdesk.dataclass_code import KEY_FILE

    keys = tmp_path / "keys"
    env = {
        **os.environ,
        "TALENTDESK_CACHE_DIR": str(tmp_path / "cache"),
        "TALENTDESK_KEYS_DIR": str(keys),
    }
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", PROBE, "kept"], capture_output=True, text=True, env=env
        )
        assert done.returncode == 0, done.stderr
    key = keys / KEY_FILE
    assert len(key.read_bytes()) == 32
    if os.name == "posix":
        assert key.stat().st_mode & 0o777 == 0o600
        assert keys.stat().st_mode & 0o777 == 0o700
    assert [p.suffix for p in keys.iterdir()] == [".secret"]  # no *.key: those are databases'
    # a keys folder that cannot be made: the classes are compiled as Python does, nothing kept
    blocked = tmp_path / "in the way"
    blocked.write_text("a file")
    env.update(TALENTDESK_KEYS_DIR=str(blocked / "keys"), TALENTDESK_CACHE_DIR=str(tmp_path / "c2"))
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "kept"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["compiled"] is None and result["frozen"] == "refused"
    assert not (tmp_path / "c2").exists()


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
    assert written == _sealed(written[32:])
    assert list((tmp_path / "dataclass-code").glob("*.part")) == []
    assert _run(tmp_path, "kept")["compiled"][1] is False  # type: ignore[index]


@pytest.mark.parametrize("variable", ["TALENTDESK_KEYS_DIR", "TALENTDESK_CACHE_DIR"])
def test_a_folder_no_system_can_open_leaves_the_command_uncached(variable: str) -> None:
    env = {**os.environ, variable: "/tmp/bad\x01name/" + "x" * 5000}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "kept"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert json.loads(done.stdout)["frozen"] == "refused"
