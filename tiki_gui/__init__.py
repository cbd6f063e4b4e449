"""tiki-gui: run Tiki Marketplace OAuth 2.0 flows on the desktop."""

__version__ = "0.1.0"
"""The version, as ``pyproject.toml`` says (tests/test_project.py keeps them in step); read
without ``importlib.metadata``, whose import costs ~10 ms on the sign-in's path (issue 11) and
which a bundle may not carry."""

USER_AGENT = f"tiki-gui/{__version__}"
"""The ``User-Agent`` of every request of the app: the HTTP client's
(:mod:`tiki_gui.core.http`) and the token endpoint probe's (:mod:`tiki_gui.core.probe`)."""
