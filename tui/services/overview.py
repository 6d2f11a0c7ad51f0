"""What the Home screen shows at a glance: the latest rows of the ledger, the orders to pack, open
complaints.

A read-only query, kept apart from the services that change stock so the Home screen holds no
query of its own. It is bounded (`limit`) and walks the ledger's primary key (its time order),
so a store with years of history answers as fast as a new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tui.services import orders
from tui.services.complaints import ComplaintView, list_complaints
from tui.store.quantities import from_milli
from tui.store.sql import fetch

_RECENT = """
SELECT mv.at, mv.kind, l.code, COALESCE(m.name, p.sku), mv.delta_milli,
       COALESCE(m.unit, p.unit), COALESCE(st.name, ''), COALESCE(mv.ref, ''), mv.reason
FROM movement mv
JOIN lot l ON l.id = mv.lot_id
LEFT JOIN material m ON m.id = l.material_id
LEFT JOIN product p ON p.id = l.product_id
LEFT JOIN station st ON st.id = mv.station_id
ORDER BY mv.id DESC
LIMIT $1
"""


@dataclass(frozen=True)
class Activity:
    """One ledger row as a person reads it."""

    at: datetime | str
    """When it happened (SQLite hands back text; shown as stored, to the minute)."""
    kind: str
    lot: str
    item: str
    """Material name, or product SKU for a batch."""
    delta: Decimal
    unit: str
    station: str
    ref: str
    reason: str

    @property
    def when(self) -> str:
        text = self.at.isoformat(sep=" ") if isinstance(self.at, datetime) else str(self.at)
        return text[:16]


async def recent_activity(limit: int = 20) -> list[Activity]:
    """The newest ledger rows first."""
    rows = await fetch(_RECENT, max(limit, 0))
    return [
        Activity(at, kind, code, item or "", from_milli(delta), unit or "", station, ref, reason or "")
        for at, kind, code, item, delta, unit, station, ref, reason in rows
    ]


async def orders_to_pack() -> int:
    """Home's "N orders to pack": imported orders with something still to pack (not cancelled)."""
    return await orders.orders_to_pack()


async def open_complaints() -> list[ComplaintView]:
    """Complaints not closed yet: each stays on Home until the action taken is recorded."""
    return await list_complaints(open_only=True)
