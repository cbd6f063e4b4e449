"""The folders tiki-gui keeps its files in: on XDG systems read from the spec by tiki-gui itself
(importing platformdirs costs every start ~8 ms, issue 11), the same folders platformdirs gives."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import platformdirs
import pytest

from tiki_gui.storage.paths import (
    APP_DIR_NAME,
    CACHE_DIR_ENV,
    CONFIG_DIR_ENV,
    DATA_DIR_ENV,
    cache_dir,
    config_dir,
    data_dir,
)

pytestmark = pytest.mark.skipif(
    sys.platform in ("win32", "darwin"), reason="platformdirs itself is used there"
)

_THEIRS: dict[str, Callable[[], Path]] = {
    "config": lambda: platformdirs.user_config_path(APP_DIR_NAME, appauthor=False, roaming=True),
    "data": lambda: platformdirs.user_data_path(APP_DIR_NAME, appauthor=False, roaming=True),
    "cache": lambda: platformdirs.user_cache_path(APP_DIR_NAME, appauthor=False, opinion=False),
}
_OURS: dict[str, Callable[[], Path]] = {"config": config_dir, "data": data_dir, "cache": cache_dir}


@pytest.mark.parametrize(
    ("xdg", "home"),
    [
        ("absolute", "absolute"),  # XDG_*_HOME set: used as they are
        ("unset", "absolute"),  # the defaults under $HOME
        ("relative", "absolute"),  # a relative XDG_*_HOME is ignored, as the spec says
        ("unset", "relative"),  # a relative HOME: the account's home folder
    ],
)
def test_the_folders_are_those_platformdirs_gives(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, xdg: str, home: str
) -> None:
    for name in (CONFIG_DIR_ENV, DATA_DIR_ENV, CACHE_DIR_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home") if home == "absolute" else "some/where")
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        if xdg == "unset":
            monkeypatch.delenv(variable, raising=False)
        elif xdg == "relative":
            monkeypatch.setenv(variable, "relative/" + variable.lower())
        else:
            monkeypatch.setenv(variable, str(tmp_path / variable.lower()))
    for kind, ours in _OURS.items():
        assert ours() == _THEIRS[kind](), kind
        assert ours().is_absolute(), kind
    if xdg == "absolute":
        assert config_dir() == tmp_path / "xdg_config_home" / APP_DIR_NAME
    if xdg == "unset" and home == "absolute":
        assert data_dir() == tmp_path / "home" / ".local" / "share" / APP_DIR_NAME


def test_an_override_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(CONFIG_DIR_ENV, str(tmp_path / "c"))
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "d"))
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "k"))
    assert (config_dir(), data_dir(), cache_dir()) == (
        tmp_path / "c",
        tmp_path / "d",
        tmp_path / "k",
    )
