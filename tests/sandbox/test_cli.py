"""``python -m tiki_gui.sandbox`` as a user runs it: a real subprocess."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from child_processes import ROOT, run_python

from tiki_gui.sandbox import DEMO_BASIC_CLIENT, DEMO_POST_CLIENT, SandboxClient, SandboxServer

from .wire import token_request

BASE_URL = re.compile(r"http://127\.0\.0\.1:(\d+)")


def _read_line(stream: int, timeout: float) -> str:
    """Read one line from a raw pipe without buffering past it (communicate() reads the rest)."""
    data = b""
    deadline = time.monotonic() + timeout
    while not data.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        ready, _, _ = select.select([stream], [], [], max(remaining, 0))
        if not ready:
            raise AssertionError(f"no complete line within {timeout} s: {data!r}")
        chunk = os.read(stream, 1)
        if not chunk:
            raise AssertionError(f"the process ended before printing a line: {data!r}")
        data += chunk
    return data.decode("utf-8").rstrip("\n")


@contextmanager
def _sandbox_process(*args: str) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tiki_gui.sandbox", *args],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    )
    try:
        assert process.stdout is not None
        yield process, _read_line(process.stdout.fileno(), 10.0)
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


def _stop(process: subprocess.Popen[bytes], sig: int = signal.SIGINT) -> tuple[str, str]:
    process.send_signal(sig)
    out, err = process.communicate(timeout=10)
    return out.decode("utf-8"), err.decode("utf-8")


def test_first_line_is_the_base_url_and_ctrl_c_exits_cleanly(http: httpx.Client) -> None:
    with _sandbox_process("--port", "0") as (process, first):
        assert BASE_URL.fullmatch(first), first
        assert http.get(first + "/").status_code == 200
        assert http.get(first + "/sc/oauth2/auth?client_id=x&state=s").status_code == 303
        out, err = _stop(process)
        assert process.returncode == 0
    assert "Traceback" not in err
    assert "KeyboardInterrupt" not in err
    assert '"GET /sc/oauth2/auth" 303' in err
    assert "state=" not in err
    for client in (DEMO_BASIC_CLIENT, DEMO_POST_CLIENT):
        assert client.client_id in out
        assert json.dumps(client.client_secret) in out
        assert client.token_endpoint_auth_method in out
        for uri in client.redirect_uris:
            assert uri in out
    assert first + "/sc/oauth2/token" in out


def test_sigterm_also_exits_cleanly() -> None:
    with _sandbox_process("--quiet") as (process, first):
        assert BASE_URL.fullmatch(first)
        out, err = _stop(process, signal.SIGTERM)
        assert process.returncode == 0
    assert err == ""
    assert "Sandbox stopped." in out


def test_keeps_serving_when_the_reader_of_stdout_goes_away(http: httpx.Client) -> None:
    with _sandbox_process() as (process, first):
        assert process.stdout is not None
        process.stdout.close()  # a script that read the base URL and stopped listening
        assert http.get(first + "/").status_code == 200
        _, err = _stop(process)
        assert process.returncode == 0
    assert "Traceback" not in err
    assert "BrokenPipeError" not in err
    assert '"GET /" 200' in err


def test_clients_file_and_lifetimes(tmp_path: Path, http: httpx.Client) -> None:
    path = tmp_path / "clients.json"
    client = SandboxClient(
        client_id="from-file",
        client_secret="file secret",
        token_endpoint_auth_method="client_secret_post",
        redirect_uris=("http://127.0.0.1/cb",),
        scope="product",
        grant_types=("client_credentials",),
    )
    path.write_text(
        json.dumps(
            [
                {
                    "client_id": client.client_id,
                    "client_secret": client.client_secret,
                    "token_endpoint_auth_method": client.token_endpoint_auth_method,
                    "redirect_uris": list(client.redirect_uris),
                    "scope": client.scope,
                    "grant_types": list(client.grant_types),
                }
            ]
        ),
        encoding="utf-8",
    )
    args = ("--clients", str(path), "--access-token-lifetime", "90", "--code-lifetime", "30")
    with _sandbox_process(*args) as (process, first):
        assert BASE_URL.fullmatch(first)
        server = _Remote(first)
        data = {"grant_type": "client_credentials", "scope": "product"}
        response = token_request(http, server, client, data)
        assert response.status_code == 200, response.text
        assert response.json()["expires_in"] == 90
        demo = token_request(http, server, DEMO_POST_CLIENT, data)
        assert demo.status_code == 401
        out, _ = _stop(process)
    assert "from-file" in out
    assert "tiki-demo-basic" not in out


class _Remote:
    """A sandbox running in a subprocess, as the request helpers see it."""

    def __init__(self, base_url: str) -> None:
        self.token_endpoint = base_url + "/sc/oauth2/token"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--clients", "/nonexistent/clients.json"), "cannot read the clients file"),
        (("--code-lifetime", "0"), "must be more than 0 seconds"),
        (("--port", "70000"), "must be 0-65535"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(args: tuple[str, ...], message: str) -> None:
    result = run_python("-m", "tiki_gui.sandbox", *args, timeout=20)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_port_in_use_exits_1_with_a_message() -> None:
    with SandboxServer() as busy:
        result = run_python("-m", "tiki_gui.sandbox", "--port", str(busy.port), timeout=20)
    assert result.returncode == 1
    assert "cannot listen on 127.0.0.1" in result.stderr
    assert "Traceback" not in result.stderr
