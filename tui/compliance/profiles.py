"""The four label profiles: which fields a batch label must carry, and how small each may print.

- cosmetic (EU 1223/2009 Art. 19, retained in UK law): batch, nominal content, responsible
  person's name and address, durability (hourglass and date, or open jar and months), precautions,
  ingredients (or the leaflet symbol and a separate card, Art. 19(2)).
- food (EU 1169/2011 Art. 9, 2011/91/EU): name, ingredients with allergens emphasised, net
  quantity, best-before or use-by date, operator's name and address, lot after an "L".
- candle (GPSR 2023/988 Art. 9, CLP 1272/2008 for scented candles, EN 15494 warnings): batch,
  maker's name, postal and electronic address, the fire-safety warning, and the hazard block.
- general (GPSR 2023/988 Art. 9(5)-(7)): batch or type number, maker's name, postal and electronic
  address, and any safety information the product has.

Minimum sizes. Food text: an x-height of 1.2 mm, 0.9 mm on packs whose largest side is under
80 cm2 (1169/2011 Art. 13(2)-(3)); candle hazard text 1.2 mm (CLP as amended by 2024/2865).
Cosmetics and general goods have no figure in law ("easily legible", 1223/2009 Art. 19(1)):
Lotkeeper holds them to 0.9 mm. Net quantity figures follow Directive 76/211/EEC Annex I 3.1
(2 mm up to 50 g, 3 mm to 200 g, 4 mm to 1 kg, 6 mm above). Our own symbols print at least
4 mm; pictograms at least 10 mm (the label layout raises that to 1/15 of the label's area).
"""

from __future__ import annotations

import shlex
from decimal import Decimal

from tui.compliance import clp, durability
from tui.compliance.barcodes import batch_barcodes
from tui.compliance.ingredients import IngredientList, food_list, inci_list
from tui.compliance.model import (
    BatchInfo,
    LabelContent,
    Maker,
    Missing,
    NetQuantity,
    ProductInfo,
    Profile,
    SizeRule,
)

LEGIBLE_MM = 0.9
FOOD_MM, FOOD_SMALL_MM, FOOD_SMALL_PACK_CM2 = 1.2, 0.9, 80
SYMBOL_MM = 4.0
_NET_FIGURES = ((Decimal(50), 2.0), (Decimal(200), 3.0), (Decimal(1000), 4.0))
_CONFIG = "in the [maker] table of the config"


def net_figures_mm(net: NetQuantity) -> float:
    """Smallest height of the net quantity's figures (76/211/EEC Annex I 3.1)."""
    amount = net.grams_or_ml
    return next((mm for limit, mm in _NET_FIGURES if amount <= limit), 6.0)


def _maker_missing(profile: str, sku: str, maker: Maker, wanted: tuple[str, ...]) -> list[Missing]:
    what = {
        "maker": ("the maker's name", "name"),
        "address": ("the maker's postal address", "address"),
        "email": ("the maker's e-mail or web contact", "email"),
        "phone": ("the maker's telephone number (CLP Art. 17)", "phone"),
    }
    return [
        Missing(field, f"{profile} label for {sku} needs {words}: set {key} {_CONFIG}")
        for field in wanted
        for words, key in (what[field],)
        if not getattr(maker, key).strip()
    ]


def _maker_fields(maker: Maker, names: tuple[str, ...]) -> dict[str, str]:
    values = {"maker": maker.name, "address": maker.address, "email": maker.email, "phone": maker.phone}
    return {n: values[n].strip() for n in names if values[n].strip()}


def _net(profile: str, product: ProductInfo, required: bool) -> tuple[dict[str, str], list[Missing]]:
    if product.net is not None:
        return {"net": product.net.text}, []
    if not required:
        return {}, []
    why = (
        f"{profile} label for {product.sku} needs net content: set it with product edit --net 100g "
        f"{shlex.quote(product.sku)}"
    )
    return {}, [Missing("net", why)]


def _sizes(
    fields: dict[str, str], symbols: tuple[str, ...], text_mm: float, basis: str
) -> dict[str, SizeRule]:
    sizes = {name: SizeRule(x_height_mm=text_mm, basis=basis) for name in fields}
    for name in symbols:
        if name.startswith("GHS"):
            sizes[name] = SizeRule(symbol_mm=clp.PICTOGRAM_MIN_MM, basis="CLP Annex I 1.2.1.3")
        else:
            sizes[name] = SizeRule(symbol_mm=SYMBOL_MM, basis="Lotkeeper: readable at arm's length")
    return sizes


def _with_net_rule(sizes: dict[str, SizeRule], product: ProductInfo) -> None:
    if product.net is not None and "net" in sizes:
        rule = sizes["net"]
        sizes["net"] = SizeRule(rule.x_height_mm, net_figures_mm(product.net), 0.0, "76/211/EEC Annex I 3.1")


def _lot(batch: BatchInfo, food: bool = False) -> str:
    return f"L {batch.lot}" if food else f"Lot {batch.lot}"


class _Draft:
    """Fields, symbols and problems as a profile gathers them."""

    def __init__(self, profile: Profile, product: ProductInfo, batch: BatchInfo, maker: Maker) -> None:
        self.profile, self.product, self.maker = profile, product, maker
        self.fields = {"product": product.name, "lot": _lot(batch, food=profile == "food")}
        self.symbols: tuple[str, ...] = ()
        self.missing: list[Missing] = []
        self.optional: list[str] = []
        self.notices: tuple[str, ...] = ()
        self.emphasis: dict[str, tuple[tuple[int, int], ...]] = {}
        self.pao_months: int | None = None

    def net(self, required: bool) -> None:
        fields, missing = _net(self.profile, self.product, required)
        self.fields |= fields
        self.missing += missing
        if not required:
            self.optional += list(fields)

    def maker_fields(self, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> None:
        self.fields |= _maker_fields(self.maker, (*required, *optional))
        self.missing += _maker_missing(self.profile, self.product.sku, self.maker, required)
        self.optional += [n for n in optional if n in self.fields]

    def warnings(self, *extra: str) -> None:
        if self.product.warnings or extra:
            self.fields["warnings"] = " ".join((*self.product.warnings, *extra))

    def ingredients(self, found: IngredientList) -> None:
        self.missing += list(found.missing)
        if found.text:
            self.fields["ingredients"] = found.text
        if found.allergens:
            self.fields["allergens"] = ", ".join(found.allergens)
        if found.emphasis:
            self.emphasis["ingredients"] = found.emphasis

    def content(self, batch: BatchInfo, x_height_mm: float, basis: str) -> LabelContent:
        sizes = _sizes(self.fields, self.symbols, x_height_mm, basis)
        for name in ("signal_word", "hazards", "ufi", "phone"):
            if name in sizes and self.symbols:
                sizes[name] = SizeRule(
                    x_height_mm=clp.CLP_TEXT_X_HEIGHT_MM, basis="CLP Annex I 1.2.1 (2024/2865)"
                )
        _with_net_rule(sizes, self.product)
        return LabelContent(
            self.profile,
            self.fields,
            self.symbols,
            batch_barcodes(batch.lot, self.product.gtin, batch.link, batch.best_before),
            tuple(self.missing),
            tuple(self.optional),
            self.notices,
            self.emphasis,
            sizes,
            self.pao_months,
        )


_LEGIBLE = "Lotkeeper: 0.9 mm x-height (the law asks for easily legible text)"


def cosmetic(product: ProductInfo, batch: BatchInfo, maker: Maker) -> LabelContent:
    draft = _Draft("cosmetic", product, batch, maker)
    draft.net(required=True)
    dates = durability.cosmetic(product, batch)
    draft.fields |= dates.fields
    draft.symbols, draft.pao_months = dates.symbols, dates.pao_months
    draft.missing += list(dates.missing)
    draft.maker_fields(("maker", "address"), ("email",))
    draft.ingredients(inci_list(product.sku, product.components, product.rinse_off))
    draft.warnings()
    return draft.content(batch, LEGIBLE_MM, f"1223/2009 Art. 19(1); {_LEGIBLE}")


def food(product: ProductInfo, batch: BatchInfo, maker: Maker) -> LabelContent:
    draft = _Draft("food", product, batch, maker)
    draft.net(required=True)
    dates = durability.food(product, batch)
    draft.fields |= dates.fields
    draft.missing += list(dates.missing)
    draft.maker_fields(("maker", "address"), ("email",))
    draft.ingredients(food_list(product.sku, product.components))
    draft.warnings()
    small = product.largest_surface_cm2 is not None and product.largest_surface_cm2 < FOOD_SMALL_PACK_CM2
    return draft.content(batch, FOOD_SMALL_MM if small else FOOD_MM, "1169/2011 Art. 13(2)-(3)")


def general(product: ProductInfo, batch: BatchInfo, maker: Maker) -> LabelContent:
    draft = _Draft("general", product, batch, maker)
    draft.net(required=False)
    draft.maker_fields(("maker", "address", "email"))
    draft.warnings()
    return draft.content(batch, LEGIBLE_MM, f"2023/988 Art. 9; {_LEGIBLE}")


def candle(product: ProductInfo, batch: BatchInfo, maker: Maker) -> LabelContent:
    draft = _Draft("candle", product, batch, maker)
    block = clp.hazard_block(product.sku, product.components)
    draft.net(required=block.data is not None)
    draft.maker_fields(("maker", "address", "email", *(("phone",) if block.data else ())))
    draft.warnings(*clp.FIRE_SAFETY)
    draft.missing += list(block.missing)
    draft.notices = block.notices
    if block.data is not None:
        draft.fields |= block.fields
        draft.symbols = block.data.pictograms
    return draft.content(batch, LEGIBLE_MM, f"2023/988 Art. 9; {_LEGIBLE}")


def content(product: ProductInfo, batch: BatchInfo, maker: Maker) -> LabelContent:
    """What the product's profile says this batch's label must carry, and what is missing."""
    build = {"cosmetic": cosmetic, "food": food, "candle": candle, "general": general}[product.profile]
    return build(product, batch, maker)
