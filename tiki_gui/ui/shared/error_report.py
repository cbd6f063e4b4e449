"""What the error panel shows for one failure: our sentence and advice, the server's raw fields.

Filled in by :func:`~tiki_gui.ui.shared.error_text.describe_error`; shown by the sign-in's error
panel and copied from it as plain text (:meth:`ErrorReport.as_text`).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

__all__ = ["ErrorReport"]


@dataclass(frozen=True, slots=True)
class ErrorReport:
    """What the error panel shows. ``error``/``description``/``hint`` are the server's words."""

    message: str
    advice: str
    error: str | None = None
    description: str | None = None
    hint: str | None = None
    status_code: int | None = None
    detail: str | None = None  # our own technical detail (transport reason, body excerpt)
    field: str | None = None  # the form field at fault (its objectName), if one is
    switch_to: str | None = None  # the auth method (AuthMethod value) the server asks for

    @property
    def server_answered(self) -> bool:
        """The details are the server's words (else our own: no server answered)."""
        return bool(self.error or self.status_code is not None)

    def as_text(self) -> str:
        """Everything, as plain text for the clipboard or a bug report."""
        what_to_try = QCoreApplication.translate("ErrorText", "What to try: {advice}")
        lines = [self.message, what_to_try.format(advice=self.advice)]
        for name, value in (
            ("error", self.error),
            ("error_description", self.description),
            ("error_hint", self.hint),
            (
                QCoreApplication.translate("ErrorReport", "HTTP status"),
                None if self.status_code is None else str(self.status_code),
            ),
            ("detail", self.detail),
        ):
            if value:
                lines.append(f"{name}: {value}")
        return "\n".join(lines)
