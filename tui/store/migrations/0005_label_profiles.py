"""Label profiles: each product's profile (cosmetic, candle, food, general), net quantity, period
after opening and rinse-off flag; each material's INCI name; fragrance allergens and CLP data per
material, as its supplier states them.

Only added columns (nullable, or with a database default) and new tables: SQLite adds them with
ALTER TABLE ADD COLUMN, so no table is rebuilt and no index is lost. Existing products get no
profile and keep printing the plain batch label until one is set.
"""

import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


def _json() -> fields.JSONField[list[str]]:
    return fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads)


class Migration(migrations.Migration):
    dependencies = [("models", "0004_units_locations")]

    initial = False

    operations = [
        ops.AddField(model_name="Product", name="profile", field=fields.CharField(null=True, max_length=16)),
        ops.AddField(model_name="Product", name="net", field=fields.CharField(null=True, max_length=32)),
        ops.AddField(model_name="Product", name="pao_months", field=fields.IntField(null=True)),
        ops.AddField(
            model_name="Product", name="rinse_off", field=fields.BooleanField(default=False, db_default=False)
        ),
        ops.AddField(model_name="Material", name="inci", field=fields.CharField(null=True, max_length=255)),
        ops.CreateModel(
            name="MaterialAllergen",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "material",
                    fields.ForeignKeyField(
                        "models.Material",
                        source_field="material_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="allergens",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("name", fields.CharField(max_length=128)),
                ("percent_micro", fields.BigIntField(null=True)),
            ],
            options={
                "table": "material_allergen",
                "app": "models",
                "unique_together": (("material", "name"),),
                "pk_attr": "id",
                "table_description": "An allergen in a material: a fragrance allergen and its share, as the "
                "supplier's allergen statement declares it, or a food allergen the ingredient contains.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="MaterialClp",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "material",
                    fields.ForeignKeyField(
                        "models.Material",
                        source_field="material_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="clp",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("load_milli", fields.BigIntField()),
                ("pictograms", _json()),
                ("signal_word", fields.CharField(default="", max_length=16)),
                ("hazards", _json()),
                ("precautions", _json()),
                ("contains", _json()),
                ("ufi", fields.CharField(default="", max_length=32)),
            ],
            options={
                "table": "material_clp",
                "app": "models",
                "unique_together": (("material", "load_milli"),),
                "pk_attr": "id",
                "table_description": "A fragrance's CLP label elements for a candle at one fragrance load, "
                "copied from the supplier's safety data sheet (never worked out by Lotkeeper).",
            },
            bases=["Model"],
        ),
    ]
