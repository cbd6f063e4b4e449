"""A sentence shown in the UI's language that can be written again in another one.

Most messages are written when shown, so a language switch redraws them in the new language.
A few are written where the facts are (the embedded browser's "Could not load ... : ..."), then
travel as text to the error panel; :class:`Retranslatable` is such a text that keeps how it was
written, so the panel can ask for it again after a switch (:meth:`Retranslatable.again`). It is a
``str`` everywhere else. Qt-free.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Retranslatable", "written_again"]


class Retranslatable(str):
    """``write()`` now, as a ``str``; :meth:`again` calls ``write`` anew (a switched language)."""

    _write: Callable[[], str]

    def __new__(cls, write: Callable[[], str]) -> Retranslatable:
        text = super().__new__(cls, write())
        text._write = write
        return text

    def again(self) -> str:
        return self._write()


def written_again(text: object) -> str:
    """``text`` in the UI's current language when it knows how, else as it is."""
    return text.again() if isinstance(text, Retranslatable) else str(text)
