"""One place that says what a scanned string means: product, material, material lot, batch,
order, location, command barcode, or an "unknown" that says what *was* recognised.

Order of tries: command barcode; our own codes exactly as scanned (lot code, SKU, order ref,
location code, supplier item code); a GTIN in any length; a GS1 element string or Digital Link. Lower-case
variants are tried too, because a keyboard-wedge scanner with Caps Lock on flips the case.
Control characters never get through (`clean_scan`), and no input makes `resolve` raise.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Literal, TypeVar

from tortoise.models import Model

from tui.codes.commands import Command, command_text, parse_command
from tui.codes.gs1 import Gs1Data, parse_gs1
from tui.codes.gtin import next_gtin, parse_gtin, short_form
from tui.codes.scan import GS, MAX_SCAN_CHARS, clean_scan, printable
from tui.config import CodesConfig
from tui.errors import InvalidInput
from tui.services.locations import could_be_location
from tui.store.models import Location, Lot, LotKind, MaterialPack, Product, Sale, SupplierCode
from tui.store.quantities import fmt_qty

MAX_SHOWN = 64
"""Characters of an over-long scan kept in its result (the rest helps nobody)."""

ScanKind = Literal["product", "material", "material_lot", "batch", "order", "location", "command", "unknown"]


@dataclass(frozen=True)
class ScanResult:
    kind: ScanKind
    code: str
    """SKU (product), material name, lot code, order ref, command text; for `unknown` the
    cleaned scan (GS shown as `<GS>`)."""
    message: str
    """One line for the person at the bench: what this is, or what was recognised."""
    gtin: str | None = None
    """GTIN-14 that was scanned or that the product carries."""
    batch: str | None = None
    """Supplier's batch (material lot, GS1 scan) or our batch code."""
    expires: date | None = None
    row_id: int | None = None
    """Primary key of the Product, Material, Lot, Sale or Location."""
    pack: str | None = None
    """The pack a supplier barcode is on (`case`): scanning it receives one of them."""
    command: Command | None = None
    symbology: str | None = None
    """AIM identifier the scanner sent (`]C1`, `]E0`...), if any."""


M = TypeVar("M", bound=Model)


def _variants(text: str) -> list[str]:
    return list(dict.fromkeys((text, text.upper())))


async def _get(model: type[M], field: str, value: str) -> M | None:
    """`get_or_none`, except that a value longer than the column cannot match (Tortoise would
    raise a ValidationError for it)."""
    if len(value) > model._meta.fields_map[field].max_length:  # type: ignore[attr-defined]
        return None
    return await model.filter(**{field: value}).first()


async def _lot_result(lot: Lot, gtin: str | None = None) -> ScanResult:
    await lot.fetch_related("material", "product")
    left = fmt_qty(lot.on_hand_milli)
    expiry = f", expires {lot.expires}" if lot.expires else ""
    material, product = lot.material, lot.product
    if lot.kind == LotKind.MATERIAL and material is not None:
        theirs = f", supplier lot {lot.supplier_lot}" if lot.supplier_lot else ""
        return ScanResult(
            kind="material_lot",
            code=lot.code,
            message=f"material lot {lot.code}: {material.name}, {left} {material.unit} left{theirs}{expiry}",
            gtin=gtin,
            batch=lot.supplier_lot,
            expires=lot.expires,
            row_id=lot.id,
        )
    assert product is not None, f"lot {lot.code} has neither material nor product"
    return ScanResult(
        kind="batch",
        code=lot.code,
        message=f"batch {lot.code} of {product.sku} {product.name}, {left} {product.unit} left{expiry}",
        gtin=product.gtin,
        batch=lot.code,
        expires=lot.expires,
        row_id=lot.id,
    )


def _product_result(product: Product, note: str = "") -> ScanResult:
    return ScanResult(
        kind="product",
        code=product.sku,
        message=f"product {product.sku}: {product.name}{note}",
        gtin=product.gtin,
        row_id=product.id,
    )


async def _pack_of(supplier_code: SupplierCode) -> MaterialPack | None:
    pack_id: int | None = supplier_code.pack_id  # type: ignore[attr-defined]
    return None if pack_id is None else await MaterialPack.get_or_none(id=pack_id)


async def _material_result(supplier_code: SupplierCode, gtin: str | None, note: str = "") -> ScanResult:
    """The material a supplier code names, with the pack it is on (one more read, only then)."""
    material = await supplier_code.material
    pack = await _pack_of(supplier_code)
    on_pack = f", one {pack.name} ({pack.size})" if pack else ""
    return ScanResult(
        kind="material",
        code=material.name,
        message=f"material {material.name}{on_pack}{note}",
        gtin=gtin,
        row_id=material.id,
        pack=pack.name if pack else None,
    )


async def _own_code(text: str) -> ScanResult | None:
    """A lot code, SKU, order reference or supplier item code, exactly as stored."""
    for candidate in _variants(text):
        lot = await _get(Lot, "code", candidate)
        if lot is not None:
            return await _lot_result(lot)
        product = await _get(Product, "sku", candidate)
        if product is not None:
            return _product_result(product)
        sale = await _get(Sale, "ref", candidate)
        if sale is not None:
            await sale.fetch_related("customer")
            buyer = sale.customer.name if sale.customer else "a walk-in customer"
            return ScanResult(
                kind="order",
                code=sale.ref,
                message=f"order {sale.ref} for {buyer}, {sale.sold_on}",
                row_id=sale.id,
            )
    if could_be_location(text):
        location = await _get(Location, "code", text.upper())
        if location is not None:
            return ScanResult(
                kind="location",
                code=location.code,
                message=f"location {location.code}: {location.name}",
                row_id=location.id,
            )
    supplier_code = await _get(SupplierCode, "code", text)
    if supplier_code is not None:
        return await _material_result(supplier_code, None, f" (supplier code {text})")
    return None


async def _by_gtin(text: str) -> ScanResult:
    """A bare GTIN: a product's, a material's (supplier GTIN), or a valid one nobody has."""
    try:
        gtin = parse_gtin(text)
    except InvalidInput as exc:
        return ScanResult("unknown", text, f"not a valid GTIN: {exc.message}")
    product = await Product.get_or_none(gtin=gtin.gtin14)
    if product is not None:
        return _product_result(product)
    supplier_code = await SupplierCode.get_or_none(code=gtin.gtin14)
    if supplier_code is not None:
        return await _material_result(supplier_code, gtin.gtin14, f" ({gtin})")
    return ScanResult(
        "unknown",
        text,
        f"valid {gtin}, no product or material has it: give it to a product, or link it to a "
        "material when receiving",
        gtin=gtin.gtin14,
    )


async def _by_gs1(data: Gs1Data, shown: str) -> ScanResult:
    """Product or batch (our labels), material or material lot (supplier labels)."""
    trusted = not data.problems  # a swallowed separator makes batch and dates unreliable
    batch = data.batch if trusted else None
    expires = (data.expiry or data.best_before) if trusted else None
    summary = data.summary
    if data.gtin14 is None:
        if batch:
            lot = await _get(Lot, "code", batch)
            if lot is not None:
                return await _lot_result(lot)
        return ScanResult("unknown", shown, summary, batch=batch, expires=expires)
    product = await Product.get_or_none(gtin=data.gtin14)
    if product is not None:
        if batch:
            lot = await Lot.get_or_none(code=batch, product_id=product.id)
            if lot is not None:
                return await _lot_result(lot)
            summary += f"; no batch {batch} of {product.sku} in the records"
        return replace(_product_result(product, f" ({summary})"), batch=batch, expires=expires)
    supplier_code = await SupplierCode.get_or_none(code=data.gtin14)
    if supplier_code is not None:
        if batch:
            material_id = supplier_code.material_id  # type: ignore[attr-defined]
            lot = await Lot.filter(material_id=material_id, supplier_lot=batch).order_by("-id").first()
            if lot is not None:  # a second delivery of their lot: the pack still counts
                pack = await _pack_of(supplier_code)
                return replace(await _lot_result(lot, data.gtin14), pack=pack.name if pack else None)
        result = await _material_result(supplier_code, data.gtin14, f" ({summary})")
        return replace(result, batch=batch, expires=expires)
    return ScanResult(
        "unknown",
        shown,
        f"{summary}; no product or material has GTIN {short_form(data.gtin14)} -- receive it?",
        gtin=data.gtin14,
        batch=batch,
        expires=expires,
    )


async def resolve(raw: str, codes: CodesConfig) -> ScanResult:
    """What a scan means. Never raises on any text (database failures still propagate)."""
    if len(raw) > MAX_SCAN_CHARS:
        shown = printable(raw[:MAX_SHOWN])
        message = f"a scan of {len(raw):,} characters is longer than any barcode can hold: scan again"
        return ScanResult("unknown", shown + "...", message)
    scan = clean_scan(raw, codes.gs1_separator)
    text, shown = scan.text, printable(scan.text)
    result = await _resolve(raw, text, shown, codes)
    return replace(result, symbology=scan.symbology)


async def _resolve(raw: str, text: str, shown: str, codes: CodesConfig) -> ScanResult:
    if not text:
        return ScanResult("unknown", "", "empty scan: nothing but spaces or control characters")
    prefix = codes.command_prefix
    command = parse_command(text, prefix)
    if command is not None:
        return ScanResult("command", command_text(command, prefix), command.caption, command=command)
    if prefix and text.upper().startswith(prefix.upper()):
        return ScanResult("unknown", shown, f"unknown command barcode {shown}: print a new command sheet")
    if GS not in text:
        own = await _own_code(text)
        if own is not None:
            return own
        if text.isascii() and text.isdigit() and len(text) in (8, 12, 13, 14):
            return await _by_gtin(text)
    data = parse_gs1(raw, codes.gs1_separator)
    if data is not None:
        return await _by_gs1(data, shown)
    return ScanResult(
        "unknown",
        shown,
        f"{shown!r} is not a product, material, lot, order or command we know",
    )


async def next_free_gtin(codes: CodesConfig) -> str:
    """The next GTIN of the configured company prefix that no product carries yet."""
    used: list[str] = await Product.filter(gtin__isnull=False).values_list("gtin", flat=True)  # type: ignore[assignment]
    return next_gtin(codes.gs1_company_prefix, used, codes.gtin_kind)
