"""Token exports, checked against each tool's own format.

No JSON schema is published for Postman environments or Insomnia exports, so each file is
compared with a sample the tool itself exported, and read the way the tool's importer reads it:

- Postman: ``packages/insomnia/src/utils/importers/importers/fixtures/postman-env/basic-input.json``
  in Kong/insomnia (an environment exported by "Postman/4.8.3"), read as Insomnia's
  ``postman-env.ts`` importer does (scope ``environment``, enabled ``key``/``value`` pairs);
  current Postman writes ``type`` ``default`` or ``secret``.
- Insomnia: ``packages/insomnia-inso/src/db/fixtures/insomnia-v4/insomnia_v4.json`` in
  Kong/insomnia (exported by "insomnia.desktop.app:v2020.5.2"), read as ``insomnia-4.ts`` does
  (``__export_format`` 4, then ``resources``).
- Bruno: parsed by a port of Bruno's own grammar,
  ``packages/bruno-lang/v2/src/peggy/envToJson.peggy`` in usebruno/bruno.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tiki_gui.api.exports import (
    ExportFormat,
    TokenExport,
    bruno_environment,
    export_file,
    insomnia_export,
    postman_environment,
)
from tiki_gui.core.errors import ValidationError
from tiki_gui.core.tokens import TokenSet

# The file Postman 4.8.3 exported (Kong/insomnia fixture, quoted whole).
POSTMAN_SAMPLE: dict[str, Any] = {
    "id": "fd5ae82a-d4c3-fa38-b53f-cddafb084535",
    "name": "Production Env",
    "values": [
        {"key": "foo", "value": "production", "type": "text", "enabled": True},
        {"key": "bar", "value": "hahah", "type": "text", "enabled": False},
    ],
    "timestamp": 1480561592875,
    "_postman_variable_scope": "environment",
    "_postman_exported_at": "2016-12-01T03:06:36.191Z",
    "_postman_exported_using": "Postman/4.8.3",
}
# The environment and workspace resources of the Insomnia v2020.5.2 export (Kong/insomnia).
INSOMNIA_SAMPLE_ENVIRONMENT = {
    "_id": "env_0e4670f970a37eb9697018946e86f200a24c1fa9",
    "parentId": "wrk_8ee1e07b3f334214ac73ff31466c193a",
    "modified": 1612902174873,
    "created": 1612902029511,
    "name": "Base environment",
    "data": {"base_url": "{{ scheme }}://{{ host }}{{ base_path }}"},
    "dataPropertyOrder": None,
    "color": None,
    "isPrivate": False,
    "metaSortKey": 1612902029511,
    "_type": "environment",
}
INSOMNIA_SAMPLE_WORKSPACE_KEYS = {
    "_id", "parentId", "modified", "created", "name", "description", "scope", "_type"
}  # fmt: skip
INSOMNIA_SAMPLE_TOP_KEYS = {
    "_type", "__export_format", "__export_date", "__export_source", "resources"
}  # fmt: skip

ACCESS = "ory_at_live-access.token"
REFRESH = "ory_rt_live-refresh.token"
EXPIRES = datetime(2026, 12, 6, 5, 0, tzinfo=UTC)


def _export(*, refresh: bool = False) -> TokenExport:
    token = TokenSet(
        ACCESS,
        "bearer",
        obtained_at=EXPIRES - timedelta(hours=1),
        expires_at=EXPIRES,
        refresh_token=REFRESH,
        scope=("offline", "order"),
    )
    return TokenExport.from_token(
        token,
        name="Tiki shop-7 (sandbox)",
        base_url="http://127.0.0.1:8765/",
        seller_id=4242,
        include_refresh_token=refresh,
    )


EXPECTED = {
    "base_url": "http://127.0.0.1:8765",
    "seller_id": "4242",
    "access_token": ACCESS,
    "expires_at": "2026-12-06T05:00:00Z",
}


# -- Postman -----------------------------------------------------------------------------------


def _postman_import(document: dict[str, Any]) -> dict[str, str]:
    """What Insomnia's postman-env importer takes from a Postman environment."""
    assert document["_postman_variable_scope"] == "environment"
    values = document["values"]
    assert isinstance(values, list)
    return {v["key"]: v["value"] for v in values if v["enabled"]}


@pytest.mark.parametrize("refresh", [False, True])
def test_postman_environment_is_what_postman_exports(refresh: bool) -> None:
    document = json.loads(postman_environment(_export(refresh=refresh)))
    assert set(document) == set(POSTMAN_SAMPLE) - {"timestamp"}  # newer Postman has no timestamp
    assert _postman_import(POSTMAN_SAMPLE) == {"foo": "production"}  # the reader reads the sample
    variables = _postman_import(document)
    expected = {**EXPECTED, **({"refresh_token": REFRESH} if refresh else {})}
    assert variables == expected
    for value in document["values"]:
        assert set(value) == set(POSTMAN_SAMPLE["values"][0])
        secret = value["key"] in ("access_token", "refresh_token")
        assert value["type"] == ("secret" if secret else "default")
    assert document["name"] == "Tiki shop-7 (sandbox)"
    datetime.fromisoformat(document["_postman_exported_at"])


# -- Insomnia ----------------------------------------------------------------------------------


def _insomnia_import(text: str) -> list[dict[str, Any]]:
    """Insomnia's insomnia-4 importer: a format-4 document gives its resources."""
    data = json.loads(text)
    assert data["__export_format"] == 4
    resources = data["resources"]
    assert isinstance(resources, list)
    return resources


@pytest.mark.parametrize("refresh", [False, True])
def test_insomnia_export_is_what_insomnia_exports(refresh: bool) -> None:
    text = insomnia_export(_export(refresh=refresh))
    assert set(json.loads(text)) == INSOMNIA_SAMPLE_TOP_KEYS
    assert json.loads(text)["_type"] == "export"
    workspace, base, tokens = _insomnia_import(text)
    assert set(workspace) == INSOMNIA_SAMPLE_WORKSPACE_KEYS
    assert workspace["_type"] == "workspace"
    assert workspace["parentId"] is None
    assert str(workspace["_id"]).startswith("wrk_")
    for env in (base, tokens):
        assert set(env) == set(INSOMNIA_SAMPLE_ENVIRONMENT)
        assert env["_type"] == "environment"
        assert str(env["_id"]).startswith("env_")
        assert env["dataPropertyOrder"] == {"&": list(env["data"])}
    assert base["parentId"] == workspace["_id"]
    assert tokens["parentId"] == base["_id"]  # a sub-environment of the base one
    assert base["isPrivate"] is False
    assert tokens["isPrivate"] is True  # never synced
    merged = {**base["data"], **tokens["data"]}
    expected = {**EXPECTED, **({"refresh_token": REFRESH} if refresh else {})}
    assert merged == expected
    assert set(tokens["data"]) == {"access_token", *(["refresh_token"] if refresh else [])}


# -- Bruno -------------------------------------------------------------------------------------


class _BrunoEnvParser:
    """Bruno's envToJson.peggy, by hand: ``vars { key: value }`` and ``vars:secret [ names ]``."""

    def __init__(self, text: str) -> None:
        self.text, self.i = text, 0

    def _skip(self, chars: str) -> None:
        while self.i < len(self.text) and self.text[self.i] in chars:
            self.i += 1

    def _expect(self, word: str) -> None:
        if not self.text.startswith(word, self.i):
            raise ValueError(f"expected {word!r} at {self.i}")
        self.i += len(word)

    def parse(self) -> list[dict[str, object]]:
        variables: list[dict[str, object]] = []
        self._skip("\r\n \t")
        while self.i < len(self.text):
            if self.text.startswith("vars:secret", self.i):
                self._expect("vars:secret")
                self._skip(" \t")
                self._expect("[")
                end = self.text.index("]", self.i)
                names = [n.strip() for n in self.text[self.i : end].replace("\n", ",").split(",")]
                variables += [{"name": n, "value": "", "secret": True} for n in names if n]
                self.i = end + 1
            else:
                self._expect("vars")
                self._skip(" \t")
                self._expect("{")
                end = self.text.index("\n}", self.i)
                for line in self.text[self.i : end].split("\n"):
                    if not line.strip():
                        continue
                    key, sep, value = line.partition(":")
                    key = key.strip()
                    if not sep or not key or any(ch in key for ch in " \t"):
                        raise ValueError(f"not a pair: {line!r}")
                    variables.append({"name": key, "value": value.strip(), "secret": False})
                self.i = end + 2
            self._skip("\r\n \t")
        return variables


def test_bruno_parser_reads_bruno_samples() -> None:
    sample = (
        "vars {\n  host: https://example.com\n  ~off: 1\n}\nvars:secret [\n  token,\n  key\n]\n"
    )
    assert [(v["name"], v["secret"]) for v in _BrunoEnvParser(sample).parse()] == [
        ("host", False),
        ("~off", False),
        ("token", True),
        ("key", True),
    ]
    with pytest.raises(ValueError, match="expected"):
        _BrunoEnvParser("variables {\n}\n").parse()


@pytest.mark.parametrize("refresh", [False, True])
def test_bruno_environment_parses_with_brunos_grammar(refresh: bool) -> None:
    parsed = _BrunoEnvParser(bruno_environment(_export(refresh=refresh))).parse()
    expected = {**EXPECTED, **({"refresh_token": REFRESH} if refresh else {})}
    assert {v["name"]: v["value"] for v in parsed} == expected
    assert not any(v["secret"] for v in parsed)  # vars:secret would drop the values


# -- all formats -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_files_names_warning_and_no_refresh_token_unless_asked(fmt: ExportFormat) -> None:
    name, content = export_file(_export(), fmt)
    assert name.startswith("Tiki-shop-7--sandbox")
    assert name.endswith(
        {"postman": ".postman_environment.json", "insomnia": ".json", "bruno": ".bru"}[fmt.value]
    )
    assert "/" not in name
    assert ACCESS in content
    assert REFRESH not in content
    assert REFRESH in export_file(_export(refresh=True), fmt)[1]
    assert "live access token" in _export().warning
    assert "refresh token" in _export(refresh=True).warning


def test_no_secret_in_repr_or_errors() -> None:
    export = _export(refresh=True)
    assert ACCESS not in repr(export)
    assert REFRESH not in repr(export)
    with pytest.raises(ValidationError) as info:
        TokenExport("x", "https://api.tiki.vn", 1, "bad token with spaces", None)
    assert "bad token" not in str(info.value)
    with pytest.raises(ValidationError):
        TokenExport("x", "ftp://api.tiki.vn", 1, ACCESS, None)
