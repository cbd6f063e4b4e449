"""The ``tiki-gui`` command: the desktop app, or a Qt-free subcommand for scripts.

``tiki-gui token ...`` and ``tiki-gui profiles`` must start fast and never load Qt, so the choice
is made here, before anything heavy is imported. ``tiki-gui self-test`` drives the window through
a sign-in to the built-in sandbox, unattended (see :mod:`tiki_gui.self_test`).
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
        from tiki_gui import self_test

        return self_test.main(args[1:])
    from tiki_gui import app

    return app.main(args)


def run() -> None:
    """Entry point of the ``tiki-gui`` script."""
    sys.exit(main())
