"""tiki-gui: run Tiki Marketplace OAuth 2.0 flows on the desktop."""
