"""Units, packs and locations: material and product density, pack sizes (and the pack a supplier
barcode is on), locations as rows with a code, `lot.location` from free text to a reference,
and the planned quantity beside the used one on every consumption.

Written by hand where Tortoise's generated operations would lose data or time on SQLite:

* `lot.location` changes type, which Tortoise cannot alter. The old text column is renamed,
  the reference added, every distinct text becomes a location (named exactly as it was typed,
  its code made from it), then the text column goes. Dropping a column rebuilds `lot` on
  SQLite, which drops its indexes: they are created again right after.
* Adding `move` to the movement kinds only changes a column description, which SQLite keeps
  as a comment inside CREATE TABLE: rebuilding the million-row ledger for it would cost
  minutes and its index, so that change is recorded in the migration state only.
* Packs are a table, not a JSON column: a supplier barcode names its pack with a foreign key
  (a pack in use cannot vanish under it), a pack name is unique per material by a constraint,
  and SQLite and PostgreSQL read a table the same way.
"""

import re
import unicodedata
from datetime import UTC, datetime
from typing import Any

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from tui.store.models import MovementKind

LOT_INDEXES = (
    'CREATE INDEX IF NOT EXISTS "idx_lot_materia_356a43" ON "lot" ("material_id", "expires")',
    'CREATE INDEX IF NOT EXISTS "idx_lot_product_3d6bcc" ON "lot" ("product_id", "expires")',
    'CREATE INDEX IF NOT EXISTS "idx_lot_supplie_51f8d1" ON "lot" ("supplier_lot")',
)
"""The indexes 0001 made on `lot`, by their names there (a no-op where they survived)."""


def location_code(text: str, taken: set[str]) -> str:
    """A scannable code for a location typed as free text: "shelf A 2" -> SHELF-A-2.

    A frozen copy of the rule in tui/services/locations.py as it was when this migration was
    written, so the migration does the same thing whenever it runs.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    base = re.sub(r"[^A-Z0-9]+", "-", ascii_text.upper()).strip("-")[:28].strip("-")
    if not any(c.isalpha() for c in base):
        base = f"LOC-{base}".strip("-")
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    taken.add(code)
    return code


async def locations_from_text(apps: Any, schema_editor: Any) -> None:
    """One location per distinct text a lot was received with; each lot then points at it."""
    client = schema_editor.client
    sqlite = client.capabilities.dialect == "sqlite"

    def mark(n: int) -> str:
        return "?" if sqlite else f"${n}"

    _, rows = await client.execute_query("SELECT DISTINCT location_text FROM lot WHERE location_text IS NOT NULL")
    texts = sorted(row[0] if isinstance(row, tuple) else row["location_text"] for row in rows)
    now = datetime.now(UTC)
    created = now.isoformat(sep=" ") if sqlite else now
    taken: set[str] = set()
    for text in texts:  # in code-point order whatever the database's collation, so codes are stable
        code = location_code(text, taken)
        await client.execute_query(
            f"INSERT INTO location (code, name, created_at) VALUES ({mark(1)}, {mark(2)}, {mark(3)})",
            [code, text[:128], created],
        )
        await client.execute_query(
            f"UPDATE lot SET location_id = (SELECT id FROM location WHERE code = {mark(1)}) "
            f"WHERE location_text = {mark(2)}",
            [code, text],
        )


class RecordStateOnly(ops.AlterField):
    """An AlterField whose only effect in the database would be a column comment (see above)."""

    async def database_forward(
        self, app_label: str, old_state: Any, new_state: Any, state_editor: Any = None
    ) -> None:
        return None

    async def database_backward(
        self, app_label: str, old_state: Any, new_state: Any, state_editor: Any = None
    ) -> None:
        return None


class Migration(migrations.Migration):
    dependencies = [("models", "0003_channel_orders")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Location",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("code", fields.CharField(unique=True, max_length=32)),
                ("name", fields.CharField(max_length=128)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "location",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A named place lots are kept in (a shelf, a bin, a fridge), "
                "with a code its label carries.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="MaterialPack",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "material",
                    fields.ForeignKeyField(
                        "models.Material",
                        source_field="material_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="packs",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("name", fields.CharField(max_length=16)),
                ("size", fields.CharField(max_length=32)),
            ],
            options={
                "table": "material_pack",
                "app": "models",
                "unique_together": (("material", "name"),),
                "pk_attr": "id",
                "table_description": "A named multiple a material is bought in, as case=12 jars "
                "or drum=25 kg of oil.",
            },
            bases=["Model"],
        ),
        ops.AddField(model_name="Material", name="density_micro", field=fields.BigIntField(null=True)),
        ops.AddField(model_name="Product", name="density_micro", field=fields.BigIntField(null=True)),
        ops.AddField(
            model_name="SupplierCode",
            name="pack",
            field=fields.ForeignKeyField(
                "models.MaterialPack",
                source_field="pack_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name="codes",
                on_delete=OnDelete.RESTRICT,
            ),
        ),
        ops.AddField(model_name="Consumption", name="planned_milli", field=fields.BigIntField(null=True)),
        RecordStateOnly(
            model_name="Movement",
            name="kind",
            field=fields.CharEnumField(
                description="RECEIVE: receive\nCONSUME: consume\nPRODUCE: produce\nSELL: sell\n"
                "RETURN: return\nADJUST: adjust\nWASTE: waste\nCOUNT: count\nMOVE: move",
                enum_type=MovementKind,
                max_length=8,
            ),
        ),
        ops.RenameField(model_name="Lot", old_name="location", new_name="location_text"),
        ops.AddField(
            model_name="Lot",
            name="location",
            field=fields.ForeignKeyField(
                "models.Location",
                source_field="location_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name="lots",
                on_delete=OnDelete.RESTRICT,
            ),
        ),
        ops.RunPython(locations_from_text),
        ops.RemoveField(model_name="Lot", name="location_text"),
        ops.RunSQL(list(LOT_INDEXES)),
        ops.AddIndex(model_name="Lot", index=Index(fields=["location_id"])),
    ]
