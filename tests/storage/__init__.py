"""Tests of the Qt-free storage layer and ``tiki-gui token``, against a real Secret Service."""
