"""Fixtures and environment shared by the whole suite.

The environment is set here, before Qt is imported anywhere, so that the README's test command
works the same in CI and on a developer's machine: offscreen platform, Chromium's sandbox off only
when running as root (Chromium refuses to start as root with it), and quiet GPU logging.
"""

from __future__ import annotations

import os
import shutil
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --log-level=3")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"

from collections.abc import Generator, Iterator

import pytest

from tiki_gui.refcounts import keep_singletons_alive
from tiki_gui.sandbox import SandboxServer

try:
    from PySide6.QtCore import QCoreApplication, Qt
except ImportError:  # the Qt-free packages' tests also run without PySide6 (.ci/qt-free-tests)
    QT_PRESENT = False
else:
    QT_PRESENT = True

# Nothing a test runs may read or write the real user's settings, tokens or browser data: the
# app's directories point into one throw-away folder for the whole run (tests that need their
# own, e.g. the keyring tests, override these again with monkeypatch).
_SCRATCH = tempfile.mkdtemp(prefix="tiki-gui-tests-")
for _variable, _folder in (
    ("TIKI_GUI_CONFIG_DIR", "config"),
    ("TIKI_GUI_RUNTIME_DIR", "runtime"),
    ("TIKI_GUI_DATA_DIR", "data"),
    ("TIKI_GUI_CACHE_DIR", "cache"),
):
    os.environ[_variable] = os.path.join(_SCRATCH, _folder)
# ...and never the user's real keyring: tests that need one start a private Secret Service
# (tests/keyring_service.py), which lifts this.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

# -- Qt ------------------------------------------------------------------------------------------
# Messages every headless run prints (measured with PySide6 6.12, offscreen, as root). pytest-qt
# fails a test on any other Qt warning (qt_log_level_fail = "WARNING" in pyproject.toml).
QT_LOG_ALLOW = (
    # offscreen platform: no window system to pass widget size hints to
    r"^This plugin does not support propagateSizeHints\(\)$",
    # offscreen has no OpenGL: QtWebEngine's view falls back to software, once per process
    r"^QRhiGles2: Failed to create (temporary )?context$",
    r"^Failed to create RHI for backend: OpenGL$",
    # Chromium started with --disable-gpu (QTWEBENGINE_CHROMIUM_FLAGS above)
    r"^GPUInfo not initialized on GpuInfoUpdate$",
)


def pytest_configure(config: pytest.Config) -> None:
    keep_singletons_alive()  # before any Qt signal is emitted: see tiki_gui/refcounts.py
    if not QT_PRESENT:
        return
    # QtWebEngine is imported lazily, after pytest-qt has made the QApplication: Qt needs context
    # sharing switched on before that (and the first page loads faster with it).
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    for pattern in QT_LOG_ALLOW:
        config.addinivalue_line("qt_log_ignore", pattern)


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    """A Tiki-like authorization server on 127.0.0.1 with the two demo clients."""
    with SandboxServer() as server:
        yield server


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failed test that ran on a private Secret Service reports the daemon's state with it
    (keyring_service.SecretService.state)."""
    report = yield
    state = getattr(getattr(item, "funcargs", {}).get("secret_service"), "state", None)
    if report.failed and call.when == "call" and callable(state):
        report.sections.append(("Secret Service", str(state())))
    return report


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_SCRATCH, ignore_errors=True)
