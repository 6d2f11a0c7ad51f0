"""Tortoise models: the domain of shared/design.md as tables.

Two representation choices hold the whole store together:

* Quantities are integer thousandths of the item's unit (`*_milli`) and money is integer cents
  (`*_cents`). SQLite keeps Tortoise's DecimalField as text, so SUM and ORDER BY would be wrong
  or slow; integers are exact in SQL on both SQLite and PostgreSQL. `tui.store.quantities`
  converts to and from `Decimal` at the edges.
* Material lots and product batches share one `Lot` table (`kind` tells them apart). Lot codes
  are then unique across both, the ledger and the genealogy edges have a single foreign key
  each, and a trace is one recursive query over `Consumption`.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from tui.store.complaint_models import Complaint as Complaint
from tui.store.compliance_models import MaterialAllergen as MaterialAllergen
from tui.store.compliance_models import MaterialClp as MaterialClp
from tui.store.order_models import OrderLine as OrderLine
from tui.store.order_models import OrderPayment as OrderPayment
from tui.store.order_models import OrderRefund as OrderRefund
from tui.store.record_models import Event as Event
from tui.store.record_models import JobStatus as JobStatus
from tui.store.record_models import LabelJob as LabelJob

# Every model sets `_no_comments`: otherwise Tortoise reads and parses this file's source once per
# model at import, looking for `#:` field comments (none here), which is most of a command's start.


class LotKind(StrEnum):
    MATERIAL = "material"
    BATCH = "batch"


class MovementKind(StrEnum):
    RECEIVE = "receive"
    CONSUME = "consume"
    PRODUCE = "produce"
    SELL = "sell"
    RETURN = "return"
    ADJUST = "adjust"
    WASTE = "waste"
    COUNT = "count"
    MOVE = "move"
    """A lot taken to another location: no quantity changes (`delta_milli` is 0)."""


class Station(Model):
    _no_comments = True
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=64, unique=True)

    class Meta:
        table = "station"


class Supplier(Model):
    _no_comments = True
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=128, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "supplier"


class Customer(Model):
    """Someone who bought: what a recall needs to reach them.

    Names are not unique: two buyers called Jen Baker with different e-mails are two people.
    Imported orders find their customer by e-mail, then by the channel's buyer id
    (`CustomerAccount`); a same name is never enough to merge.
    """

    _no_comments = True
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=128)
    email = fields.CharField(max_length=254, null=True)
    phone = fields.CharField(max_length=64, null=True)
    address = fields.TextField(null=True)
    """Postal address: a recall letter to a shop that bought wholesale needs one."""
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "customer"
        indexes = (Index(fields=("name",)), Index(fields=("email",)))


class CustomerAccount(Model):
    """A customer's id on a sales channel (Etsy username, Square Customer ID)."""

    _no_comments = True

    id = fields.IntField(primary_key=True)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="accounts", on_delete=fields.CASCADE
    )
    channel = fields.CharField(max_length=32)
    buyer_id = fields.CharField(max_length=128)

    class Meta:
        table = "customer_account"
        unique_together = (("channel", "buyer_id"),)


class Material(Model):
    _no_comments = True
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=128, unique=True)
    unit = fields.CharField(max_length=8)
    """The stock unit: every quantity of this material is stored in it."""
    reorder_milli = fields.BigIntField(default=0)
    density_micro = fields.BigIntField(null=True)
    """Grams per millilitre in millionths (0.91 is 910000), letting weights and volumes convert."""
    created_at = fields.DatetimeField(auto_now_add=True)
    inci = fields.CharField(max_length=255, null=True)
    """Its name in a cosmetic's ingredient list (INCI), or in a food's."""

    class Meta:
        table = "material"


class MaterialPack(Model):
    """A named multiple a material is bought in, as case=12 jars or drum=25 kg of oil."""

    _no_comments = True

    id = fields.IntField(primary_key=True)
    material: fields.ForeignKeyRelation[Material] = fields.ForeignKeyField(
        "models.Material", related_name="packs", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=16)
    size = fields.CharField(max_length=32)
    """As given, in any unit of the material's measure (12 pcs, 25 kg), so it stays exact."""

    class Meta:
        table = "material_pack"
        unique_together = (("material", "name"),)


class SupplierCode(Model):
    """A supplier's GTIN (stored as GTIN-14) or item code that identifies a material when scanned."""

    _no_comments = True

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=64, unique=True)
    material: fields.ForeignKeyRelation[Material] = fields.ForeignKeyField(
        "models.Material", related_name="supplier_codes", on_delete=fields.CASCADE
    )
    supplier: fields.ForeignKeyNullableRelation[Supplier] = fields.ForeignKeyField(
        "models.Supplier", related_name="codes", null=True, on_delete=fields.SET_NULL
    )
    pack: fields.ForeignKeyNullableRelation[MaterialPack] = fields.ForeignKeyField(
        "models.MaterialPack", related_name="codes", null=True, on_delete=fields.RESTRICT
    )
    """The pack this barcode is on (a case's GTIN): scanning it receives one pack."""

    class Meta:
        table = "supplier_code"


class Product(Model):
    _no_comments = True
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=255)
    """As long as a shop listing title (Shopify allows 255 characters), so names can be pasted."""
    sku = fields.CharField(max_length=32, unique=True)
    gtin = fields.CharField(max_length=14, unique=True, null=True)
    """Always the normalised GTIN-14, so a UPC-A and its EAN-13 form match."""
    unit = fields.CharField(max_length=8, default="pcs")
    shelf_life_days = fields.IntField(null=True)
    density_micro = fields.BigIntField(null=True)
    """Grams per millilitre in millionths, for a blend made by volume and used by weight."""
    created_at = fields.DatetimeField(auto_now_add=True)
    profile = fields.CharField(max_length=16, null=True)
    """cosmetic, candle, food or general: the label rules its batches follow (None: plain batch label)."""
    net = fields.CharField(max_length=32, null=True)
    """Net quantity as printed, e.g. "100 g"."""
    pao_months = fields.IntField(null=True)
    rinse_off = fields.BooleanField(default=False, db_default=False)

    class Meta:
        table = "product"


class RecipeLine(Model):
    """Per unit of `product`: `qty_milli` of a material, or of an intermediate product."""

    _no_comments = True

    id = fields.IntField(primary_key=True)
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="recipe", on_delete=fields.CASCADE
    )
    material: fields.ForeignKeyNullableRelation[Material] = fields.ForeignKeyField(
        "models.Material", related_name="used_in", null=True, on_delete=fields.RESTRICT
    )
    component: fields.ForeignKeyNullableRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="used_in", null=True, on_delete=fields.RESTRICT
    )
    qty_milli = fields.BigIntField()

    class Meta:
        table = "recipe_line"


class Location(Model):
    """A named place lots are kept in (a shelf, a bin, a fridge), with a code its label carries."""

    _no_comments = True

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=128)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "location"


class Lot(Model):
    """A material lot (one receipt) or a batch (one production run): see the module docstring."""

    _no_comments = True

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=64, unique=True)
    kind = fields.CharEnumField(LotKind, max_length=8)
    material: fields.ForeignKeyNullableRelation[Material] = fields.ForeignKeyField(
        "models.Material", related_name="lots", null=True, on_delete=fields.RESTRICT
    )
    product: fields.ForeignKeyNullableRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="lots", null=True, on_delete=fields.RESTRICT
    )
    supplier: fields.ForeignKeyNullableRelation[Supplier] = fields.ForeignKeyField(
        "models.Supplier", related_name="lots", null=True, on_delete=fields.RESTRICT
    )
    supplier_lot = fields.CharField(max_length=64, null=True)
    dated = fields.DateField()
    """Received (material) or made (batch)."""
    expires = fields.DateField(null=True)
    qty_milli = fields.BigIntField()
    """Quantity received or made."""
    on_hand_milli = fields.BigIntField()
    """Cache of the sum of this lot's movements, updated in the same transaction."""
    cost_cents = fields.BigIntField(null=True)
    """Total cost of the lot: as paid (material) or of what it consumed (batch)."""
    location: fields.ForeignKeyNullableRelation[Location] = fields.ForeignKeyField(
        "models.Location", related_name="lots", null=True, on_delete=fields.RESTRICT
    )
    """Where the lot is kept now: set when received, changed by a move (a `move` movement)."""
    station: fields.ForeignKeyNullableRelation[Station] = fields.ForeignKeyField(
        "models.Station", related_name="lots", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "lot"
        indexes = (
            Index(fields=("material_id", "expires")),
            Index(fields=("product_id", "expires")),
            Index(fields=("supplier_lot",)),
            Index(fields=("location_id",)),
        )


class Consumption(Model):
    """A genealogy edge: `batch` consumed `qty_milli` of `source` (a material lot or a batch)."""

    _no_comments = True

    id = fields.IntField(primary_key=True)
    batch: fields.ForeignKeyRelation[Lot] = fields.ForeignKeyField(
        "models.Lot", related_name="inputs", on_delete=fields.RESTRICT
    )
    source: fields.ForeignKeyRelation[Lot] = fields.ForeignKeyField(
        "models.Lot", related_name="uses", on_delete=fields.RESTRICT
    )
    qty_milli = fields.BigIntField()
    """What was actually used (weighed or counted), in the source's unit."""
    planned_milli = fields.BigIntField(null=True)
    """What the recipe called for from this lot. Null for batches made before plans were kept."""

    class Meta:
        table = "consumption"
        indexes = (Index(fields=("source_id",)), Index(fields=("batch_id",)))


class Sale(Model):
    """An order: sold at the bench (`sell`) or imported from a channel and packed later.

    `ref` is what the maker knows it by (Shopify #1006, Etsy Order ID, Square Transaction ID,
    or our own S261105-001). The channel fields are empty for orders recorded at the bench.
    """

    _no_comments = True
    id = fields.IntField(primary_key=True)
    ref = fields.CharField(max_length=64, unique=True)
    customer: fields.ForeignKeyNullableRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="sales", null=True, on_delete=fields.RESTRICT
    )
    """None for a walk-in sale (most market sales have no customer)."""
    channel = fields.CharField(max_length=32, default="direct")
    sold_on = fields.DateField()
    station: fields.ForeignKeyNullableRelation[Station] = fields.ForeignKeyField(
        "models.Station", related_name="sales", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    channel_id = fields.CharField(max_length=64, null=True)
    """The channel's own id when it differs from `ref` (Shopify `Id`)."""
    placed_at = fields.DatetimeField(null=True)
    cancelled = fields.BooleanField(default=False, db_default=False)
    """Nothing of it ships: its lines have nothing left to pack."""
    channel_status = fields.CharField(max_length=64, null=True)
    """The channel's own words (`partially_refunded`, `Completed`), for display."""
    refund = fields.CharField(max_length=8, default="none", db_default="none")
    """`none`, `partial` or `full`: money given back, as the channel reports it."""
    refunded_cents = fields.BigIntField(null=True)
    total_cents = fields.BigIntField(null=True)
    currency = fields.CharField(max_length=3, null=True)
    ship_to = fields.TextField(null=True)
    """Recipient and address when the parcel went elsewhere than the customer (a gift)."""

    class Meta:
        table = "sale"
        indexes = (Index(fields=("sold_on",)),)


class SaleLine(Model):
    """Units of one batch that went out in an order: what a recall follows."""

    _no_comments = True
    id = fields.IntField(primary_key=True)
    sale: fields.ForeignKeyRelation[Sale] = fields.ForeignKeyField(
        "models.Sale", related_name="lines", on_delete=fields.CASCADE
    )
    lot: fields.ForeignKeyRelation[Lot] = fields.ForeignKeyField(
        "models.Lot", related_name="sale_lines", on_delete=fields.RESTRICT
    )
    qty_milli = fields.BigIntField()
    price_cents = fields.BigIntField(null=True)
    order_line: fields.ForeignKeyNullableRelation[OrderLine] = fields.ForeignKeyField(
        "models.OrderLine", related_name="packed", null=True, on_delete=fields.RESTRICT
    )
    """The imported order line these units fill (None for a sale recorded at the bench)."""

    class Meta:
        table = "sale_line"
        indexes = (Index(fields=("lot_id",)), Index(fields=("sale_id",)), Index(fields=("order_line_id",)))


class Movement(Model):
    """The append-only ledger: a lot's on-hand is the sum of its movements."""

    _no_comments = True

    id = fields.BigIntField(primary_key=True)
    lot: fields.ForeignKeyRelation[Lot] = fields.ForeignKeyField(
        "models.Lot", related_name="movements", on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(MovementKind, max_length=8)
    delta_milli = fields.BigIntField()
    at = fields.DatetimeField(auto_now_add=True)
    station: fields.ForeignKeyNullableRelation[Station] = fields.ForeignKeyField(
        "models.Station", related_name="movements", null=True, on_delete=fields.SET_NULL
    )
    reason = fields.CharField(max_length=255, default="")
    ref = fields.CharField(max_length=64, null=True)
    """The batch code or order ref that caused the movement, if any."""

    class Meta:
        table = "movement"
        indexes = (Index(fields=("lot_id",)),)


class CodeCounter(Model):
    """Last sequence number handed out per lot-code key: it never goes back, so codes are never reused."""

    _no_comments = True

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=64, unique=True)
    value = fields.IntField(default=0)

    class Meta:
        table = "code_counter"
