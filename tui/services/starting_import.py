"""Starting out: the materials, products, customers and stock a maker already has, from spreadsheets.

Each row goes through the same service as the command that adds one thing (`material add`,
`product add`, `receive`...), so the same rules hold; the whole file is one transaction with a
savepoint per row, so a row the store refuses (a material that does not exist, a SKU against
the pattern) becomes a problem with its row number and the rows around it are unaffected. With
problems and no `skip_bad`, everything is rolled back; a dry run rolls back at the end. Either
way the report says exactly what the real import does.

Re-importing a file adds nothing twice: a material, product or customer that exists (by name,
SKU, e-mail) is left as it is; a stock row matching a lot that was there before the import (same
material, supplier, supplier lot, dates and quantity) is not received again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from tui.config import CodesConfig
from tui.errors import InvalidInput, LotkeeperError, NotFound
from tui.imports import (
    CustomerRow,
    ImportOptions,
    MaterialRow,
    ParsedRows,
    Problem,
    ProductRow,
    StartingKind,
    StockRow,
    admit,
    parse_customers,
    parse_materials,
    parse_products,
    parse_stock,
)
from tui.services import catalog, inventory, locations, products
from tui.services.order_import import Progress
from tui.store.db import writing
from tui.store.models import Customer, Lot, LotKind, Material, Product, Supplier
from tui.store.quantities import to_milli
from tui.store.sql import fetch


@dataclass(frozen=True)
class StartingImport:
    kind: StartingKind
    added: tuple[str, ...]
    """What was added: material names, SKUs, customer names, lot codes of the stock received."""
    unchanged: int
    updated: int
    """Customers whose blank phone or address the file filled in."""
    suppliers_added: tuple[str, ...]
    locations_added: tuple[str, ...]
    """Codes of the locations the stock file named that did not exist yet."""
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    unknown_columns: tuple[str, ...]
    rows: int
    dry_run: bool

    def to_json(self) -> dict[str, Any]:
        """The `lotkeeper import materials|products|customers|stock --json` document."""
        return {
            "kind": self.kind.value,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "added": len(self.added),
            "unchanged": self.unchanged,
            "updated": self.updated,
            "added_items": list(self.added),
            "suppliers_added": list(self.suppliers_added),
            "locations_added": list(self.locations_added),
            "unknown_columns": list(self.unknown_columns),
            "problems": [{"row": p.row, "reason": p.reason} for p in self.problems],
            "warnings": [{"row": w.row, "reason": w.reason} for w in self.warnings],
        }


PARSERS: dict[StartingKind, Callable[[str], ParsedRows[Any]]] = {
    StartingKind.MATERIALS: parse_materials,
    StartingKind.PRODUCTS: parse_products,
    StartingKind.CUSTOMERS: parse_customers,
    StartingKind.STOCK: parse_stock,
}


class _DryRun(Exception):
    """Rolls the whole import back once its report is known."""

    def __init__(self, report: StartingImport) -> None:
        self.report = report


@dataclass
class _Run:
    """One file being imported: its settings and what happened so far."""

    codes: CodesConfig
    station: str
    added: list[str] = field(default_factory=list)
    unchanged: int = 0
    updated: int = 0
    suppliers: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    lots_before: int = 0
    used_lots: set[int] = field(default_factory=set)


async def import_starting(
    kind: StartingKind | str,
    text: str,
    *,
    options: ImportOptions = ImportOptions(),  # noqa: B008  (frozen dataclass: a safe default)
    codes: CodesConfig = CodesConfig(),  # noqa: B008
    station: str = "bench",
    progress: Progress | None = None,
) -> StartingImport:
    """Import a starting-out file; raises `BadImportFile` (header) or `ImportRefused` (bad rows)."""
    which = StartingKind(kind)
    parsed = PARSERS[which](text)
    run = _Run(codes, station, problems=list(parsed.problems), warnings=list(parsed.warnings))
    try:
        async with writing():
            ((top,),) = await fetch("SELECT COALESCE(MAX(id), 0) FROM lot")
            run.lots_before = int(top)
            await _each(run, which, parsed.rows, progress)
            run.problems.sort(key=lambda p: p.row)
            admit(run.problems, options)
            report = StartingImport(
                which,
                tuple(run.added),
                run.unchanged,
                run.updated,
                tuple(run.suppliers),
                tuple(run.locations),
                tuple(sorted(run.problems, key=lambda p: p.row)),
                tuple(sorted(run.warnings, key=lambda p: p.row)),
                parsed.unknown_columns,
                parsed.read,
                options.dry_run,
            )
            if options.dry_run:
                raise _DryRun(report)
    except _DryRun as dry:
        return dry.report
    return report


async def _each(run: _Run, kind: StartingKind, rows: Sequence[Any], progress: Progress | None) -> None:
    """Every row in its own savepoint; products whose recipe names a later row are tried again."""
    handler = HANDLERS[kind]
    pending = list(rows)
    done = 0
    while pending:
        waiting: list[tuple[Any, LotkeeperError]] = []
        for row in pending:
            try:
                async with writing():
                    await handler(run, row)
            except NotFound as exc:
                waiting.append((row, exc))
            except LotkeeperError as exc:
                run.problems.append(Problem(row.row, exc.message))
            done += 1
            if progress is not None:
                progress(min(done, len(rows)), len(rows))
        if len(waiting) == len(pending) or kind is not StartingKind.PRODUCTS:
            run.problems.extend(Problem(row.row, exc.message) for row, exc in waiting)
            return
        pending = [row for row, _ in waiting]


async def _material(run: _Run, row: MaterialRow) -> None:
    found = await Material.filter(name__iexact=row.name).first()
    if found is not None:
        if found.unit != row.unit.strip().lower():
            run.warnings.append(
                Problem(
                    row.row, f"material {found.name!r} exists in {found.unit}, not {row.unit}: left as it is"
                )
            )
        run.unchanged += 1
        return
    added = await catalog.add_material(row.name, row.unit, row.reorder, row.codes)
    run.added.append(added.name)


async def _product(run: _Run, row: ProductRow) -> None:
    if await Product.filter(sku__iexact=row.sku.strip()).exists():
        run.unchanged += 1
        return
    added = await products.add_product(
        row.name,
        row.sku,
        codes=run.codes,
        gtin=row.gtin,
        shelf_life_days=row.shelf_life_days,
        recipe=[(item.item, item.qty) for item in row.recipe],
    )
    run.added.append(added.sku)


async def _customer(run: _Run, row: CustomerRow) -> None:
    mail = catalog.parse_email(row.email)
    phone = catalog.clean_text(row.phone or "", "phone", 64, required=False) or None
    found = await Customer.filter(email__iexact=mail).order_by("id").first() if mail else None
    if found is None:  # the same name is the same customer only when no e-mail tells them apart
        same = await Customer.filter(name__iexact=row.name).order_by("id")
        found = next((c for c in same if mail is None or c.email is None), None)
    if found is None:
        name = catalog.clean_text(row.name, "customer name", 128)
        await Customer.create(name=name, email=mail, phone=phone, address=row.address)
        run.added.append(name)
        return
    given = {"email": mail, "phone": phone, "address": row.address}
    blanks = {attr: value for attr, value in given.items() if value and not getattr(found, attr)}
    if blanks:
        await Customer.filter(id=found.id).update(**blanks)
        run.updated += 1
    else:
        run.unchanged += 1


async def _stock(run: _Run, row: StockRow) -> None:
    material = await catalog.find_material(row.material)
    supplier_name = None
    if row.supplier is not None:
        existing = await Supplier.filter(name__iexact=row.supplier).first()
        if existing is None:
            supplier_name = (await catalog.add_supplier(row.supplier)).name
            run.suppliers.append(supplier_name)
        else:
            supplier_name = existing.name
    if await _received_before(run, row, material):
        run.unchanged += 1
        return
    location = None
    if row.location is not None:
        place, added = await locations.location_for(row.location)
        location = place.code
        if added:
            run.locations.append(place.code)
    received = await inventory.receive(
        material.name,
        row.qty,
        supplier=supplier_name,
        supplier_lot=row.supplier_lot,
        cost=row.cost,
        expires=row.expires,
        received=row.received,
        location=location,
        station=run.station,
        codes=run.codes,
    )
    run.added.append(received.lot)


async def _received_before(run: _Run, row: StockRow, material: Material) -> bool:
    """A lot that was in the store before this import and is this row (received once already)."""
    query = Lot.filter(kind=LotKind.MATERIAL, material_id=material.id, id__lte=run.lots_before)
    query = (
        query.filter(supplier_lot=row.supplier_lot) if row.supplier_lot else query.filter(supplier_lot=None)
    )
    query = query.filter(expires=row.expires) if row.expires else query.filter(expires=None)
    if row.received is not None:
        query = query.filter(dated=row.received)
    if row.supplier is not None:
        query = query.filter(supplier__name__iexact=row.supplier)
    else:
        query = query.filter(supplier_id=None)
    with suppress(InvalidInput):  # a quantity with a unit is compared by the other columns
        query = query.filter(qty_milli=to_milli(row.qty))
    for lot in await query.order_by("id"):
        if lot.id not in run.used_lots:
            run.used_lots.add(lot.id)
            return True
    return False


HANDLERS: dict[StartingKind, Callable[[_Run, Any], Awaitable[None]]] = {
    StartingKind.MATERIALS: _material,
    StartingKind.PRODUCTS: _product,
    StartingKind.CUSTOMERS: _customer,
    StartingKind.STOCK: _stock,
}
