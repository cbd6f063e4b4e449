"""Work the window's start no longer does (issue 11): the core's sentences compile only the
pattern that can match (none in English), and the last used profile is not written again when it
is unchanged."""

from __future__ import annotations

from pathlib import Path

from tiki_gui.ui.profiles.ui_state import read_last_profile, write_last_profile
from tiki_gui.ui.shared import core_text as module
from tiki_gui.ui.shared.core_text import PATTERNS, core_text
from tiki_gui.ui.shared.i18n import LanguageSwitcher


def test_a_sentence_compiles_only_the_patterns_it_could_match(
    vietnamese: LanguageSwitcher,
) -> None:
    module._compiled.cache_clear()
    # The new form's reasons: the generic "{what} is required" is the last pattern of 29.
    assert core_text("Redirect URI is required") != "Redirect URI is required"
    assert core_text("Client ID is required") != "Client ID is required"
    assert module._compiled.cache_info().currsize == 2  # (in English: none, see test_i18n)
    assert len(PATTERNS) > 20


def test_a_sentence_no_pattern_knows_stays_as_it_is() -> None:
    assert core_text("Something else entirely") == "Something else entirely"
    assert core_text("") == ""


def test_the_remembered_profile_is_not_rewritten_when_unchanged(tmp_path: Path) -> None:
    write_last_profile(tmp_path, "Shop")
    path = tmp_path / "ui-state.json"
    first = path.stat().st_ino  # each write is a new file renamed over the old one
    write_last_profile(tmp_path, "Shop")
    assert path.stat().st_ino == first
    write_last_profile(tmp_path, "Other")
    assert path.stat().st_ino != first
    assert read_last_profile(tmp_path) == "Other"
