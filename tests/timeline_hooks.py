"""Record every request of an ``httpx.Client`` in a timeline, for tests that watch traffic the
app does not (a browser-less consent, sellers/me). The app never hooks its shared client: the
flow's timeline observes its token client only (``TokenClient(observer=timeline)``)."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tiki_gui.core.timeline import Timeline

__all__ = ["attach"]


def attach(timeline: Timeline, http: httpx.Client) -> Callable[[], None]:
    """Add event hooks recording ``http``'s requests and responses; returns what removes them."""

    def on_request(request: httpx.Request) -> None:
        timeline.record_request(request)

    def on_response(response: httpx.Response) -> None:
        timeline.record_response(response)

    hooks = http.event_hooks
    hooks["request"] = [*hooks["request"], on_request]
    hooks["response"] = [*hooks["response"], on_response]

    def detach() -> None:
        current = http.event_hooks
        current["request"] = [h for h in current["request"] if h is not on_request]
        current["response"] = [h for h in current["response"] if h is not on_response]

    return detach
