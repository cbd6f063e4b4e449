"""Tests of tiki_gui.webengine: the real QtWebEngine, offscreen, against servers on 127.0.0.1."""
