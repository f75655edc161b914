"""pyHanko without its network clients loaded (the centre signs and checks offline), and without
its signer when only checking.

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

The package ``pyhanko.sign`` itself only re-exports names of its signer (``PdfSigner``,
``sign_pdf``, ...), and loading them loads the whole signing side: 175 modules, a quarter of a
second of ``letters verify``, which needs none of them. It goes into ``sys.modules`` with its
``__init__`` not yet run (:class:`_PackageBeforeInit`): its submodules import as usual, and the
first name looked up in it that is no submodule runs the ``__init__`` in it, so whatever uses a
re-exported name gets it as before.
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


class _PackageBeforeInit(types.ModuleType):
    """A package, spec and path set, whose ``__init__`` runs on the first use of one of its own
    names (a submodule is imported without it)."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        submodule = f"{self.__name__}.{name}"
        if importlib.util.find_spec(submodule) is not None:
            return importlib.import_module(submodule)
        self.__class__ = types.ModuleType  # as it would have been; this runs once
        spec = self.__spec__
        assert spec is not None and spec.loader is not None
        spec.loader.exec_module(self)
        return getattr(self, name)


def _package_before_init(name: str) -> None:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
        return  # not a package on disk: import it as usual
    module = importlib.util.module_from_spec(spec)
    module.__class__ = _PackageBeforeInit
    sys.modules[name] = module
    parent, _dot, child = name.rpartition(".")
    if parent:  # as the import system binds a submodule it loaded (find_spec imported parent)
        setattr(sys.modules[parent], child, module)


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
    _package_before_init("pyhanko.sign")
