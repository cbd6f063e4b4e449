"""Translations of what the Qt-free core and storage say: every sentence of theirs a Vietnamese
window shows is matched by a pattern of ``core_text`` / ``storage_text`` (none drifts unnoticed),
and an English window shows them as said, without matching. The catalog and the window:
test_i18n.py."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QApplication

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.endpoints import validate_url
from tiki_gui.core.errors import RedirectError, ValidationError
from tiki_gui.core.fields import check_client_id, check_client_secret
from tiki_gui.core.options import SignIn
from tiki_gui.core.scopes import parse_scope
from tiki_gui.signin.paste import parse_pasted_redirect
from tiki_gui.storage.errors import (
    KeyringUnavailableError,
    ProfileExistsError,
    ProfileNotFoundError,
)
from tiki_gui.storage.profiles import Profile
from tiki_gui.ui.shared import core_text as core_text_module
from tiki_gui.ui.shared.core_text import core_text
from tiki_gui.ui.shared.i18n import LanguageSwitcher, language_switcher
from tiki_gui.ui.shared.storage_text import storage_text


def _raise(call: Callable[[], object]) -> str:
    with pytest.raises((ValidationError, RedirectError)) as caught:
        call()
    return str(caught.value)


_UNRECEIVABLE = Profile(redirect_uri="https://example.com/cb", sign_in=SignIn.LOOPBACK, api_base="")


def test_the_cores_sentences_are_shown_in_vietnamese(vietnamese: LanguageSwitcher) -> None:
    """Every pattern of core_text still matches what the core says (no drift unnoticed)."""
    request = AuthorizationRequest.create(
        "https://tiki.vn/sc/oauth2/auth", "7590139168389961", "https://example.com/cb", "offline"
    )
    said = [
        _raise(lambda: check_client_id("")),
        _raise(lambda: check_client_id("a b")),
        _raise(lambda: check_client_secret("")),
        _raise(lambda: check_client_secret("a\nb")),
        _raise(lambda: validate_url("", what="Token endpoint")),
        _raise(lambda: validate_url("https://a b", what="Token endpoint")),
        _raise(lambda: validate_url("https://x:99999/", what="Token endpoint")),
        _raise(lambda: validate_url("ftp://x/", what="Token endpoint")),
        _raise(lambda: validate_url("https://u:p@x/", what="Token endpoint")),
        _raise(lambda: validate_url("https:///path", what="Token endpoint")),
        _raise(lambda: validate_url("https://x:0/", what="Token endpoint")),
        _raise(lambda: validate_url("https://x/#f", what="Token endpoint")),
        _raise(lambda: validate_url("http://example.com/", what="Token endpoint")),
        _raise(lambda: parse_scope("offline,product")),
        _raise(lambda: parse_scope("")),
        _raise(lambda: parse_scope("off\u00e9")),
        _raise(lambda: parse_pasted_redirect("", request)),
        _raise(lambda: parse_pasted_redirect("example.com/cb?code=1", request)),
        _raise(lambda: parse_pasted_redirect("code=1&state=2", request)),
        _raise(lambda: parse_pasted_redirect("https://evil.example/cb?code=1", request)),
        _raise(lambda: parse_pasted_redirect(request.url, request)),
        # The profile's own sentences: an empty URL field, a redirect no listener can receive.
        *(p.message for p in _UNRECEIVABLE.problems() if p.field != "client_id"),
    ]
    assert len(said) == 23
    for sentence in said:
        shown = core_text(sentence)
        assert shown != sentence, sentence
        assert not re.search(r"\b(the|must|is|not)\b", shown), shown


def test_storage_errors_are_told_in_vietnamese(vietnamese: LanguageSwitcher) -> None:
    from tiki_gui.storage.secrets import _failure

    errors = [
        KeyringUnavailableError(),
        _failure("be read", OSError()),
        _failure("store the entry", OSError()),
        _failure("delete the entry", OSError()),
        ProfileExistsError("Shop"),
        ProfileNotFoundError("Shop"),
    ]
    for error in errors:
        shown = storage_text(error)
        assert shown != str(error), str(error)
        assert not re.search(r"\b(the|must|is|not)\b", shown), shown


def test_storage_sentences_in_english_are_the_storages_own(qapp: QApplication) -> None:
    from tiki_gui.storage.secrets import _failure

    for error in (
        KeyringUnavailableError(),
        _failure("be read", OSError()),
        ProfileExistsError("a"),
    ):
        assert storage_text(error) == str(error)


def test_in_english_the_cores_sentences_are_its_own_unmatched(qapp: QApplication) -> None:
    """No catalogue translates them: shown as said, without matching them against the patterns
    (~2 ms of the first paint's form checks, issue 11)."""
    assert language_switcher().language == "en"
    sentence = _raise(lambda: check_client_id(""))
    before = core_text_module._compiled.cache_info()
    assert core_text(sentence) is sentence
    assert core_text_module._compiled.cache_info() == before
