"""Translations: the Vietnamese catalog is complete and in step with the code, the window shows
no untranslated text in Vietnamese, the language switches without a restart, and dates follow
the language's locale."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QLocale, QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTreeWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tiki_gui import i18n_build
from tiki_gui.core.errors import OAuthError
from tiki_gui.core.options import AuthMethod, BrowserSession, Grant, SignIn
from tiki_gui.storage import ProfileStore
from tiki_gui.storage.records import TokenStatus
from tiki_gui.ui.shared import labels
from tiki_gui.ui.shared.i18n import (
    I18N_DIR,
    LanguageSwitcher,
    format_date_time,
    language_switcher,
)
from tiki_gui.ui.shared.widgets import ask_to_confirm

from .conftest import WindowFactory
from .stored_window import StoredWindowFactory

TS_FILE = I18N_DIR / "tiki_gui_vi.ts"
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _messages(path: Path) -> list[tuple[str, str, str, str | None]]:
    """(context, source, translation, type) of every message of a .ts file."""
    found = []
    for context in ET.parse(path).getroot().iter("context"):  # noqa: S314 -- our own file
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            found.append(
                (
                    name,
                    message.findtext("source", ""),
                    translation.text or "",
                    translation.get("type"),
                )
            )
    return found


# -- the catalog ----------------------------------------------------------------------------


def test_every_message_has_a_finished_translation_with_the_same_placeholders() -> None:
    messages = _messages(TS_FILE)
    assert len(messages) > 300
    unfinished = [source for _, source, text, kind in messages if kind is not None or not text]
    assert unfinished == []
    for _, source, text, _ in messages:
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(source)), source
        assert text.count("&") - text.count("&&") == source.count("&") - source.count("&&"), source
        assert text.count("<") == source.count("<"), source  # rich text stays well formed


def test_tiki_terms_are_used() -> None:
    translations = " ".join(text for _, _, text, _ in _messages(TS_FILE))
    for term in ("Nhà bán", "Cấp quyền", "Cho phép", "mã ủy quyền", "Hết hạn", "Đăng nhập"):
        assert term in translations, term


def test_the_ts_file_is_in_step_with_the_code(tmp_path: Path) -> None:
    """pyside6-lupdate over the sources finds exactly the messages the catalog holds."""
    fresh = tmp_path / "tiki_gui_vi.ts"
    import subprocess

    subprocess.run(
        i18n_build.lupdate_command(fresh), cwd=i18n_build.ROOT, check=True, capture_output=True
    )
    in_code = {(context, source) for context, source, _, _ in _messages(fresh)}
    in_catalog = {(context, source) for context, source, _, _ in _messages(TS_FILE)}
    assert in_code - in_catalog == set(), "run: python -m tiki_gui.i18n_build"
    assert in_catalog - in_code == set(), "run: python -m tiki_gui.i18n_build"


def test_the_qm_file_is_built_from_the_ts_file(tmp_path: Path) -> None:
    built = i18n_build.build(tmp_path)
    assert {path.name for path in built} == {"tiki_gui_vi.qm", "qt_vi.qm"}
    for path in built:
        assert path.read_bytes() == (I18N_DIR / path.name).read_bytes(), (
            "run: python -m tiki_gui.i18n_build build"
        )


def test_the_label_list_holds_every_option_and_status_label() -> None:
    expected = {
        option.label for enum in (AuthMethod, Grant, SignIn, BrowserSession) for option in enum
    }
    expected |= {method.description for method in AuthMethod}
    expected |= {status.label for status in TokenStatus}
    assert set(labels.SOURCES) == expected


# -- the window in Vietnamese ---------------------------------------------------------------


def _shown_texts(window: QWidget) -> dict[str, str]:
    """Every text a person sees or hears in ``window``, keyed by where it is."""
    texts: dict[str, str] = {}
    widgets = [window, *window.findChildren(QWidget)]
    for widget in widgets:
        where = f"{type(widget).__name__}#{widget.objectName()}"
        texts[f"{where}.toolTip"] = widget.toolTip()
        texts[f"{where}.accessibleName"] = widget.accessibleName()
        texts[f"{where}.accessibleDescription"] = widget.accessibleDescription()
        if isinstance(widget, QLabel | QAbstractButton):
            texts[f"{where}.text"] = widget.text()
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            texts[f"{where}.placeholder"] = widget.placeholderText()
        if isinstance(widget, QGroupBox):
            texts[f"{where}.title"] = widget.title()
        if isinstance(widget, QMenu):
            texts[f"{where}.title"] = widget.title()
        if isinstance(widget, QComboBox) and widget.objectName() != "profile":
            for index in range(widget.count()):
                texts[f"{where}.item{index}"] = widget.itemText(index)
        if isinstance(widget, QTreeWidget):
            header = widget.headerItem()
            for column in range(widget.columnCount()):
                texts[f"{where}.header{column}"] = header.text(column)
        for action in widget.actions():
            texts[f"{where}.action:{action.objectName()}"] = action.text()
    for action in window.findChildren(QAction):
        texts[f"QAction#{action.objectName()}"] = action.text()
    return {where: text for where, text in texts.items() if text}


# Texts that are data, not words: URLs, scope names, the app's and the languages' names.
_DATA = re.compile(
    r"^(tiki-gui|English|Tiếng Việt|https?://\S+|[a-z_]+( \([^)]*\))?|error(_description|_hint)?"
    r"|Client ID|Client secret|Redirect URI|Token endpoint|Authorization endpoint|Access token"
    r"|Refresh token|TLS|GET|POST|PUT|PATCH|DELETE)$"  # HTTP methods are data
)


def _untranslated(window: QWidget) -> dict[str, str]:
    messages = _messages(TS_FILE)
    translations = {text for _, _, text, _ in messages}
    english = {source for _, source, text, _ in messages if text != source}
    # A translation with its placeholders filled in with data ("Scope {scope}": "Scope offline").
    filled = [
        re.compile(PLACEHOLDER.sub(".+", re.escape(text).replace(r"\{", "{").replace(r"\}", "}")))
        for text in translations
        if PLACEHOLDER.search(text)
    ]
    found = {}
    for where, text in _shown_texts(window).items():
        if text in translations or _DATA.match(text):
            continue
        if any(pattern.fullmatch(text) for pattern in filled):
            continue
        words = re.sub(r"<[^>]+>", "", text)  # rich text: the words between the tags
        english_words = re.fullmatch(r"[A-Z][A-Za-z ]+[.…:]?", words) is not None
        if text in english or english_words or re.search(r"\b(the|and|or|to|of|is|your)\b", text):
            found[where] = text
    return found


def test_the_window_shows_no_english_in_vietnamese(
    vietnamese: LanguageSwitcher, secret_service: object, stored_window: StoredWindowFactory
) -> None:
    window = stored_window(ProfileStore())
    assert window.form.authorize.text() == "Cấp quyền"
    untranslated = _untranslated(window)
    assert untranslated == {}, "\n".join(f"{k}: {v!r}" for k, v in untranslated.items())


def test_qts_own_dialog_buttons_are_vietnamese(
    vietnamese: LanguageSwitcher, make_window: WindowFactory
) -> None:
    """The confirmation boxes' standard buttons come from Qt's texts (resources/i18n/qt_vi.ts)."""
    window = make_window()
    box = ask_to_confirm(window, "confirm", "Xóa", "Xóa?", lambda: None)
    try:
        texts = {button.text() for button in box.buttons()}
        assert texts == {"&Có", "Hủy"}
    finally:
        box.close()


def test_a_window_made_in_english_is_english(make_window: WindowFactory) -> None:
    window = make_window()
    assert window.form.authorize.text() == "Authorize"
    menu = window.findChild(QMenu, "language")
    assert isinstance(menu, QMenu)
    assert {action.data() for action in menu.actions()} == {"en", "vi"}


# -- switching without a restart ------------------------------------------------------------


def test_switching_language_retranslates_form_menus_and_error_panel(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    switcher = language_switcher()
    switcher._settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    banner = QApplication.translate(
        "App",
        "Sandbox mode: a local Tiki-like server runs at {url} with its demo client filled in "
        "below. Press Authorize and sign in with any seller name and any non-empty password.",
    ).format(url="http://127.0.0.1:4444")
    window = make_window(banner=banner)
    window.flow_view.show_error(OAuthError("invalid_grant", description="code expired"))
    reason = window.form.authorize_bar.reason
    english_reason = reason.text()  # why Authorize is off: the empty form's first problem
    assert window.error_panel.error_message.text().startswith("The authorization code")
    menu = window.findChild(QMenu, "language")
    assert isinstance(menu, QMenu)
    vi_action = next(action for action in menu.actions() if action.data() == "vi")
    try:
        vi_action.trigger()  # as a click in the Language menu does
        assert switcher.language == "vi"

        def vietnamese_shown() -> None:
            assert window.form.authorize.text() == "Cấp quyền"
            assert window.form.client_secret.placeholderText().startswith("Lấy trong")
            assert window.error_panel.error_message.text().startswith("Mã ủy quyền")
            assert window.error_panel.error_advice.text().startswith("Hãy làm lại")
            assert window.quit_action.text() == "&Thoát"
            assert menu.title() == "&Ngôn ngữ"
            assert window.form.grant.itemText(0).startswith("Authorization code (Nhà bán")
            # A text composed from data keeps its data: the sandbox's address.
            assert window.banner.text().startswith("Chế độ sandbox")
            assert "http://127.0.0.1:4444" in window.banner.text()
            assert reason.text() not in ("", english_reason)

        qtbot.waitUntil(vietnamese_shown, timeout=5000)
        # The server's words stay as they were sent.
        assert window.error_panel._fields["error"].text() == "invalid_grant"
        assert window.error_panel._fields["error_description"].text() == "code expired"
        assert vi_action.isChecked()
        assert switcher._settings.value("ui/language") == "vi"
    finally:
        switcher.switch("en")

    def english_shown() -> None:
        assert window.form.authorize.text() == "Authorize"
        assert window.error_panel.error_message.text().startswith("The authorization code")
        assert menu.title() == "&Language"
        assert window.banner.text() == banner
        assert reason.text() == english_reason

    qtbot.waitUntil(english_shown, timeout=5000)


def test_a_remembered_language_wins_over_the_system_one(qapp: QApplication, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    settings.setValue("ui/language", "vi")
    switcher = LanguageSwitcher(settings)
    try:
        assert switcher.start() == "vi"
        assert QApplication.translate("AuthorizeBar", "Authorize") == "Cấp quyền"
    finally:
        switcher.switch("en")
        switcher.deleteLater()
    assert QApplication.translate("AuthorizeBar", "Authorize") == "Authorize"


# -- dates ----------------------------------------------------------------------------------


def test_dates_follow_the_language(qapp: QApplication) -> None:
    moment = datetime(2026, 3, 7, 14, 5, 9, tzinfo=UTC)
    previous = QLocale()
    try:
        QLocale.setDefault(QLocale("vi"))
        vietnamese = format_date_time(moment)
        QLocale.setDefault(QLocale("en_US"))
        english = format_date_time(moment)
    finally:
        QLocale.setDefault(previous)
    local = moment.astimezone()
    assert vietnamese.startswith(f"{local.day}/{local.month}/{local.year} ")
    assert english.startswith(f"{local.month}/{local.day}/{local.year} ")
    assert vietnamese.endswith(local.strftime("%H:%M:%S"))
