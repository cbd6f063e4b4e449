"""Presets and the scope check (pure functions)."""

from __future__ import annotations

import json

import pytest

from tiki_gui.api.presets import PRESETS, missing_scope, preset_by_key, scope_warning


def test_the_presets_integrators_make_first() -> None:
    assert [(p.method, p.path, p.scope) for p in PRESETS] == [
        ("GET", "/integration/v2/sellers/me", None),
        ("GET", "/integration/v2/sellers/me/warehouses", None),
        ("GET", "/integration/v2/products", "product"),
        ("GET", "/integration/v2/orders", "order"),
        ("GET", "/integration/v2/categories", None),
        ("POST", "/integration/v2/orders/{code}/dropship/confirm-available", "order"),
    ]
    assert [p.key for p in PRESETS if not p.read_only] == ["confirm_dropship"]
    assert all(not p.body for p in PRESETS if p.read_only)
    template = json.loads(preset_by_key("confirm_dropship").body)
    assert template["confirmation_status"] == "seller_confirmed"
    assert {"seller_inventory_id", "expected_pickup_time"} <= set(template)
    assert {"active", "include", "category_id", "page", "limit"} <= {
        h.name for h in preset_by_key("products").hints
    }
    assert {"status", "created_from_date", "page"} <= {
        h.name for h in preset_by_key("orders").hints
    }
    with pytest.raises(KeyError):
        preset_by_key("nope")


@pytest.mark.parametrize(
    ("granted", "required", "missing"),
    [
        (("offline", "product"), "product", None),
        (("offline", "order"), "product", "product"),
        (("all",), "product", None),
        (("all",), "order", None),
        ((), "order", "order"),
        (("product",), None, None),
        (None, "order", None),  # unknown scopes: nothing to warn about
        (("inventory",), "inventory", None),
    ],
)
def test_missing_scope(
    granted: tuple[str, ...] | None, required: str | None, missing: str | None
) -> None:
    assert missing_scope(granted, required) == missing


def test_scope_warning_names_the_scope_and_what_was_granted() -> None:
    warning = scope_warning(("offline", "product"), preset_by_key("orders"))
    assert warning is not None
    assert "'order'" in warning
    assert "offline product" in warning
    assert "403" in warning
    assert scope_warning(("order",), preset_by_key("orders")) is None
    assert scope_warning(None, preset_by_key("orders")) is None
