"""The ``with`` protocol of the tests' servers and sessions, written once.

:class:`Closing`: ``with Server() as server:`` gives the object itself and ends with its
``close()``. :class:`ClosedOnExit`: the ``with`` ends with ``close()`` as well, while
``__enter__`` is the subclass's own (it starts something, or gives what a client needs, such as
a ``DISPLAY``).
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

__all__ = ["ClosedOnExit", "Closing"]


class ClosedOnExit:
    """Leaving the ``with`` block calls :meth:`close`, whether the block raised or not."""

    def close(self) -> None:
        raise NotImplementedError

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class Closing(ClosedOnExit):
    """``with`` gives the object itself (already started) and ends with :meth:`close`."""

    def __enter__(self) -> Self:
        return self
