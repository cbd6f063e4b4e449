"""PySide6 6.12.0 loses references to True on every signal emit; the app must survive it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

EMIT_MANY = textwrap.dedent(
    """
    import sys
    {fix}
    from PySide6.QtCore import QCoreApplication, QObject, Signal

    class Emitter(QObject):
        fired = Signal()

    app = QCoreApplication([])
    emitter = Emitter()
    emitter.fired.connect(lambda: None)
    for _ in range(20_000):
        emitter.fired.emit()
    print("survived")
    """
)


def _emit_many(fix: str) -> subprocess.CompletedProcess[str]:
    script = EMIT_MANY.format(fix=fix)
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )


def test_twenty_thousand_signals_survive_with_the_fix() -> None:
    result = _emit_many(
        "from tiki_gui.refcounts import keep_singletons_alive\nkeep_singletons_alive()"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "survived"


def test_without_the_fix_only_python_3_11_crashes() -> None:
    """Python 3.11: the bug is still there (when this fails, PySide6 fixed it and
    tiki_gui/refcounts.py can go). Python 3.12+ (True is immortal, the fix does nothing): no
    crash without it. ``.ci/run`` runs the suite on both."""
    result = _emit_many("")
    if sys.version_info >= (3, 12):
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "survived"
    else:
        assert result.returncode != 0
        assert "deallocating True or False" in result.stderr
