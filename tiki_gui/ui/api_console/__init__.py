"""The seller API request console: try Tiki's seller API with a stored token, copy a request as
code, export a token for API tools. The Qt-free work is in :mod:`tiki_gui.api`."""
