"""The sellers' tokens kept in the keyring: the list (``list_panel``), the controller that files,
refreshes, checks and forgets them (``controller``), and when to refresh them on its own
(``auto_refresh``)."""
