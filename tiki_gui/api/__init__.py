"""Tiki's seller API for integrators, without Qt: request presets, the scope check, sending a
request with a stored token, "copy as" code snippets and token exports for API tools.

Like :mod:`tiki_gui.core` (which it builds on), this package never imports Qt.
"""
