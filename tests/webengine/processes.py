"""Which QtWebEngineProcess helpers run under this test process (read from /proc, Linux only).

Chromium starts its zygotes when QtWebEngine starts and keeps them for the life of the browser
process (this Python process); a renderer is forked from a zygote for each page and must exit
once the page is deleted. What the process tree looks like depends on Chromium's sandbox:

* sandbox off (as root): the zygotes are direct children of this process; renderers are their
  children.
* sandbox on (every normal user): the sandboxed zygote is started in new user and PID namespaces,
  where it is the namespace's init (PID 1) and forks the zygote proper, a *child of a zygote that
  lives as long as the browser*; renderers are children of that one, each in a PID namespace of
  its own (and under a seccomp-bpf filter).

A renderer cannot be told from a zygote by its command line: it is forked, not executed, and
keeps its zygote's ``--type=zygote``. So the zygotes are found by their place in the tree: this
process's QtWebEngine children, and the child of a PID-namespace init that shares that init's
namespace. Every other QtWebEngine descendant is a renderer.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "HelperProcess",
    "command_line",
    "renderer_processes",
    "sandboxed",
    "webengine_processes",
    "zygote_processes",
]


@dataclass(frozen=True, slots=True)
class HelperProcess:
    pid: int
    ppid: int
    name: str
    pid_namespace: str  # the target of /proc/PID/ns/pid, e.g. "pid:[4026531836]"


def _pid_namespace(pid: int | str) -> str:
    try:
        return os.readlink(f"/proc/{pid}/ns/pid")
    except OSError:
        return ""  # exited meanwhile


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
        found.append(
            HelperProcess(
                pid=int(entry.name),
                ppid=int(fields[1]),
                name=name,
                pid_namespace=_pid_namespace(entry.name),
            )
        )
    return found


def command_line(pid: int) -> str:
    """The process's command line, its arguments split by NULs or, once Chromium has set the
    process title, by spaces; empty when it has exited."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


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


def _split(helpers: list[HelperProcess]) -> tuple[list[HelperProcess], list[HelperProcess]]:
    me = os.getpid()
    mine = _pid_namespace(me)
    by_pid = {p.pid: p for p in helpers}
    zygotes: list[HelperProcess] = []
    renderers: list[HelperProcess] = []
    for process in helpers:
        parent = by_pid.get(process.ppid)
        is_zygote = process.ppid == me or (
            parent is not None
            and parent.ppid == me
            and parent.pid_namespace not in ("", mine)  # the parent is a namespace's init...
            and process.pid_namespace == parent.pid_namespace  # ...and this its zygote proper
        )
        (zygotes if is_zygote else renderers).append(process)
    return zygotes, renderers


def zygote_processes() -> list[HelperProcess]:
    """The zygotes (and the sandbox's PID-namespace init): they live as long as QtWebEngine."""
    return _split(webengine_processes())[0]


def renderer_processes() -> list[HelperProcess]:
    """QtWebEngineProcess helpers forked by a zygote: renderers, which die with their page."""
    return _split(webengine_processes())[1]


def sandboxed(process: HelperProcess) -> bool:
    """Whether Chromium's sandbox confines ``process``: a seccomp-bpf filter (mode 2) and a PID
    namespace other than this process's."""
    try:
        status = Path(f"/proc/{process.pid}/status").read_text()
    except OSError:
        return False
    seccomp = next(
        (line.split()[1] for line in status.splitlines() if line.startswith("Seccomp:")), "0"
    )
    return seccomp == "2" and process.pid_namespace not in ("", _pid_namespace(os.getpid()))
