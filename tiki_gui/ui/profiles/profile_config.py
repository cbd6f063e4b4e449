"""Profile <-> ClientConfig: what the settings file keeps and what the form shows. Pure.

A :class:`~tiki_gui.storage.Profile` holds no secret; the client secret travels separately (it
lives in the keyring). A form value that cannot make a profile yet (no client ID, an unusable
URL) raises :class:`~tiki_gui.core.errors.ValidationError` and is simply not saved yet.
"""

from __future__ import annotations

from tiki_gui.core.endpoints import Endpoints
from tiki_gui.storage.profiles import Profile
from tiki_gui.ui.signin.client_config import ClientConfig

__all__ = ["config_from_profile", "profile_from_config"]


def config_from_profile(profile: Profile, client_secret: str = "") -> ClientConfig:
    """The form's value for ``profile`` (and its secret, if known)."""
    return ClientConfig(
        client_id=profile.client_id,
        client_secret=client_secret,
        redirect_uri=profile.redirect_uri,
        scope=profile.scope,
        auth_method=profile.auth_method,
        authorization_endpoint=profile.endpoints.authorization_endpoint,
        token_endpoint=profile.endpoints.token_endpoint,
        api_base=profile.endpoints.api_base,
        use_pkce=profile.use_pkce,
        grant=profile.grant,
        sign_in=profile.sign_in,
        browser_session=profile.browser_session,
        issuer=profile.issuer,
    )


def profile_from_config(name: str, config: ClientConfig) -> Profile:
    """The profile ``name`` holding ``config``'s non-secret fields; ValidationError if unusable."""
    return Profile(
        name=name,
        client_id=config.client_id,
        redirect_uri=config.redirect_uri.strip(),
        scopes=tuple(config.scope.split()),
        auth_method=config.auth_method,
        endpoints=Endpoints(
            authorization_endpoint=config.authorization_endpoint.strip(),
            token_endpoint=config.token_endpoint.strip(),
            api_base=config.api_base.strip(),
        ),
        grant=config.grant,
        browser_session=config.browser_session,
        use_pkce=config.use_pkce,
        sign_in=config.sign_in,
        issuer=config.issuer.strip(),
    )
