"""Client authentication: the RFC 6749 2.3.1 form-encoded Basic header, or the request body."""

from __future__ import annotations

import base64
from urllib.parse import unquote_plus

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiki_gui.core.client_auth import (
    AuthMethod,
    ClientCredentials,
    ClientSecretBasicAuth,
    authenticate_form,
    basic_authorization,
)
from tiki_gui.core.errors import ValidationError

_settings = settings(database=None, deadline=None, max_examples=300)
_printable = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=40
)
SECRET = "s3cr+t: /with%20 odd%chars"


def _decode(header: str) -> tuple[str, str]:
    scheme, _, encoded = header.partition(" ")
    assert scheme == "Basic"
    user, sep, password = base64.b64decode(encoded, validate=True).decode("ascii").partition(":")
    assert sep == ":"
    return unquote_plus(user), unquote_plus(password)


def test_tikis_documented_example() -> None:
    assert basic_authorization("7590139168389961", "tfSl0c6VFv3fAB_z9F-m22IhEnmwq6ew") == (
        "Basic NzU5MDEzOTE2ODM4OTk2MTp0ZlNsMGM2VkZ2M2ZBQl96OUYtbTIySWhFbm13cTZldw=="
    )


def test_special_characters_are_form_encoded_before_base64() -> None:
    header = basic_authorization("my:app id", "a+b:c/d%e f")
    raw = base64.b64decode(header.removeprefix("Basic ")).decode("ascii")
    assert raw == "my%3Aapp+id:a%2Bb%3Ac%2Fd%25e+f"
    # Exactly one unencoded colon: the separator.
    assert raw.count(":") == 1
    assert _decode(header) == ("my:app id", "a+b:c/d%e f")


def test_a_raw_plus_would_have_become_a_space() -> None:
    header = basic_authorization("id", "a+b")
    assert "+" not in base64.b64decode(header.removeprefix("Basic ")).decode("ascii")


@_settings
@given(_printable, _printable)
def test_header_decodes_back_with_unquote_plus(client_id: str, secret: str) -> None:
    assert _decode(basic_authorization(client_id, secret)) == (client_id, secret)


def test_auth_method_values_and_tikis_labels() -> None:
    assert AuthMethod("client_secret_basic") is AuthMethod.CLIENT_SECRET_BASIC
    assert str(AuthMethod.CLIENT_SECRET_POST) == "client_secret_post"
    assert AuthMethod.CLIENT_SECRET_BASIC.label == "Basic header"
    assert AuthMethod.CLIENT_SECRET_POST.label == "Request body"


def test_credentials_default_to_basic_and_hide_the_secret() -> None:
    credentials = ClientCredentials("7590139168389961", SECRET)
    assert credentials.method is AuthMethod.CLIENT_SECRET_BASIC
    assert SECRET not in repr(credentials)
    assert "7590139168389961" in repr(credentials)


@pytest.mark.parametrize(
    ("client_id", "secret", "message"),
    [
        ("", "x", "Client ID is required"),
        ("  ", "x", "Client ID is required"),
        ("id", "", "Client secret is required"),
        ("id", "secret\n", "line break"),
    ],
)
def test_credentials_reject_unusable_values(client_id: str, secret: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as info:
        ClientCredentials(client_id, secret)
    assert "secret\n" not in str(info.value)


def test_basic_form_has_client_id_but_never_the_secret() -> None:
    fields, auth = authenticate_form(
        ClientCredentials("app", SECRET, AuthMethod.CLIENT_SECRET_BASIC), {"grant_type": "x"}
    )
    assert fields == {"grant_type": "x", "client_id": "app"}
    assert isinstance(auth, ClientSecretBasicAuth)


def test_post_form_has_id_and_secret_and_no_auth() -> None:
    fields, auth = authenticate_form(
        ClientCredentials("app", SECRET, AuthMethod.CLIENT_SECRET_POST), {"grant_type": "x"}
    )
    assert fields == {"grant_type": "x", "client_id": "app", "client_secret": SECRET}
    assert auth is None


def test_form_must_not_bring_its_own_secret() -> None:
    with pytest.raises(ValueError, match="client_secret"):
        authenticate_form(ClientCredentials("app", SECRET), {"client_secret": "other"})


def test_basic_auth_flow_sets_the_header_once() -> None:
    """Driven directly, as httpx tests its own auth classes."""
    auth = ClientSecretBasicAuth("app", SECRET)
    request = httpx.Request("POST", "https://api.tiki.vn/sc/oauth2/token")
    flow = auth.sync_auth_flow(request)
    sent = next(flow)
    assert sent.headers["Authorization"] == basic_authorization("app", SECRET)
    with pytest.raises(StopIteration):
        flow.send(httpx.Response(200))
    assert SECRET not in repr(auth)
    assert basic_authorization("app", SECRET).removeprefix("Basic ") not in repr(auth)
