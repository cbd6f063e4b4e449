"""The code of "Copy as": an :class:`~tiki_gui.api.snippets.HttpCall` as curl, Python httpx,
Node fetch or PHP, secrets as environment variables unless included, literal text quoted for the
target language (:mod:`tiki_gui.api.quoting`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from urllib.parse import quote_plus

from tiki_gui.api import quoting
from tiki_gui.api.snippets import EnvSecret, HttpCall, Part, SnippetLanguage

__all__ = ["render"]


def _inline(part: Part, include_secrets: bool) -> Part:
    """A secret becomes literal text when it is included and known."""
    if isinstance(part, EnvSecret) and include_secrets and part.value is not None:
        return part.value
    return part


def _merged(parts: Sequence[Part], include_secrets: bool) -> list[Part]:
    """Secrets inlined when included, and neighbouring literal parts joined into one."""
    merged: list[Part] = []
    for part in parts:
        value = _inline(part, include_secrets)
        if isinstance(value, str) and merged and isinstance(merged[-1], str):
            merged[-1] += value
        else:
            merged.append(value)
    return merged


def _needs_form_encoding(value: str) -> bool:
    return quote_plus(value) != value


def _intro(call: HttpCall, include_secrets: bool, comment: str) -> list[str]:
    lines = [f"{comment} {call.title}, as tiki-gui sends it."]
    needed = [s.env for s in call.secrets() if not (include_secrets and s.value is not None)]
    if needed:
        lines.append(f"{comment} Set first: {', '.join(needed)}.")
    if include_secrets and any(s.value is not None for s in call.secrets()):
        lines.append(f"{comment} Contains live secrets: do not share or commit it.")
    return lines


def _render_curl(call: HttpCall, include_secrets: bool) -> str:
    lines = _intro(call, include_secrets, "#")
    word = quoting.shell_word
    options: list[str] = ["--silent --show-error", f"--request {word([call.method])}"]
    if call.basic is not None:
        client_id, secret = call.basic
        user = f"{quote_plus(client_id)}:"
        part = _inline(secret, include_secrets)
        if isinstance(part, str):
            options.append(f"--user {word([user + quote_plus(part)])}")
        elif secret.value is not None and not _needs_form_encoding(secret.value):
            options.append(f"--user {word([user, part])}")
        else:  # RFC 6749 2.3.1: the secret must be form-encoded inside the Basic header
            encoded = f"{part.env}_FORM_ENCODED"
            lines.append(
                f"{encoded}=\"$(python3 -c 'import os, urllib.parse; "
                f'print(urllib.parse.quote_plus(os.environ["{part.env}"]))\')"'
            )
            options.append(f"--user {word([user, EnvSecret(encoded)])}")
    for name, value in call.headers:
        options.append(f"--header {word(_merged([f'{name}: ', *value], include_secrets))}")
    for name, value in call.form:
        options.append(f"--data-urlencode {word(_merged([f'{name}=', *value], include_secrets))}")
    if call.body:
        options.append(f"--data-raw {word([call.body])}")
    lines.append(" \\\n  ".join(["curl", *options, word([call.url])]))
    return "\n".join(lines) + "\n"


def _expression(
    parts: Sequence[Part],
    include_secrets: bool,
    literal: Callable[[str], str],
    env: Callable[[str], str],
    join: str,
) -> str:
    pieces: list[str] = []
    for value in _merged(parts, include_secrets):
        pieces.append(literal(value) if isinstance(value, str) else env(value.env))
    return join.join(pieces) if pieces else literal("")


def _render_python(call: HttpCall, include_secrets: bool) -> str:
    lit, env = quoting.python_string, (lambda name: f"os.environ[{quoting.python_string(name)}]")

    def expr(parts: Sequence[Part]) -> str:
        return _expression(parts, include_secrets, lit, env, " + ")

    body: list[str] = []
    headers = [f"    {lit(name)}: {expr(value)}," for name, value in call.headers]
    if call.basic is not None:
        client_id, secret = call.basic
        body.append(f"client_id = {lit(client_id)}")
        body.append(f"client_secret = {expr([secret])}")
        body.append("# RFC 6749 2.3.1: form-encode id and secret before base64")
        body.append('userpass = f"{quote_plus(client_id)}:{quote_plus(client_secret)}"')
        body.append('basic = base64.b64encode(userpass.encode("utf-8")).decode("ascii")')
        headers.append(f'    {lit("Authorization")}: "Basic " + basic,')
    body += ["headers = {", *headers, "}"]
    call_args = [lit(call.method), lit(call.url), "headers=headers"]
    if call.form:
        body.append("form = {")
        body += [f"    {lit(name)}: {expr(value)}," for name, value in call.form]
        body.append("}")
        call_args.append("data=form")
    if call.body:
        call_args.append(f"content={lit(call.body)}")
    body += ["response = httpx.request(", *(f"    {arg}," for arg in call_args)]
    body += ["    timeout=30.0,", ")", "print(response.status_code)", "print(response.text)"]
    body.append("response.raise_for_status()")
    code = "\n".join(body)
    imports = [
        name
        for name, used in (
            ("import base64", "base64." in code),
            ("import os", "os.environ" in code),
            ("from urllib.parse import quote_plus", "quote_plus(" in code),
        )
        if used
    ]
    lines = [*_intro(call, include_secrets, "#"), *imports, "", "import httpx", "", code]
    return "\n".join(lines) + "\n"


_NODE_FORM_ENCODE = (
    "const formEncode = (s) => encodeURIComponent(s)\n"
    '  .replace(/[!\'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase())\n'
    '  .replace(/%20/g, "+");'
)


def _render_node(call: HttpCall, include_secrets: bool) -> str:
    lit, env = quoting.js_string, (lambda name: f"process.env[{quoting.js_string(name)}]")

    def expr(parts: Sequence[Part]) -> str:
        return _expression(parts, include_secrets, lit, env, " + ")

    lines = _intro(call, include_secrets, "//")
    lines.append("// Node.js 18 or later (fetch is built in).")
    headers = [f"    {lit(name)}: {expr(value)}," for name, value in call.headers]
    if call.basic is not None:
        client_id, secret = call.basic
        lines += [
            "// RFC 6749 2.3.1: form-encode id and secret before base64",
            _NODE_FORM_ENCODE,
            f"const clientId = {lit(client_id)};",
            f"const clientSecret = {expr([secret])};",
            'const basic = Buffer.from(formEncode(clientId) + ":" + formEncode(clientSecret))'
            '.toString("base64");',
        ]
        headers.append(f'    {lit("Authorization")}: "Basic " + basic,')
    lines += [
        "(async () => {",
        f"  const response = await fetch({lit(call.url)}, {{",
        f"    method: {lit(call.method)},",
        "    headers: {",
        *("  " + h for h in headers),
        "    },",
    ]
    if call.form:
        form = [f"      [{lit(name)}, {expr(value)}]," for name, value in call.form]
        lines += ["    body: new URLSearchParams([", *form, "    ]),"]
    if call.body:
        lines.append(f"    body: {lit(call.body)},")
    lines += [
        "  });",
        "  console.log(response.status);",
        "  console.log(await response.text());",
        "  if (!response.ok) process.exitCode = 1;",
        "})();",
    ]
    return "\n".join(lines) + "\n"


def _render_php(call: HttpCall, include_secrets: bool) -> str:
    lit, env = quoting.php_string, (lambda name: f"getenv({quoting.php_string(name)})")

    def expr(parts: Sequence[Part]) -> str:
        return _expression(parts, include_secrets, lit, env, " . ")

    lines = ["<?php", *_intro(call, include_secrets, "//")]
    headers = [f"    {expr([f'{name}: ', *value])}," for name, value in call.headers]
    if call.basic is not None:
        client_id, secret = call.basic
        lines += [
            f"$clientId = {lit(client_id)};",
            f"$clientSecret = {expr([secret])};",
            "// RFC 6749 2.3.1: form-encode id and secret before base64",
            "$formEncode = fn ($s) => str_replace('%7E', '~', urlencode($s));",
            "$basic = base64_encode($formEncode($clientId) . ':' . $formEncode($clientSecret));",
        ]
        headers.append("    'Authorization: Basic ' . $basic,")
    lines += [
        f"$ch = curl_init({lit(call.url)});",
        "curl_setopt_array($ch, [",
        f"    CURLOPT_CUSTOMREQUEST => {lit(call.method)},",
        "    CURLOPT_RETURNTRANSFER => true,",
        "    CURLOPT_HTTPHEADER => [",
        *("    " + h for h in headers),
        "    ],",
    ]
    if call.form:
        form = [f"        {lit(name)} => {expr(value)}," for name, value in call.form]
        lines += ["    CURLOPT_POSTFIELDS => http_build_query([", *form, "    ]),"]
    if call.body:
        lines.append(f"    CURLOPT_POSTFIELDS => {lit(call.body)},")
    lines += [
        "]);",
        "$body = curl_exec($ch);",
        "$status = curl_getinfo($ch, CURLINFO_RESPONSE_CODE);",
        "curl_close($ch);",
        "echo $status, PHP_EOL, $body, PHP_EOL;",
    ]
    return "\n".join(lines) + "\n"


_RENDERERS: dict[SnippetLanguage, Callable[[HttpCall, bool], str]] = {
    SnippetLanguage.CURL: _render_curl,
    SnippetLanguage.PYTHON: _render_python,
    SnippetLanguage.NODE: _render_node,
    SnippetLanguage.PHP: _render_php,
}


def render(call: HttpCall, language: SnippetLanguage, *, include_secrets: bool = False) -> str:
    """``call`` as code in ``language``; secrets as environment variables unless included."""
    return _RENDERERS[SnippetLanguage(language)](call, include_secrets)
