"""A read-only attribute that reads a part of its object, as a three-line property would.

``token_panel: Part[FlowView, TokenPanel] = Part(lambda view: view._pages().token_panel)`` in
the class body makes ``view.token_panel``; assigning to it raises ``AttributeError`` as for a
property without a setter. Typed for ``mypy --strict`` by the annotation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, NoReturn, Self, TypeVar, overload

__all__ = ["Part"]

_Owner = TypeVar("_Owner")
_T = TypeVar("_T")


class Part(Generic[_Owner, _T]):
    """``read(obj)`` as the attribute of ``obj`` (read-only)."""

    def __init__(self, read: Callable[[_Owner], _T]) -> None:
        self._read = read

    @overload
    def __get__(self, obj: None, owner: type[_Owner]) -> Self: ...
    @overload
    def __get__(self, obj: _Owner, owner: type[_Owner]) -> _T: ...
    def __get__(self, obj: _Owner | None, owner: type[_Owner]) -> _T | Self:
        return self if obj is None else self._read(obj)

    def __set__(self, obj: _Owner, value: object) -> NoReturn:
        raise AttributeError("read-only: a part of its object")
