"""Reading a supplier's barcode at the goods-in bench: which material, their lot, the expiry.

Shared by `lotkeeper receive --scan` and the Receive screen, so both read a label the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tui.config import CodesConfig
from tui.errors import InvalidInput
from tui.services.resolver import ScanResult, resolve
from tui.store.models import Lot


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
