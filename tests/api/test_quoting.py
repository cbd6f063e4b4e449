"""Literal text in generated code survives its language's parser, whatever it holds (fuzzed)."""

from __future__ import annotations

import ast
import json
import os
import subprocess
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiki_gui.api.quoting import js_string, php_string, python_string, shell_word

# Text a value may hold: anything but NUL (which no argv or environment can carry).
TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"))
TRICKY = st.sampled_from(["'", '"', "$", "`", "\\", " ", "$(id)", "${HOME}", "\n", "!", "*", "~"])
VALUE = st.one_of(TEXT, st.lists(TRICKY).map("".join))


@dataclass(frozen=True)
class Env:
    env: str


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(VALUE, st.sampled_from([Env("TIKI_A"), Env("TIKI_B")])), min_size=0, max_size=5
    ),
    VALUE,
    VALUE,
)
def test_a_shell_word_round_trips_through_sh(
    parts: list[str | Env], value_a: str, value_b: str
) -> None:
    env = {"PATH": os.environ["PATH"], "LC_ALL": "C.UTF-8", "TIKI_A": value_a, "TIKI_B": value_b}
    expected = "".join(p if isinstance(p, str) else env[p.env] for p in parts)
    done = subprocess.run(
        ["sh", "-c", "printf '%s' " + shell_word(parts)],
        env=env,
        capture_output=True,
        check=True,
        timeout=10,
    )
    assert done.stdout.decode("utf-8", errors="surrogateescape") == expected


def test_a_shell_word_refuses_a_bad_variable_name() -> None:
    with pytest.raises(ValueError, match="variable name"):
        shell_word([Env("A; rm -rf /")])


@given(VALUE)
def test_python_literals_round_trip(text: str) -> None:
    assert ast.literal_eval(python_string(text)) == text


@given(VALUE)
def test_javascript_literals_round_trip(text: str) -> None:
    literal = js_string(text)
    assert "\u2028" not in literal
    assert "\u2029" not in literal
    assert json.loads(literal) == text  # a JSON string is a JavaScript string literal


def _php_single_quoted(literal: str) -> str:
    """PHP's reading of a single-quoted string: only \\\\ and \\' are escapes."""
    assert literal[0] == literal[-1] == "'"
    out, i, body = [], 0, literal[1:-1]
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body) and body[i + 1] in "\\'":
            out.append(body[i + 1])
            i += 2
            continue
        assert ch != "'", "an unescaped quote would end the string"
        out.append(ch)
        i += 1
    return "".join(out)


@given(VALUE)
def test_php_literals_round_trip(text: str) -> None:
    assert _php_single_quoted(php_string(text)) == text
