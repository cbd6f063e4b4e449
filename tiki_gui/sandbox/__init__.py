"""A local authorization server that behaves like Tiki's (Ory Hydra): the other side of the wire.

It never imports the app's OAuth core or Qt: everything it checks (Basic header decoding, form
parsing, PKCE, redirect URI matching) is implemented here from the RFCs and Hydra's behaviour.
Run it with ``python -m tiki_gui.sandbox`` or in-process with ``SandboxServer().start()``.
"""

from tiki_gui.sandbox.clients import (
    DEMO_BASIC_CLIENT,
    DEMO_POST_CLIENT,
    ClientConfigError,
    SandboxClient,
    load_clients,
)
from tiki_gui.sandbox.seller_api import seller_for
from tiki_gui.sandbox.server import RequestRecord, SandboxServer, TokenRequestRecord

__all__ = [
    "DEMO_BASIC_CLIENT",
    "DEMO_POST_CLIENT",
    "ClientConfigError",
    "RequestRecord",
    "SandboxClient",
    "SandboxServer",
    "TokenRequestRecord",
    "load_clients",
    "seller_for",
]
