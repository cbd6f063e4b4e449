"""Scope lists: space-separated, never commas (Tiki reads 'a,b' as one unknown scope)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiki_gui.core.errors import ValidationError
from tiki_gui.core.scopes import (
    DEPRECATED_SCOPES,
    TIKI_SCOPES,
    format_scope,
    parse_scope,
    split_scope,
)

_settings = settings(database=None, deadline=None, max_examples=200)
# RFC 6749 3.3 scope-token characters, minus the comma we reject on purpose.
_scope_token = st.text(
    alphabet=st.sampled_from([chr(c) for c in range(0x21, 0x7F) if chr(c) not in '"\\,']),
    min_size=1,
    max_size=20,
)


def test_tiki_scopes_are_the_documented_ones() -> None:
    assert TIKI_SCOPES == ("offline", "product", "order", "inventory", "multichannel")
    assert DEPRECATED_SCOPES == ("all",)


def test_parse_splits_on_any_whitespace_and_keeps_order() -> None:
    assert parse_scope("  offline\tproduct \n order ") == ("offline", "product", "order")


def test_parse_drops_duplicates() -> None:
    assert parse_scope("order offline order") == ("order", "offline")


def test_parse_accepts_free_text_scopes() -> None:
    assert parse_scope("offline fulfillment:read") == ("offline", "fulfillment:read")


@pytest.mark.parametrize("text", ["offline,product", "offline, product", "offline product,"])
def test_parse_rejects_commas_with_a_clear_message(text: str) -> None:
    with pytest.raises(ValidationError, match="separated by spaces, not commas"):
        parse_scope(text)


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_parse_rejects_an_empty_list(text: str) -> None:
    with pytest.raises(ValidationError, match="at least one scope"):
        parse_scope(text)


@pytest.mark.parametrize("text", ['off"line', "off\\line", "prodüct"])
def test_parse_rejects_characters_a_scope_cannot_hold(text: str) -> None:
    with pytest.raises(ValidationError, match="cannot contain"):
        parse_scope(text)


def test_format_joins_with_single_spaces_and_drops_duplicates() -> None:
    assert format_scope(["offline", "product", "offline"]) == "offline product"


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (["offline", ""], "empty"),
        (["offline,product"], "not commas"),
        (["offline product"], "single word"),
    ],
)
def test_format_rejects_bad_items(items: list[str], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        format_scope(items)


def test_format_of_a_plain_string_parses_it_instead_of_joining_characters() -> None:
    assert format_scope("offline  order") == "offline order"


def test_split_scope_is_lenient_for_server_answers() -> None:
    assert split_scope("offline product") == ("offline", "product")
    assert split_scope("") == ()


@_settings
@given(st.lists(_scope_token, min_size=1, max_size=8))
def test_format_then_parse_round_trips(items: list[str]) -> None:
    unique = tuple(dict.fromkeys(items))
    assert parse_scope(format_scope(items)) == unique


@_settings
@given(st.lists(_scope_token, min_size=1, max_size=8), st.sampled_from([" ", "  ", "\t", "\n"]))
def test_parse_ignores_how_much_whitespace_separates(items: list[str], sep: str) -> None:
    assert parse_scope(sep + sep.join(items) + sep) == tuple(dict.fromkeys(items))


@_settings
@given(st.lists(_scope_token, min_size=2, max_size=8))
def test_any_comma_joined_list_is_rejected(items: list[str]) -> None:
    with pytest.raises(ValidationError, match="not commas"):
        parse_scope(",".join(items))
