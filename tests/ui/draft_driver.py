"""Run the app (``tiki_gui.app.launch([])``) in this process, type an invalid form, and wait to be
killed. Used by test_form_drafts.py in a subprocess: the test SIGKILLs this process once the
draft is on disk, then starts the app again. Prints "edited" once the fields are typed.

    python tests/ui/draft_driver.py SCOPE REDIRECT_URI SECRET
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from tiki_gui import app


def main(scope: str, redirect_uri: str, secret: str) -> int:
    app.prepare_qt()
    qapp = QApplication([sys.argv[0]])
    session = app.launch([])
    form = session.window.form

    def edit() -> None:
        form.client_id.setText("")  # no client ID: the form cannot be a profile yet
        form.client_secret.setText(secret)
        form.redirect_uri.setText(redirect_uri)
        form.scopes.set_scope(scope)
        form.use_pkce.setChecked(not form.use_pkce.isChecked())
        print("edited", flush=True)

    QTimer.singleShot(0, edit)
    return qapp.exec()  # until killed


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
