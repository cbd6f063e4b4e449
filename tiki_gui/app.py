"""The desktop app: ``tiki-gui [--sandbox]``.

``main(argv)`` parses ``argv`` (the arguments only, without the program name), builds the window
and **always runs the Qt event loop** until the window is closed, then tears everything down (the
consent browser, a token request still in flight, the HTTP client, the sandbox) and returns the
exit status. If a ``QApplication`` already exists (an embedding program, a test) it is reused, not
replaced, and its event loop is run the same way. To get a window without running a loop, call
:func:`launch`, which returns an :class:`AppSession` to :meth:`~AppSession.close` later.

``run()`` is the console entry point: ``sys.exit(main())``.

Start-up is kept light (issue 11): neither QtWebEngine nor httpx is imported here or by the
window before its first paint; QtWebEngine is loaded once the form is touched or at the first
Authorize, httpx on the token endpoint check's thread at the same moment. What the first paint
does not show is made after it (see :mod:`tiki_gui.ui.main_window`).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import TYPE_CHECKING

import tiki_gui.ui.pyside_imports  # noqa: F401 -- first: PySide6 from the cache, imports cheaper

# isort: split
import shiboken6
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from tiki_gui import startup_gc
from tiki_gui.refcounts import keep_singletons_alive
from tiki_gui.storage.profiles import ProfileWithSecret
from tiki_gui.ui.main_window import MainWindow
from tiki_gui.ui.sandbox_mode import (
    attach_sandbox_profile,
    sandbox_banner,
    sandbox_config,
    show_try_sandbox_off_the_sandbox,
    start_sandbox,
)
from tiki_gui.ui.shared.colors import follow_color_scheme
from tiki_gui.ui.shared.enum_free import share_opengl_contexts
from tiki_gui.ui.shared.i18n import language_switcher

if TYPE_CHECKING:
    from tiki_gui.sandbox import SandboxServer
    from tiki_gui.storage import ProfileStore

__all__ = ["AppSession", "build_parser", "launch", "main", "prepare_qt", "run"]

_log = logging.getLogger(__name__)

APP_NAME = "tiki-gui"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=APP_NAME,
        description="Run Tiki Marketplace's OAuth 2.0 authorization code flow: fill in your "
        "app's credentials, sign in to Tiki in the window, get the tokens.",
    )
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="start a local Tiki-like server on 127.0.0.1 and pre-fill its demo client, to try "
        "the whole flow without a Tiki account (stopped when the app quits)",
    )
    return parser


_NO_ARGUMENTS = argparse.Namespace(sandbox=False)  # what build_parser() makes of []


def prepare_qt() -> None:
    """What must happen before the ``QApplication`` exists: QtWebEngine is loaded after it (at
    the first Authorize), which needs shared OpenGL contexts. Harmless if called twice."""
    if QCoreApplication.instance() is None:
        share_opengl_contexts()  # without PySide6's Qt namespace (issue 11)
    if (
        hasattr(os, "geteuid")
        and os.geteuid() == 0
        and "QTWEBENGINE_DISABLE_SANDBOX" not in os.environ
    ):
        # Chromium refuses to start its sandbox as root, so the embedded browser would not open
        # at all. Only then is it switched off, and the user is told.
        os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
        _log.warning(
            "running as root: the embedded browser runs without Chromium's sandbox; "
            "run tiki-gui as a normal user"
        )


_made_here: list[QApplication] = []  # the application _application() made, if it made one


def _application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        if existing not in _made_here:  # an embedding program's or a test's
            from PySide6.QtCore import Qt  # never on the app's own start (see enum_free)

            if not QCoreApplication.testAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts):
                _log.warning("QApplication made without AA_ShareOpenGLContexts; WebEngine may warn")
        return existing
    prepare_qt()
    app = QApplication([sys.argv[0] if sys.argv else APP_NAME])
    _made_here[:] = [app]
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName(APP_NAME)
    language_switcher().start()  # the remembered language, else the system's
    follow_color_scheme(app)  # light or dark, as the system is set
    return app


class AppSession:
    """A shown window, and the sandbox server started for it (``--sandbox``). (A plain class:
    a dataclass's generated methods cost ~1 ms at import, before the first paint, issue 11.)"""

    __slots__ = ("sandbox", "window")

    def __init__(self, window: MainWindow, sandbox: SandboxServer | None = None) -> None:
        self.window = window
        self.sandbox = sandbox

    def close(self) -> None:
        """Close the window, wait for a token request in flight, close HTTP, delete the window
        (the consent browser's page, view and profile first, in that order), stop the sandbox.

        Idempotent. Deleting here, not at interpreter exit, matters: QtWebEngine objects left
        for the garbage collector can outlive the QApplication and crash the process."""
        window = self.window
        if shiboken6.isValid(window):
            if window.isVisible():
                window.close()
            window.shutdown()
            window.deleteLater()
            _flush_deferred_deletes()
        if self.sandbox is not None:
            self.sandbox.stop()
            self.sandbox = None


def _flush_deferred_deletes() -> None:
    from PySide6.QtCore import QEvent  # its ~180 types: never on the start (issue 11)

    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()


def _profile_store(sandbox: SandboxServer | None) -> ProfileStore:
    """The settings file and keyring store; with a sandbox, its built-in "Sandbox" profile."""
    from tiki_gui.storage import ProfileStore
    from tiki_gui.storage.keyring_reader import read_in_child

    read_in_child()  # keyring stays out of the window until its first write (issue 11, P4)
    store = ProfileStore()
    if sandbox is not None:
        attach_sandbox_profile(store, sandbox)
    return store


def launch(argv: list[str] | None = None) -> AppSession:
    """Parse ``argv``, make (or reuse) the QApplication, and show the window; no event loop."""
    arguments = sys.argv[1:] if argv is None else argv
    # No arguments, nothing to parse: argparse costs ~5 ms (its gettext look-ups) at each start.
    args = build_parser().parse_args(arguments) if arguments else _NO_ARGUMENTS
    keep_singletons_alive()  # before the first Qt signal: see tiki_gui/refcounts.py
    _application()
    sandbox: SandboxServer | None = None
    config: ProfileWithSecret | None = None
    banner = ""
    if args.sandbox:
        sandbox = start_sandbox()
        config = sandbox_config(sandbox)
        banner = sandbox_banner(sandbox)
        _log.info("sandbox started at %s", sandbox.base_url)
    try:
        window = MainWindow(config, banner=banner, storage=_profile_store(sandbox))
        if sandbox is not None:
            window.sandbox_server = sandbox  # "Try it on the sandbox" reuses it, not a second
            show_try_sandbox_off_the_sandbox(window)
            window.setWindowTitle(
                QCoreApplication.translate("App", "{app} \u2014 sandbox").format(app=APP_NAME)
            )
        window.staged.connect(startup_gc.resume)  # if the launcher paused the collector
        window.show()
    except BaseException:
        if sandbox is not None:
            sandbox.stop()
        raise
    return AppSession(window=window, sandbox=sandbox)


def main(argv: list[str] | None = None) -> int:
    """Run the app until its window is closed; see the module docstring. Returns the status."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    session = launch(argv)
    from tiki_gui.ui.terminal_signals import quit_on_terminal_signals  # once shown

    app = _application()  # the one launch() made or found
    try:
        # quitOnLastWindowClosed may be off in a reused application: quit with our window.
        session.window.closing.connect(app.quit)
        with quit_on_terminal_signals(session.window):
            status = app.exec()
    finally:
        session.close()
    return int(status)


def run() -> None:
    """Entry point of the ``tiki-gui`` script."""
    sys.exit(main())
