"""Receive: book a delivery of material in, and queue its lot label.

The fast path is one scan of the supplier's barcode: a GS1 code fills the material (through its
supplier code), the supplier's lot and the expiry date; the maker then types the quantity and
presses Enter through the rest. Without a barcode, the material is chosen by number or name.
A supplier GTIN nobody knows yet is offered for linking: the material chosen next is linked to
it, so the next delivery of the same item scans straight in.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Static

from tui.codes.dates import formats
from tui.codes.gtin import short_form
from tui.errors import InvalidInput
from tui.screens.context import ScreenContext
from tui.screens.form import FormScreen
from tui.services import catalog, editing, inventory
from tui.services.catalog import parse_day
from tui.services.intake import is_supplier_label, supplier_label_from, usual_supplier
from tui.services.printing import Job
from tui.store.quantities import to_cents, to_milli
from tui.widgets.cells import cell
from tui.widgets.literal import literal
from tui.widgets.pick_list import Choice, PickList

if TYPE_CHECKING:
    from tui.services.resolver import ScanResult


class ReceiveScreen(FormScreen):
    """A form in the order a delivery is handled; Enter moves on, the last Enter receives."""

    CSS_PATH = "receive.tcss"
    SUB_TITLE = "Receive material"
    HINTS: ClassVar[dict[str, str]] = {
        "material": "Scan the supplier's barcode, or type the material's number and Enter.",
        "qty": "Type the quantity received and Enter (or scan a quantity barcode).",
        "cost": "Type what the delivery cost in total, or just Enter to skip.",
        "supplier": "Type the supplier's number and Enter (a new name adds a supplier).",
        "supplier-lot": "The supplier's lot number from the package, or Enter to skip.",
        "confirm": "Enter (or scan DONE) receives it and queues its label. Escape: start over.",
    }
    FIELDS: ClassVar[dict[str, tuple[str, ...]]] = {
        "material": ("material",),
        "qty": ("quantity",),
        "cost": ("cost",),
        "supplier": ("supplier",),
        "supplier-lot": ("supplier lot",),
        "expires": ("expiry", "expires"),
    }
    DRAFT = "receipt"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s", "done", "Receive", tooltip="Receive it and queue its label (same as scanning DONE)"
        ),
        Binding("escape", "cancel", "Start over", tooltip="Clear the form (again: back to Home)"),
        Binding("ctrl+z", "undo", "Clear field", show=False, tooltip="Clear the field being typed"),
    ]

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.materials: dict[str, editing.MaterialRow] = {}
        self.link_code: str | None = None
        """A scanned supplier GTIN that no material has yet: linked to the next material picked."""
        self.scanned_gtin: str | None = None
        """The GTIN of the supplier barcode that chose the material (it names the supplier)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="form"):
            with Horizontal(classes="row"):
                yield Label("Material", classes="caption")
                yield PickList("material", id="material")
            with Horizontal(classes="row"):
                yield Label("Quantity", classes="caption")
                yield Input(id="qty", compact=True, placeholder="e.g. 5")
                yield Static("", id="unit")
            with Horizontal(classes="row"):
                yield Label("Cost", classes="caption")
                yield Input(id="cost", compact=True, placeholder="total, optional")
            with Horizontal(classes="row"):
                yield Label("Supplier", classes="caption")
                yield PickList("supplier", allow_new=True, id="supplier")
            with Horizontal(classes="row"):
                yield Label("Their lot", classes="caption")
                yield Input(id="supplier-lot", compact=True, placeholder="optional")
            with Horizontal(classes="row"):
                yield Label("Expires", classes="caption")
                yield Input(id="expires", compact=True, placeholder="date, optional")
            with Horizontal(classes="row"):
                yield Label("", classes="caption")
                yield Button("Receive", id="confirm", variant="primary", compact=True)
            yield Static("", id="link")
            yield Static("", id="hint")
        yield DataTable(id="recent", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#recent", DataTable)
        table.add_columns("Lot", "Material", "Qty", "Expires")
        table.add_column("Label", key="label")
        self.query_one("#link", Static).display = False

    async def on_screen_resume(self) -> None:
        await self.load_choices()
        if not isinstance(self.focused, Input):
            self.query_one("#material", PickList).focus()

    async def load_choices(self) -> None:
        materials = await self.attempt(editing.list_materials())
        suppliers = await self.attempt(editing.list_suppliers())
        if materials is not None:
            self.materials = {m.name: m for m in materials}
            self.query_one("#material", PickList).set_choices(
                Choice(m.name, f"{m.name} ({m.unit})", m.number) for m in materials
            )
        if suppliers is not None:
            self.query_one("#supplier", PickList).set_choices(
                Choice(s.name, s.name, s.number) for s in suppliers
            )

    def hint(self, field: str) -> str:
        if field == "expires":
            return f"Expiry date as {formats(self.ctx.date_order)}, or Enter if it does not expire."
        return super().hint(field)

    # -- moving through the form ------------------------------------------------------------

    def _value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value.strip()

    @on(PickList.Refused)
    def _refused(self, event: PickList.Refused) -> None:
        self.report(InvalidInput(event.message))

    @on(PickList.Picked, "#material")
    async def _material_picked(self, event: PickList.Picked) -> None:
        row = self.materials.get(event.value)
        if row is None:
            self.report(InvalidInput(f"no material {event.value!r}: add it in the Catalog (F7)"))
            return
        self.query_one("#unit", Static).update(literal(row.unit))
        if self.link_code is not None and not await self._link(row):
            return
        gtin, self.scanned_gtin = self.scanned_gtin, None
        supplier = self.query_one("#supplier", PickList)
        if supplier.value is None:
            usual = await self.attempt(usual_supplier(row.name, gtin))
            if usual is not None:
                supplier.pick(usual)
        self.query_one("#qty", Input).focus()

    async def _link(self, row: editing.MaterialRow) -> bool:
        code = self.link_code
        assert code is not None
        linked = await self.attempt(
            editing.update_material(
                row.name,
                new_name=row.name,
                unit=row.unit,
                reorder=row.reorder,
                codes=(*row.codes, code),
            )
        )
        if linked is None:
            return False
        self.link_code = None
        self.query_one("#link", Static).display = False
        self.say(f"barcode {code} is now linked to {row.name}: it scans straight in next time")
        await self.load_choices()
        return True

    @on(Input.Submitted, "#qty")
    def _qty_entered(self) -> None:
        if self._checked(lambda: to_milli(self._value("qty"))):
            self.query_one("#cost", Input).focus()

    @on(Input.Submitted, "#cost")
    def _cost_entered(self) -> None:
        cost = self._value("cost")
        if not cost or self._checked(lambda: to_cents(cost)):
            self.query_one("#supplier", PickList).focus()

    @on(PickList.Picked, "#supplier")
    async def _supplier_picked(self, event: PickList.Picked) -> None:
        if event.new:
            added = await self.attempt(catalog.add_supplier(event.value))
            if added is None:
                return
            self.say(f"supplier {added.name} added")
            await self.load_choices()
            self.query_one("#supplier", PickList).pick(added.name)
            return
        if self.query_one("#supplier", PickList).input.has_focus:
            self.query_one("#supplier-lot", Input).focus()

    @on(Input.Submitted, "#supplier-lot")
    def _lot_entered(self) -> None:
        self.query_one("#expires", Input).focus()

    @on(Input.Submitted, "#expires")
    def _expires_entered(self) -> None:
        if self._checked(self._expiry):
            self.query_one("#confirm", Button).focus()

    def _expiry(self) -> date | None:
        return parse_day(self._value("expires") or None, "expiry date", self.ctx.date_order)

    def _checked(self, check: Callable[[], object]) -> bool:
        """Run a parse from the store's conversions; its error is shown and the field kept."""
        try:
            check()
        except InvalidInput as exc:
            self.report(exc)
            return False
        return True

    # -- scans and commands -----------------------------------------------------------------

    async def handle_scan(self, result: ScanResult) -> bool:
        if is_supplier_label(result):
            label = await self.attempt(supplier_label_from(result))
            current = self.query_one("#material", PickList).value
            if label is not None and self.keeps(current, label.material, bool(self._value("qty"))):
                self._fill_from_scan(label.supplier_lot, label.expires)
                self.scanned_gtin = label.gtin
                self.query_one("#supplier", PickList).clear()  # the barcode says whose it is
                self.query_one("#material", PickList).pick(label.material)
            return True
        if result.kind == "unknown" and result.gtin:
            self._fill_from_scan(result.batch, result.expires)
            self.link_code = short_form(result.gtin)
            link = self.query_one("#link", Static)
            link.update(
                literal(
                    f"Barcode {self.link_code} is not linked to a material yet: choose the material "
                    "it is (its number and Enter) and it will be remembered."
                )
            )
            link.display = True
            self.app.bell()
            self.query_one("#material", PickList).focus()
            return True
        return False

    def _fill_from_scan(self, supplier_lot: str | None, expires: date | None) -> None:
        if supplier_lot:
            self.query_one("#supplier-lot", Input).value = supplier_lot
        if expires:
            self.query_one("#expires", Input).value = expires.isoformat()

    def handle_quantity(self, quantity: int) -> bool:
        self.query_one("#qty", Input).value = str(quantity)
        self.query_one("#cost", Input).focus()
        return True

    def action_undo(self) -> None:
        focused = self.focused
        if isinstance(focused, Input):
            focused.value = ""

    def draft(self) -> str | None:
        material = self.query_one("#material", PickList).value
        typed = [f for f in ("qty", "cost", "supplier-lot", "expires") if self._value(f)]
        if material is None and not typed and self.link_code is None:
            return None
        what = material or (f"barcode {self.link_code}" if self.link_code else "no material yet")
        quantity = f", quantity {self._value('qty')}" if self._value("qty") else ""
        return f"{what}{quantity}"

    def reset(self) -> None:
        for field in ("qty", "cost", "supplier-lot", "expires"):
            self.query_one(f"#{field}", Input).value = ""
        self.query_one("#material", PickList).clear()
        self.query_one("#supplier", PickList).clear()
        self.query_one("#unit", Static).update("")
        self.link_code = None
        self.query_one("#link", Static).display = False
        self.query_one("#material", PickList).focus()

    # -- receiving --------------------------------------------------------------------------

    def action_done(self) -> None:
        material = self.query_one("#material", PickList).value
        supplier = self.query_one("#supplier", PickList).value
        if material is None:
            self.report(InvalidInput("choose the material first: scan its barcode or type its number"))
            self.query_one("#material", PickList).focus()
        elif not self._value("qty"):
            self.report(InvalidInput("type the quantity received, then Enter"))
            self.query_one("#qty", Input).focus()
        elif supplier is None:
            self.report(InvalidInput("choose the supplier: type its number and Enter"))
            self.query_one("#supplier", PickList).focus()
        elif not self.busy:
            self.busy = True
            self._receive(material, supplier)

    @work(group="receive", name="receiving", exit_on_error=False)
    async def _receive(self, material: str, supplier: str) -> None:
        try:
            try:
                expires = self._expiry()
            except InvalidInput as exc:
                self.refused(exc)
                return
            received = await self.submit(
                inventory.receive(
                    material,
                    self._value("qty"),
                    supplier=supplier,
                    supplier_lot=self._value("supplier-lot") or None,
                    cost=self._value("cost") or None,
                    expires=expires,
                    received=self.ctx.day(),
                    station=self.ctx.station,
                    codes=self.ctx.config.codes,
                )
            )
            if received is None:
                return
            job = await self.attempt(self.ctx.printing.enqueue_new_lot(received.lot, self.ctx.config.labels))
            table = self.query_one("#recent", DataTable)
            table.add_row(
                cell(received.lot),
                cell(received.material),
                cell(f"{received.qty} {received.unit}"),
                cell(received.expires.isoformat() if received.expires else "-"),
                cell("not queued (see Labels, F8)"),
                key=received.lot,
            )
            if job is not None:
                lot = received.lot

                def show(job: Job) -> None:
                    table.update_cell(lot, "label", cell(f"{job.status.value} (job {job.id})"))

                self.follow_job(job, show)
            self.say(f"received {received.qty} {received.unit} {received.material} as lot {received.lot}")
            self.reset()
        finally:
            self.busy = False
