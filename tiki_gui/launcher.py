"""The ``tiki-gui`` command: the desktop app, or a Qt-free subcommand for scripts.

``tiki-gui token ...`` and ``tiki-gui profiles`` must start fast and never load Qt, so the choice
is made here, before anything heavy is imported. So is the check that the system libraries Qt
needs are there (:mod:`tiki_gui.platform_check`): when one is missing the app says which package
to install and exits with status 69, before Qt could abort. The window's start runs with Python's
garbage collector paused until it has painted and made the rest (:mod:`tiki_gui.startup_gc`).
``tiki-gui self-test`` drives the window through a sign-in to the built-in sandbox, unattended
(see :mod:`tiki_gui.self_test`).
"""

from __future__ import annotations

import sys

SCRIPT_COMMANDS = frozenset({"token", "profiles"})
SELF_TEST_COMMAND = "self-test"


def main(argv: list[str] | None = None) -> int:
    """Dispatch ``argv`` (without the program name) and return the exit status."""
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in SCRIPT_COMMANDS:
        from tiki_gui import token_cli

        return token_cli.main(args)
    if args and args[0] == SELF_TEST_COMMAND:
        from tiki_gui import self_test  # checks the libraries itself, once it chose a platform

        return self_test.main(args[1:])
    from tiki_gui import startup_gc

    startup_gc.pause()  # until the window's staged start is over (app.launch resumes it)
    from tiki_gui import platform_check

    missing = platform_check.problem()  # in words, instead of Qt's ImportError or abort
    if missing is not None:
        print(missing, file=sys.stderr)
        return platform_check.EXIT_MISSING_LIBRARIES
    from tiki_gui import app

    return app.main(args)


def run() -> None:
    """Entry point of the ``tiki-gui`` script."""
    sys.exit(main())
