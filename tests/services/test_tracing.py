"""Tracing through an intermediate product, built with the real services on a real SQLite file."""

from __future__ import annotations

import gc
import json
import re
import sqlite3
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from tests.support.cli import Cli
from tui.config import CodesConfig
from tui.errors import InvalidInput, NotFound
from tui.services.catalog import add_customer, add_material, add_supplier, find_lot
from tui.services.inventory import adjust, receive
from tui.services.production import make
from tui.services.products import add_product
from tui.services.sales import sell
from tui.services.tracing import Trace, TraceNode, trace
from tui.store.db import Store
from tui.store.models import Consumption, Lot

DAY = "2026-03-02"


@dataclass(frozen=True)
class World:
    oil1: str
    oil2: str
    oil3: str
    lye: str
    lavender: str
    cedar: str
    blend: str
    soap1: str
    soap2: str


async def build_world(codes: CodesConfig) -> World:
    """Lavender EO and cedarwood go into a blend; the blend and oil go into two soap batches.

    Orders: A-1 (Ann, soap1), B-1 (Bob, soap2), W-1 (Corner Shop, soap1 and the blend itself).
    """
    for name in ("Oils Direct", "Scent Co", "Chem Supply"):
        await add_supplier(name)
    await add_customer("Ann Lee", email="ann@example.com")
    await add_customer("Bob Ray")
    await add_customer("Corner Shop", email="shop@example.com")
    await add_material("Olive oil", "g")
    await add_material("Lye", "g")
    await add_material("Lavender EO", "ml")
    await add_material("Cedarwood EO", "ml")
    await add_product(
        "Lavender blend",
        "BLEND-LAV",
        codes=codes,
        unit="ml",
        recipe=(("Lavender EO", "0.8"), ("Cedarwood EO", "0.2")),
    )
    await add_product(
        "Lavender soap",
        "SOAP-LAV",
        codes=codes,
        recipe=(("Olive oil", "100"), ("Lye", "14"), ("BLEND-LAV", "2")),
    )

    async def got(material: str, qty: str, supplier: str, day: str = "2026-03-01") -> str:
        return (await receive(material, qty, supplier=supplier, received=day, codes=codes)).lot

    oil1 = await got("Olive oil", "1000", "Oils Direct")
    oil2 = await got("Olive oil", "1000", "Oils Direct", "2026-03-02")
    oil3 = await got("Olive oil", "1000", "Oils Direct", "2026-03-02")
    lye = await got("Lye", "500", "Chem Supply")
    lavender = await got("Lavender EO", "100", "Scent Co")
    cedar = await got("Cedarwood EO", "100", "Scent Co")
    blend = (await make("BLEND-LAV", "50", made=DAY, codes=codes)).lot
    soap1 = (await make("SOAP-LAV", "5", made=DAY, codes=codes, use={oil1: "500"})).lot
    soap2 = (await make("SOAP-LAV", "3", made=DAY, codes=codes, use={oil2: "300"})).lot
    await sell("Ann Lee", [(soap1, "2")], order="A-1", sold_on=DAY)
    await sell("Bob Ray", [(soap2, "1")], order="B-1", sold_on=DAY)
    await sell("Corner Shop", [(soap1, "2"), (blend, "5")], order="W-1", channel="wholesale")
    return World(oil1, oil2, oil3, lye, lavender, cedar, blend, soap1, soap2)


@pytest.fixture
async def world(store: Store, codes: CodesConfig) -> World:
    return await build_world(codes)


def children(node: TraceNode) -> dict[str, TraceNode]:
    return {child.code: child for child in node.children}


def customers(found: Trace) -> dict[str, tuple[str | None, tuple[str, ...]]]:
    return {c.name: (c.email, c.orders) for c in found.customers}


async def test_material_lot_reaches_customers_through_the_blend(world: World) -> None:
    found = await trace(world.lavender)
    assert found.kind == "material_lot"
    assert found.material_lots == (world.lavender,)
    assert set(found.batches) == {world.blend, world.soap1, world.soap2}
    assert customers(found) == {
        "Ann Lee": ("ann@example.com", ("A-1",)),
        "Bob Ray": (None, ("B-1",)),
        "Corner Shop": ("shop@example.com", ("W-1",)),
    }
    assert found.suppliers == ("Scent Co",)
    assert found.backward.children == ()
    assert found.backward.supplier == "Scent Co"

    root = found.forward
    assert (root.code, root.kind, root.item, root.qty, root.unit) == (
        world.lavender,
        "material_lot",
        "Lavender EO",
        Decimal(100),
        "ml",
    )
    (blend,) = root.children
    assert (blend.code, blend.kind, blend.qty) == (world.blend, "batch", Decimal(40))
    below = children(blend)
    assert set(below) == {world.soap1, world.soap2, "W-1"}
    assert below[world.soap1].qty == Decimal(10)  # 5 soaps x 2 ml of blend
    assert below[world.soap2].qty == Decimal(6)
    sale = below["W-1"]
    assert (sale.kind, sale.customer, sale.order, sale.qty, sale.item) == (
        "sale",
        "Corner Shop",
        "W-1",
        Decimal(5),
        "Lavender blend",
    )
    soap1_sales = children(below[world.soap1])
    assert {code: (n.customer, n.qty) for code, n in soap1_sales.items()} == {
        "A-1": ("Ann Lee", Decimal(2)),
        "W-1": ("Corner Shop", Decimal(2)),
    }


async def test_a_lot_used_in_one_batch_reaches_only_that_batchs_customers(world: World) -> None:
    found = await trace(world.oil2)
    assert found.batches == (world.soap2,)
    assert customers(found) == {"Bob Ray": (None, ("B-1",))}
    (soap2,) = found.forward.children
    assert (soap2.code, soap2.qty, soap2.unit, soap2.item) == (
        world.soap2,
        Decimal(300),
        "g",
        "Lavender soap",
    )
    assert [(s.order, s.qty, s.unit) for s in soap2.children] == [("B-1", Decimal(1), "pcs")]
    unused = await trace(world.oil3)
    assert unused.batches == () and unused.customers == () and unused.forward.children == ()


async def test_batch_traces_back_through_the_blend_and_forward_to_orders(world: World) -> None:
    found = await trace(world.soap1)
    assert found.kind == "batch"
    assert set(found.material_lots) == {world.oil1, world.lye, world.lavender, world.cedar}
    assert set(found.batches) == {world.blend, world.soap1}
    assert found.suppliers == ("Chem Supply", "Oils Direct", "Scent Co")
    assert customers(found) == {
        "Ann Lee": ("ann@example.com", ("A-1",)),
        "Corner Shop": ("shop@example.com", ("W-1",)),
    }
    inputs = children(found.backward)
    assert set(inputs) == {world.oil1, world.lye, world.blend}
    assert inputs[world.oil1].qty == Decimal(500)
    assert inputs[world.oil1].supplier == "Oils Direct"
    assert inputs[world.lye].qty == Decimal(70)
    # The blend batch (50 ml) used 40 ml of lavender and 10 of cedar; soap1 took 10 ml of it, so
    # what reached soap1 along this branch is a fifth of each, not the blend's whole use.
    assert inputs[world.blend].qty == Decimal(10)
    blend_inputs = children(inputs[world.blend])
    assert {c: n.qty for c, n in blend_inputs.items()} == {
        world.lavender: Decimal(8),
        world.cedar: Decimal(2),
    }
    assert set(children(found.forward)) == {"A-1", "W-1"}


async def test_order_traces_back_to_every_lot_in_it(world: World) -> None:
    found = await trace("W-1")
    assert found.kind == "order"
    assert set(found.batches) == {world.soap1, world.blend}
    assert set(found.material_lots) == {world.oil1, world.lye, world.lavender, world.cedar}
    assert customers(found) == {"Corner Shop": ("shop@example.com", ("W-1",))}
    lines = children(found.backward)
    assert {c: n.qty for c, n in lines.items()} == {world.soap1: Decimal(2), world.blend: Decimal(5)}
    # 2 of soap1's 5 soaps are in this order: 2/5 of what went into soap1, along each branch.
    in_soaps = children(lines[world.soap1])
    assert {c: n.qty for c, n in in_soaps.items()} == {
        world.oil1: Decimal(200),
        world.lye: Decimal(28),
        world.blend: Decimal(4),
    }
    assert {c: n.qty for c, n in children(in_soaps[world.blend]).items()} == {
        world.lavender: Decimal("3.2"),
        world.cedar: Decimal("0.8"),
    }
    # The 5 ml of the blend sold as it is: a tenth of the blend batch.
    assert {c: n.qty for c, n in children(lines[world.blend]).items()} == {
        world.lavender: Decimal(4),
        world.cedar: Decimal(1),
    }
    assert found.forward.customer == "Corner Shop"


async def test_json_has_exactly_the_agreed_shape(world: World) -> None:
    document = (await trace(world.lavender)).to_json()
    assert list(document) == [
        "code",
        "kind",
        "material_lots",
        "batches",
        "customers",
        "suppliers",
        "backward",
        "forward",
        "walk_in_orders",
        "complaints",
    ]
    assert document["customers"][0] == {
        "name": "Ann Lee",
        "email": "ann@example.com",
        "orders": ["A-1"],
        "phone": None,
        "address": None,
    }
    assert document["walk_in_orders"] == []
    assert document["complaints"] == []
    blend = document["forward"]["children"][0]
    assert blend["qty"] == "40" and blend["kind"] == "batch"
    assert json.loads(json.dumps(document)) == document


async def test_codes_are_found_whatever_the_case_and_spaces(world: World) -> None:
    assert (await trace(f"  {world.soap1.lower()} ")).code == world.soap1


async def test_unknown_code_says_what_to_check(world: World) -> None:
    with pytest.raises(NotFound, match="NO-SUCH-LOT"):
        await trace("NO-SUCH-LOT")
    with pytest.raises(NotFound, match="scan or type"):
        await trace("   ")


async def test_a_loop_in_a_damaged_store_does_not_hang_the_trace(world: World) -> None:
    blend = await Lot.get(code=world.blend)
    soap = await Lot.get(code=world.soap1)
    await Consumption.create(batch=blend, source=soap, qty_milli=1000)
    found = await trace(world.lavender)
    assert set(found.batches) == {world.blend, world.soap1, world.soap2}
    back = await trace(world.soap1)
    assert {world.blend, world.soap1} <= set(back.batches)


async def _busy_soap2(world: World) -> Trace:
    """More orders of soap2 on one later day: two lines of it in one order whose ref JSON has to
    escape, and a second order of Bob's; then the trace of the oil that went only into soap2."""
    await add_customer("amy Zhu")
    await adjust(world.soap2, "1", reason="a bar came back unsold")
    await sell("amy Zhu", [(world.soap2, "1"), (world.soap2, "1")], order='Q"\\ é-1', sold_on="2026-03-05")
    await sell("Bob Ray", [(world.soap2, "1")], order="A-9", sold_on="2026-03-05")
    return await trace(world.oil2)


async def test_sale_lines_run_by_day_then_order_and_each_order_is_listed_once(world: World) -> None:
    found = await _busy_soap2(world)
    (soap2,) = found.forward.children
    assert [(s.code, s.customer, s.qty, s.dated.isoformat()) for s in soap2.children] == [  # type: ignore[union-attr]
        ("B-1", "Bob Ray", Decimal(1), "2026-03-02"),
        ("A-9", "Bob Ray", Decimal(1), "2026-03-05"),
        ('Q"\\ é-1', "amy Zhu", Decimal(1), "2026-03-05"),
        ('Q"\\ é-1', "amy Zhu", Decimal(1), "2026-03-05"),
    ]
    assert {(s.kind, s.item, s.unit, s.order) for s in soap2.children[2:]} == {
        ("sale", "Lavender soap", "pcs", 'Q"\\ é-1')
    }
    # Names in alphabetical order whatever their case; each order once, refs in order.
    assert found.customers == (
        ("amy Zhu", None, ('Q"\\ é-1',), None, None),
        ("Bob Ray", None, ("A-9", "B-1"), None, None),
    )
    assert json.loads(json.dumps(found.to_json())) == found.to_json()


async def test_trace_leaves_the_garbage_collector_as_it_found_it(world: World) -> None:
    sentinel: list[int] = []
    gc.freeze()  # as a server does before it forks: the trace must not thaw what it froze
    try:
        await trace(world.lavender)
        assert gc.isenabled()
        assert not any(thing is sentinel for thing in gc.get_objects(generation=2))
    finally:
        gc.unfreeze()
    assert any(thing is sentinel for thing in gc.get_objects(generation=2))
    gc.disable()
    try:
        await trace(world.lavender)
        assert not gc.isenabled()
    finally:
        gc.enable()


async def test_find_lot_takes_any_case_and_hints_the_code_next_to_a_slip(world: World) -> None:
    assert (await find_lot(f" {world.blend.lower()} ")).code == world.blend
    slip = "blend26032-01"  # a digit left out: sorts after the code meant
    with pytest.raises(NotFound) as caught:
        await find_lot(slip)
    assert caught.value.message == (
        f"no lot with code 'blend26032-01' (did you mean {world.blend!r}?): check the label or scan it again"
    )
    with pytest.raises(NotFound) as caught:
        await find_lot("ZZZ-1")
    assert caught.value.message == "no lot with code 'ZZZ-1': check the label or scan it again"
    with pytest.raises(InvalidInput, match="lot code is empty"):
        await find_lot("   ")
    with pytest.raises(InvalidInput, match="control characters"):
        await find_lot(f"{world.blend}\x1b[2J")


def test_cli_trace_prints_both_trees_or_json(tmp_path: Path, cli: Cli) -> None:
    demo = str(tmp_path / "demo.db")
    code, out, _ = cli("--db", demo, "demo", "--seed-only")
    assert code == 0
    lot = re.search(r"lotkeeper trace (\S+)", out).group(1)  # type: ignore[union-attr]
    with sqlite3.connect(tmp_path / "demo.db") as db:
        db.execute("UPDATE customer SET name = 'Evil \x1b[2J\x1b]0;owned\x07' WHERE name = 'Maria Santos'")
    db.close()

    code, out, _ = cli("--db", demo, "trace", lot)
    assert code == 0
    assert "Where it came from:" in out and "Where it went:" in out
    assert "  Green Leaf Boutique <orders@greenleaf.example>  orders: WS-1001, WS-1002" in out
    assert "├─ BLEND" in out and "to Green Leaf Boutique on" in out
    assert "\x1b" not in out and "\x07" not in out
    assert "Evil [2J]0;owned" in out

    code, out, _ = cli("--db", demo, "trace", "--json", "WS-1002")
    document = json.loads(out)
    assert code == 0 and document["kind"] == "order" and document["code"] == "WS-1002"
    assert [{k: c[k] for k in ("name", "email", "orders")} for c in document["customers"]] == [
        {"name": "Green Leaf Boutique", "email": "orders@greenleaf.example", "orders": ["WS-1002"]}
    ]
    assert document["customers"][0]["address"]  # the demo shop has a postal address
    assert {child["kind"] for child in document["backward"]["children"]} == {"batch"}

    code, out, err = cli("--db", demo, "trace", "NOPE-1")
    assert (code, out) == (2, "")
    assert err.startswith("error: no lot or order has the code 'NOPE-1'")


async def test_streamed_json_is_the_document_byte_for_byte(world: World) -> None:
    import orjson

    for code in (world.lavender, world.soap1, "W-1"):
        found = await trace(code)
        assert b"".join(found.json_chunks()) == orjson.dumps(found.to_json())
    busy = await _busy_soap2(world)
    assert b"".join(busy.json_chunks()) == orjson.dumps(busy.to_json())
