"""Which QtWebEngineProcess helpers run under this test process (read from /proc, Linux only).

Chromium keeps its zygote processes (direct children of the Python process) for the life of the
QtWebEngine instance; a renderer is forked from a zygote for each page and must exit once the
page is deleted. So "nothing lingers" means: no QtWebEngineProcess grandchildren.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["HelperProcess", "renderer_processes", "webengine_processes"]


@dataclass(frozen=True, slots=True)
class HelperProcess:
    pid: int
    ppid: int
    name: str


def _all_processes() -> list[HelperProcess]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # exited meanwhile
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] == "Z":
            continue  # a zombie has exited; only its parent's wait() is missing
        found.append(HelperProcess(pid=int(entry.name), ppid=int(fields[1]), name=name))
    return found


def webengine_processes() -> list[HelperProcess]:
    """Every QtWebEngineProcess descending from this process."""
    processes = _all_processes()
    children: dict[int, list[HelperProcess]] = {}
    for process in processes:
        children.setdefault(process.ppid, []).append(process)
    result: list[HelperProcess] = []
    todo = [os.getpid()]
    while todo:
        for child in children.get(todo.pop(), []):
            todo.append(child.pid)
            if child.name.startswith("QtWebEngine"):  # comm is cut at 15 characters
                result.append(child)
    return result


def renderer_processes() -> list[HelperProcess]:
    """QtWebEngineProcess helpers forked by a zygote: renderers, which die with their page."""
    me = os.getpid()
    return [p for p in webengine_processes() if p.ppid != me]
