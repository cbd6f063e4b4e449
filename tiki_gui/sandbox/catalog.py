"""The sandbox's seller data: warehouses, products with inventory, orders and categories.

Small, deterministic (the same seller id always gets the same data) and shaped like the objects in
Tiki's API reference on open.tiki.vn:

- warehouses: "Seller Warehouse" (``id``, ``seller_id``, ``is_primary``, ``name``, ``status`` 1/0,
  ``address`` {street, ward, district, region, country}, ``type`` requisition/withdrawal);
- products: the "Get latest products" sample (``id``, ``sku``, ``name``, ``master_id``,
  ``master_sku``, ``super_id``, ``active`` 1/0, ``type``, ``entity_type``, ``price``,
  ``market_price``, ``version``, ``created_at``, ``updated_at``, ``thumbnail``), plus
  ``original_sku`` and ``categories``; ``include=inventory`` adds ``inventory`` {inventory_type,
  fulfillment_type, warehouse_stocks[{warehouse_id, quantity, quantity_available,
  quantity_sellable, quantity_reserved}]};
- orders: "Order V2" (``code``, ``relation_code``, ``fulfillment_type``, ``status``, ``is_rma``,
  ``is_vat_exporting``, ``has_backorder_items``, ``created_at``, ``updated_at``, ``invoice``,
  ``items``, ``shipping``, ``payment``, ``customer``, ``cancel_info``, ``status_histories``);
- categories: ``id``, ``name``, ``parent_id``, ``is_primary``, ``is_product_listing_enabled``,
  ``no_license_seller_enabled``.

Where the reference shows no full example (order items, the category list wrapper) the shapes
follow open-source Tiki clients and are realistic, not verified. Times use Tiki's
``yyyy-MM-dd HH:mm:ss`` and are fixed, so tests can filter on them.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["CATEGORIES", "TIME_FORMAT", "Catalog", "catalog_for", "category_by_id"]

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
_EPOCH = datetime(2024, 3, 1, 8, 0, 0)

CATEGORIES: tuple[dict[str, object], ...] = tuple(
    {
        "id": cid,
        "name": name,
        "parent_id": parent,
        "is_primary": primary,
        "is_product_listing_enabled": primary,
        "no_license_seller_enabled": primary,
    }
    for cid, name, parent, primary in (
        (8322, "Nhà Sách Tiki", 2, False),
        (316, "Sách tiếng Việt", 8322, False),
        (839, "Sách văn học", 316, True),
        (846, "Sách kỹ năng sống", 316, True),
        (1789, "Điện Thoại - Máy Tính Bảng", 2, False),
        (1795, "Điện thoại Smartphone", 1789, True),
        (1846, "Laptop - Máy Vi Tính - Linh kiện", 2, False),
        (8095, "Chuột văn phòng", 1846, True),
    )
)

_PRODUCTS = (
    ("Hạt Giống Tâm Hồn 1", 839, 27_000),
    ("Đắc Nhân Tâm", 846, 86_000),
    ("Nhà Giả Kim", 839, 79_000),
    ("Điện thoại A15 128GB", 1795, 4_490_000),
    ("Điện thoại X9 256GB", 1795, 8_990_000),
    ("Chuột không dây M170", 8095, 189_000),
    ("Chuột công thái học V2", 8095, 649_000),
)

_ORDER_STATUSES = (
    "queueing",
    "queueing",
    "handover_to_partner",
    "successful_delivery",
    "complete",
    "canceled",
)

_CUSTOMERS = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Quốc Dũng")


def category_by_id(category_id: int) -> dict[str, object] | None:
    for category in CATEGORIES:
        if category["id"] == category_id:
            return dict(category)
    return None


def _time(offset: timedelta) -> str:
    return (_EPOCH + offset).strftime(TIME_FORMAT)


@dataclass(frozen=True, slots=True)
class Catalog:
    """One seller's data. Products carry ``inventory`` only in :meth:`product_json`."""

    warehouses: tuple[dict[str, object], ...]
    products: tuple[dict[str, object], ...]
    inventories: tuple[dict[str, object], ...]
    orders: tuple[dict[str, object], ...]

    def product_json(self, index: int, *, with_inventory: bool) -> dict[str, object]:
        product = dict(self.products[index])
        if with_inventory:
            product["inventory"] = self.inventories[index]
        return product


def _seed(seller_id: int) -> int:
    return int.from_bytes(hashlib.sha256(f"catalog-{seller_id}".encode()).digest()[:8], "big")


def _warehouses(seller_id: int, name: str) -> tuple[dict[str, object], ...]:
    base = seller_id % 100_000 * 10
    return (
        {
            "id": base + 1,
            "seller_id": seller_id,
            "is_primary": True,
            "name": f"{name} Hà Nội",
            "status": 1,
            "address": {
                "street": "01 đường số 2",
                "ward": "Xã Đông Xuân",
                "district": "Huyện Sóc Sơn",
                "region": "Hà Nội",
                "country": "Viet Nam",
            },
            "type": "requisition",
        },
        {
            "id": base + 2,
            "seller_id": seller_id,
            "is_primary": False,
            "name": f"{name} Hồ Chí Minh (trả hàng)",
            "status": 1,
            "address": {
                "street": "52 Út Tịch",
                "ward": "Phường 4",
                "district": "Quận Tân Bình",
                "region": "Hồ Chí Minh",
                "country": "Viet Nam",
            },
            "type": "withdrawal",
        },
    )


def catalog_for(seller_id: int, seller_name: str) -> Catalog:
    """The same data every time for one seller; different ids and stock between sellers."""
    rng = random.Random(_seed(seller_id))  # noqa: S311 (test data, not security)
    warehouses = _warehouses(seller_id, seller_name)
    primary_warehouse = int(str(warehouses[0]["id"]))
    products: list[dict[str, object]] = []
    inventories: list[dict[str, object]] = []
    for index, (name, category_id, price) in enumerate(_PRODUCTS):
        product_id = seller_id * 100 + index + 1
        category = category_by_id(category_id) or {}
        created = timedelta(days=index * 9, hours=rng.randrange(0, 10))
        products.append(
            {
                "id": product_id,
                "sku": f"{seller_id % 10_000:04d}{index + 1:09d}",
                "name": name,
                "master_id": product_id + 500_000,
                "master_sku": f"{rng.randrange(10**12, 10**13)}",
                "super_id": 0,
                "active": 0 if index == 4 else 1,
                "original_sku": f"SELLER-{index + 1:03d}",
                "type": "simple",
                "entity_type": "seller_simple",
                "price": price,
                "market_price": price + price // 10,
                "version": rng.randrange(1, 40),
                "created_at": _time(created),
                "updated_at": _time(created + timedelta(days=30 + index)),
                "thumbnail": f"https://salt.tikicdn.com/cache/280x280/ts/sandbox/{product_id}.jpg",
                "categories": [
                    {
                        "id": category_id,
                        "name": category.get("name"),
                        "url_key": f"category-{category_id}",
                        "is_primary": True,
                    }
                ],
            }
        )
        quantity = rng.randrange(0, 120)
        reserved = min(quantity, rng.randrange(0, 6))
        inventories.append(
            {
                "inventory_type": "dropship",
                "fulfillment_type": "dropship",
                "warehouse_stocks": [
                    {
                        "warehouse_id": primary_warehouse,
                        "quantity": quantity,
                        "quantity_available": quantity - reserved,
                        "quantity_sellable": quantity - reserved,
                        "quantity_reserved": reserved,
                    }
                ],
            }
        )
    orders = tuple(
        _order(seller_id, seller_name, index, status, products, warehouses[0], rng)
        for index, status in enumerate(_ORDER_STATUSES)
    )
    return Catalog(warehouses, tuple(products), tuple(inventories), orders)


def _order(
    seller_id: int,
    seller_name: str,
    index: int,
    status: str,
    products: list[dict[str, object]],
    warehouse: dict[str, object],
    rng: random.Random,
) -> dict[str, object]:
    created = timedelta(days=60 + index * 5, hours=rng.randrange(0, 12), minutes=index * 7)
    updated = created + timedelta(hours=6 + index * 11)
    product = products[(index * 3) % len(products)]
    quantity = 1 + index % 3
    price = int(str(product["price"]))
    subtotal = price * quantity
    shipping_fee = 0 if subtotal > 300_000 else 15_000
    seller_fee = subtotal * 8 // 100
    code = f"{(seller_id * 7 + index * 104_729) % 900_000_000 + 100_000_000}"
    customer = _CUSTOMERS[index % len(_CUSTOMERS)]
    histories = ["queueing"]
    if status != "queueing":
        histories.append(status)
    return {
        "id": seller_id * 1000 + index + 1,
        "code": code,
        "relation_code": "",
        "fulfillment_type": "dropship",
        "status": status,
        "is_rma": False,
        "is_vat_exporting": index == 3,
        "has_backorder_items": False,
        "created_at": _time(created),
        "updated_at": _time(updated),
        "invoice": {
            "items_count": 1,
            "items_quantity": quantity,
            "subtotal": subtotal,
            "grand_total": subtotal + shipping_fee,
            "collectible_amount": 0 if index % 2 else subtotal + shipping_fee,
            "discount_amount": 0,
            "shipping_amount_after_discount": shipping_fee,
            "total_seller_fee": seller_fee,
            "total_seller_income": subtotal - seller_fee,
            "purchased_at": _time(created),
        },
        "tiki_warehouse": None,
        "seller_warehouse": {"id": warehouse["id"], "name": warehouse["name"]},
        "items": [
            {
                "id": seller_id * 10_000 + index + 1,
                "product": {
                    "id": product["id"],
                    "name": product["name"],
                    "sku": product["sku"],
                    "seller_product_code": product["original_sku"],
                },
                "seller": {"id": seller_id, "name": seller_name},
                "confirmation": {
                    "status": "waiting" if status == "queueing" else "seller_confirmed",
                    "confirmed_at": None if status == "queueing" else _time(created),
                },
                "invoice": {"price": price, "quantity": quantity, "subtotal": subtotal},
            }
        ],
        "shipping": {
            "partner_id": "TNSL",
            "partner_name": "TikiNOW Smart Logistics",
            "tracking_code": f"TNSL{code}",
            "status": status,
            "address": {
                "full_name": customer,
                "street": f"{10 + index} Nguyễn Trãi",
                "ward": "Phường 2",
                "district": "Quận 5",
                "region": "Hồ Chí Minh",
                "country": "Việt Nam",
                "phone": None,
            },
        },
        "payment": {
            "method": "cod" if index % 2 == 0 else "momo",
            "is_prepaid": index % 2 == 1,
            "status": "success" if index % 2 == 1 else "pending",
        },
        "customer": {"id": 5_000_000 + index, "full_name": customer},
        "cancel_info": (
            {"reason_code": "customer_request", "reason_text": "Customer changed their mind"}
            if status == "canceled"
            else None
        ),
        "status_histories": [
            {"id": index * 10 + n + 1, "status": s, "created_at": _time(created + timedelta(n))}
            for n, s in enumerate(histories)
        ],
    }
