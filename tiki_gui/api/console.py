"""Send one request to Tiki's seller API with a stored token, and explain Tiki's answer.

The request goes through the shared client's :func:`tiki_gui.core.http.send` (never retried:
Tiki says not to retry 4xx). Only GET is sent unless the caller passes ``allow_write=True``
after asking the person (a write is real on production). A write may carry a JSON body, checked
to be JSON before anything is sent and sent as ``application/json``. The answer is untrusted
data: the body kept for display is bounded, the access token is scrubbed from it, secret headers
are masked, and JSON is parsed as data only; an error status is explained
(:mod:`tiki_gui.api.refusals`).

The request has a total deadline and can be cancelled from another thread (``deadline``,
``cancellation``), and its body is read with a cap on the decoded size (``max_body``, larger
than a token answer's: a product list is bigger).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode

import httpx

from tiki_gui.api.presets import ApiPreset
from tiki_gui.api.refusals import Refusal, explain_refusal
from tiki_gui.core.cancellation import DEFAULT_DEADLINE, Cancellation
from tiki_gui.core.endpoints import validate_url
from tiki_gui.core.errors import ApiRateLimitedError, ValidationError
from tiki_gui.core.http import send
from tiki_gui.core.masking import SECRET_HEADERS, mask
from tiki_gui.core.observer import HttpObserver, observed
from tiki_gui.core.redact import redact_secrets
from tiki_gui.core.seller import api_error_from_response
from tiki_gui.core.tokens import TokenSet

__all__ = [
    "BODY_METHODS",
    "BODY_TEXT_LIMIT",
    "CONSOLE_MAX_BODY",
    "JSON_PARSE_LIMIT",
    "METHODS",
    "REFRESH_LEEWAY",
    "REQUEST_BODY_LIMIT",
    "ApiRequest",
    "ApiResult",
    "JsonProblem",
    "WriteNotAllowedError",
    "json_problem",
    "needs_refresh",
    "placeholder_in",
    "request_url",
    "send_api_request",
]

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
BODY_METHODS = ("POST", "PUT", "PATCH")
"""The methods whose requests carry a body (Tiki's write calls take JSON)."""
REQUEST_BODY_LIMIT = 1024 * 1024
"""The largest request body the console sends (bytes of UTF-8)."""
BODY_TEXT_LIMIT = 1_000_000
"""Characters of the body kept for display; the rest is dropped (``truncated``)."""
CONSOLE_MAX_BODY = 8 * 1024 * 1024
"""The most the console reads of one answer (bytes): a product or order page is far smaller."""
JSON_PARSE_LIMIT = CONSOLE_MAX_BODY
"""Bodies larger than this (bytes) are not parsed as JSON."""
REFRESH_LEEWAY = timedelta(seconds=60)
"""A token this close to expiry is refreshed before a request is sent with it."""

_WHAT = "The seller API"


class WriteNotAllowedError(ValidationError):
    """A method other than GET without the explicit write switch: nothing was sent."""


@dataclass(frozen=True, slots=True)
class ApiRequest:
    """A request under the API base: method, path (starting with ``/``) and query pairs, and
    for POST, PUT and PATCH an optional JSON body (its text as typed; blank means none)."""

    method: str = "GET"
    path: str = "/integration/v2/sellers/me"
    query: tuple[tuple[str, str], ...] = ()
    body: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        method = self.method.strip().upper()
        if method not in METHODS:
            raise ValidationError(f"The method must be one of {', '.join(METHODS)}.")
        object.__setattr__(self, "method", method)
        path = self.path.strip()
        object.__setattr__(self, "path", path)
        if not path.startswith("/") or path.startswith("//"):
            raise ValidationError(
                "The path must start with '/' and lies under the API base, such as "
                "/integration/v2/sellers/me."
            )
        if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in path):
            raise ValidationError("The path must not contain spaces or control characters.")
        if "?" in path or "#" in path:
            raise ValidationError("Put query parameters in the query, not in the path.")
        if any(segment in (".", "..") for segment in path.split("/")):
            raise ValidationError("The path must not contain '.' or '..' segments.")
        if (placeholder := placeholder_in(path)) is not None:
            raise ValidationError(f"Replace {placeholder} in the path with a value first.")
        object.__setattr__(self, "query", tuple((str(k), str(v)) for k, v in self.query))
        object.__setattr__(self, "body", _checked_body(method, self.body))

    @classmethod
    def parse(
        cls, method: str, text: str, *, api_base: str | None = None, body: str = ""
    ) -> ApiRequest:
        """A request from a typed path that may carry a query: ``/integration/v2/orders?page=2``.

        With ``api_base``, a full URL under it is accepted too (pasted from documentation); a URL
        anywhere else is refused, so a token is never sent to another host.
        """
        text = text.strip()
        if "://" in text.split("?", 1)[0]:
            base = (api_base or "").strip().rstrip("/")
            if not base or not (text == base or text.startswith(base + "/")):
                raise ValidationError(
                    "Only paths under the profile's API base can be sent"
                    + (f" ({base})." if base else ".")
                )
            text = text[len(base) :] or "/"
        path, _, query = text.partition("?")
        return cls(method, path, tuple(parse_qsl(query, keep_blank_values=True)), body)

    @classmethod
    def from_preset(
        cls, preset: ApiPreset, params: Mapping[str, str] | Sequence[tuple[str, str]] = ()
    ) -> ApiRequest:
        """The preset's request with the given query (empty values are left out)."""
        pairs = params.items() if isinstance(params, Mapping) else params
        return cls(preset.method, preset.path, tuple((k, v) for k, v in pairs if v != ""))

    @property
    def is_write(self) -> bool:
        return self.method != "GET"

    @property
    def target(self) -> str:
        """Path and query as sent: ``/integration/v2/products?active=1``."""
        return self.path + ("?" + urlencode(self.query) if self.query else "")


@dataclass(frozen=True, slots=True)
class JsonProblem:
    """Where a text stops being JSON (1-based line and column) and the parser's words."""

    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


def json_problem(text: str) -> JsonProblem | None:
    """Why ``text`` is not JSON, or None if it is."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return JsonProblem(exc.lineno, exc.colno, exc.msg)
    except RecursionError:
        return JsonProblem(1, 1, "nested too deeply")
    return None


def placeholder_in(path: str) -> str | None:
    """The first ``{placeholder}`` left in a path (a preset's ``{code}``), or None."""
    start = path.find("{")
    if start < 0:
        return None
    end = path.find("}", start)
    return path[start : end + 1] if end > start else path[start:]


def _checked_body(method: str, body: str) -> str:
    if not body.strip():
        return ""
    if method not in BODY_METHODS:
        raise ValidationError(
            f"A {method} request carries no body: clear the body, or choose POST, PUT or PATCH."
        )
    if len(body.encode("utf-8", errors="replace")) > REQUEST_BODY_LIMIT:
        raise ValidationError(f"The body is larger than {REQUEST_BODY_LIMIT // 1024} KB.")
    problem = json_problem(body)
    if problem is not None:
        raise ValidationError(f"The body is not valid JSON ({problem}): nothing was sent.")
    return body


def request_url(api_base: str, request: ApiRequest) -> str:
    """The absolute URL of ``request`` under ``api_base`` (validated like every endpoint)."""
    base = validate_url(api_base, what="API base URL").rstrip("/")
    if "?" in base:
        raise ValidationError("The API base URL must not carry a query.")
    return base + request.target


def needs_refresh(
    token: TokenSet, now: datetime | None = None, *, leeway: timedelta = REFRESH_LEEWAY
) -> bool:
    """True when ``token`` expires within ``leeway``: refresh it before sending."""
    return token.is_expired(now, leeway=leeway)


@dataclass(frozen=True, slots=True)
class ApiResult:
    """Tiki's answer: status, time taken, headers, the (bounded) body and its JSON, if any.

    ``json_body`` is None when the body is not JSON (or too large to parse); ``refusal`` explains
    an answer that is not a 2xx.
    """

    request: ApiRequest
    url: str
    status_code: int
    reason: str
    elapsed: float
    headers: tuple[tuple[str, str], ...]
    body_size: int
    body_text: str = field(repr=False)
    truncated: bool = False
    json_body: object | None = field(default=None, repr=False)
    refusal: Refusal | None = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status_code < 300

    @property
    def content_type(self) -> str:
        for name, value in self.headers:
            if name.lower() == "content-type":
                return value.split(";", 1)[0].strip().lower()
        return ""


def _shown_headers(response: httpx.Response, secrets: list[str]) -> tuple[tuple[str, str], ...]:
    shown: list[tuple[str, str]] = []
    for name, value in response.headers.multi_items():
        if name.lower() in SECRET_HEADERS:
            shown.append((name, mask(value)))
        else:
            shown.append((name, redact_secrets(value, secrets)))
    return tuple(shown)


def _parse_json(content: bytes) -> object | None:
    if not content or len(content) > JSON_PARSE_LIMIT:
        return None
    try:
        parsed: object = json.loads(content.decode("utf-8"))
    except (ValueError, RecursionError):
        return None
    return parsed


def send_api_request(
    http: httpx.Client,
    api_base: str,
    request: ApiRequest,
    access_token: str,
    *,
    allow_write: bool = False,
    required_scope: str | None = None,
    deadline: float | None = None,
    cancellation: Cancellation | None = None,
    max_body: int = CONSOLE_MAX_BODY,
    observer: HttpObserver | None = None,
) -> ApiResult:
    """Send ``request`` with ``Authorization: Bearer <access_token>`` and read the answer.

    Raises :class:`WriteNotAllowedError` (nothing sent) for a method other than GET unless
    ``allow_write`` is True, :class:`ValidationError` for an unusable token or API base, and the
    :class:`~tiki_gui.core.errors.TransportError` family when no answer came. An HTTP error is
    not raised: it is an :class:`ApiResult` with a :class:`Refusal`.

    ``deadline`` (total seconds, default the shared client's), ``cancellation`` and ``max_body``
    (bytes) bound the request: see :func:`tiki_gui.core.http.send`. ``observer`` (a
    :class:`~tiki_gui.core.timeline.Timeline`) sees this request and its answer, nothing else.
    """
    if request.is_write and not allow_write:
        raise WriteNotAllowedError(
            f"{request.method} changes data on Tiki (for real, on production): it is sent only "
            "when writes are switched on and confirmed."
        )
    if not access_token or any(ch.isspace() for ch in access_token):
        raise ValidationError("The access token is empty or contains spaces.")
    url = request_url(api_base, request)
    secrets = [access_token]
    headers = {"Authorization": f"Bearer {access_token}", "Accept": "application/json"}
    if request.body:
        headers["Content-Type"] = "application/json"
    started = time.perf_counter()
    response = send(
        http,
        request.method,
        url,
        what=_WHAT,
        secrets=secrets,
        content=request.body.encode("utf-8") if request.body else None,
        headers=headers,
        auth=observed(None, observer),
        deadline=DEFAULT_DEADLINE if deadline is None else deadline,
        cancellation=cancellation,
        max_body=max_body,
    )
    elapsed = time.perf_counter() - started
    content = response.content
    text = redact_secrets(content.decode("utf-8", errors="replace"), secrets)
    refusal = None
    if not response.is_success:
        error = api_error_from_response(response, secrets=secrets)
        retry_after = error.retry_after if isinstance(error, ApiRateLimitedError) else None
        refusal = explain_refusal(
            response.status_code,
            error.messages,
            required_scope=required_scope,
            retry_after=retry_after,
        )
    parsed = _parse_json(content)
    if parsed is not None and access_token in content.decode("utf-8", errors="replace"):
        parsed = _parse_json(text.encode("utf-8"))  # an echoed token stays out of the tree too
    return ApiResult(
        request=request,
        url=url,
        status_code=response.status_code,
        reason=response.reason_phrase,
        elapsed=elapsed,
        headers=_shown_headers(response, secrets),
        body_size=len(content),
        body_text=text[:BODY_TEXT_LIMIT],
        truncated=len(text) > BODY_TEXT_LIMIT,
        json_body=parsed,
        refusal=refusal,
    )
