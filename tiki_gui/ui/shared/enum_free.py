"""Qt settings made before the window's first paint without PySide6's ``Qt`` namespace (issue 11).

PySide6 makes all ~95 enums of the ``Qt`` namespace (``Qt.AlignmentFlag``, ``Qt.FocusPolicy``, ...)
the first time ``PySide6.QtCore.Qt`` is touched: ~15 ms of Python's ``enum`` machinery on the
2-core build machine, a tenth of the bare window's whole start. The bare window never touches it,
and neither does tiki-gui before its first paint (``tests/ui/test_start_imports.py``). Afterwards
the code uses the ``Qt`` enums as usual. What the first paint needs, without them:

- :func:`set_keys`: an enum-typed Qt property set by its keys' names, as Qt's own style sheets
  and ``.ui`` files do (``QMetaProperty::write`` turns the names into the value), and a shortcut
  by its text, without the ``QKeySequence`` class (~2 ms);
- :data:`TOOLTIP_ROLE`: item data roles are plain ints in Qt's signatures;
- :func:`share_opengl_contexts`: ``QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts)``,
  which QtWebEngine needs before the application exists;
- :func:`color_scheme`: ``QStyleHints::colorScheme()``, as an int;
- :func:`window_exposed`: ``QWidget::windowHandle()->isExposed()``, without the ``QWindow``
  class and its bases (``QSurface``, ...), whose enums PySide6 would make (~2 ms).

The last three call Qt's C++ functions through :mod:`ctypes` on Linux
(:func:`tiki_gui.qt_native.qt_function`: the libraries PySide6 has loaded already). Anywhere
else, or if that fails, they use PySide6's classes (and pay for them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tiki_gui.qt_native import qt_function as _qt_function

if TYPE_CHECKING:
    from PySide6.QtCore import QObject
    from PySide6.QtGui import QStyleHints
    from PySide6.QtWidgets import QWidget

__all__ = [
    "COLOR_SCHEME_DARK",
    "COLOR_SCHEME_LIGHT",
    "TOOLTIP_ROLE",
    "color_scheme",
    "set_keys",
    "share_opengl_contexts",
    "window_exposed",
]

TOOLTIP_ROLE = 3
"""``Qt.ItemDataRole.ToolTipRole``: item data roles are ints in Qt's C++ signatures."""

COLOR_SCHEME_LIGHT = 1  # Qt::ColorScheme::Light
COLOR_SCHEME_DARK = 2  # Qt::ColorScheme::Dark
_AA_SHARE_OPENGL_CONTEXTS = 18  # Qt::AA_ShareOpenGLContexts

# Itanium C++ ABI names (Linux) of the two functions called directly.
_SET_ATTRIBUTE = "_ZN16QCoreApplication12setAttributeEN2Qt20ApplicationAttributeEb"
_COLOR_SCHEME = "_ZNK11QStyleHints11colorSchemeEv"
_WINDOW_HANDLE = "_ZNK7QWidget12windowHandleEv"
_IS_EXPOSED = "_ZNK7QWindow9isExposedEv"


def set_keys(target: QObject, **properties: str) -> None:
    """Set each enum-typed Qt property of ``target`` to the value its keys name, e.g.
    ``set_keys(label, alignment="AlignTop|AlignLeft")``, or a key sequence to its portable text,
    ``set_keys(action, shortcut="Ctrl+Q")``. Raises ValueError for a property or a key Qt does
    not know (so a typo fails at once, in every test that makes the widget)."""
    for name, keys in properties.items():
        # Checked first: setting an unknown name would leave a dynamic property behind.
        known = target.metaObject().indexOfProperty(name) >= 0
        if not known or not target.setProperty(name, keys):
            raise ValueError(f"{type(target).__name__}.{name}: no such property or key {keys!r}")


def share_opengl_contexts() -> None:
    """``QCoreApplication.setAttribute(Qt.AA_ShareOpenGLContexts)``, before the application."""
    function = _qt_function("libQt6Core.so.6", _SET_ATTRIBUTE, ("c_int", "c_bool"), None)
    if function is None:
        from PySide6.QtCore import QCoreApplication, Qt

        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
        return
    function(_AA_SHARE_OPENGL_CONTEXTS, True)


def color_scheme(hints: QStyleHints) -> int:
    """``hints.colorScheme()`` as an int: 0 unknown, :data:`COLOR_SCHEME_LIGHT`,
    :data:`COLOR_SCHEME_DARK`."""
    function = _qt_function("libQt6Gui.so.6", _COLOR_SCHEME, ("c_void_p",), "c_int")
    if function is None:
        return int(hints.colorScheme().value)
    import shiboken6

    return int(function(shiboken6.getCppPointer(hints)[0]))


def window_exposed(widget: QWidget) -> bool:
    """``widget.windowHandle().isExposed()``: False while its window has none or is not shown
    on screen (a widget window paints as it is exposed)."""
    handle = _qt_function("libQt6Widgets.so.6", _WINDOW_HANDLE, ("c_void_p",), "c_void_p")
    exposed = _qt_function("libQt6Gui.so.6", _IS_EXPOSED, ("c_void_p",), "c_bool")
    if handle is None or exposed is None:
        window = widget.windowHandle()
        return window is not None and window.isExposed()
    import shiboken6

    window_pointer = handle(shiboken6.getCppPointer(widget)[0])
    return bool(window_pointer) and bool(exposed(window_pointer))
