"""Tortoise models of imported channel orders: what an Etsy, Shopify or Square order asked for,
what was paid and what was refunded. Re-exported by `tui.store.models`, where Tortoise finds them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

if TYPE_CHECKING:  # (string references at run time: Tortoise resolves "models.Sale")
    from tui.store.models import Sale


class OrderLine(Model):
    """What an imported order asks for, and (through its `SaleLine`s) which batches filled it.

    A line without a SKU (gift wrap, a custom amount) needs no lot. A SKU that is no product yet
    is kept as written and becomes packable once a product has it. `cancelled_milli` are units
    refunded before they shipped.
    """

    _no_comments = True

    id = fields.IntField(primary_key=True)
    sale: fields.ForeignKeyRelation[Sale] = fields.ForeignKeyField(
        "models.Sale", related_name="order_lines", on_delete=fields.CASCADE
    )
    position = fields.IntField()
    line_ref = fields.CharField(max_length=64, null=True)
    """The channel's line id when it has one (Etsy Transaction ID)."""
    sku = fields.CharField(max_length=64, null=True)
    name = fields.CharField(max_length=255)
    variant = fields.CharField(max_length=255, null=True)
    qty_milli = fields.BigIntField()
    cancelled_milli = fields.BigIntField(default=0)
    amount_cents = fields.BigIntField(null=True)
    """What the line sold for (quantity times unit price, to the cent)."""
    provisional = fields.BooleanField(default=False)
    """Guessed from a file without per-line quantities (EtsySoldOrders): replaced by real lines."""

    class Meta:
        table = "order_line"
        indexes = (Index(fields=("sale_id",)), Index(fields=("sku",)))


class OrderPayment(Model):
    """A channel payment id of an order: how a refund exported later finds its sale (Square)."""

    _no_comments = True

    id = fields.IntField(primary_key=True)
    sale: fields.ForeignKeyRelation[Sale] = fields.ForeignKeyField(
        "models.Sale", related_name="payments", on_delete=fields.CASCADE
    )
    payment_id = fields.CharField(max_length=64, unique=True)

    class Meta:
        table = "order_payment"


class OrderRefund(Model):
    """A refund the channel recorded as its own transaction (Square), kept once.

    Its sale may not be imported yet (`sale` empty): it is applied when the sale arrives, found
    by `payment_id`. `lines` are the refunded items, `[{"sku", "name", "qty"}]`, qty as text.
    """

    _no_comments = True

    id = fields.IntField(primary_key=True)
    channel = fields.CharField(max_length=32)
    ref = fields.CharField(max_length=64)
    sale: fields.ForeignKeyNullableRelation[Sale] = fields.ForeignKeyField(
        "models.Sale", related_name="refunds", null=True, on_delete=fields.CASCADE
    )
    payment_id = fields.CharField(max_length=64, null=True)
    amount_cents = fields.BigIntField(null=True)
    cancels_units = fields.BooleanField(default=True)
    lines: fields.JSONField[list[dict[str, str | None]]] = fields.JSONField(default=list)
    placed_on = fields.DateField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "order_refund"
        unique_together = (("channel", "ref"),)
        indexes = (Index(fields=("payment_id",)),)
