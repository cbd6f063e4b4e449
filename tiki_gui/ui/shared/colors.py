"""Colours taken from the palette, so that they read on light and dark windows alike.

A status colour (green, amber, red) is a hue: :func:`readable` moves its lightness until it
reaches WCAG's 4.5:1 contrast against the background it is drawn on. A notice's background is
the window colour tinted towards a hue (:func:`tinted`), with the palette's own text colour on it.
Widgets that use these rebuild their style on ``QEvent.PaletteChange`` (the system switching
between light and dark).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QGuiApplication

from tiki_gui.ui.shared.enum_free import COLOR_SCHEME_DARK, COLOR_SCHEME_LIGHT, color_scheme

if TYPE_CHECKING:
    from PySide6.QtGui import QPalette

__all__ = [
    "MINIMUM_CONTRAST",
    "Tone",
    "contrast_ratio",
    "dark_palette",
    "follow_color_scheme",
    "is_dark",
    "notice_style",
    "readable",
    "tinted",
    "tone_color",
]

MINIMUM_CONTRAST = 4.5  # WCAG 2 AA for normal text


class Tone(enum.Enum):
    """What a colour means; its hue is fixed, its lightness follows the palette."""

    GOOD = "#1b7f3b"
    WARNING = "#a66300"
    ERROR = "#b3261e"
    NOTICE = "#c89b00"


def _channel(value: float) -> float:
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(color: QColor) -> float:
    """WCAG 2's relative luminance of ``color`` (0 black .. 1 white)."""
    rgb = color.toRgb()
    return (
        0.2126 * _channel(rgb.redF())
        + 0.7152 * _channel(rgb.greenF())
        + 0.0722 * _channel(rgb.blueF())
    )


def contrast_ratio(first: QColor, second: QColor) -> float:
    """WCAG 2's contrast ratio of two colours, 1 to 21."""
    a, b = relative_luminance(first), relative_luminance(second)
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)


def readable(color: QColor, background: QColor, minimum: float = MINIMUM_CONTRAST) -> QColor:
    """``color``'s hue, lightened on a dark background or darkened on a light one, until its
    contrast with ``background`` is at least ``minimum``."""
    hsl = color.toHsl()
    hue, saturation, lightness = hsl.hslHueF(), hsl.hslSaturationF(), hsl.lightnessF()
    towards_light = relative_luminance(background) < 0.2
    candidate = color.toRgb()  # a copy (QColor(color) would make PySide6 build its Qt enums)
    for _ in range(40):
        if contrast_ratio(candidate, background) >= minimum:
            return candidate
        lightness = min(1.0, lightness + 0.03) if towards_light else max(0.0, lightness - 0.03)
        candidate = QColor.fromHslF(max(hue, 0.0), saturation, lightness)
    return QColor("white") if towards_light else QColor("black")


def tinted(background: QColor, tint: QColor, amount: float = 0.18) -> QColor:
    """``background`` mixed with ``amount`` of ``tint``."""
    base, over = background.toRgb(), tint.toRgb()
    return QColor.fromRgbF(
        base.redF() + (over.redF() - base.redF()) * amount,
        base.greenF() + (over.greenF() - base.greenF()) * amount,
        base.blueF() + (over.blueF() - base.blueF()) * amount,
    )


def tone_color(tone: Tone, palette: QPalette, role: QPalette.ColorRole | None = None) -> QColor:
    """The colour of ``tone`` for text on ``role`` (the window by default) of ``palette``."""
    from PySide6.QtGui import QPalette  # here: its enums, not before the first paint (issue 11)

    background = palette.color(role if role is not None else QPalette.ColorRole.Window)
    return readable(QColor(tone.value), background)


def notice_colors(tone: Tone, palette: QPalette) -> tuple[QColor, QColor, QColor]:
    """(background, text, border) of a notice of ``tone`` on ``palette``'s window."""
    from PySide6.QtGui import QPalette

    window = palette.color(QPalette.ColorRole.Window)
    background = tinted(window, QColor(tone.value))
    text = readable(palette.color(QPalette.ColorRole.WindowText), background)
    border = tinted(window, QColor(tone.value), 0.5)
    return background, text, border


def notice_style(selector: str, tone: Tone, palette: QPalette) -> str:
    """A style sheet for a notice box (``selector``, e.g. ``QLabel#keyring_notice``)."""
    background, text, border = notice_colors(tone, palette)
    return (
        f"{selector} {{ background: {background.name()}; color: {text.name()};"
        f" border: 1px solid {border.name()}; border-radius: 4px; padding: 4px 6px; }}"
        f" {selector} QLabel {{ color: {text.name()}; background: transparent; border: none;"
        " padding: 0px; }"
    )


def is_dark(palette: QPalette) -> bool:
    """The palette draws light text on a dark window."""
    from PySide6.QtGui import QPalette

    return relative_luminance(palette.color(QPalette.ColorRole.Window)) < 0.2


def dark_palette() -> QPalette:
    """A dark palette for Qt's Fusion style, for when the system asks for a dark scheme but the
    platform theme gives no palette for it (plain X11, offscreen)."""
    from PySide6.QtGui import QPalette

    palette = QPalette()
    roles = QPalette.ColorRole
    colors = {
        roles.Window: "#2b2b2b",
        roles.WindowText: "#e6e6e6",
        roles.Base: "#1f1f1f",
        roles.AlternateBase: "#2f2f2f",
        roles.ToolTipBase: "#3a3a3a",
        roles.ToolTipText: "#e6e6e6",
        roles.PlaceholderText: "#9a9a9a",
        roles.Text: "#e6e6e6",
        roles.Button: "#353535",
        roles.ButtonText: "#e6e6e6",
        roles.BrightText: "#ff6b6b",
        roles.Light: "#474747",
        roles.Midlight: "#3d3d3d",
        roles.Mid: "#252525",
        roles.Dark: "#191919",
        roles.Shadow: "#000000",
        roles.Highlight: "#3d7edb",
        roles.HighlightedText: "#ffffff",
        roles.Link: "#7fb2ff",
        roles.LinkVisited: "#c09cff",
    }
    for role, name in colors.items():
        palette.setColor(role, QColor(name))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(disabled, role, QColor("#808080"))
    return palette


def follow_palette(restyle: Callable[[QPalette], None]) -> None:
    """Call ``restyle`` with the application's new palette whenever it changes (a light/dark
    switch). A signal, not a widget's ``changeEvent``: a Python ``changeEvent`` before the
    window's first paint makes PySide6 build its ~40 event classes (issue 11)."""
    if isinstance(app := QGuiApplication.instance(), QGuiApplication):
        app.paletteChanged.connect(restyle)


def follow_color_scheme(app: QGuiApplication) -> None:
    """Follow the system's light/dark scheme: where the platform theme reports a dark scheme
    but gives a light palette (plain X11, offscreen), use :func:`dark_palette`; back to the
    style's own palette when the system turns light again. Widgets restyle on the change."""
    hints = app.styleHints()
    ours: list[bool] = [False]

    def apply(scheme: int) -> None:
        if scheme == COLOR_SCHEME_DARK and not is_dark(app.palette()):
            app.setPalette(dark_palette())
            ours[0] = True
        elif scheme == COLOR_SCHEME_LIGHT and ours[0]:
            from PySide6.QtGui import QPalette

            app.setPalette(QPalette())
            ours[0] = False

    hints.colorSchemeChanged.connect(lambda scheme: apply(int(scheme.value)))
    apply(color_scheme(hints))  # without PySide6's Qt namespace before the first paint
