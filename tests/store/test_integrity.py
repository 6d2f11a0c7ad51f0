"""The self-check finds each kind of damage by lot, and the cache rebuild trusts the ledger."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from tortoise.connection import get_connection

from tests.support.cli import Cli
from tui.config import CodesConfig
from tui.services.catalog import add_customer, add_material, add_supplier
from tui.services.inventory import receive
from tui.services.production import make
from tui.services.products import add_product
from tui.services.sales import sell
from tui.store.db import Store, open_store
from tui.store.integrity import check, rebuild_cache
from tui.store.models import Consumption, Lot, Movement, MovementKind, Sale, SaleLine


async def small_world(codes: CodesConfig) -> tuple[str, str]:
    """One oil lot made into one soap batch, part of it sold: (oil lot, soap batch)."""
    await add_supplier("Oils Direct")
    await add_customer("Ann Lee")
    await add_material("Olive oil", "g")
    await add_product("Olive soap", "SOAP-OL", codes=codes, recipe=(("Olive oil", "100"),))
    oil = (await receive("Olive oil", "1000", supplier="Oils Direct", received="2026-03-01")).lot
    soap = (await make("SOAP-OL", "3", made="2026-03-02")).lot
    await sell("Ann Lee", [(soap, "1")], order="A-1", sold_on="2026-03-03")
    return oil, soap


@pytest.fixture
async def lots(store: Store, codes: CodesConfig) -> tuple[str, str]:
    return await small_world(codes)


async def test_a_store_written_by_the_services_is_consistent(lots: tuple[str, str]) -> None:
    report = await check()
    assert report.ok and report.problems == () and report.lots_checked == 2


async def test_cache_drift_is_reported_and_rebuilt_from_the_ledger(lots: tuple[str, str]) -> None:
    oil, _ = lots
    await Lot.filter(code=oil).update(on_hand_milli=123)
    report = await check()
    assert not report.ok
    assert report.problems == (
        f"lot {oil}: on-hand says 0.123 g but its movements add up to 700 g "
        "(`lotkeeper check --rebuild-cache` trusts the movements)",
    )
    assert await rebuild_cache() == 1
    assert (await Lot.get(code=oil)).on_hand_milli == 700_000
    assert (await check()).ok
    assert await rebuild_cache() == 0


async def test_ledger_below_zero_is_reported(lots: tuple[str, str]) -> None:
    oil, _ = lots
    lot = await Lot.get(code=oil)
    await Movement.create(lot=lot, kind=MovementKind.ADJUST, delta_milli=-800_000)
    await Lot.filter(id=lot.id).update(on_hand_milli=-100_000)
    assert (await check()).problems == (f"lot {oil}: movements add up to -100 g, below zero",)


async def test_wrong_lot_kinds_and_quantities_are_reported(lots: tuple[str, str]) -> None:
    oil, soap = lots
    oil_lot, soap_lot = await Lot.get(code=oil), await Lot.get(code=soap)
    sale = await Sale.get(ref="A-1")
    await SaleLine.create(sale=sale, lot=oil_lot, qty_milli=1000)
    await Consumption.create(batch=oil_lot, source=soap_lot, qty_milli=0)
    await Lot.filter(id=oil_lot.id).update(product_id=soap_lot.product_id)  # type: ignore[attr-defined]
    problems = (await check()).problems
    assert f"order A-1 sells {oil}, which is a material lot, not a batch" in problems
    assert f"lot {oil} is not a batch but is recorded as consuming {soap}" in problems
    assert f"batch {oil} consumed 0 of {soap}: a quantity must be above zero" in problems
    assert any(p.startswith(f"lot {oil}: kind 'material' with material id") for p in problems)


async def test_a_genealogy_loop_is_reported(lots: tuple[str, str], codes: CodesConfig) -> None:
    _, soap = lots
    await add_product("Soap flakes", "FLAKE", codes=codes, recipe=(("SOAP-OL", "1"),))
    flakes = (await make("FLAKE", "1", made="2026-03-03")).lot
    await Consumption.create(batch=await Lot.get(code=soap), source=await Lot.get(code=flakes), qty_milli=1)
    assert sorted((await check()).problems) == [
        f"batch {flakes} consumes itself through a loop of batches",
        f"batch {soap} consumes itself through a loop of batches",
    ]


@pytest.mark.sqlite_only("PostgreSQL always enforces foreign keys: only a SQLite file can hold a broken one")
async def test_broken_references_are_reported_on_sqlite(lots: tuple[str, str]) -> None:
    conn = get_connection("default")
    await conn.execute_script("PRAGMA foreign_keys = OFF")
    await conn.execute_script("INSERT INTO sale_line (qty_milli, lot_id, sale_id) VALUES (1000, 9999, 1)")
    await conn.execute_script("PRAGMA foreign_keys = ON")
    problems = (await check()).problems
    assert any(p.startswith("table sale_line row") and "missing lot" in p for p in problems)


def test_cli_check_exit_codes_and_rebuild(tmp_path: Path, cli: Cli) -> None:
    async def seed() -> str:
        async with open_store(str(tmp_path / "lots.db")):
            oil, _ = await small_world(CodesConfig())
            return oil

    oil = asyncio.run(seed())
    code, out, _ = cli("--db", str(tmp_path / "lots.db"), "check")
    assert (code, out) == (0, "store is consistent (2 lots checked)\n")

    with sqlite3.connect(tmp_path / "lots.db") as db:
        db.execute("UPDATE lot SET on_hand_milli = 5 WHERE code = ?", (oil,))
    db.close()
    code, _, err = cli("--db", str(tmp_path / "lots.db"), "check")
    assert code == 1
    assert err.splitlines()[0] == "1 problem(s) found:"
    assert f"lot {oil}: on-hand says 0.005 g" in err

    code, out, _ = cli("--db", str(tmp_path / "lots.db"), "check", "--rebuild-cache")
    assert code == 0
    assert out.splitlines() == [
        "on-hand recomputed from the movements: 1 lot(s) corrected",
        "store is consistent (2 lots checked)",
    ]
