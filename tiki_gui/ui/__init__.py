"""The Qt Widgets UI: thin, over :mod:`tiki_gui.core`.

Never imports ``PySide6.QtWebEngine*``: the consent browser (:mod:`tiki_gui.webengine`) is
imported inside :meth:`tiki_gui.ui.signin.consent_pane.ConsentPane.start`, at the first Authorize.
"""
