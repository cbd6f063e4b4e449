"""Read an answer's body with a hard cap on its size, compressed and decoded.

A token endpoint or the seller API is untrusted: a 200 KB gzip body can unpack to 200 MB and a
chunked answer can go on forever. :func:`read_body` streams the raw bytes, decompresses them
itself (``gzip``, ``deflate``; never more output per step than the room left under the cap)
and stops with :class:`~tiki_gui.core.errors.ResponseTooLargeError` as soon as either the raw or
the decoded size passes the cap. Nothing past the cap is ever held in memory.

The outcome is kept in the response's ``extensions``, so an observer that reads the body first
(the timeline's response hook) and the code that made the request get the same bytes, or the
same error, and the body is read once.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable

import httpx

from tiki_gui.core.errors import MalformedResponseError, ResponseTooLargeError

__all__ = ["ACCEPT_ENCODING", "LIMIT_EXTENSION", "MAX_BODY_BYTES", "read_body"]

MAX_BODY_BYTES = 1_000_000
"""The default cap (1 MB, decoded): a token response is a few KB, a seller object less."""

ACCEPT_ENCODING = "gzip, deflate"
"""The only codings :func:`read_body` decodes; sent so that a server offers nothing else."""

LIMIT_EXTENSION = "tiki_gui.max_body"
"""Request extension carrying the cap for this request (set by ``send``)."""

_RESULT_EXTENSION = "tiki_gui.body"
_CHUNK = 16_384

_Decoder = Callable[[bytes, int], bytes]


class _Inflater:
    """zlib decompression that never returns more than ``room`` bytes per call."""

    def __init__(self, wbits: int, *, raw_fallback: bool = False) -> None:
        self._obj = zlib.decompressobj(wbits)
        self._raw_fallback = raw_fallback  # "deflate" is sometimes sent without zlib header
        self._started = False

    def __call__(self, data: bytes, room: int) -> bytes:
        out = bytearray()
        pending = data
        while len(out) <= room:
            try:
                piece = self._obj.decompress(pending, room + 1 - len(out))
            except zlib.error:
                if self._raw_fallback and not self._started:
                    self._raw_fallback = False
                    self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise
            self._started = True
            out += piece
            pending = self._obj.unconsumed_tail
            if self._obj.eof or (not pending and not piece):
                break  # bytes after the end of the stream are ignored, as httpx does
        return bytes(out)


def _decoder(coding: str) -> _Decoder | None:
    if coding in ("gzip", "x-gzip"):
        return _Inflater(zlib.MAX_WBITS | 16)
    if coding == "deflate":
        return _Inflater(zlib.MAX_WBITS, raw_fallback=True)
    if coding == "identity":
        return lambda data, room: data
    return None


def _codings(response: httpx.Response) -> list[str]:
    values = response.headers.get_list("content-encoding", split_commas=True)
    return [value.strip().lower() for value in values if value.strip()]


def _limit_of(response: httpx.Response, limit: int | None) -> int:
    if limit is not None:
        return limit
    value = response.request.extensions.get(LIMIT_EXTENSION) if _has_request(response) else None
    return value if isinstance(value, int) and value > 0 else MAX_BODY_BYTES


def _has_request(response: httpx.Response) -> bool:
    try:
        response.request  # noqa: B018
    except RuntimeError:
        return False
    return True


def _too_large(what: str, limit: int, status: int) -> ResponseTooLargeError:
    return ResponseTooLargeError(
        f"{what} sent too much: its answer is larger than {_size(limit)}, so it was not read "
        "(a faulty or hostile server)",
        limit=limit,
        status_code=status,
    )


def _size(limit: int) -> str:
    if limit >= 1_000_000 and limit % 1_000_000 == 0:
        return f"{limit // 1_000_000} MB"
    if limit >= 1000 and limit % 1000 == 0:
        return f"{limit // 1000} KB"
    return f"{limit} bytes"


def _decode_stream(
    chunks: Iterable[bytes], decoders: list[_Decoder], limit: int, on_too_large: Exception
) -> bytes:
    body = bytearray()
    raw_total = 0
    for chunk in chunks:
        raw_total += len(chunk)
        if raw_total > limit:
            raise on_too_large
        data = chunk
        for decode in decoders:
            data = decode(data, limit - len(body))
            if len(data) > limit - len(body):
                raise on_too_large
        body += data
    return bytes(body)


def read_body(
    response: httpx.Response, *, what: str = "The server", limit: int | None = None
) -> bytes:
    """The decoded body of ``response``, at most ``limit`` bytes (default: the request's cap).

    Raises :class:`ResponseTooLargeError` (a declared ``Content-Length`` or the bytes received
    pass the cap; the response is closed), :class:`MalformedResponseError` for a
    ``Content-Encoding`` other than gzip/deflate/identity or a body that does not decompress,
    and lets httpx's transport errors through (the caller translates them).
    """
    cached = response.extensions.get(_RESULT_EXTENSION)
    if isinstance(cached, bytes):
        return cached
    if isinstance(cached, MalformedResponseError):
        raise cached
    cap = _limit_of(response, limit)
    try:
        content = response.content  # already read by someone else (a test double, a hook)
    except httpx.ResponseNotRead:
        pass
    else:
        if len(content) > cap:
            raise _too_large(what, cap, response.status_code)
        return content
    try:
        body = _read_capped(response, what, cap)
    except MalformedResponseError as exc:
        response.extensions[_RESULT_EXTENSION] = exc
        response.close()
        raise
    response.extensions[_RESULT_EXTENSION] = body
    return body


def _read_capped(response: httpx.Response, what: str, cap: int) -> bytes:
    status = response.status_code
    too_large = _too_large(what, cap, status)
    declared = response.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > cap:
        raise too_large
    decoders: list[_Decoder] = []
    for coding in reversed(_codings(response)):
        decoder = _decoder(coding)
        if decoder is None:
            raise MalformedResponseError(
                f"{what} answered with a Content-Encoding this app does not read",
                status_code=status,
                excerpt=coding[:40],
            )
        decoders.append(decoder)
    try:
        return _decode_stream(response.iter_raw(_CHUNK), decoders, cap, too_large)
    except zlib.error:
        pass  # raised below, outside the handler: nothing chained
    raise MalformedResponseError(
        f"{what} answered with a body that could not be decoded (its Content-Encoding is wrong)",
        status_code=status,
    )
