"""Literal text in generated code: a shell word, and Python, JavaScript and PHP string literals.

A shell word is built from parts: literal text, single-quoted (``shlex.quote``), and references
to environment variables, double-quoted (``"${NAME}"``), joined without separator so the shell
reads one word. Each function is its language's exact quoting, so any text round-trips.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterable
from typing import Protocol

__all__ = ["js_string", "php_string", "python_string", "shell_word"]

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class _EnvRef(Protocol):
    @property
    def env(self) -> str: ...


def shell_word(parts: Iterable[str | _EnvRef]) -> str:
    """One POSIX shell word: literal parts single-quoted, ``env`` parts as ``"${NAME}"``."""
    pieces: list[str] = []
    for part in parts:
        if isinstance(part, str):
            if part:
                pieces.append(shlex.quote(part))
        else:
            if not _ENV_NAME.fullmatch(part.env):
                raise ValueError(f"not an environment variable name: {part.env!r}")
            pieces.append('"${' + part.env + '}"')
    return "".join(pieces) or "''"


def python_string(text: str) -> str:
    """A Python string literal for ``text``."""
    return repr(text)


def js_string(text: str) -> str:
    """A JavaScript string literal for ``text`` (JSON, with U+2028/2029 escaped for old engines)."""
    return (
        json.dumps(text, ensure_ascii=False)
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def php_string(text: str) -> str:
    """A single-quoted PHP string literal: only backslash and the quote are escaped."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
