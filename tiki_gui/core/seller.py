"""The token check: Tiki's ``GET /integration/v2/sellers/me`` with a Bearer token."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from tiki_gui.core.cancellation import Cancellation
from tiki_gui.core.endpoints import validate_url
from tiki_gui.core.errors import (
    ApiError,
    ApiForbiddenError,
    ApiRateLimitedError,
    ApiUnauthorizedError,
    MalformedResponseError,
    ValidationError,
)
from tiki_gui.core.http import DEFAULT_DEADLINE, read_json, send
from tiki_gui.core.redact import excerpt, redact_secrets

__all__ = ["SELLER_ME_PATH", "Seller", "SellerApi", "api_error_from_response", "parse_retry_after"]

_log = logging.getLogger(__name__)
_WHAT = "The seller API"
SELLER_ME_PATH = "/integration/v2/sellers/me"
_MAX_MESSAGES = 10
_MAX_MESSAGE_LENGTH = 300


class _BadFieldError(ValueError):
    """Names the field of the seller object that is missing or has the wrong type."""


def _flag(value: object, name: str) -> bool | None:
    """Tiki sends 1/0 for booleans; true/false is accepted too."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise _BadFieldError(name)


def _optional_str(value: object, name: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    raise _BadFieldError(name)


@dataclass(frozen=True, slots=True)
class Seller:
    """The seller a token belongs to (Tiki's ``sellers/me``)."""

    id: int
    name: str
    active: bool
    sid: str | None = None
    logo: str | None = None
    operation_models: tuple[str, ...] = ()
    can_update_product: bool | None = None
    registration_status: str | None = None
    live_at: str | None = None

    @classmethod
    def from_json(cls, body: Mapping[str, object]) -> Seller:
        """Read Tiki's JSON object; :class:`MalformedResponseError` for a wrongly typed field."""
        try:
            return cls(
                id=_seller_id(body.get("id")),
                name=_required_str(body.get("name"), "name"),
                active=_required_flag(body.get("active"), "active"),
                sid=_optional_str(body.get("sid"), "sid"),
                logo=_optional_str(body.get("logo"), "logo"),
                operation_models=_models(body.get("operation_models")),
                can_update_product=_flag(body.get("can_update_product"), "can_update_product"),
                registration_status=_optional_str(
                    body.get("registration_status"), "registration_status"
                ),
                live_at=_optional_str(body.get("live_at"), "live_at"),
            )
        except _BadFieldError as exc:
            raise MalformedResponseError(
                f"The seller answer has a missing or invalid '{exc.args[0]}'",
                excerpt=excerpt("fields: " + ", ".join(sorted(str(k) for k in body))),
            ) from None


def _seller_id(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value)
    raise _BadFieldError("id")


def _required_str(value: object, name: str) -> str:
    if isinstance(value, str):
        return value
    raise _BadFieldError(name)


def _required_flag(value: object, name: str) -> bool:
    flag = _flag(value, name)
    if flag is None:
        raise _BadFieldError(name)
    return flag


def _models(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list) and all(isinstance(m, str) for m in value):
        return tuple(value)
    raise _BadFieldError("operation_models")


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delay in seconds or an HTTP date)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        current = datetime.now(UTC) if now is None else now
        return max(0.0, (when - current).total_seconds())
    if seconds != seconds or seconds in (float("inf"), float("-inf")):
        return None
    return max(0.0, seconds)


def _message_of(item: object) -> str | None:
    if isinstance(item, str):
        return item
    if isinstance(item, Mapping):
        for key in ("message", "msg", "detail", "error_description", "error", "code"):
            value = item.get(key)
            if isinstance(value, str) and value:
                return value
    return None


def _messages(body: Mapping[str, object], secrets: list[str]) -> tuple[str, ...]:
    raw: list[object]
    errors = body.get("errors")
    if isinstance(errors, list):
        raw = list(errors)
    elif errors is not None:
        raw = [errors]
    else:
        raw = [body.get(key) for key in ("message", "msg", "error_description", "error")]
    found: list[str] = []
    for item in raw:
        text = _message_of(item)
        if text:
            text = redact_secrets(text, secrets)[:_MAX_MESSAGE_LENGTH]
            if text not in found:
                found.append(text)
    return tuple(found[:_MAX_MESSAGES])


_ERROR_CLASSES: Mapping[int, type[ApiError]] = {
    401: ApiUnauthorizedError,
    403: ApiForbiddenError,
}


def api_error_from_response(
    response: httpx.Response, *, secrets: list[str], now: datetime | None = None
) -> ApiError:
    """The typed :class:`ApiError` for an error answer of the Tiki API.

    Messages come from ``{"errors": [...]}`` (strings or objects with a ``message``), or from a
    lone ``message``; a body that is not JSON gives no messages (the status says enough).
    """
    try:
        body = read_json(response, what=_WHAT, secrets=secrets)
    except MalformedResponseError:
        body = {}
    messages = _messages(body, secrets)
    status = response.status_code
    if status == 429:
        return ApiRateLimitedError(
            status,
            messages,
            retry_after=parse_retry_after(response.headers.get("Retry-After"), now=now),
        )
    return _ERROR_CLASSES.get(status, ApiError)(status, messages)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class SellerApi:
    """Tiki's seller API on the shared ``httpx.Client``. Never retries (Tiki: no retry on 4xx).

    ``deadline`` is the most seconds one request may take in all (see
    :func:`tiki_gui.core.http.send`).
    """

    def __init__(
        self,
        api_base: str,
        http: httpx.Client,
        *,
        clock: Callable[[], datetime] = _utc_now,
        deadline: float = DEFAULT_DEADLINE,
    ) -> None:
        if not deadline > 0:
            raise ValueError("deadline must be positive")
        self._deadline = deadline
        self._api_base = validate_url(api_base, what="API base URL").rstrip("/")
        self._http = http
        self._clock = clock

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._api_base!r})"

    @property
    def api_base(self) -> str:
        return self._api_base

    def me(self, access_token: str, *, cancellation: Cancellation | None = None) -> Seller:
        """``GET {api_base}/integration/v2/sellers/me`` with ``Authorization: Bearer <token>``.

        ``cancellation.cancel()`` from another thread ends the request with
        :class:`~tiki_gui.core.errors.RequestCancelledError`.

        Raises :class:`ApiUnauthorizedError` (401), :class:`ApiForbiddenError` (403),
        :class:`ApiRateLimitedError` (429), :class:`ApiError` (other statuses),
        :class:`MalformedResponseError` (a success that is not a seller object) or a
        :class:`TransportError`.
        """
        if not access_token or any(ch.isspace() for ch in access_token):
            raise ValidationError("The access token is empty or contains spaces.")
        secrets = [access_token]
        response = send(
            self._http,
            "GET",
            self._api_base + SELLER_ME_PATH,
            what=_WHAT,
            secrets=secrets,
            headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
            deadline=self._deadline,
            cancellation=cancellation,
        )
        if not response.is_success:
            error = api_error_from_response(response, secrets=secrets, now=self._clock())
            _log.info("sellers/me failed: HTTP %s", response.status_code)
            raise error
        body = read_json(response, what=_WHAT, secrets=secrets)
        try:
            return Seller.from_json(body)
        except MalformedResponseError as exc:
            raise MalformedResponseError(
                exc.message, status_code=response.status_code, excerpt=exc.excerpt
            ) from None
