"""Catalog: products, materials, suppliers and customers, listed and edited in one place.

The tables show what the store holds (every cell literal: a name like `[b]Soap[/b]` shows as
typed). Adding and editing go through `RecordForm`, whose only validation is the store
service's: a refused save leaves its message under the field and writes nothing. Suggestions
save typing: an SKU from the product's name, the next free GTIN of the company prefix (ctrl+n).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from tui.errors import LotkeeperError
from tui.screens.base import LotScreen
from tui.screens.context import ScreenContext
from tui.screens.customers import customer_fields, one_line, save_customer
from tui.services import catalog, catalog_labels, editing
from tui.services.catalog_labels import MaterialLabel
from tui.services.profiles import LabelFields
from tui.widgets.literal import literal
from tui.widgets.literal_table import LiteralTable
from tui.widgets.record_form import FormField, RecordForm, Values

if TYPE_CHECKING:
    from tui.services.resolver import ScanResult

Row = editing.ProductRow | editing.MaterialRow | editing.SupplierRow | editing.CustomerRow


@dataclass(frozen=True)
class Tab:
    title: str
    columns: tuple[str, ...]
    one: str
    """What one row is called, for form titles."""


TABS: dict[str, Tab] = {
    "products": Tab(
        "Products", ("No.", "SKU", "Name", "GTIN", "Life (d)", "Unit", "Recipe (per unit)"), "product"
    ),
    "materials": Tab(
        "Materials", ("No.", "Name", "Unit", "Reorder at", "Supplier codes", "Supplier"), "material"
    ),
    "suppliers": Tab("Suppliers", ("No.", "Name"), "supplier"),
    "customers": Tab("Customers", ("No.", "Name", "Email", "Phone", "Address"), "customer"),
}
"""The first column of each is the row's number: what a keypad picks it by in Receive, Make and Sell."""


@dataclass(frozen=True)
class Form:
    fields: tuple[FormField, ...]
    save: Callable[[Values], Awaitable[str]]
    """Calls the store service; its LotkeeperError is shown under the field it names."""
    suggest: Callable[[Values], Mapping[str, str | None]] | None = None


def _text(value: object) -> str:
    """A form value from an optional row attribute (None, no row: empty)."""
    return "" if value is None or value is False else str(value)


def _key(row: Row) -> str:
    return row.sku if isinstance(row, editing.ProductRow) else row.name


def _cells(row: Row) -> tuple[object, ...]:
    return (row.number, *_details(row))


def _details(row: Row) -> tuple[object, ...]:
    if isinstance(row, editing.ProductRow):
        life = row.shelf_life_days or ""
        return (row.sku, row.name, row.gtin or "", life, row.unit, row.recipe_text)
    if isinstance(row, editing.MaterialRow):
        return (row.name, row.unit, row.reorder, ", ".join(row.codes), row.supplier or "")
    if isinstance(row, editing.CustomerRow):
        return (
            row.name,
            row.email or "",
            row.phone or "",
            one_line(row.address),
        )
    return (row.name,)


def _label_line(label: LabelFields | MaterialLabel | None) -> str:
    """The row's label fields, for the About panel ("" when it has none)."""
    if isinstance(label, LabelFields) and label.profile:
        parts = [f"label profile {label.profile}", f"net {label.net or 'not set'}"]
        if label.profile == "cosmetic":
            parts += [f"PAO {label.pao_months or '-'} months", "rinse-off" if label.rinse_off else "leave-on"]
        return "\n" + ", ".join(parts)
    if isinstance(label, MaterialLabel) and (label.inci or label.allergens):
        return f"\nINCI {label.inci or '-'}; allergens: {', '.join(label.allergens) or 'none'}"
    return ""


def _about(row: Row) -> str:
    """Everything about one row, in full (the table cuts long cells at 80 columns)."""
    if isinstance(row, editing.ProductRow):
        recipe = "; ".join(f"{r.item} {r.qty} {r.unit}" for r in row.recipe) or "none"
        life = f"keeps {row.shelf_life_days} days" if row.shelf_life_days else "does not expire"
        gtin = f"GTIN {row.gtin or 'none'}"
        return f"{row.number}  {row.sku}  {row.name}\n{gtin}, {life}\nper {row.unit}: {recipe}"
    if isinstance(row, editing.MaterialRow):
        codes = ", ".join(row.codes) or "none"
        return (
            f"{row.number}  {row.name} ({row.unit}), reorder at {row.reorder} {row.unit}\n"
            f"supplier codes: {codes}; supplier: {row.supplier or '-'}"
        )
    if isinstance(row, editing.CustomerRow):
        address = one_line(row.address) or "no address"
        return f"{row.number}  {row.name}  {row.email or ''}  {row.phone or ''}\n{address}"
    return f"{row.number}  {row.name}"


class CatalogScreen(LotScreen):
    CSS_PATH = "catalog.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="catalog.add", tooltip="Add a product, material, supplier or customer"),
        Binding("e", "edit", "Edit", id="catalog.edit", tooltip="Edit the highlighted row (Enter too)"),
        Binding("r", "refresh", "Refresh", id="catalog.refresh", tooltip="Reload the catalog"),
    ]

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.rows: dict[str, dict[str, Row]] = {kind: {} for kind in TABS}
        self.labels: dict[str, LabelFields | MaterialLabel] = {}
        """Label fields by SKU (products) and by name (materials)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="tabs"):
            for kind, tab in TABS.items():
                with TabPane(tab.title, id=kind):
                    yield LiteralTable(id=f"{kind}-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="about")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @property
    def command_prefix(self) -> str:
        """Scans starting with it are command barcodes: forms let them through to the App."""
        return self.ctx.config.codes.command_prefix

    def table(self, kind: str) -> LiteralTable:
        return self.query_one(f"#{kind}-table", LiteralTable)

    @property
    def kind(self) -> str:
        return self.query_one("#tabs", TabbedContent).active or "products"

    @work(exclusive=True, group="catalog-load", exit_on_error=False)
    async def load(self) -> None:
        lists: dict[str, list[Any]] = {
            "products": await editing.list_products(),
            "materials": await editing.list_materials(),
            "suppliers": await editing.list_suppliers(),
            "customers": await editing.list_customers(),
        }
        self.labels = {**await catalog_labels.product_labels(), **await catalog_labels.material_labels()}
        for kind, rows in lists.items():
            self.rows[kind] = {_key(r): r for r in rows}
            self.table(kind).show(TABS[kind].columns, ((_key(r), _cells(r)) for r in rows))
        self.show_about()

    def action_refresh(self) -> None:
        self.load()

    async def action_add(self) -> None:
        await self.open_form(self.kind, None)

    async def action_edit(self) -> None:
        key = self.table(self.kind).cursor_key()
        if key is None:
            self.say(f"no {TABS[self.kind].one} yet: press a to add one")
            return
        await self.open_form(self.kind, self.rows[self.kind][key])

    @on(DataTable.RowHighlighted)
    @on(TabbedContent.TabActivated)
    def show_about(self) -> None:
        key = self.table(self.kind).cursor_key()
        row = self.rows[self.kind].get(key or "")
        about = _about(row) + _label_line(self._label(row)) if row else "Press a to add one."
        self.query_one("#about", Static).update(literal(about))

    def _label(self, row: Row | None) -> LabelFields | MaterialLabel | None:
        if isinstance(row, editing.ProductRow | editing.MaterialRow):
            return self.labels.get(_key(row))
        return None

    @on(DataTable.RowSelected)
    async def _edit_selected(self, event: DataTable.RowSelected) -> None:
        await self.open_form(self.kind, self.rows[self.kind].get(event.row_key.value or ""))

    async def handle_scan(self, result: ScanResult) -> bool:
        """A product or material scanned here is highlighted in its table."""
        kind = {"product": "products", "material": "materials"}.get(result.kind)
        if kind is None or result.code not in self.rows[kind]:
            return False
        self.query_one("#tabs", TabbedContent).active = kind
        table = self.table(kind)
        table.move_cursor(row=table.get_row_index(result.code))
        table.focus()
        return True

    async def open_form(self, kind: str, row: Row | None) -> None:
        builder = {
            "products": self._product_form,
            "materials": self._material_form,
            "suppliers": self._supplier_form,
            "customers": self._customer_form,
        }[kind]
        form = await builder(row)  # type: ignore[operator]
        title = f"Edit {TABS[kind].one}: {_key(row)}" if row else f"New {TABS[kind].one}"

        def saved(message: str | None) -> None:
            if message:
                self.say(message)
                self.load()

        self.app.push_screen(
            RecordForm(title, form.fields, form.save, form.suggest, self.command_prefix), saved
        )

    async def _product_form(self, row: editing.ProductRow | None) -> Form:
        codes = self.ctx.config.codes
        offer = None
        try:
            offer = await editing.suggest_gtin(codes)
        except LotkeeperError as exc:
            self.report(exc)
        gtin_hint = f"ctrl+n: next free {offer}" if offer else "8, 12, 13 or 14 digits, or scan it"
        fields = (
            FormField(
                "name", "Name", row.name if row else "", "e.g. Lavender Oat Soap 100g", ("product name",)
            ),
            FormField("sku", "SKU", row.sku if row else "", "suggested from the name", ("sku",)),
            FormField(
                "gtin", "GTIN", _text(row and row.gtin), gtin_hint, ("gtin", "check digit"), offer=offer
            ),
            FormField(
                "life",
                "Shelf life",
                _text(row and row.shelf_life_days),
                "days (empty: keeps)",
                ("shelf life",),
            ),
            FormField("unit", "Unit", row.unit if row else "pcs", ", ".join(catalog.UNITS), ("unit",)),
            FormField(
                "recipe",
                "Recipe",
                row.recipe_text if row else "",
                "e.g. olive oil 300; lye 42",
                ("recipe",),
            ),
            *self._label_fields(row),
        )
        old = row.sku if row else None

        async def save(v: Values) -> str:
            common: dict[str, Any] = {
                "codes": codes,
                "gtin": v["gtin"] or None,
                "shelf_life_days": v["life"] or None,
                "recipe": editing.parse_recipe(v["recipe"]),
                "unit": v["unit"] or "pcs",
            }
            label = catalog_labels.form_label(v["profile"], v["net"], v["pao"], v["rinse"])
            done = await catalog_labels.save_product(old, v["name"], v["sku"], label, **common)
            return f"{'added' if old is None else 'saved'} product {done.sku}"

        def suggest(v: Values) -> Mapping[str, str | None]:
            return {"sku": editing.suggest_product_sku(v["name"], codes)}

        return Form(fields, save, suggest if row is None else None)

    def _label_fields(self, row: editing.ProductRow | None) -> tuple[FormField, ...]:
        label = self._label(row)
        now = label if isinstance(label, LabelFields) else LabelFields()
        return (
            FormField(
                "profile",
                "Label profile",
                now.profile or "",
                "cosmetic, candle, food, general (empty: plain batch label)",
                ("profile",),
            ),
            FormField(
                "net", "Net quantity", now.net or "", "e.g. 100g, 250ml", ("net quantity", "net content")
            ),
            FormField(
                "pao", "PAO (months)", _text(now.pao_months), "cosmetics: period after opening", ("period",)
            ),
            FormField(
                "rinse", "Rinse-off", "yes" if now.rinse_off else "", "yes: washed off (soap)", ("rinse",)
            ),
        )

    async def _material_form(self, row: editing.MaterialRow | None) -> Form:
        known = self._label(row)
        label = known if isinstance(known, MaterialLabel) else MaterialLabel()
        fields = (
            FormField(
                "name", "Name", row.name if row else "", "e.g. Olive Oil", ("material name", "material named")
            ),
            FormField("unit", "Unit", row.unit if row else "g", ", ".join(catalog.UNITS), ("unit",)),
            FormField("reorder", "Reorder at", _text(row and row.reorder), "empty: never warn", ("reorder",)),
            FormField(
                "codes",
                "Codes",
                ", ".join(row.codes) if row else "",
                "supplier GTINs / item codes: scan them",
                ("supplier code", "gtin", "check digit"),
                multi=", ",
            ),
            FormField(
                "supplier",
                "Supplier",
                _text(row and row.supplier),
                "of these codes (optional)",
                ("no supplier",),
            ),
            FormField("inci", "INCI name", label.inci, "its name in an ingredient list", ("inci",)),
            FormField(
                "allergens",
                "Allergens",
                ", ".join(label.allergens),
                "as declared: Linalool=35, Limonene=0.5 (food: milk)",
                ("allergen",),
                multi=", ",
            ),
        )
        old = row.name if row else None

        async def save(v: Values) -> str:
            codes = [c for c in v["codes"].split(",") if c.strip()]
            allergens = [a for a in v["allergens"].split(",") if a.strip()]
            supplier = v["supplier"] or None
            reorder = v["reorder"] or None if old is None else v["reorder"]
            done = await catalog_labels.save_material(
                old, v["name"], v["unit"], reorder, codes, supplier, v["inci"], allergens
            )
            return f"{'added' if old is None else 'saved'} material {done.name}"

        return Form(fields, save)

    async def _supplier_form(self, row: editing.SupplierRow | None) -> Form:
        old = row.name if row else None

        async def save(v: Values) -> str:
            if old is None:
                return f"added supplier {(await catalog.add_supplier(v['name'])).name}"
            return f"saved supplier {(await editing.update_supplier(old, new_name=v['name'])).name}"

        return Form((FormField("name", "Name", old or "", "", ("supplier name", "supplier named")),), save)

    async def _customer_form(self, row: editing.CustomerRow | None) -> Form:
        old = row.name if row else None
        return Form(customer_fields(row), partial(save_customer, old))
