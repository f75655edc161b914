"""pyHanko without its network clients loaded: the centre signs and checks offline.

``pyhanko.sign`` imports, whatever is used of it, its HTTP time-stamp client
(``pyhanko.sign.timestamps.aiohttp_client``) and, through the AdES validator, the certificate
validator's HTTP fetchers (``pyhanko_certvalidator.fetchers.aiohttp_fetchers``), and both import
aiohttp: about a third of a second of every command that signs or checks a letter, for an HTTP
client the program never starts (its signatures carry no time-stamp from a server, and checking
fetches nothing: ``allow_fetching=False``).

:func:`defer_network_clients` puts a stand-in for each of those two modules in ``sys.modules``
before pyHanko is imported. A stand-in holds the names other modules import from it at import
time; the first use of any of them (a call, or any other name looked up) imports the real module
and hands it over, so a program that does want an HTTP time-stamp gets the real client. Nothing
is changed once pyHanko has been imported, and a module already imported is left alone.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: each deferred module, with the names pyHanko's own modules import from it as they load,
#: and whether it is a package (whose real submodules must stay importable)
DEFERRED: dict[str, tuple[tuple[str, ...], bool]] = {
    "pyhanko.sign.timestamps.aiohttp_client": (("HTTPTimeStamper", "AIOHttpTimeStamper"), False),
    "pyhanko_certvalidator.fetchers.aiohttp_fetchers": (("AIOHttpFetcherBackend",), True),
}


class _StandIn(types.ModuleType):
    """A module that imports the real one on the first use of anything in it."""

    def __getattr__(self, name: str) -> Any:
        # the import system asks a module for __path__, __spec__ and the like: a stand-in
        # answers as a plain module would, without loading the real one
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(_real(self.__name__), name)


def _real(name: str) -> types.ModuleType:
    if isinstance(sys.modules.get(name), _StandIn):
        del sys.modules[name]
    return importlib.import_module(name)


def _on_first_use(module: str, attribute: str) -> Callable[..., Any]:
    def stand_in(*args: Any, **kwargs: Any) -> Any:
        return getattr(_real(module), attribute)(*args, **kwargs)

    stand_in.__name__ = stand_in.__qualname__ = attribute
    stand_in.__doc__ = f"{module}.{attribute}, imported on its first use"
    return stand_in


def _package_path(module: str) -> list[str] | None:
    """Where a package's submodules are, found without importing anything of it; None when
    that is not a folder on disk (a frozen program's archive, say)."""
    top, *rest = module.split(".")
    spec = importlib.util.find_spec(top)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))).joinpath(*rest)
    return [str(folder)] if (folder / "__init__.py").is_file() else None


def defer_network_clients() -> None:
    """Install the stand-ins (see the module's description); idempotent."""
    if "pyhanko.sign" in sys.modules:
        return
    for module, (attributes, package) in DEFERRED.items():
        path = _package_path(module) if package else None
        if module in sys.modules or (package and path is None):
            continue  # imported already, or a package whose submodules could not be found
        stand_in = _StandIn(module)
        if path is not None:
            stand_in.__path__ = path
        for attribute in attributes:
            setattr(stand_in, attribute, _on_first_use(module, attribute))
        sys.modules[module] = stand_in
