"""The sign-in helpers and the timeline are Qt-free: importing them loads no PySide6."""

from __future__ import annotations

import subprocess
import sys


def test_signin_and_timeline_never_load_qt() -> None:
    code = (
        "import sys, tiki_gui.signin, tiki_gui.signin.loopback, tiki_gui.core.timeline\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(loaded))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == ""
    assert "tiki_gui" not in done.stderr
