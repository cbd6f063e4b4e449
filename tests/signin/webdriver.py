"""A tiny W3C WebDriver client (plain httpx) for driving Debian's headless Chromium in tests.

Reusable by any test that needs a real system browser::

    from signin.webdriver import chromium_available, start_chromium

    with start_chromium() as browser:            # chromedriver + a fresh headless Chromium
        browser.navigate(url)
        browser.find("input[name=username]").send_keys("seller-a")
        browser.find("#login-submit").click()
        browser.wait_for_text("You can close this tab")

Leaving the ``with`` block deletes the session, stops chromedriver and kills every process still
using the session's private profile directory (found through /proc), then removes the directory:
no chromium or chromedriver outlives a test, even after a failure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

import httpx
import pytest
from child_processes import end_process

__all__ = [
    "CHROMEDRIVER",
    "CHROMIUM",
    "Browser",
    "Element",
    "WebDriverError",
    "chromium",
    "chromium_available",
    "processes_using",
    "start_chromium",
]

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf"  # W3C WebDriver's web element identifier
STARTUP_TIMEOUT = 30.0
COMMAND_TIMEOUT = 60.0

T = TypeVar("T")


class WebDriverError(Exception):
    """A WebDriver command failed: ``error`` is the W3C error code ("no such element", ...)."""

    def __init__(self, error: str, message: str) -> None:
        self.error = error
        super().__init__(f"{error}: {message}")


def chromium_available() -> bool:
    return CHROMIUM.exists() and CHROMEDRIVER.exists()


@dataclass(frozen=True)
class Element:
    """An element of the current page."""

    browser: Browser
    id: str

    def _path(self, suffix: str = "") -> str:
        return f"/element/{self.id}{suffix}"

    def click(self) -> None:
        self.browser.command("POST", self._path("/click"), {})

    def send_keys(self, text: str) -> None:
        self.browser.command("POST", self._path("/value"), {"text": text})

    def clear(self) -> None:
        self.browser.command("POST", self._path("/clear"), {})

    @property
    def text(self) -> str:
        return str(self.browser.command("GET", self._path("/text")))

    def attribute(self, name: str) -> str | None:
        value = self.browser.command("GET", self._path(f"/attribute/{name}"))
        return None if value is None else str(value)


class Browser:
    """One WebDriver session (made by :func:`start_chromium`)."""

    def __init__(self, http: httpx.Client, session_id: str) -> None:
        self._http = http
        self.session_id = session_id

    def command(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """Send one session command and return its ``value`` (WebDriverError on failure)."""
        response = self._http.request(method, f"/session/{self.session_id}{path}", json=body)
        return _value(response)

    # -- navigation ------------------------------------------------------------------------------

    def navigate(self, url: str) -> None:
        self.command("POST", "/url", {"url": url})

    @property
    def current_url(self) -> str:
        return str(self.command("GET", "/url"))

    @property
    def title(self) -> str:
        return str(self.command("GET", "/title"))

    @property
    def page_source(self) -> str:
        return str(self.command("GET", "/source"))

    @property
    def page_text(self) -> str:
        """The visible text of the page (``document.body.innerText``)."""
        text = self.execute("return document.body ? document.body.innerText : '';")
        return str(text)

    def execute(self, script: str, *args: object) -> Any:
        return self.command("POST", "/execute/sync", {"script": script, "args": list(args)})

    # -- elements --------------------------------------------------------------------------------

    def find(self, css: str) -> Element:
        """The first element matching ``css`` (waits up to the implicit wait timeout)."""
        found = self.command("POST", "/element", {"using": "css selector", "value": css})
        return Element(self, str(found[ELEMENT_KEY]))

    def find_all(self, css: str) -> list[Element]:
        found = self.command("POST", "/elements", {"using": "css selector", "value": css})
        return [Element(self, str(item[ELEMENT_KEY])) for item in found]

    def set_implicit_wait(self, seconds: float) -> None:
        self.command("POST", "/timeouts", {"implicit": int(seconds * 1000)})

    # -- waiting ---------------------------------------------------------------------------------

    def wait_until(
        self, predicate: Callable[[], T | None], *, timeout: float = 15.0, what: str = "condition"
    ) -> T:
        """Poll ``predicate`` until it returns something truthy; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                result = predicate()
            except WebDriverError:
                result = None  # a page being replaced: stale element, no such element
            if result:
                return result
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout} s waiting for {what}")
            time.sleep(0.1)

    def wait_for_text(self, text: str, *, timeout: float = 15.0) -> str:
        """Wait until the page's visible text contains ``text``; return the whole text."""
        return self.wait_until(
            lambda: page if text in (page := self.page_text) else None,
            timeout=timeout,
            what=f"page text {text!r}",
        )

    def quit(self) -> None:
        with contextlib.suppress(httpx.HTTPError, WebDriverError):
            _value(self._http.delete(f"/session/{self.session_id}"))


def _value(response: httpx.Response) -> Any:
    try:
        payload = response.json()
    except ValueError:
        raise WebDriverError("invalid response", response.text[:200]) from None
    value = payload.get("value") if isinstance(payload, dict) else None
    if response.status_code >= 400:
        error = value if isinstance(value, dict) else {}
        raise WebDriverError(
            str(error.get("error", response.status_code)), str(error.get("message", ""))
        )
    return value


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def chromium_args(user_data_dir: Path) -> list[str]:
    args = [
        "--headless=new",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-proxy-server",
        f"--user-data-dir={user_data_dir}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
    return args


def processes_using(marker: str) -> list[int]:
    """PIDs of live (non-zombie) processes whose command line contains ``marker``."""
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # exited meanwhile
        if marker in cmdline and stat[stat.rindex(")") + 2 :].split()[0] != "Z":
            found.append(int(entry.name))
    return found


def _kill_all(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def _wait_ready(http: httpx.Client, driver: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if driver.poll() is not None:
            raise RuntimeError(f"chromedriver exited: {log.read_text(errors='replace')[-500:]}")
        with contextlib.suppress(httpx.HTTPError):
            status = http.get("/status").json()
            if status.get("value", {}).get("ready"):
                return
        time.sleep(0.05)
    raise RuntimeError("chromedriver did not become ready in time")


@contextlib.contextmanager
def start_chromium(*, implicit_wait: float = 5.0) -> Iterator[Browser]:
    """chromedriver plus one fresh headless Chromium session; everything killed afterwards."""
    workdir = Path(tempfile.mkdtemp(prefix="tiki-gui-chromium-"))
    profile = workdir / "profile"
    log = workdir / "chromedriver.log"
    port = _free_port()
    with log.open("wb") as log_file:
        driver = subprocess.Popen(
            [str(CHROMEDRIVER), f"--port={port}", "--allowed-ips=127.0.0.1"],
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    http = httpx.Client(
        base_url=f"http://127.0.0.1:{port}", timeout=COMMAND_TIMEOUT, trust_env=False
    )
    browser: Browser | None = None
    try:
        _wait_ready(http, driver, log)
        capabilities = {
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "goog:chromeOptions": {"binary": str(CHROMIUM), "args": chromium_args(profile)},
        }
        created = _value(
            http.post("/session", json={"capabilities": {"alwaysMatch": capabilities}})
        )
        browser = Browser(http, str(cast(dict[str, Any], created)["sessionId"]))
        browser.set_implicit_wait(implicit_wait)
        yield browser
    finally:
        if browser is not None:
            browser.quit()
        http.close()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(driver.pid, signal.SIGTERM)
        end_process(driver)
        deadline = time.monotonic() + 10
        while (left := processes_using(str(profile))) and time.monotonic() < deadline:
            _kill_all(left)
            time.sleep(0.05)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def chromium() -> Iterator[Browser]:
    """A fresh headless Chromium (own profile) driven through chromedriver; killed afterwards.
    A fixture: import it where a test needs it (tests/signin/conftest.py does)."""
    if not chromium_available():
        pytest.fail("needs Debian's chromium and chromium-driver (.ci/debian-packages.txt)")
    with start_chromium() as browser:
        yield browser
