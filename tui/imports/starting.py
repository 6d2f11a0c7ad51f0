"""The starting-out files a new user fills in a spreadsheet: materials, products, customers, stock.

Columns are found by header name, in any order and any case (`Shelf Life` is `shelf_life`);
columns we do not know are ignored and reported. Quantities that may carry a unit (`300g`,
`2.5 kg`) stay text here: turning them into numbers is the units module's job. What can only be
checked against the database (a material that exists, a SKU already taken) is checked when the
rows are written; here each row is checked on its own and against the rows above it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Generic, TypeVar

from tui.codes.gtin import parse_gtin
from tui.errors import InvalidInput
from tui.imports.records import Problem
from tui.imports.table import BadImportFile, Cell, Record, Table, bulk, column_key
from tui.imports.values import CellError, code, iso_date, money, text

R = TypeVar("R")


class StartingKind(StrEnum):
    """`lotkeeper import materials|products|customers|stock`."""

    MATERIALS = "materials"
    PRODUCTS = "products"
    CUSTOMERS = "customers"
    STOCK = "stock"


@dataclass(frozen=True, slots=True)
class MaterialRow:
    row: int
    name: str
    unit: str
    reorder: str | None
    """As written (`500`, `500 g`): the reorder level in the material's unit."""
    codes: tuple[str, ...]
    """Supplier codes (GTINs or item numbers) from `code`, `code2`, `code3`..., in column order."""


@dataclass(frozen=True, slots=True)
class RecipeItem:
    item: str
    """A material name, or the SKU of another product (an intermediate)."""
    qty: str
    """As written (`300g`, `0.5`): per unit made."""


@dataclass(frozen=True, slots=True)
class ProductRow:
    row: int
    name: str
    sku: str
    gtin: str | None
    """Digits as written, check digit verified."""
    shelf_life_days: int | None
    recipe: tuple[RecipeItem, ...]


@dataclass(frozen=True, slots=True)
class CustomerRow:
    row: int
    name: str
    email: str | None
    phone: str | None
    address: str | None
    """One line per address line (a cell may hold several)."""


@dataclass(frozen=True, slots=True)
class StockRow:
    """One lot already on the shelf."""

    row: int
    material: str
    qty: str
    """As written, possibly with a unit (`2.5 kg`)."""
    supplier: str | None
    supplier_lot: str | None
    expires: date | None
    received: date | None
    cost: Decimal | None
    """What the whole lot cost."""
    location: str | None


@dataclass(frozen=True, slots=True)
class ParsedRows(Generic[R]):
    kind: StartingKind
    rows: tuple[R, ...]
    """Good rows only."""
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    unknown_columns: tuple[str, ...]
    read: int
    """Data rows read (blank rows not counted)."""


_CODE_COLUMN = re.compile(r"code\d*")


class _Sheet:
    """One starting-out file being read: columns by name, duplicates remembered."""

    def __init__(
        self, content: str, kind: StartingKind, known: tuple[str, ...], needed: tuple[str, ...]
    ) -> None:
        self.table = Table.from_text(content)
        self.kind = kind
        missing = self.table.missing(needed)
        if missing:
            raise BadImportFile(
                f"a {kind} file needs the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
                f" (its header has: {', '.join(self.table.header)})"
            )
        is_known = {column_key(k) for k in known}
        self.unknown = [
            n for n in self.table.header if n and column_key(n) not in is_known and not self._extra(n)
        ]
        self.seen: dict[tuple[str, str], int] = {}

    def _extra(self, name: str) -> bool:
        return self.kind is StartingKind.MATERIALS and bool(_CODE_COLUMN.fullmatch(column_key(name)))

    def once(self, record: Record, what: str, value: str) -> None:
        """Refuse a value the rows above already used (a name, SKU or code is unique).

        A value counts as taken even when its row turns out bad: skipping that row must not let
        a later row take the name the maker meant for it.
        """
        row = self.seen.setdefault((what, value.casefold()), record.row)
        if row != record.row:
            raise CellError(f"{what} {value!r} is already on row {row}")

    def read(self, build: Callable[[Record], R]) -> ParsedRows[R]:
        good: list[R] = []
        problems: list[Problem] = []
        with bulk():
            for record in self.table.records:
                try:
                    good.append(build(record))
                except CellError as exc:
                    problems.append(Problem(record.row, exc.reason))
        warnings = [
            Problem(1, f"column {n!r} is not used in a {self.kind} file: ignored") for n in self.unknown
        ]
        return ParsedRows(
            self.kind,
            tuple(good),
            tuple(problems),
            tuple(warnings),
            tuple(self.unknown),
            len(self.table.records),
        )


def _required(value: str, what: str) -> str:
    cleaned = text(value)
    if cleaned is None:
        raise CellError(f"{what} is empty")
    return cleaned


def parse_materials(content: str) -> ParsedRows[MaterialRow]:
    sheet = _Sheet(content, StartingKind.MATERIALS, ("name", "unit", "reorder"), ("name", "unit"))
    get = sheet.table.getter
    name, unit, reorder = get("name"), get("unit"), get("reorder")
    code_cells = [Cell(i) for i, h in enumerate(sheet.table.header) if _CODE_COLUMN.fullmatch(column_key(h))]

    def build(record: Record) -> MaterialRow:
        material = _required(name(record), "name")
        sheet.once(record, "material", material)
        codes = [c for c in (text(cell(record)) for cell in code_cells) if c]
        for i, value in enumerate(codes):
            if value.casefold() in (c.casefold() for c in codes[:i]):
                raise CellError(f"code {value!r} is given twice")
            sheet.once(record, "code", value)
        return MaterialRow(
            record.row, material, _required(unit(record), "unit"), text(reorder(record)), tuple(codes)
        )

    return sheet.read(build)


def parse_products(content: str) -> ParsedRows[ProductRow]:
    sheet = _Sheet(
        content, StartingKind.PRODUCTS, ("name", "sku", "gtin", "shelf life", "recipe"), ("name", "sku")
    )
    get = sheet.table.getter
    name, sku, gtin, shelf, recipe = get("name"), get("sku"), get("gtin"), get("shelf life"), get("recipe")

    def build(record: Record) -> ProductRow:
        product_sku = _required(sku(record), "sku")
        sheet.once(record, "sku", product_sku)
        digits = _gtin(gtin(record))
        if digits is not None:
            sheet.once(record, "gtin", digits)
        return ProductRow(
            record.row,
            _required(name(record), "name"),
            product_sku,
            digits,
            _shelf_life(shelf(record)),
            parse_recipe(recipe(record)),
        )

    return sheet.read(build)


def parse_recipe(value: str) -> tuple[RecipeItem, ...]:
    """`Olive oil=300g; Lye=42g` -> (Olive oil, 300g), (Lye, 42g); each item once.

    Raises `CellError` (a ValueError whose `reason` is the message) for a malformed recipe.
    """
    items: list[RecipeItem] = []
    for part in value.split(";"):
        if not part.strip():
            continue
        item, sep, qty = part.partition("=")
        name, amount = text(item), text(qty)
        if not sep or name is None or amount is None or "=" in qty:
            raise CellError(f"recipe part {part.strip()!r} is not ITEM=QTY (separate parts with ';')")
        if any(name.casefold() == i.item.casefold() for i in items):
            raise CellError(f"recipe item {name!r} is listed twice: give it once with the total")
        items.append(RecipeItem(name, amount))
    return tuple(items)


def _gtin(value: str) -> str | None:
    digits = text(value)
    if digits is None:
        return None
    if re.fullmatch(r"\d+(?:[.,]\d+)?[eE]\+\d+", digits):
        raise CellError(
            f"gtin {digits!r} was turned into a number by the spreadsheet: "
            "format the column as text, type the digits again and export"
        )
    try:
        return parse_gtin(digits).digits
    except InvalidInput as exc:
        raise CellError(f"gtin {exc.message}") from None


def _shelf_life(value: str) -> int | None:
    cleaned = text(value)
    if cleaned is None:
        return None
    match = re.fullmatch(r"(\d+)\s*(?:d|days?)?", cleaned, re.IGNORECASE)
    if match is None:
        raise CellError(f"shelf life {cleaned!r} is not a whole number of days")
    days = int(match[1])
    if days < 1:
        raise CellError("shelf life must be at least 1 day")
    return days


def parse_customers(content: str) -> ParsedRows[CustomerRow]:
    sheet = _Sheet(content, StartingKind.CUSTOMERS, ("name", "email", "phone", "address"), ("name",))
    get = sheet.table.getter
    name, email, phone, address = get("name"), get("email"), get("phone"), get("address")

    def build(record: Record) -> CustomerRow:
        customer = _required(name(record), "name")
        sheet.once(record, "customer", customer)
        mail = text(email(record))
        if mail is not None and ("@" not in mail or " " in mail):
            raise CellError(f"email {mail!r} does not look like an address (name@example.com)")
        lines = [line for line in map(text, address(record).splitlines()) if line]
        return CustomerRow(record.row, customer, mail, code(phone(record)), "\n".join(lines) or None)

    return sheet.read(build)


def parse_stock(content: str) -> ParsedRows[StockRow]:
    known = ("material", "qty", "supplier", "supplier lot", "expires", "received", "cost", "location")
    sheet = _Sheet(content, StartingKind.STOCK, known, ("material", "qty"))
    get = sheet.table.getter
    material, qty, supplier, lot = get("material"), get("qty"), get("supplier"), get("supplier lot")
    expires, received, cost, location = get("expires"), get("received"), get("cost"), get("location")

    def build(record: Record) -> StockRow:
        price = money(cost(record), what="cost")
        if price is not None and price < 0:
            raise CellError(f"cost {cost(record)!r} is negative")
        return StockRow(
            record.row,
            _required(material(record), "material"),
            _required(qty(record), "qty"),
            text(supplier(record)),
            text(lot(record)),
            iso_date(expires(record), what="expires"),
            iso_date(received(record), what="received"),
            price,
            text(location(record)),
        )

    return sheet.read(build)
