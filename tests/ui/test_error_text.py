"""describe_error: every failure becomes a sentence, the server's fields, and what to try."""

from __future__ import annotations

import pytest

from tiki_gui.core.errors import (
    AuthorizationDeniedError,
    ConnectionFailedError,
    ErrorPageError,
    MalformedResponseError,
    OAuthError,
    RedirectError,
    RequestTimeoutError,
    StateMismatchError,
)
from tiki_gui.signin.errors import PortInUseError
from tiki_gui.ui.shared.error_text import ConsentPageError, LoopbackTimeoutError, describe_error

BASIC_HINT = (
    "The OAuth 2.0 Client supports client authentication method 'client_secret_basic', "
    "but method 'client_secret_post' was requested. You must configure the OAuth 2.0 client's "
    "'token_endpoint_auth_method' value to accept 'client_secret_post'."
)


def test_wrong_auth_method_names_the_registered_one() -> None:
    error = OAuthError(
        "invalid_client", "Client authentication failed", BASIC_HINT, status_code=401
    )
    report = describe_error(error)
    assert "registered for Basic header" in report.advice
    assert "switch the auth method" in report.advice
    assert (report.error, report.hint, report.status_code) == ("invalid_client", BASIC_HINT, 401)
    assert report.description == "Client authentication failed"


def test_wrong_auth_method_hint_folded_into_the_description_is_read_too() -> None:
    folded = (
        "Client authentication failed. The OAuth 2.0 Client supports client authentication "
        "method 'client_secret_post', but method 'client_secret_basic' was requested."
    )
    report = describe_error(OAuthError("invalid_client", folded))
    assert "registered for Request body" in report.advice


def test_plain_invalid_client_points_at_the_credentials() -> None:
    report = describe_error(OAuthError("invalid_client", "Client authentication failed"))
    assert "client ID and client secret" in report.advice


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (AuthorizationDeniedError("access_denied", "The resource owner denied"), "declined"),
        (OAuthError("invalid_scope", "The requested scope is invalid"), "scopes"),
        (OAuthError("request_forbidden", "No CSRF value available"), "request_forbidden"),
        (OAuthError("invalid_grant", "The authorization code has already been used."), "code"),
        (OAuthError("something_new"), "something_new"),
    ],
)
def test_oauth_errors_read_as_sentences_with_the_raw_code_kept(
    error: OAuthError, words: str
) -> None:
    report = describe_error(error)
    assert words in report.message
    assert report.error == error.error
    assert report.description == error.description
    assert report.advice


def test_state_mismatch_says_possible_csrf_and_start_again() -> None:
    report = describe_error(StateMismatchError("The redirect carries a different state"))
    assert "state mismatch" in report.message
    assert "CSRF" in report.advice
    assert "start again" in report.advice


def test_error_page_explains_that_the_flow_cannot_finish() -> None:
    report = describe_error(
        ErrorPageError("invalid_client", "Client authentication failed", "client not found")
    )
    assert "error page" in report.message
    assert "client ID" in report.advice
    redirect = describe_error(
        ErrorPageError("invalid_request", "The 'redirect_uri' parameter does not match")
    )
    assert "redirect URI" in redirect.advice


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (RequestTimeoutError("The token endpoint did not answer"), "in time"),
        (ConnectionFailedError("Could not connect"), "connect"),
        (ConsentPageError("Could not load 127.0.0.1:1"), "sign-in page"),
    ],
)
def test_transport_errors_say_check_network_and_endpoint(error: Exception, words: str) -> None:
    report = describe_error(error)
    assert words in report.message
    assert "network" in report.advice
    assert report.detail == str(error)


def test_garbage_answer_is_a_readable_sentence_with_the_status() -> None:
    error = MalformedResponseError(
        "The token endpoint answered with something that is not JSON",
        status_code=500,
        excerpt="<html>",
    )
    report = describe_error(error)
    assert "not an OAuth token response (HTTP 500)" in report.message
    assert report.status_code == 500
    assert "<html>" in (report.detail or "")


def test_other_errors_are_reported_not_raised() -> None:
    assert "RedirectError" not in describe_error(RedirectError("no code")).message
    report = describe_error(KeyError("boom"))
    assert "KeyError" in report.message


@pytest.mark.parametrize(
    ("timeout_s", "shown"),
    [
        (600.0, "10 minutes"),
        (60, "1 minute"),
        (90, "90 seconds"),  # an int, as a caller may pass: QLocale refuses one for "g"
        (1.0, "1 second"),
        (0.5, "0.5 seconds"),
        (None, "0 seconds"),
    ],
)
def test_a_loopback_timeout_says_how_long_the_app_listened(
    timeout_s: float | None, shown: str
) -> None:
    report = describe_error(LoopbackTimeoutError("closed", timeout_s=timeout_s))
    assert f"No redirect arrived within {shown}, " in report.message
    assert report.detail == "closed"
    assert report.field is None


def test_a_port_in_use_names_the_port_and_host() -> None:
    report = describe_error(PortInUseError("taken", host="127.0.0.1", port=8765))
    assert report.message.startswith("Port 8765 on 127.0.0.1 is already in use")
    assert "Paste the redirect URL" in report.advice
    assert report.detail == "taken"


def test_as_text_holds_every_field_shown() -> None:
    report = describe_error(OAuthError("invalid_client", "desc", "hint", status_code=401))
    text = report.as_text()
    for part in ("error: invalid_client", "error_description: desc", "error_hint: hint", "401"):
        assert part in text
