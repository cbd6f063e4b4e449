"""Tests of the Qt Widgets UI (tiki_gui.ui) and the app (tiki_gui.app)."""
