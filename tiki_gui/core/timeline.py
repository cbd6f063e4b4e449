"""What one sign-in did, step by step, with every secret masked: the "shows its work" record.

A :class:`Timeline` is made when a flow starts and records, with monotonic offsets from that
moment: the authorization request, each page the browser went through (scheme, host and path
only), the redirect captured, and every request and response of the token client it observes
(:mod:`tiki_gui.core.observer`; token requests run on a worker thread, so recording is
thread-safe).

Masking is by name, not by guess: the fields ``client_secret``, ``code``, ``code_verifier``,
``code_challenge``, ``state``, ``access_token``, ``refresh_token``, ``id_token`` (and the headers
``Authorization``, ``Cookie``, ``Set-Cookie``) show only ``«masked, N chars»``. Every value masked
is also remembered and scrubbed from all other text (an error description echoing a code, a URL),
and error bodies go through :func:`tiki_gui.core.redact.redact` as well.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote_plus, urlsplit, urlunsplit

from tiki_gui.core.authorization import AuthorizationRequest
from tiki_gui.core.errors import TikiGuiError
from tiki_gui.core.masking import (
    SECRET_FIELDS,
    SECRET_HEADERS,
    basic_secrets,
    mask,
    mask_json,
    one_line,
    origin_and_path,
    path_before_query,
)
from tiki_gui.core.redact import excerpt, forms_of, longest_first, redact_forms, redact_tokenish

if TYPE_CHECKING:  # httpx loads at the first request, not when the consent page opens
    import httpx

__all__ = [
    "SECRET_FIELDS",
    "SECRET_HEADERS",
    "EntryKind",
    "Timeline",
    "TimelineEntry",
    "mask",
]

_log = logging.getLogger(__name__)
_BODY_EXCERPT_LIMIT = 300

Pairs = tuple[tuple[str, str], ...]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class EntryKind(StrEnum):
    """What a :class:`TimelineEntry` records; the value is the label shown."""

    AUTHORIZATION_REQUEST = "authorization request"
    NAVIGATION = "navigation"
    CALLBACK = "callback"
    REQUEST = "request"
    RESPONSE = "response"
    NOTE = "note"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One event of a flow, safe to show and to copy (every secret already masked).

    ``offset`` is in seconds since the flow started (monotonic clock); ``at`` is the wall-clock
    time it stands for. ``fields`` are the query, form or JSON fields in order; ``elapsed`` is the
    time a response took since its request.
    """

    kind: EntryKind
    offset: float
    at: datetime
    summary: str
    method: str | None = None
    url: str | None = None
    status_code: int | None = None
    elapsed: float | None = None
    headers: Pairs = ()
    fields: Pairs = ()
    body: str | None = None

    def as_text(self) -> str:
        """One readable line: offset, kind, summary, then headers, fields and body if any."""
        parts = [f"+{self.offset:.3f} s", str(self.kind), self.summary]
        if self.headers:
            parts.append("headers: " + "; ".join(f"{k}: {v}" for k, v in self.headers))
        if self.fields:
            parts.append("fields: " + ", ".join(f"{k}={v}" for k, v in self.fields))
        if self.body:
            parts.append(f"body: {self.body}")
        return one_line("  ".join(parts))


class Timeline:
    """The record of one flow. Every ``record_*`` method may be called from any thread.

    ``clock`` (monotonic seconds) and ``wall_clock`` (aware now) are read once at construction,
    the start of the flow; tests pass fixed ones.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._clock = clock
        self._start = clock()
        self._started_at = wall_clock()
        self._lock = threading.Lock()
        self._entries: list[TimelineEntry] = []
        self._secrets: dict[str, set[str]] = {}  # each secret: its forms (quoting is slow)
        self._forms: tuple[str, ...] = ()  # all of them, longest first (see _scrub)
        self._listeners: list[Callable[[TimelineEntry], None]] = []
        self._sent: weakref.WeakKeyDictionary[httpx.Request, float] = weakref.WeakKeyDictionary()

    def __repr__(self) -> str:
        return f"Timeline(started_at={self._started_at.isoformat()}, entries={len(self.entries)})"

    # -- reading ---------------------------------------------------------------------------------

    @property
    def started_at(self) -> datetime:
        """Wall-clock time (aware) at which the flow started."""
        return self._started_at

    @property
    def entries(self) -> tuple[TimelineEntry, ...]:
        """The events so far, in the order recorded."""
        with self._lock:
            return tuple(self._entries)

    def as_text(self, entries: Iterable[TimelineEntry] | None = None) -> str:
        """The whole timeline for a bug report: a heading line, then one line per event (of
        ``entries``, a snapshot of :attr:`entries`, if given)."""
        started = self._started_at.astimezone(UTC).isoformat(timespec="milliseconds")
        lines = [
            f"tiki-gui sign-in timeline, started {started} (offsets in seconds; secrets masked)"
        ]
        lines.extend(entry.as_text() for entry in (self.entries if entries is None else entries))
        return "\n".join(lines) + "\n"

    def subscribe(self, listener: Callable[[TimelineEntry], None]) -> Callable[[], None]:
        """Call ``listener(entry)`` for each new entry, on the thread that recorded it.

        Returns a callable that unsubscribes. A Qt panel should only emit a signal from it.
        """
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    # -- recording -------------------------------------------------------------------------------

    def add_secrets(self, *values: str | None) -> None:
        """Values to scrub from everything recorded from now on (e.g. the client secret)."""
        with self._lock:
            new = {value for value in values if value and value not in self._secrets}
            if new:
                for value in new:
                    self._secrets[value] = forms_of(value)
                self._forms = longest_first(set().union(*self._secrets.values()))

    def record_authorization_request(self, request: AuthorizationRequest) -> TimelineEntry:
        """The authorization URL sent to the browser, with state and PKCE values masked."""
        self.add_secrets(request.state)
        if request.pkce is not None:
            self.add_secrets(request.pkce.verifier, request.pkce.challenge)
        url, fields = self._masked_url(request.url)
        return self._add(
            EntryKind.AUTHORIZATION_REQUEST, f"GET {url}", method="GET", url=url, fields=fields
        )

    def record_navigation(self, url: str) -> TimelineEntry:
        """A page the browser went to: only its scheme, host, port and path are kept."""
        shown = self._scrub(origin_and_path(url))
        return self._add(EntryKind.NAVIGATION, shown, url=shown)

    def record_callback(self, url: str) -> TimelineEntry:
        """The redirect captured (loopback, embedded browser or pasted): code and state masked."""
        shown, fields = self._masked_url(url)
        return self._add(EntryKind.CALLBACK, shown, url=shown, fields=fields)

    def record_note(self, text: str) -> TimelineEntry:
        """A line of commentary ("Opened the system browser", "Listening on 127.0.0.1:PORT")."""
        return self._add(EntryKind.NOTE, self._scrub(" ".join(text.split())))

    def record_error(self, error: BaseException | str) -> TimelineEntry:
        """How the flow failed: the error's type and message (secret-free by contract, scrubbed)."""
        text = f"{type(error).__name__}: {error}" if isinstance(error, BaseException) else error
        return self._add(EntryKind.ERROR, self._scrub(" ".join(text.split())))

    def record_request(self, request: httpx.Request) -> TimelineEntry:
        """An HTTP request about to be sent (httpx ``request`` event hook)."""
        import httpx  # loaded already: the request is httpx's

        headers = self._masked_headers(request.headers.multi_items())
        fields: Pairs = ()
        body: str | None = None
        try:
            content = request.content
        except httpx.RequestNotRead:
            body = "(streamed body, not shown)"
        else:
            fields, body = self._masked_body(content, request.headers.get("content-type", ""))
        url, query = self._masked_url(str(request.url))
        entry = self._add(
            EntryKind.REQUEST,
            f"{request.method} {url}",
            method=request.method,
            url=url,
            headers=headers,
            fields=(*query, *fields),
            body=body,
        )
        with self._lock:
            self._sent[request] = entry.offset
        return entry

    def record_response(self, response: httpx.Response) -> TimelineEntry:
        """An HTTP response (httpx ``response`` event hook). Reads the body if it is not yet read.

        :func:`~tiki_gui.core.body.read_body` reads it within the request's size cap and keeps it,
        so the code that made the request gets the same bytes (or the same error). A failure to
        read (the connection broke, the answer is too large) is recorded, then raised as is.
        """
        import httpx  # loaded already: the response is httpx's

        from tiki_gui.core.body import read_body

        request = response.request
        with self._lock:
            sent = self._sent.pop(request, None)
        try:
            content = read_body(response)  # capped: the same bytes (or error) the caller gets
        except (httpx.HTTPError, TikiGuiError) as exc:
            self.record_error(
                f"The answer to {request.method} could not be read ({type(exc).__name__})."
            )
            raise
        now = self._offset()
        elapsed = None if sent is None else max(0.0, now - sent)
        fields, body = self._masked_body(content, response.headers.get("content-type", ""))
        url, _ = self._masked_url(str(request.url))
        took = "" if elapsed is None else f" in {elapsed:.3f} s"
        phrase = f" {response.reason_phrase}" if response.reason_phrase else ""
        return self._add(
            EntryKind.RESPONSE,
            f"HTTP {response.status_code}{phrase}{took} from {request.method} {url}",
            method=request.method,
            url=url,
            status_code=response.status_code,
            elapsed=elapsed,
            headers=self._masked_headers(response.headers.multi_items()),
            fields=fields,
            body=body,
            offset=now,
        )

    # -- internals -------------------------------------------------------------------------------

    def _offset(self) -> float:
        return max(0.0, self._clock() - self._start)

    def _add(
        self,
        kind: EntryKind,
        summary: str,
        *,
        offset: float | None = None,
        method: str | None = None,
        url: str | None = None,
        status_code: int | None = None,
        elapsed: float | None = None,
        headers: Pairs = (),
        fields: Pairs = (),
        body: str | None = None,
    ) -> TimelineEntry:
        at = self._offset() if offset is None else offset
        entry = TimelineEntry(
            kind=kind,
            offset=at,
            at=self._started_at + timedelta(seconds=at),
            summary=summary,
            method=method,
            url=url,
            status_code=status_code,
            elapsed=elapsed,
            headers=headers,
            fields=fields,
            body=body,
        )
        with self._lock:
            self._entries.append(entry)
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(entry)
            except Exception:  # a broken panel must not break the flow it watches
                _log.exception("a timeline listener failed")
        return entry

    def _known(self) -> list[str]:
        with self._lock:
            return list(self._secrets)

    def _scrub(self, text: str) -> str:
        return redact_forms(text, self._forms)  # a tuple, replaced whole under the lock

    def _masked_value(self, name: str, value: str) -> str:
        if name.lower() in SECRET_FIELDS:
            self.add_secrets(value)
            return mask(value)
        return value

    def _masked_pairs(self, pairs: Iterable[tuple[str, str]]) -> Pairs:
        masked = [(name, self._masked_value(name, value)) for name, value in pairs]
        return tuple((self._scrub(name), self._scrub(value)) for name, value in masked)

    def _masked_url(self, url: str) -> tuple[str, Pairs]:
        """The URL with secret query values masked (and scrubbed), and its query as fields."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return "(unreadable URL)", ()
        raw = [piece.partition("=") for piece in parts.query.split("&") if piece]
        decoded = parse_qsl(parts.query, keep_blank_values=True)
        fields = self._masked_pairs(decoded)
        query = "&".join(
            name
            + sep
            + (mask(unquote_plus(value)) if unquote_plus(name).lower() in SECRET_FIELDS else value)
            for name, sep, value in raw
        )
        netloc = parts.netloc.rpartition("@")[2]
        shown = urlunsplit((parts.scheme, netloc, path_before_query(parts.path), "", ""))
        return self._scrub(shown + ("?" + query if query else "")), fields

    def _masked_headers(self, items: Iterable[tuple[str, str]]) -> Pairs:
        shown: list[tuple[str, str]] = []
        for name, value in items:
            if name.lower() in SECRET_HEADERS:
                scheme, space, credentials = value.partition(" ")
                if space and name.lower().endswith("authorization"):
                    self.add_secrets(credentials, *basic_secrets(scheme, credentials))
                    shown.append((name, f"{scheme} {mask(credentials)}"))
                else:
                    self.add_secrets(value)
                    shown.append((name, mask(value)))
            else:
                shown.append((name, value))
        return tuple((name, self._scrub(value)) for name, value in shown)

    def _masked_body(self, content: bytes, content_type: str) -> tuple[Pairs, str | None]:
        """A body as masked fields (form or JSON object), or a short scrubbed excerpt."""
        if not content:
            return (), None
        text = content.decode("utf-8", errors="replace")
        media = content_type.split(";", 1)[0].strip().lower()
        if media == "application/x-www-form-urlencoded":
            return self._masked_pairs(parse_qsl(text, keep_blank_values=True)), None
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            data = None
        if isinstance(data, dict):
            masked = mask_json(data, self.add_secrets)
            fields = (
                (
                    str(key),
                    value if isinstance(value, str) else json.dumps(value, ensure_ascii=False),
                )
                for key, value in masked.items()
            )
            scrub = self._scrub
            return tuple((scrub(key), redact_tokenish(scrub(value))) for key, value in fields), None
        return (), excerpt(text, self._known(), limit=_BODY_EXCERPT_LIMIT)
