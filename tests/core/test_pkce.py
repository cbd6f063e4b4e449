"""PKCE S256 (RFC 7636)."""

from __future__ import annotations

import re

import pytest

from tiki_gui.core.errors import ValidationError
from tiki_gui.core.pkce import Pkce, s256_challenge

RFC_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
RFC_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_rfc_7636_appendix_b_vector() -> None:
    assert s256_challenge(RFC_VERIFIER) == RFC_CHALLENGE
    assert Pkce.from_verifier(RFC_VERIFIER).challenge == RFC_CHALLENGE


def test_generate_makes_a_43_character_verifier_from_32_bytes() -> None:
    pkce = Pkce.generate()
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", pkce.verifier)
    assert pkce.challenge == s256_challenge(pkce.verifier)
    assert pkce.method == "S256"


def test_generated_verifiers_differ() -> None:
    assert len({Pkce.generate().verifier for _ in range(20)}) == 20


def test_verifier_is_not_in_repr() -> None:
    pkce = Pkce.from_verifier(RFC_VERIFIER)
    assert RFC_VERIFIER not in repr(pkce)
    assert RFC_CHALLENGE in repr(pkce)


@pytest.mark.parametrize("verifier", ["short", "x" * 129, "a" * 42 + " ", "ä" * 43])
def test_invalid_verifiers_are_rejected_without_echoing_them(verifier: str) -> None:
    with pytest.raises(ValidationError, match="43 to 128 characters") as info:
        Pkce.from_verifier(verifier)
    assert verifier not in str(info.value)


def test_a_challenge_must_belong_to_its_verifier() -> None:
    with pytest.raises(ValidationError, match="does not belong"):
        Pkce(verifier=RFC_VERIFIER, challenge="x" * 43)


def test_only_s256_is_supported() -> None:
    with pytest.raises(ValidationError, match="S256"):
        Pkce(verifier=RFC_VERIFIER, challenge=RFC_VERIFIER, method="plain")
