"""Tortoise model of the complaint and adverse-event log. Re-exported by `tui.store.models`,
where Tortoise finds it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

if TYPE_CHECKING:  # (string references at run time: Tortoise resolves "models.Lot")
    from tui.store.models import Customer, Lot


class Complaint(Model):
    """A complaint or adverse event about one batch, open until the action taken is recorded.

    `received_on` is the day the maker learned of it: the reporting deadlines of a serious one
    count from there (tui/compliance/deadlines.py), so they are computed, never stored.
    """

    _no_comments = True

    id = fields.IntField(primary_key=True)
    lot: fields.ForeignKeyRelation[Lot] = fields.ForeignKeyField(
        "models.Lot", related_name="complaints", on_delete=fields.RESTRICT
    )
    customer: fields.ForeignKeyNullableRelation[Customer] = fields.ForeignKeyField(
        "models.Customer", related_name="complaints", null=True, on_delete=fields.RESTRICT
    )
    received_on = fields.DateField()
    what = fields.TextField()
    """What happened, as the customer told it."""
    serious = fields.BooleanField(default=False)
    """A serious undesirable effect (EU) or serious adverse event (US): it must be reported."""
    action = fields.TextField(null=True)
    """What was done about it: written when it is closed."""
    closed_on = fields.DateField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "complaint"
        indexes = (Index(fields=("lot_id",)), Index(fields=("closed_on",)))
