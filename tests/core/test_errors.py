"""One error tree with one root, and messages a person can read."""

from __future__ import annotations

import pytest

from tiki_gui.core.errors import (
    ApiError,
    ApiForbiddenError,
    ApiRateLimitedError,
    ApiUnauthorizedError,
    AuthorizationDeniedError,
    ConnectionFailedError,
    ErrorPageError,
    MalformedResponseError,
    OAuthError,
    RedirectError,
    RequestTimeoutError,
    StateMismatchError,
    TikiGuiError,
    TlsError,
    TransportError,
    ValidationError,
)
from tiki_gui.core.redact import REDACTED, excerpt, redact, redact_secrets


@pytest.mark.parametrize(
    ("cls", "parent"),
    [
        (ValidationError, TikiGuiError),
        (ValidationError, ValueError),
        (OAuthError, TikiGuiError),
        (AuthorizationDeniedError, OAuthError),
        (ErrorPageError, OAuthError),
        (RedirectError, TikiGuiError),
        (StateMismatchError, RedirectError),
        (TransportError, TikiGuiError),
        (RequestTimeoutError, TransportError),
        (ConnectionFailedError, TransportError),
        (TlsError, TransportError),
        (MalformedResponseError, TikiGuiError),
        (ApiError, TikiGuiError),
        (ApiUnauthorizedError, ApiError),
        (ApiForbiddenError, ApiError),
        (ApiRateLimitedError, ApiError),
    ],
)
def test_the_tree(cls: type[Exception], parent: type[Exception]) -> None:
    assert issubclass(cls, parent)


def test_transport_errors_are_not_oauth_errors() -> None:
    for cls in (TransportError, RequestTimeoutError, ConnectionFailedError, TlsError):
        assert not issubclass(cls, OAuthError)
        assert not issubclass(cls, MalformedResponseError)


def test_oauth_error_fields_and_message() -> None:
    error = OAuthError(
        "invalid_client",
        "Client authentication failed.",
        "Use client_secret_basic.",
        "https://e.example/x",
        401,
    )
    assert (error.error, error.description, error.hint, error.uri, error.status_code) == (
        "invalid_client",
        "Client authentication failed.",
        "Use client_secret_basic.",
        "https://e.example/x",
        401,
    )
    assert str(error) == "invalid_client: Client authentication failed. (Use client_secret_basic.)"
    assert repr(error) == f"OAuthError({str(error)!r})"


@pytest.mark.parametrize(
    ("description", "hint", "text"),
    [
        (None, None, "invalid_grant"),
        ("Expired.", None, "invalid_grant: Expired."),
        (None, "A hint.", "invalid_grant (A hint.)"),
        ("Expired.", "A hint.", "invalid_grant: Expired. (A hint.)"),
        # Newer Hydra folds the hint into the description: it is not repeated.
        ("Expired. A hint.", "A hint.", "invalid_grant: Expired. A hint."),
    ],
)
def test_oauth_error_message_variants(description: str | None, hint: str | None, text: str) -> None:
    assert str(OAuthError("invalid_grant", description, hint)) == text


def test_malformed_response_message() -> None:
    error = MalformedResponseError(
        "The token endpoint answered with HTML", status_code=500, excerpt="<h1>"
    )
    assert error.message == "The token endpoint answered with HTML"
    assert (error.status_code, error.excerpt) == (500, "<h1>")
    assert (
        str(error) == "The token endpoint answered with HTML (HTTP 500); the answer began: '<h1>'"
    )


def test_api_error_messages() -> None:
    assert str(ApiError(500)) == "The Tiki API answered HTTP 500"
    assert str(ApiError(404, ("not found",))) == "The Tiki API answered HTTP 404: not found"
    limited = ApiRateLimitedError(429, ("slow down",), retry_after=1.5)
    assert limited.retry_after == 1.5
    assert str(limited) == (
        "The Tiki API answered HTTP 429 (too many requests; retry after 1.5 s): slow down"
    )
    assert "not linked to a seller" in str(ApiUnauthorizedError(401))
    assert "seller is inactive" in str(ApiForbiddenError(403))


def test_transport_error_keeps_a_reason() -> None:
    error = ConnectionFailedError("Could not connect.", reason="[Errno 111] Connection refused")
    assert str(error) == "Could not connect."
    assert error.reason == "[Errno 111] Connection refused"


# -- redaction ----------------------------------------------------------------------------------


def test_redact_secrets_in_every_encoding() -> None:
    secret = "a+b c/d"
    text = f"raw={secret} plus=a%2Bb+c%2Fd pct=a%2Bb%20c%2Fd"
    assert redact_secrets(text, [secret]) == f"raw={REDACTED} plus={REDACTED} pct={REDACTED}"


def test_redact_removes_token_like_runs_but_keeps_identifiers() -> None:
    text = (
        "method token_endpoint_auth_method token ory_at_Zm9vYmFyMTIzNDU2Nzg5.YmF6 "
        "and aGVsbG8gd29ybGQgdGhpcyBpcyBhIHRva2VuIQ"
    )
    assert redact(text) == f"method token_endpoint_auth_method token {REDACTED} and {REDACTED}"


def test_excerpt_is_short_single_line_and_printable() -> None:
    text = "<html>\n\t<body>" + "word " * 100 + "\x00\x07</body>"
    result = excerpt(text)
    assert len(result) == 120
    assert result.endswith("…")
    assert "\n" not in result
    assert result.startswith("<html> <body>word word")
    assert all(ch.isprintable() for ch in result)


def test_every_exception_class_is_in_the_drawn_tree() -> None:
    import ast
    from pathlib import Path

    import tiki_gui
    from tiki_gui.core import errors

    drawn = errors.__doc__ or ""
    root = Path(tiki_gui.__file__).parent
    classes = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(base, ast.Name | ast.Attribute)
                and (ast.unparse(base).endswith(("Error", "Exception", "Failure")))
                for base in node.bases
            ):
                classes.append(node.name)
    assert len(classes) > 30  # the scan found the tree
    missing = sorted(name for name in classes if name not in drawn)
    assert missing == []
