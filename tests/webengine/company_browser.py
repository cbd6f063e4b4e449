"""Child process of the company-network tests: one ConsentBrowser loads one URL, then reports.

Chromium reads its switches and the NSS database once per process, so each case needs a fresh
process with its own environment (``HOME`` for ``~/.pki/nssdb``, the proxy variables). This is the
app's own code path: importing :mod:`tiki_gui.webengine` configures the proxy, the browser is the
real :class:`~tiki_gui.webengine.ConsentBrowser` (off the record), offscreen.

Usage: ``python company_browser.py URL``; prints one JSON line: ``{"loaded": bool, "title": str,
"failure": str | null, "flags": str}``.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtWidgets import QApplication

from tiki_gui.refcounts import keep_singletons_alive

TIMEOUT_MS = 30_000


def main(url: str) -> int:
    keep_singletons_alive()
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication([sys.argv[0]])
    from tiki_gui import webengine  # what the app does at the first Authorize

    browser = webengine.ConsentBrowser()
    browser.resize(800, 600)
    browser.show()
    result: dict[str, object] = {"loaded": False, "title": "", "failure": None}

    def finished(ok: bool) -> None:
        if ok:
            result["loaded"] = True
            result["title"] = browser.page.title()
            QTimer.singleShot(100, app.quit)

    def failed(message: str) -> None:
        result["failure"] = message
        QTimer.singleShot(100, app.quit)

    browser.page.loadFinished.connect(finished)
    browser.load_failed.connect(failed)
    browser.start(
        url,
        redirect_uri="http://127.0.0.1:9/callback",
        authorization_endpoint=url,
    )
    QTimer.singleShot(TIMEOUT_MS, app.quit)
    app.exec()
    result["flags"] = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    browser.shutdown()
    browser.deleteLater()
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
