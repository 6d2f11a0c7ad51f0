"""0005_label_profiles upgrades a store at 0004 with nothing lost: every row kept as it was, the
new product and material columns empty (no product gets a profile it was not given), the
allergen and CLP tables there and usable at once, every index kept (only columns are added: no
table is rebuilt). On SQLite and on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.store.test_migrations import TABLES, _indexes
from tests.support.databases import PostgresServer
from tests.support.migrations import Rows, rows_by_id, sqlite_soundness, store_at
from tui.services import profiles
from tui.store.db import open_store
from tui.store.models import MaterialAllergen, MaterialClp, Product

PREVIOUS = "models.0004_units_locations"
AT = datetime(2026, 3, 1, 10, tzinfo=UTC)
ROWS: list[Rows] = [
    (
        "material",
        "id name unit reorder_milli created_at",
        [(1, "Olive oil", "g", 0, AT), (2, "Fig oil", "g", 0, AT)],
    ),
    (
        "product",
        "id name sku unit shelf_life_days created_at",
        [(1, "Olive soap", "SOAP-OLV", "pcs", 365, AT)],
    ),
    ("recipe_line", "id product_id material_id qty_milli", [(1, 1, 1, 100000)]),
]


async def _check_upgraded() -> None:
    soap = await Product.get(sku="SOAP-OLV")
    assert (soap.profile, soap.net, soap.pao_months, soap.rinse_off) == (None, None, None, False)
    await profiles.edit_label_fields("SOAP-OLV", profile="cosmetic", net="100g", rinse_off=True)
    await profiles.edit_material_label("Olive oil", inci="Olea Europaea Fruit Oil", allergens=["milk"])
    await profiles.set_material_clp("Fig oil", profiles.ClpInput("10", (), "", ("H412 Harmful.",)))
    assert await MaterialAllergen.filter(material__name="Olive oil").count() == 1
    assert (await MaterialClp.get()).hazards == ["H412 Harmful."]


async def test_upgrade_on_sqlite_keeps_rows_and_indexes(tmp_path: Path) -> None:
    async with store_at(PREVIOUS, tmp_path / "old.db", ROWS) as target:
        path = Path(target)
        before, indexes = rows_by_id(path, TABLES), _indexes(path)

        async with open_store(target):
            await _check_upgraded()

    after = rows_by_id(path, TABLES)
    for table in TABLES:
        assert len(after[table]) == len(before[table]), table
        for old, new in zip(before[table], after[table], strict=True):
            assert {k: new[k] for k in old} == old, table  # the columns added are checked above
    assert after["product"][0]["profile"] == "cosmetic"  # (set by _check_upgraded)
    assert indexes <= _indexes(path)
    assert sqlite_soundness(path) == ([], ("ok",))


async def test_upgrade_on_postgresql(postgres: PostgresServer) -> None:
    async with store_at(PREVIOUS, postgres, ROWS) as url, open_store(url):
        await _check_upgraded()
