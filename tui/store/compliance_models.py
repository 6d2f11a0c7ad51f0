"""Tortoise models of what labels a regulator would accept read per material: fragrance allergens
and CLP hazard data, each as the supplier states it. Re-exported by `tui.store.models`, where
Tortoise finds them. The product's own label fields (profile, net quantity, PAO, rinse-off) and
a material's INCI name are columns of `product` and `material`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:  # (string references at run time: Tortoise resolves "models.Material")
    from tui.store.models import Material


class MaterialAllergen(Model):
    """An allergen in a material: a fragrance allergen and its share, as the supplier's allergen
    statement declares it, or a food allergen the ingredient contains."""

    _no_comments = True

    id = fields.IntField(primary_key=True)
    material: fields.ForeignKeyRelation[Material] = fields.ForeignKeyField(
        "models.Material", related_name="allergens", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=128)
    """Its INCI name as EU 1223/2009 Annex III lists it: Linalool, Limonene."""
    percent_micro = fields.BigIntField(null=True)
    """Share of the material in millionths of a percent (2.5 % is 2500000), so it stays exact.
    None: a food allergen (EU 1169/2011 Annex II: milk, hazelnuts), which has no threshold."""

    class Meta:
        table = "material_allergen"
        unique_together = (("material", "name"),)


class MaterialClp(Model):
    """A fragrance's CLP label elements for a candle at one fragrance load, copied from the
    supplier's safety data sheet (never worked out by Lotkeeper)."""

    _no_comments = True

    id = fields.IntField(primary_key=True)
    material: fields.ForeignKeyRelation[Material] = fields.ForeignKeyField(
        "models.Material", related_name="clp", on_delete=fields.CASCADE
    )
    load_milli = fields.BigIntField()
    """Fragrance load in thousandths of a percent (10 % is 10000)."""
    pictograms: fields.JSONField[list[str]] = fields.JSONField(default=list)
    """GHS01 ... GHS09."""
    signal_word = fields.CharField(max_length=16, default="")
    hazards: fields.JSONField[list[str]] = fields.JSONField(default=list)
    """Hazard statements in full: "H317 May cause an allergic skin reaction."."""
    precautions: fields.JSONField[list[str]] = fields.JSONField(default=list)
    contains: fields.JSONField[list[str]] = fields.JSONField(default=list)
    """Substances the label names ("Contains linalool")."""
    ufi = fields.CharField(max_length=32, default="")

    class Meta:
        table = "material_clp"
        unique_together = (("material", "load_milli"),)
