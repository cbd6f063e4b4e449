"""Chromium's net::ERR_... words in Vietnamese: every entry of the table has a finished
translation, and a sign-in page that cannot load is told in Vietnamese in a Vietnamese window,
with Chromium's code kept as it is, and again in Vietnamese once shown in English and switched."""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from storage.flows import closed_port_url

from tiki_gui.sandbox import SandboxServer
from tiki_gui.ui.shared.i18n import I18N_DIR, LanguageSwitcher, language_switcher
from tiki_gui.ui.signin.flow import FlowState
from tiki_gui.webengine.net_errors import (
    CONTEXT,
    NET_ERROR_WORDS,
    UNKNOWN_ERROR,
    describe_net_error,
)

from .conftest import WindowFactory
from .flow_helpers import click_authorize, sandbox_config, wait_for_state

ENGLISH = sorted({*NET_ERROR_WORDS.values(), UNKNOWN_ERROR})


def _catalog() -> dict[str, tuple[str, str | None]]:
    """source -> (translation, type) of the NetErrors context of the Vietnamese catalog."""
    root = ET.parse(I18N_DIR / "tiki_gui_vi.ts").getroot()  # noqa: S314 -- our own file
    found: dict[str, tuple[str, str | None]] = {}
    for context in root.iter("context"):
        if context.findtext("name") != CONTEXT:
            continue
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            found[message.findtext("source", "")] = (
                translation.text or "",
                translation.get("type"),
            )
    return found


def test_every_net_error_entry_has_a_finished_vietnamese_translation() -> None:
    catalog = _catalog()
    missing = [words for words in ENGLISH if words not in catalog]
    assert missing == [], "run: python -m tiki_gui.i18n_build"
    for words in ENGLISH:
        text, kind = catalog[words]
        assert kind is None, words  # not "unfinished" nor "vanished"
        assert text, words
        assert html.unescape(text) != words, words  # written in Vietnamese, not copied


def test_the_loaded_catalog_gives_the_words_in_vietnamese(vietnamese: LanguageSwitcher) -> None:
    for words in ENGLISH:
        shown = QCoreApplication.translate(CONTEXT, words)
        assert shown, words
        assert shown != words, words
    refused = describe_net_error(
        "net::ERR_CONNECTION_REFUSED", lambda words: QCoreApplication.translate(CONTEXT, words)
    )
    assert refused.startswith("không có dịch vụ nào phản hồi ở địa chỉ và cổng này")
    assert refused.endswith(" (net::ERR_CONNECTION_REFUSED)")


def test_an_unreachable_sign_in_page_is_told_in_vietnamese(
    vietnamese: LanguageSwitcher, qtbot: QtBot, make_window: WindowFactory, sandbox: SandboxServer
) -> None:
    unreachable = closed_port_url() + "/auth"  # a port nobody listens on any more
    window = make_window(sandbox_config(sandbox, authorization_endpoint=unreachable))
    assert window.form.authorize.text() == "Cấp quyền"
    click_authorize(qtbot, window)
    wait_for_state(qtbot, window, FlowState.FAILED)
    message = window.error_panel.error_message.text()
    assert message.startswith("Không tải được trang đăng nhập."), message
    refused = QCoreApplication.translate(CONTEXT, NET_ERROR_WORDS["ERR_CONNECTION_REFUSED"])
    assert refused != NET_ERROR_WORDS["ERR_CONNECTION_REFUSED"]
    assert f"{refused} (net::ERR_CONNECTION_REFUSED)" in message, message
    english = [words for words in ENGLISH if words in message]
    assert english == [], message


def test_a_sign_in_page_error_already_shown_follows_a_language_switch(
    qtbot: QtBot,
    make_window: WindowFactory,
    sandbox: SandboxServer,
    qapp: QApplication,
    tmp_path: Path,
) -> None:
    """Shown in English, then the window switched to Vietnamese: the browser's own sentence
    (host and Chromium's reason) is written again, not left in English."""
    unreachable = closed_port_url() + "/auth"
    window = make_window(sandbox_config(sandbox, authorization_endpoint=unreachable))
    click_authorize(qtbot, window)
    wait_for_state(qtbot, window, FlowState.FAILED)
    english = NET_ERROR_WORDS["ERR_CONNECTION_REFUSED"]
    assert english in window.error_panel.error_message.text()
    switcher = language_switcher()
    switcher._settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    switcher.switch("vi")
    message = window.error_panel.error_message
    try:
        refused = QCoreApplication.translate(CONTEXT, english)
        told = f"{refused} (net::ERR_CONNECTION_REFUSED)"
        qtbot.waitUntil(lambda: told in message.text(), timeout=5000)  # redrawn from the loop
        assert english not in message.text(), message.text()
    finally:
        switcher.switch("en")
    qtbot.waitUntil(lambda: english in message.text(), timeout=5000)  # and back
