"""The token model and the token response (RFC 6749 5.1)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiki_gui.core.errors import MalformedResponseError, ValidationError
from tiki_gui.core.tokens import TokenSet, token_set_from_response

_settings = settings(database=None, deadline=None, max_examples=200)
T0 = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
ACCESS = "ory_at_access-0123456789abcdefghijklmnop"
REFRESH = "ory_rt_refresh-0123456789abcdefghijklmnop"


def _body(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "access_token": ACCESS,
        "expires_in": 3599,
        "refresh_token": REFRESH,
        "scope": "offline product order",
        "token_type": "bearer",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def test_a_fosite_response_becomes_a_typed_token_set() -> None:
    token = token_set_from_response(_body(), received_at=T0)
    assert token.access_token == ACCESS
    assert token.refresh_token == REFRESH
    assert token.token_type == "bearer"
    assert token.scope == ("offline", "product", "order")
    assert token.obtained_at == T0
    assert token.expires_at == T0 + timedelta(seconds=3599)
    assert token.expires_at.tzinfo is UTC


@pytest.mark.parametrize("token_type", ["Bearer", "BEARER", "bearer"])
def test_token_type_is_case_insensitive_and_stored_lower_case(token_type: str) -> None:
    token = token_set_from_response(_body(token_type=token_type), received_at=T0)
    assert token.token_type == "bearer"
    assert token.authorization_header == f"Bearer {ACCESS}"


def test_optional_fields() -> None:
    token = token_set_from_response(
        _body(expires_in=None, refresh_token=None, scope=None), received_at=T0
    )
    assert token.expires_at is None
    assert token.refresh_token is None
    assert token.scope is None
    assert not token.is_expired(T0 + timedelta(days=10_000))
    assert token.expires_in(T0) is None


def test_received_at_in_another_zone_is_kept_as_utc() -> None:
    ict = timezone(timedelta(hours=7))
    token = token_set_from_response(_body(expires_in=60), received_at=T0.astimezone(ict))
    assert token.obtained_at == T0
    assert token.obtained_at.tzinfo is UTC
    assert token.expires_at == T0 + timedelta(seconds=60)


def test_naive_received_at_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        token_set_from_response(_body(), received_at=datetime(2024, 1, 1))


def test_numeric_string_expires_in_is_accepted() -> None:
    token = token_set_from_response(_body(expires_in="120"), received_at=T0)
    assert token.expires_at == T0 + timedelta(seconds=120)


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"access_token": None}, "has no access_token"),
        ({"access_token": ""}, "has no access_token"),
        ({"access_token": 123}, "has no access_token"),
        ({"token_type": None}, "has no token_type"),
        ({"expires_in": "soon"}, "not a number"),
        ({"expires_in": True}, "not a number"),
        ({"expires_in": [1]}, "not a number"),
        ({"expires_in": -1}, "negative or impossibly large"),
        ({"expires_in": 1e300}, "negative or impossibly large"),
        ({"refresh_token": 5}, "refresh_token that is not a string"),
        ({"scope": ["offline"]}, "scope that is not a string"),
    ],
)
def test_malformed_bodies(overrides: dict[str, object], problem: str) -> None:
    with pytest.raises(MalformedResponseError, match=problem) as info:
        token_set_from_response(_body(**overrides), received_at=T0)
    text = str(info.value) + repr(info.value) + info.value.excerpt
    assert ACCESS not in text
    assert REFRESH not in text
    assert len(info.value.excerpt) <= 120


def test_expiry_and_leeway() -> None:
    token = token_set_from_response(_body(expires_in=100), received_at=T0)
    assert not token.is_expired(T0 + timedelta(seconds=99))
    assert token.is_expired(T0 + timedelta(seconds=100))
    assert token.is_expired(T0 + timedelta(seconds=90), leeway=timedelta(seconds=10))
    assert token.expires_in(T0 + timedelta(seconds=40)) == timedelta(seconds=60)
    assert token.expires_in(T0 + timedelta(seconds=160)) == timedelta(seconds=-60)


def test_is_expired_uses_the_real_clock_by_default() -> None:
    fresh = token_set_from_response(_body(expires_in=3600), received_at=datetime.now(UTC))
    stale = token_set_from_response(_body(expires_in=1), received_at=T0)
    assert fresh.is_expired() is False
    assert stale.is_expired() is True


def test_naive_now_is_refused() -> None:
    token = token_set_from_response(_body(), received_at=T0)
    with pytest.raises(ValueError, match="timezone-aware"):
        token.is_expired(datetime(2024, 1, 1))


def test_secrets_are_not_in_repr() -> None:
    token = token_set_from_response(_body(), received_at=T0)
    assert ACCESS not in repr(token)
    assert REFRESH not in repr(token)
    assert "bearer" in repr(token)


def test_json_dict_round_trip_through_real_json() -> None:
    token = token_set_from_response(_body(), received_at=T0)
    data = json.loads(json.dumps(token.to_json_dict()))
    assert data["obtained_at"] == "2024-05-01T12:00:00+00:00"
    assert data["expires_at"] == "2024-05-01T12:59:59+00:00"
    assert data["scope"] == ["offline", "product", "order"]
    assert TokenSet.from_json_dict(data) == token


def test_json_dict_accepts_z_suffix() -> None:
    token = TokenSet.from_json_dict(
        {"access_token": "a", "token_type": "bearer", "obtained_at": "2024-05-01T12:00:00Z"}
    )
    assert token.obtained_at == T0
    assert token.expires_at is None
    assert token.refresh_token is None


@pytest.mark.parametrize(
    ("damage", "field"),
    [
        ({"access_token": None}, "access_token"),
        ({"token_type": 1}, "token_type"),
        ({"obtained_at": "yesterday"}, "obtained_at"),
        ({"obtained_at": "2024-05-01T12:00:00"}, "obtained_at"),
        ({"expires_at": 5}, "expires_at"),
        ({"refresh_token": 5}, "refresh_token"),
        ({"scope": "offline"}, "scope"),
    ],
)
def test_damaged_json_dicts_are_refused(damage: dict[str, object], field: str) -> None:
    data = token_set_from_response(_body(), received_at=T0).to_json_dict()
    data.update(damage)
    with pytest.raises(
        ValidationError, match=f"damaged \\({field} is missing or invalid\\)"
    ) as info:
        TokenSet.from_json_dict(data)
    assert ACCESS not in str(info.value)


def test_missing_key_is_named() -> None:
    data = token_set_from_response(_body(), received_at=T0).to_json_dict()
    del data["obtained_at"]
    with pytest.raises(ValidationError, match="obtained_at"):
        TokenSet.from_json_dict(data)


_secret_text = st.text(min_size=1, max_size=50)
_aware = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


@_settings
@given(
    _secret_text,
    st.sampled_from(["bearer", "mac", "dpop"]),
    _aware,
    st.one_of(st.none(), st.integers(min_value=0, max_value=10**8)),
    st.one_of(st.none(), _secret_text),
    st.one_of(st.none(), st.lists(st.text(min_size=1, max_size=10), max_size=5).map(tuple)),
)
def test_json_dict_round_trips(
    access: str,
    token_type: str,
    obtained: datetime,
    lifetime: int | None,
    refresh: str | None,
    scope: tuple[str, ...] | None,
) -> None:
    token = TokenSet(
        access_token=access,
        token_type=token_type,
        obtained_at=obtained,
        expires_at=None if lifetime is None else obtained + timedelta(seconds=lifetime),
        refresh_token=refresh,
        scope=scope,
    )
    assert TokenSet.from_json_dict(json.loads(json.dumps(token.to_json_dict()))) == token
