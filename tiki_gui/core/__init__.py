"""Qt-free OAuth 2.0 protocol core for Tiki Marketplace.

Organised by what each module holds (see the submodules); import names from the submodules:
``errors``, ``endpoints``, ``scopes``, ``client_auth``, ``pkce``, ``authorization``, ``redirect``,
``tokens``, ``http`` (with ``body``: bounded reading, and ``cancellation``: the total deadline
and the cancel handle), ``token_client`` and ``seller``. Nothing here imports Qt, and secrets never
reach a ``repr``, a log line or an exception message.
"""
