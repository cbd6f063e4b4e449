"""A package's names loaded from their modules at first use (PEP 562), for packages whose
modules cost something to import: :mod:`tiki_gui.signin` (http.server, webbrowser),
:mod:`tiki_gui.webengine` (QtWebEngine, loaded a module at a time by the window's pre-warm) and
:mod:`tiki_gui.storage` (the keyring store and token vault, not needed for the first paint)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping

__all__ = ["lazy_exports"]


def lazy_exports(package: str, homes: Mapping[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` for ``package``: each name of ``homes`` is looked up in the
    submodule named there (``{"ConsentBrowser": "browser"}``), imported at its first use and
    then kept on the package (later look-ups are plain attributes)."""

    def attribute(name: str) -> object:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{home}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return attribute
