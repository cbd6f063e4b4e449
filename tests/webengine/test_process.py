"""Whole-process behaviour, each in a fresh interpreter: lazy loading and exit with a live page."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from scripted_server import ScriptedServer, html

WEBENGINE_MODULES = "[m for m in sys.modules if m.startswith('PySide6.QtWebEngine')]"


def _python(code: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


def test_nothing_outside_tiki_gui_webengine_loads_qtwebengine() -> None:
    # Modules are found on disk: pkgutil.walk_packages would import tiki_gui.webengine itself.
    result = _python(
        f"""
        import importlib, pathlib, sys
        import tiki_gui
        root = pathlib.Path(tiki_gui.__file__).parent
        failed, imported = [], []
        for path in sorted(root.rglob("*.py")):
            parts = path.relative_to(root.parent).with_suffix("").parts
            if parts[:2] == ("tiki_gui", "webengine") or parts[-1] == "__main__":
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            try:
                importlib.import_module(name)
                imported.append(name)
            except Exception:  # a module still being written elsewhere
                failed.append(name)
        print(sorted({WEBENGINE_MODULES}))
        print("tiki_gui.ui.main_window" in imported, "tiki_gui.app" in imported)
        print("could not import:", failed, file=sys.stderr)
        """
    )
    assert result.returncode == 0, result.stderr
    loaded, checked = result.stdout.splitlines()
    assert loaded == "[]", result.stdout + result.stderr
    assert checked == "True True", result.stderr  # the modules that could load it were imported


def test_tiki_gui_webengine_is_what_loads_it_at_the_first_name_used() -> None:
    # The package alone configures the proxy; its names load their modules (the pre-warm loads
    # them one by one, MODULES in order).
    result = _python(
        f"""
        import sys
        import tiki_gui.webengine
        print(sorted({WEBENGINE_MODULES}))
        from tiki_gui.webengine import ConsentBrowser
        print(sorted({WEBENGINE_MODULES}))
        """
    )
    assert result.returncode == 0, result.stderr
    package_only, named = result.stdout.splitlines()
    assert package_only == "[]"
    assert "PySide6.QtWebEngineWidgets" in named


def test_quitting_with_a_page_still_loading_exits_cleanly() -> None:
    pages = ScriptedServer(pages={"/slow": html("<p>late</p>", held=True)})
    try:
        result = _python(
            f"""
            import sys
            from PySide6.QtCore import QCoreApplication, Qt, QTimer
            from PySide6.QtWidgets import QApplication
            QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
            app = QApplication([])
            from tiki_gui.webengine import ConsentBrowser
            browser = ConsentBrowser()
            browser.show()
            url = {pages.url("/slow")!r}
            browser.start(url, redirect_uri="http://127.0.0.1:9/cb", authorization_endpoint=url)
            browser.loading_changed.connect(lambda loading: QTimer.singleShot(100, app.quit))
            app.exec()
            print("quit while loading")
            """
        )
    finally:
        pages.close()
    assert result.returncode == 0, result.stderr
    assert "quit while loading" in result.stdout
    assert "Release of profile requested" not in result.stderr
