"""The recall pack: every unit that went out of a lot (or of anything made from it), and who has it.

`recall_pack(code)` gathers it from the store in a handful of queries (the same recursive walk
down the genealogy as tracing); `write_pack` writes it as CSV, .xlsx or PDF, chosen by the file's
suffix; `write_notices` drafts one notice per affected customer. The writers live in
`tui.documents` and know no store. Nothing is sent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from tui.documents.extra import require
from tui.documents.pack import LotTotals, Maker, PackRow, RecallPack, UpstreamLot, notices, pack_json
from tui.errors import InvalidInput, NotFound
from tui.services.catalog import clean_text
from tui.services.trace_tree import TraceNode, to_day, to_qty
from tui.services.tracing import CODE_LENGTH, upstream
from tui.store.sql import fetch

__all__ = [
    "FORMATS",
    "Maker",
    "RecallPack",
    "pack_json",
    "recall_pack",
    "write_notices",
    "write_pack",
]

FORMATS = (".csv", ".pdf", ".xlsx")

if TYPE_CHECKING:
    from tui.documents.notices import NoticeFiles  # (imported when notices are written: reportlab)

_ROOT = """
SELECT l.id, l.code, l.kind, COALESCE(m.name, p.name), COALESCE(m.unit, p.unit), l.dated, l.qty_milli,
       s.name, l.supplier_lot
FROM lot l
LEFT JOIN material m ON m.id = l.material_id
LEFT JOIN product p ON p.id = l.product_id
LEFT JOIN supplier s ON s.id = l.supplier_id
WHERE l.code = $1
"""

_DOWN = """
WITH RECURSIVE down(id) AS (
    SELECT id FROM lot WHERE id = $1
    UNION
    SELECT c.batch_id FROM consumption c JOIN down d ON c.source_id = d.id
)
"""

_LOTS = (
    _DOWN
    + """
SELECT l.id, l.code, COALESCE(m.name, p.name), COALESCE(p.sku, ''), COALESCE(p.gtin, ''),
       COALESCE(m.unit, p.unit), l.dated, l.expires, l.qty_milli, l.on_hand_milli
FROM down d JOIN lot l ON l.id = d.id
LEFT JOIN material m ON m.id = l.material_id
LEFT JOIN product p ON p.id = l.product_id
"""
)

_LINES = (
    _DOWN
    + """
SELECT sl.lot_id, sl.qty_milli, s.ref, s.channel, s.sold_on, s.customer_id, s.ship_to
FROM down d
JOIN sale_line sl ON sl.lot_id = d.id
JOIN sale s ON s.id = sl.sale_id
ORDER BY s.sold_on, s.ref, sl.id
"""
)

_LEDGER = (
    _DOWN
    + """
SELECT mv.lot_id, mv.kind, SUM(mv.delta_milli)
FROM down d JOIN movement mv ON mv.lot_id = d.id
GROUP BY mv.lot_id, mv.kind
"""
)

_CUSTOMERS = {
    "sqlite": "SELECT json_group_array(json_array(c.id, c.name, c.email, c.phone, c.address))"
    " FROM json_each($1) j JOIN customer c ON c.id = j.value",
    "postgres": "SELECT json_agg(json_build_array(c.id, c.name, c.email, c.phone, c.address))::text"
    " FROM json_array_elements_text($1::json) j JOIN customer c ON c.id = j.value::int",
}

_KIND = {"material": "material_lot", "batch": "batch"}

WALK_IN = "(walk-in sale, no contact)"
"""The customer column of a sale recorded without a customer (a market sale)."""


def _flatten(node: TraceNode, depth: int = 1) -> list[UpstreamLot]:
    lots = []
    for child in node.children:
        lots.append(
            UpstreamLot(
                depth,
                child.code,
                child.kind,
                child.item,
                child.qty,
                child.unit,
                child.dated,
                child.supplier or "",
                child.supplier_lot or "",
            )
        )
        lots += _flatten(child, depth + 1)
    return lots


async def _people(ids: set[int]) -> dict[int, tuple[str, str, str, str]]:
    if not ids:
        return {}
    ((packed,),) = await fetch(_CUSTOMERS, orjson.dumps(sorted(ids)).decode())
    return {
        cid: (name, email or "", phone or "", address or "")
        for cid, name, email, phone, address in orjson.loads(packed)
    }


def _totals(lots: dict[int, tuple[Any, ...]], ledger: dict[int, dict[str, int]]) -> tuple[LotTotals, ...]:
    found = []
    for lot_id, (code, item, _, _, unit, _, _, made, on_hand) in lots.items():
        kinds = ledger.get(lot_id, {})
        found.append(
            LotTotals(
                code,
                item,
                unit,
                to_qty(made),
                to_qty(-kinds.get("sell", 0)),
                to_qty(-kinds.get("consume", 0)),
                to_qty(-kinds.get("waste", 0)),
                to_qty(sum(kinds.get(k, 0) for k in ("count", "adjust", "return"))),
                to_qty(on_hand),
            )
        )
    found.sort(key=lambda t: t.lot)
    return tuple(found)


async def recall_pack(code: str) -> RecallPack:
    """Everything a recall of lot `code` needs: the rows shipped, the upstream lots, the totals."""
    if not code.strip():
        raise NotFound("nothing to recall: scan or type a lot code")
    wanted = clean_text(code, "lot code", CODE_LENGTH)
    rows = await fetch(_ROOT, wanted) or await fetch(_ROOT, wanted.upper())
    if not rows:
        raise NotFound(
            f"no lot has the code {wanted!r}: a recall pack starts from a material lot or a batch "
            "(`lotkeeper trace` also takes an order ref)"
        )
    lot_id, root_code, kind, item, unit, dated, qty, supplier, supplier_lot = rows[0]
    kind = _KIND.get(kind, kind)
    root = TraceNode(root_code, kind, item, to_qty(qty), unit, to_day(dated), supplier, supplier_lot)
    above = () if kind == "material_lot" else tuple(_flatten(await upstream(lot_id, root)))
    lots = {row[0]: tuple(row[1:]) for row in await fetch(_LOTS, lot_id)}
    ledger: dict[int, dict[str, int]] = defaultdict(dict)
    for lot, moved, delta in await fetch(_LEDGER, lot_id):
        ledger[lot][moved] = int(delta)
    lines = await fetch(_LINES, lot_id)
    people = await _people({line[5] for line in lines if line[5] is not None})
    walk_in = ("", "", "", "")
    pack_rows = []
    for lot, milli, ref, channel, sold_on, cid, ship_to in lines:
        code_, product, sku, gtin, unit_, made, expires, _, _ = lots[lot]
        name, email, phone, address = people.get(cid, walk_in) if cid is not None else walk_in
        pack_rows.append(
            PackRow(
                code_,
                product,
                sku,
                gtin,
                to_qty(milli),
                unit_,
                to_day(made),
                to_day(expires),
                ref,
                channel,
                to_day(sold_on),
                name or WALK_IN,
                email,
                phone,
                ship_to or address,
                cid,
            )
        )
    return RecallPack(
        root_code,
        kind,
        item,
        to_day(dated),
        supplier or "",
        supplier_lot or "",
        pack_rows,
        above,
        _totals(lots, ledger),
    )


def write_pack(pack: RecallPack, out: Path, progress: Callable[[int, int], None] | None = None) -> Path:
    """Write the pack as the file's suffix says: .csv, .xlsx or .pdf."""
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise InvalidInput(
            f"{out.name}: the recall pack is written as .csv, .pdf or .xlsx; end the file name with one"
        )
    require([suffix])
    extra = {} if progress is None else {"progress": progress}
    if suffix == ".csv":
        from tui.documents.tables import write_csv

        return write_csv(pack, out, **extra)
    if suffix == ".xlsx":
        from tui.documents.tables import write_xlsx

        return write_xlsx(pack, out, **extra)
    from tui.documents.pack_pdf import write_pdf

    return write_pdf(pack, out, **extra)


def maker_of(name: str, address: str, email: str, phone: str) -> Maker:
    """The sender of the notices; refused without a name and a way to be reached."""
    if not name.strip():
        raise InvalidInput('the notices need the maker\'s name: set [maker] name = "..." in the config')
    if not (email.strip() or phone.strip()):
        raise InvalidInput(
            "the notices need a way to reach the maker: set [maker] email or phone in the config"
        )
    return Maker(name.strip(), address.strip(), email.strip(), phone.strip())


def write_notices(
    pack: RecallPack,
    folder: Path,
    maker: Maker,
    progress: Callable[[int, int], None] | None = None,
    now: datetime | None = None,
    action: str | None = None,
) -> list[NoticeFiles]:
    """One .eml (customers with an e-mail) and one letter (PDF) per affected customer in `folder`.

    `action` is what the notices ask customers to do (None: stop using it, keep it, contact us).
    """
    require(["letters"])
    from tui.documents import notices as drafts

    target = folder.expanduser()
    if target.exists() and not target.is_dir():
        raise InvalidInput(f"{target} is a file: give a folder for the notices")
    wanted = " ".join((action or "").split()) or drafts.DEFAULT_ACTION
    return drafts.write_notices(pack, notices(pack), target, maker, wanted, progress=progress, now=now)


@dataclass(frozen=True)
class PackFolder:
    """What `write_recall_folder` wrote."""

    folder: Path
    files: tuple[Path, ...]
    """The pack as .csv, .xlsx and .pdf."""
    notices: list[NoticeFiles]
    rows: int


SHARES = ((".csv", 0.1), (".xlsx", 0.35), (".pdf", 0.35))
"""Each file's share of the progress (by how long it takes); the notices have the rest."""


def write_recall_folder(
    pack: RecallPack, folder: Path, maker: Maker, progress: Callable[[float, str], None] | None = None
) -> PackFolder:
    """The whole recall pack in one folder: the pack in each format and a notice per customer.

    `progress(fraction, what)` is told how far it got (0 to 1) and what it is writing.
    """
    from tui.documents.pack import safe_name

    require([suffix for suffix, _ in SHARES] + ["letters"])
    target = folder.expanduser()
    if target.exists() and not target.is_dir():
        raise InvalidInput(f"{target} is a file: give a folder for the recall pack")
    tell = progress or (lambda fraction, what: None)
    stem, start, files = f"recall-{safe_name(pack.code)}", 0.0, []
    for suffix, share in SHARES:
        name = f"{stem}{suffix}"

        def step(done: int, total: int, start: float = start, share: float = share, name: str = name) -> None:
            tell(start + share * (done / total if total else 1), name)

        step(0, 1)
        files.append(write_pack(pack, target / name, step))
        start += share
    rest = 1 - start

    def noticed(done: int, total: int) -> None:
        tell(start + rest * done / total, f"notice {done} of {total}")

    drafted = write_notices(pack, target / "notices", maker, noticed)
    tell(1.0, "done")
    return PackFolder(target, tuple(files), drafted, len(pack.rows))
