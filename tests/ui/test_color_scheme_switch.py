"""The app follows the system's light/dark switch while it runs, not only at start.

Offscreen Qt reports no scheme and ignores requests for one, so the child process emits the
style hints' ``colorSchemeChanged`` itself, as the platform theme does when the desktop switches;
what is tested is the app's answer: the whole window repainted readable in each scheme.
"""

from __future__ import annotations

import textwrap

from child_processes import run_qt_driver

_SWITCH = textwrap.dedent(
    """
    import json
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPalette
    from tiki_gui.app import launch, _application
    from tiki_gui.ui.shared.colors import is_dark

    session = launch([])
    app = _application()
    window = session.window
    hints = app.styleHints()

    def seen():
        app.processEvents()
        text = window.form.palette().color(QPalette.ColorRole.Text)
        base = window.form.palette().color(QPalette.ColorRole.Base)
        return {"dark": is_dark(app.palette()), "window_dark": is_dark(window.palette()),
                "contrast": abs(text.lightness() - base.lightness())}

    states = {"start": seen()}
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    states["dark"] = seen()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    states["light"] = seen()
    session.close()
    print(json.dumps(states))
    """
)


def test_the_window_follows_a_switch_to_dark_and_back() -> None:
    states = run_qt_driver(_SWITCH)
    assert not states["start"]["dark"]
    assert states["dark"]["dark"]
    assert states["dark"]["window_dark"]  # the shown window took the new palette
    assert not states["light"]["dark"]
    assert not states["light"]["window_dark"]
    for name, state in states.items():
        assert state["contrast"] > 100, (name, state)  # text readable on its background
