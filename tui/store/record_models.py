"""Tortoise models of what the store keeps besides stock: the print queue (each label as printed)
and the audit log. Re-exported by `tui.store.models`, where Tortoise finds them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

if TYPE_CHECKING:  # (string references at run time: Tortoise resolves "models.Lot")
    from tui.store.models import Lot, Station


class JobStatus(StrEnum):
    QUEUED = "queued"
    HELD = "held"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class LabelJob(Model):
    """One print job in the persistent queue: written before it is sent, never sent twice."""

    _no_comments = True

    id = fields.IntField(primary_key=True)
    lot: fields.ForeignKeyNullableRelation[Lot] = fields.ForeignKeyField(
        "models.Lot", related_name="label_jobs", null=True, on_delete=fields.RESTRICT
    )
    printer = fields.CharField(max_length=64)
    template = fields.CharField(max_length=32)
    template_version = fields.IntField(default=1)
    payload: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    """What the template needs (texts, codes, dates), frozen when the job was queued."""
    copies = fields.IntField(default=1)
    status = fields.CharEnumField(JobStatus, max_length=10, default=JobStatus.QUEUED)
    attempts = fields.IntField(default=0)
    last_error = fields.TextField(null=True)
    next_attempt_at = fields.DatetimeField(null=True)
    image_png = fields.BinaryField(null=True)
    """The exact image printed: what was on the label, for an inspector or a recall."""
    reprint_of: fields.ForeignKeyNullableRelation[LabelJob] = fields.ForeignKeyField(
        "models.LabelJob", related_name="reprints", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    sent_at = fields.DatetimeField(null=True)
    station = fields.CharField(max_length=64, null=True)
    """The station that queued the job: only its own processes send it or recover it."""
    sender_host = fields.CharField(max_length=255, null=True)
    """While SENDING, the lease: the host, process id and process start of whoever sends it."""
    sender_pid = fields.IntField(null=True)
    sender_start = fields.CharField(max_length=64, null=True)
    heartbeat_at = fields.DatetimeField(null=True)
    """Renewed by the sender while it sends; a stale one means the sender is gone."""

    class Meta:
        table = "label_job"
        indexes = (Index(fields=("status",)),)


class Event(Model):
    """Audit log of things that are not stock movements (clock overrides, printer trouble)."""

    _no_comments = True

    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField(auto_now_add=True)
    kind = fields.CharField(max_length=32)
    message = fields.TextField()
    station: fields.ForeignKeyNullableRelation[Station] = fields.ForeignKeyField(
        "models.Station", related_name="events", null=True, on_delete=fields.SET_NULL
    )

    class Meta:
        table = "event"
