"""The methods ``dataclasses`` writes for each class, compiled once and kept between commands.

For every dataclass, Python writes the source of its ``__init__``, ``__repr__``, ``__eq__`` (and
more for a frozen one) and compiles it with ``exec`` while the class's module loads: some 0.1 ms
a method, repeated in every process. ``letters verify`` makes 140 dataclasses before it checks
anything (pyHanko's, its certificate validator's and the program's own): 85-95 ms of a 0.5 s
command went to compiling the same few hundred small functions again.

:func:`keep_compiled_methods` gives the ``dataclasses`` module its own ``exec`` (a name it
looks up in its globals before the built-in one) that compiles a source text once: the code
objects are kept, keyed by the SHA-256 of the text, in a marshal file of the cache folder
(:mod:`talentdesk.cache_dir`) per command (``letters verify``: its first words), interpreter
version, bytecode magic and optimisation level, read at the start and written again at the exit
when the command compiled something new. One file per command keeps what a command reads to
what it uses (776 methods, 4 ms, for ``letters verify``), not every method any command made.

A code object is what ``compile`` makes of exactly that text (the same file name, no inherited
``__future__`` flags, the interpreter's own optimisation level), so a class gets the very methods
it would have got; anything but a source string goes to the built-in ``exec`` untouched.

What the cache folder holds is otherwise data (a planted file runs nothing), and this file is
code, so it starts with an HMAC-SHA256 of the rest under a key of the program's own, kept with
its other keys (``code-cache.secret`` in :func:`talentdesk.settings.keys_dir`, 0600 in a 0700
folder, made on first use): a file someone else wrote there, or one damaged on the disk, does
not match and is started afresh (marshal is not made to read such data, and bad code objects
can crash the interpreter). Without a key that can be read or made, nothing is kept and each
class is compiled as Python does; a file that cannot be written is skipped (it is the next
command's time, never its result).
"""

from __future__ import annotations

import atexit
import builtins
import hashlib
import hmac
import importlib.util
import marshal
import re
import sys
import types
from collections.abc import Sequence
from pathlib import Path
from typing import Any

#: more would be a program (or a test run) making dataclasses on the fly: start afresh
MOST_KEPT = 20_000
#: a file starts with the HMAC-SHA256 of the rest, so that no file but the program's is run
DIGEST_SIZE = 32
#: not a *.key: those are the databases' audit keys, one per database id
KEY_FILE = "code-cache.secret"
KEY_BYTES = 32


class CompiledMethods:
    """The code of the source texts compiled so far, and whether any is new since loading."""

    def __init__(self, path: Path, key: bytes) -> None:
        self.path = path
        self._key = key
        self.codes: dict[bytes, types.CodeType] = {}
        self.changed = False

    def load(self) -> None:
        try:
            data = self.path.read_bytes()
        except OSError:  # none yet, or unreadable
            return
        mac, payload = data[:DIGEST_SIZE], data[DIGEST_SIZE:]
        if not hmac.compare_digest(mac, self._mac(payload)):  # not ours, or damaged
            return
        try:
            codes = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return
        if isinstance(codes, dict) and len(codes) <= MOST_KEPT:
            self.codes = {
                key: code
                for key, code in codes.items()
                if isinstance(key, bytes) and isinstance(code, types.CodeType)
            }

    def code(self, source: str) -> types.CodeType:
        key = hashlib.sha256(source.encode("utf-8", "surrogatepass")).digest()
        code = self.codes.get(key)
        if code is None:
            # as exec(source) in dataclasses.py compiles it: that module has no __future__
            # imports, this one has (dont_inherit keeps them out)
            code = compile(source, "<string>", "exec", dont_inherit=True)
            self.codes[key] = code
            self.changed = True
        return code

    def exec(self, source: Any, global_names: Any = None, local_names: Any = None) -> None:
        """``exec`` as ``dataclasses`` calls it, with the source compiled once."""
        if isinstance(source, str):
            source = self.code(source)
        builtins.exec(source, global_names, local_names)

    def save(self) -> None:
        if not self.changed:
            return
        from talentdesk.cache_dir import keep

        payload = marshal.dumps(self.codes if len(self.codes) <= MOST_KEPT else {})
        keep(self.path, self._mac(payload) + payload)
        self.changed = False

    def _mac(self, payload: bytes) -> bytes:
        return hmac.digest(self._key, payload, "sha256")


_WORD = re.compile(r"[a-z][a-z0-9_-]{0,31}")


def command_label(arguments: Sequence[str]) -> str:
    """The first two words of a command line (``letters-verify``), ``window`` for none: what
    the command's methods are kept under. Options are passed over; an option's value that looks
    like a word only makes a label of its own."""
    words = [a for a in arguments if not a.startswith("-") and _WORD.fullmatch(a)][:2]
    return "-".join(words) or "window"


def _cache_path(label: str) -> Path:
    from talentdesk.cache_dir import cache_dir

    version = f"{sys.implementation.cache_tag}-{importlib.util.MAGIC_NUMBER.hex()}"
    name = f"{label}-{version}-O{sys.flags.optimize}.marshal"
    return cache_dir() / "dataclass-code" / name


def cache_key() -> bytes | None:
    """The key the files are sealed with: read, or made on first use (by whichever command
    comes first); None if it is damaged for good. OSError where it cannot be read or made."""
    from talentdesk.settings import keys_dir

    path = keys_dir() / KEY_FILE
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        key = b""
    if len(key) == KEY_BYTES:
        return key
    import secrets

    from talentdesk.outputs import write_private

    # a damaged key is replaced (it seals nothing but this cache); a missing one is made only
    # if no other command made it first, whose key is then read
    write_private(path, secrets.token_bytes(KEY_BYTES), replace=bool(key))
    key = path.read_bytes()
    return key if len(key) == KEY_BYTES else None


def keep_compiled_methods(label: str) -> CompiledMethods | None:
    """Install the caching ``exec`` in ``dataclasses`` (see the module's description), keeping
    the methods under ``label`` (:func:`command_label`); the methods kept, or None where
    ``dataclasses`` has an ``exec`` of its own already or there is no key."""
    import dataclasses

    if "exec" in vars(dataclasses):
        return None
    try:
        key = cache_key()
        if key is None:
            return None
        methods = CompiledMethods(_cache_path(label), key)
        methods.load()
    except (OSError, ValueError):  # a folder named with a NUL, say: the command runs uncached
        return None
    dataclasses.exec = methods.exec  # type: ignore[attr-defined]
    atexit.register(methods.save)
    return methods
