"""Reading a supplier's barcode at the goods-in bench: which material, their lot, the expiry;
and who a delivery of a material is usually from.

Shared by `lotkeeper receive --scan` and the Receive screen, so both read a label the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tui.config import CodesConfig
from tui.errors import InvalidInput
from tui.services.resolver import ScanResult, resolve
from tui.store.models import Lot, LotKind, Material, SupplierCode


@dataclass(frozen=True)
class SupplierLabel:
    material: str
    supplier_lot: str | None
    expires: date | None
    gtin: str | None
    message: str
    pack: str | None = None
    """The pack the barcode is on (a case's GTIN): the quantity to receive when none is given
    is one of them (`default_qty`)."""

    @property
    def default_qty(self) -> str | None:
        return f"1 {self.pack}" if self.pack else None


async def usual_supplier(material: str, gtin: str | None = None) -> str | None:
    """Who a delivery of `material` is from, unless told otherwise: the supplier the scanned
    barcode (`gtin`) belongs to, else the one its last delivery came from, else the one its
    supplier codes all belong to. None when nothing says: the maker chooses (never a guess)."""
    if gtin is not None:
        code = await SupplierCode.get_or_none(code=gtin).prefetch_related("supplier")
        if code is not None and code.supplier is not None:
            return code.supplier.name
    found = await Material.get_or_none(name=material)
    if found is None:
        return None
    last = (
        await Lot.filter(kind=LotKind.MATERIAL, material_id=found.id, supplier_id__not_isnull=True)
        .order_by("-dated", "-id")
        .first()
        .prefetch_related("supplier")
    )
    if last is not None and last.supplier is not None:
        return last.supplier.name
    codes = await SupplierCode.filter(material_id=found.id).prefetch_related("supplier")
    owners = {c.supplier.name if c.supplier else None for c in codes}
    return owners.pop() if len(owners) == 1 else None


async def read_supplier_label(raw: str, codes: CodesConfig) -> SupplierLabel:
    """The material and lot details a supplier barcode carries, or a clear InvalidInput."""
    result = await resolve(raw, codes)
    return await supplier_label_from(result)


def is_supplier_label(result: ScanResult) -> bool:
    """A material's barcode (their item code or GTIN), not one of our own lot labels."""
    return result.kind == "material" or (result.kind == "material_lot" and result.gtin is not None)


async def supplier_label_from(result: ScanResult) -> SupplierLabel:
    if result.kind == "material":
        return SupplierLabel(
            result.code, result.batch, result.expires, result.gtin, result.message, result.pack
        )
    if is_supplier_label(result) and result.row_id is not None:
        # Their batch is already on a lot of ours: a second delivery of the same supplier lot.
        lot = await Lot.get(id=result.row_id).prefetch_related("material")
        assert lot.material is not None
        return SupplierLabel(
            lot.material.name, result.batch, result.expires, result.gtin, result.message, result.pack
        )
    if result.kind == "unknown" and result.gtin:
        raise InvalidInput(
            f"{result.message}. Link the GTIN to a material first: "
            f"lotkeeper material add NAME --unit UNIT --code {result.gtin}"
        )
    if result.kind == "material_lot":
        raise InvalidInput(f"{result.code} is our own lot label: scan the supplier's barcode on the delivery")
    raise InvalidInput(f"not a supplier's material barcode: {result.message}")
