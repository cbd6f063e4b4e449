"""The credentials form's problems in the UI's language.

The checks and their English wording are the profile's (:meth:`ProfileWithSecret.problems
<tiki_gui.storage.profiles.ProfileWithSecret.problems>`, built on the core's field checks); here
the URL fields are named in the UI's language and each sentence goes through
:func:`~tiki_gui.ui.shared.core_text.core_text`. Qt-light: no widget, no ``httpx``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from tiki_gui.storage.profiles import FieldProblem, ProfileWithSecret
from tiki_gui.ui.shared.core_text import core_text
from tiki_gui.ui.shared.i18n import QT_TRANSLATE_NOOP

__all__ = ["form_problems"]

# One per URL field of storage.profiles.FIELD_NAMES: the form's own words for its fields (so in
# its translation context, where the accessible names already are).
_NAMES = {
    "redirect_uri": QT_TRANSLATE_NOOP("CredentialsForm", "Redirect URI"),
    "authorization_endpoint": QT_TRANSLATE_NOOP("CredentialsForm", "Authorization endpoint"),
    "token_endpoint": QT_TRANSLATE_NOOP("CredentialsForm", "Token endpoint"),
    "api_base": QT_TRANSLATE_NOOP("CredentialsForm", "API base URL"),
    "issuer": QT_TRANSLATE_NOOP("CredentialsForm", "Issuer"),
}


def form_problems(value: ProfileWithSecret) -> tuple[FieldProblem, ...]:
    """Every field of ``value`` that stops a sign-in, in field order, in the UI's language."""
    names = {
        field: QCoreApplication.translate("CredentialsForm", source)
        for field, source in _NAMES.items()
    }
    return tuple(
        FieldProblem(problem.field, core_text(problem.message)) for problem in value.problems(names)
    )
