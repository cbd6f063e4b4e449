"""Run ``tiki_gui.app.main(["--sandbox"])`` in this process and close the window mid-flow.

Used by test_app.py in a subprocess: ``main()`` runs the application's event loop, and the end of
that loop (``aboutToQuit``) shuts QtWebEngine down for the rest of the process, so it cannot run
inside the test process itself. Prints one JSON line with what it saw; exits with main's status.

    python tests/ui/main_driver.py consent|exchange
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests/ folder

from window_script import WindowScript

from tiki_gui import app
from tiki_gui.ui.main_window import MainWindow
from ui.fake_token_endpoint import TOKEN_PATH, faulty_token_endpoint

STEPS = WindowScript(timeout_s=20.0, poll_ms=20, js_ms=1000)


def main(mode: str) -> int:
    app.prepare_qt()
    qapp = QApplication([sys.argv[0]])
    seen: dict[str, object] = {"mode": mode}
    slow = faulty_token_endpoint("slow", hold_seconds=2.0)

    def steps() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        window = windows[0]
        try:
            profile = window.form.profile()
            seen["client_id"] = profile.client_id
            seen["base_url"] = profile.api_base
            if mode == "exchange":
                window.form.token_endpoint.setText(slow.url(TOKEN_PATH))
            STEPS.log_in(window, "seller")
            if mode == "exchange":
                STEPS.allow(window)
                STEPS.wait(slow.received.is_set, "token request")
                seen["state_when_closed"] = window.flow.state.value
            else:
                seen["state_when_closed"] = window.flow.state.value
        except Exception as exc:  # report, and still close the window
            seen["error"] = repr(exc)
        seen["closed_at"] = time.monotonic()
        window.close()

    QTimer.singleShot(0, steps)
    status = app.main(["--sandbox"])
    seen["returned_after_s"] = round(time.monotonic() - float(str(seen.get("closed_at", 0))), 2)
    seen["sandbox_stopped"] = _refused(str(seen.get("base_url", "")))
    seen["token_requests"] = len(slow.recorded)
    slow.close()
    del qapp
    print(json.dumps(seen), flush=True)
    return status


def _refused(base_url: str) -> bool:
    import httpx

    try:
        httpx.get(base_url, timeout=2)
    except httpx.ConnectError:
        return True
    return False


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
