"""The built-in sandbox as the window uses it: its demo client as the form's value and a profile.

Shared by ``tiki-gui --sandbox`` (tiki_gui/app.py) and the window's "Try it on the sandbox"
(no command-line flag needed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from tiki_gui.core.options import AuthMethod
from tiki_gui.storage.profiles import (
    DEFAULT_SCOPES,
    SANDBOX_PROFILE_NAME,
    Profile,
    ProfileWithSecret,
)

if TYPE_CHECKING:
    from tiki_gui.sandbox import SandboxServer
    from tiki_gui.storage import ProfileStore
    from tiki_gui.ui.main_window import MainWindow

__all__ = [
    "attach_sandbox_profile",
    "open_sandbox",
    "sandbox_banner",
    "sandbox_config",
    "show_try_sandbox_off_the_sandbox",
    "start_sandbox",
]


def start_sandbox() -> SandboxServer:
    """A sandbox on 127.0.0.1 (a free port), sending ``iss``; the caller stops it."""
    from tiki_gui.sandbox import SandboxServer

    return SandboxServer(host="127.0.0.1", port=0, issue_iss=True).start()


def sandbox_config(server: SandboxServer) -> ProfileWithSecret:
    """The form's value for the sandbox's demo client: its profile and secret."""
    from tiki_gui.sandbox import DEMO_BASIC_CLIENT

    client = DEMO_BASIC_CLIENT
    profile = Profile(
        client_id=client.client_id,
        redirect_uri=client.redirect_uris[0],
        scopes=DEFAULT_SCOPES,
        auth_method=AuthMethod(client.token_endpoint_auth_method),
        authorization_endpoint=server.authorization_endpoint,
        token_endpoint=server.token_endpoint,
        api_base=server.api_base,
        issuer=server.issuer,  # the sandbox sends iss (RFC 9207): checked against this
    )
    return ProfileWithSecret(profile, client.client_secret)


def attach_sandbox_profile(store: ProfileStore, server: SandboxServer) -> None:
    """Give ``store`` its built-in "Sandbox" profile for ``server`` (in memory only)."""
    from tiki_gui.sandbox import DEMO_BASIC_CLIENT
    from tiki_gui.storage import sandbox_profile

    client = DEMO_BASIC_CLIENT
    profile = sandbox_profile(
        server.base_url,
        client,
        redirect_uri=client.redirect_uris[0],
        scopes=DEFAULT_SCOPES,
        issuer=server.issuer,
    )
    store.attach_sandbox(profile, client.client_secret)


def sandbox_banner(server: SandboxServer) -> str:
    """The line shown above the form while the sandbox runs."""
    return QCoreApplication.translate(
        "SandboxMode",
        "Sandbox mode: a local Tiki-like server runs at {url} with its demo client filled in "
        "below. Press Authorize and sign in with any seller name and any non-empty password.",
    ).format(url=server.base_url)


def open_sandbox(window: MainWindow) -> None:
    """ "Try it on the sandbox": start the window's sandbox (once; the window stops it at
    shutdown) and fill the form with its demo app, with storage as the "Sandbox" profile."""
    if window.sandbox_server is None:
        window.sandbox_server = start_sandbox()
        show_try_sandbox_off_the_sandbox(window)
    server = window.sandbox_server
    if window.profiles is not None:
        attach_sandbox_profile(window.profiles.store, server)
        window.profiles.switch_profile(SANDBOX_PROFILE_NAME)
    else:
        window.form.set_value(sandbox_config(server))
    window.show_banner(sandbox_banner(server))
    window.form.authorize.setFocus()


def show_try_sandbox_off_the_sandbox(window: MainWindow) -> None:
    """Once the window's sandbox runs, "Try it on the sandbox" shows only where it would do
    something: on another profile (it switches back to "Sandbox"); never on the sandbox itself."""
    button = window.flow_view.try_sandbox
    profiles = window.profiles
    if profiles is None:  # no storage: the form holds the sandbox's app from now on
        button.setVisible(False)
        return

    def on_opened(name: str, _profile: object = None) -> None:
        button.setVisible(name != SANDBOX_PROFILE_NAME)

    profiles.opened.connect(on_opened)
    on_opened(profiles.current)
