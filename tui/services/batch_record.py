"""The batch record: what a production run made, from which lots, where, and the labels it got.

What an inspector asks for one batch. Planned is what the recipe called for from each lot
(null for batches made before plans were kept); actual is what was used; each input's cost is
its share of the lot it came from, to the cent. "Who" is the station that recorded the batch:
Lotkeeper has stations, not user accounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tui.errors import InvalidInput
from tui.services.catalog import find_lot
from tui.services.report_tables import Table, cells, money, per_unit, share_cents
from tui.store.models import Consumption, JobStatus, LabelJob, LotKind
from tui.store.quantities import from_milli


def _qty(milli: int | None) -> str | None:
    return None if milli is None else format(from_milli(milli), "f")


@dataclass(frozen=True)
class BatchInput:
    lot: str
    item: str
    """Material name, or product SKU of an intermediate batch."""
    planned_milli: int | None
    actual_milli: int
    unit: str
    cost_cents: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "lot": self.lot,
            "item": self.item,
            "planned": _qty(self.planned_milli),
            "actual": _qty(self.actual_milli),
            "unit": self.unit,
            "cost": money(self.cost_cents),
        }


@dataclass(frozen=True)
class BatchLabel:
    job: int
    printer: str
    template: str
    copies: int
    status: str
    queued: datetime
    sent: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "job": self.job,
            "printer": self.printer,
            "template": self.template,
            "copies": self.copies,
            "status": self.status,
            "queued": self.queued.isoformat(),
            "sent": self.sent.isoformat() if self.sent else None,
        }


@dataclass(frozen=True)
class BatchRecord:
    lot: str
    sku: str
    product: str
    qty_milli: int
    unit: str
    made: date
    best_before: date | None
    station: str | None
    cost_cents: int | None
    currency: str
    inputs: tuple[BatchInput, ...]
    labels: tuple[BatchLabel, ...]

    @property
    def labels_printed(self) -> int:
        """Copies sent to a printer (queued, held and failed jobs are not printed labels)."""
        return sum(label.copies for label in self.labels if label.status == JobStatus.SENT.value)

    def to_json(self) -> dict[str, Any]:
        return {
            "lot": self.lot,
            "sku": self.sku,
            "product": self.product,
            "qty": _qty(self.qty_milli),
            "unit": self.unit,
            "made": self.made.isoformat(),
            "best_before": self.best_before.isoformat() if self.best_before else None,
            "station": self.station,
            "currency": self.currency,
            "cost": money(self.cost_cents),
            "unit_cost": per_unit(self.cost_cents, self.qty_milli),
            "inputs": [i.to_json() for i in self.inputs],
            "labels": [label.to_json() for label in self.labels],
            "labels_printed": self.labels_printed,
        }

    def table(self) -> Table:
        """One row per lot used, the batch's own columns repeated (a spreadsheet filters on them)."""
        head = (self.lot, self.sku, self.made, self.best_before, self.station)
        return Table(
            ("batch", "product", "made", "best_before", "station", "input_lot", "item", "planned",
             "actual", "unit", "cost", "currency"),
            tuple(cells(*head, *i.to_json().values(), self.currency) for i in self.inputs),
        )  # fmt: skip


async def batch_record(code: str, currency: str) -> BatchRecord:
    """The record of one batch; a material lot's code is refused with what to use instead."""
    lot = await find_lot(code)
    if lot.kind != LotKind.BATCH:
        raise InvalidInput(
            f"{lot.code} is a material lot, not a batch: "
            f"`lotkeeper history {lot.code}` shows what happened to it"
        )
    await lot.fetch_related("product", "station")
    product = lot.product
    assert product is not None, f"batch {lot.code} has no product"
    edges = (
        await Consumption.filter(batch_id=lot.id)
        .order_by("id")
        .prefetch_related("source__material", "source__product")
    )
    inputs = []
    for edge in edges:
        source = edge.source
        if source.material is not None:
            item, unit = source.material.name, source.material.unit
        else:
            assert source.product is not None, f"lot {source.code} has no item"
            item, unit = source.product.sku, source.product.unit
        inputs.append(
            BatchInput(
                lot=source.code,
                item=item,
                planned_milli=edge.planned_milli,
                actual_milli=edge.qty_milli,
                unit=unit,
                cost_cents=share_cents(source.cost_cents, edge.qty_milli, source.qty_milli),
            )
        )
    jobs = await LabelJob.filter(lot_id=lot.id).order_by("id")
    labels = tuple(
        BatchLabel(j.id, j.printer, j.template, j.copies, j.status.value, j.created_at, j.sent_at)
        for j in jobs
    )
    return BatchRecord(
        lot=lot.code,
        sku=product.sku,
        product=product.name,
        qty_milli=lot.qty_milli,
        unit=product.unit,
        made=lot.dated,
        best_before=lot.expires,
        station=lot.station.name if lot.station else None,
        cost_cents=lot.cost_cents,
        currency=currency,
        inputs=tuple(inputs),
        labels=labels,
    )
