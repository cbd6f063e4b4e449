"""Fixtures and environment shared by the whole suite.

The environment is set here, before Qt is imported anywhere, so that the README's test command
works the same in CI and on a developer's machine: offscreen platform, Chromium's sandbox off only
when running as root (Chromium refuses to start as root with it), and quiet GPU logging.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --log-level=3")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"

from collections.abc import Iterator  # noqa: E402

import pytest  # noqa: E402

from tiki_gui.sandbox import SandboxServer  # noqa: E402


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    """A Tiki-like authorization server on 127.0.0.1 with the two demo clients."""
    with SandboxServer() as server:
        yield server
