"""The request console's requests in a timeline, with large answers cut short.

:class:`ConsoleTraffic` is the observer handed to
:func:`~tiki_gui.api.seller_call.send_as_seller`: it records the request (the Bearer token masked
by the timeline) and the response. A body of at most :data:`TIMELINE_BODY_LIMIT` bytes is
recorded as the timeline records any answer (JSON fields, secrets masked); a larger one (a
product page) only as an excerpt, so one answer cannot fill the timeline. Any thread. A failure
to read the answer is raised as is (the caller records it).
"""

from __future__ import annotations

import httpx

from tiki_gui.core.body import read_body
from tiki_gui.core.timeline import Timeline, TimelineEntry

__all__ = ["TIMELINE_BODY_LIMIT", "ConsoleTraffic"]

TIMELINE_BODY_LIMIT = 4096
_DROPPED = frozenset({"content-encoding", "content-length", "transfer-encoding"})


class ConsoleTraffic:
    """An :class:`~tiki_gui.core.observer.HttpObserver` writing to ``timeline``."""

    def __init__(self, timeline: Timeline, *secrets: str) -> None:
        self.timeline = timeline
        timeline.add_secrets(*secrets)

    def record_request(self, request: httpx.Request) -> TimelineEntry:
        return self.timeline.record_request(request)

    def record_response(self, response: httpx.Response) -> TimelineEntry:
        content = read_body(response)  # within the request's cap; the caller gets the same bytes
        if len(content) <= TIMELINE_BODY_LIMIT:
            return self.timeline.record_response(response)
        shown = httpx.Response(
            response.status_code,
            headers=[
                (name, value)
                for name, value in response.headers.multi_items()
                if name.lower() not in _DROPPED
            ],
            content=content[:TIMELINE_BODY_LIMIT],  # no longer JSON: recorded as an excerpt
            request=response.request,
            extensions={
                key: response.extensions[key]
                for key in ("http_version", "reason_phrase")
                if key in response.extensions
            },
        )
        return self.timeline.record_response(shown)

    def record_error(self, error: BaseException | str) -> TimelineEntry:
        return self.timeline.record_error(error)
