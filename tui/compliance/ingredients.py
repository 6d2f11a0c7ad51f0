"""Ingredient lists from a recipe: INCI for cosmetics (with fragrance allergens named), food
ingredients with their allergens emphasised.

Cosmetics, EU 1223/2009 Art. 19(1)(g): the list is headed "Ingredients", in descending order of
weight at the time they are added; those under 1 % may follow in any order (we keep descending
order, which the rule allows). An "ingredient" is any substance intentionally used in making the
product, so a soap's list may name the oils and the sodium hydroxide that went in. Fragrance
allergens (Annex III entries, e.g. Linalool, Limonene) must be named in the list when they exceed
0.001 % of a leave-on or 0.01 % of a rinse-off product; their share comes from the allergen
percentages each fragrance's supplier declares.

Food, EU 1169/2011 Art. 18(1): descending order of weight as used; Art. 21(1) and Annex II: each
allergen named in the list and emphasised (we print it bold).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from decimal import Decimal

from tui.compliance.model import Component, Missing

LEAVE_ON_THRESHOLD = Decimal("0.001")
RINSE_OFF_THRESHOLD = Decimal("0.01")
"""Percent of the finished product above which a fragrance allergen is named (1223/2009 Annex III)."""

ANNEX_II = (
    "cereals containing gluten",
    "gluten",
    "wheat",
    "spelt",
    "khorasan wheat",
    "rye",
    "barley",
    "oats",
    "crustaceans",
    "eggs",
    "fish",
    "peanuts",
    "soybeans",
    "soya",
    "milk",
    "nuts",
    "almonds",
    "hazelnuts",
    "walnuts",
    "cashews",
    "pecan nuts",
    "brazil nuts",
    "pistachio nuts",
    "macadamia nuts",
    "queensland nuts",
    "celery",
    "mustard",
    "sesame",
    "sesame seeds",
    "sulphur dioxide",
    "sulphites",
    "lupin",
    "molluscs",
)
"""Names of the 14 allergen groups of EU 1169/2011 Annex II (and the cereals and nuts it names)."""


def food_allergen(name: str) -> str:
    """An allergen name as a maker types it, checked against Annex II (lower case)."""
    cleaned = " ".join(name.lower().split())
    if cleaned not in ANNEX_II:
        raise ValueError(
            f"{name!r} is not an allergen of EU 1169/2011 Annex II: use one of {', '.join(ANNEX_II)}"
        )
    return cleaned


@dataclass(frozen=True)
class IngredientList:
    text: str
    """"Ingredients: ..." as printed."""
    allergens: tuple[str, ...]
    """Allergens named in it, in the order they appear."""
    emphasis: tuple[tuple[int, int], ...] = ()
    """Spans of `text` to print bold (food allergens)."""
    missing: tuple[Missing, ...] = ()


def _quoted(name: str) -> str:
    return shlex.quote(name)


def _no_recipe(profile: str, sku: str) -> IngredientList:
    why = (
        f"{profile} label for {sku} needs its ingredients: give the product a recipe "
        f"(product edit --recipe MATERIAL=QTY {_quoted(sku)})"
    )
    return IngredientList("", (), missing=(Missing("ingredients", why),))


def _merge(entries: dict[str, tuple[str, Decimal]], name: str, weight: Decimal) -> None:
    key = name.casefold()
    shown, total = entries.get(key, (name, Decimal(0)))
    entries[key] = (shown, total + weight)


def _ordered(entries: dict[str, tuple[str, Decimal]]) -> list[str]:
    return [name for name, _ in sorted(entries.values(), key=lambda e: (-e[1], e[0].casefold()))]


def inci_list(sku: str, components: tuple[Component, ...], rinse_off: bool) -> IngredientList:
    """The INCI list with every allergen above its threshold named, in descending order of weight."""
    total = sum((c.weight for c in components), Decimal(0))
    if not components or total <= 0:
        return _no_recipe("cosmetic", sku)
    entries: dict[str, tuple[str, Decimal]] = {}
    missing = [
        Missing(
            "ingredients",
            f"cosmetic label for {sku} needs the INCI name of {c.material}: set it with "
            f"material edit --inci NAME {_quoted(c.material)}",
        )
        for c in components
        if not c.inci.strip()
    ]
    allergen_amounts: dict[str, tuple[str, Decimal]] = {}
    for c in components:
        if c.inci.strip():
            _merge(entries, c.inci.strip(), c.weight)
        for allergen in c.allergens:
            _merge(allergen_amounts, allergen.inci.strip(), c.weight * allergen.percent / 100)
    threshold = RINSE_OFF_THRESHOLD if rinse_off else LEAVE_ON_THRESHOLD
    named = [(name, amount) for name, amount in allergen_amounts.values() if amount * 100 / total > threshold]
    for name, amount in named:
        _merge(entries, name, amount)
    names = _ordered(entries)
    named_keys = {name.casefold() for name, _ in named}
    shown_allergens = tuple(n for n in names if n.casefold() in named_keys)
    return IngredientList("Ingredients: " + ", ".join(names), shown_allergens, missing=tuple(missing))


def _find(text: str, word: str) -> int:
    return text.casefold().find(word.casefold())


def food_list(sku: str, components: tuple[Component, ...]) -> IngredientList:
    """Descending order of weight; each Annex II allergen bold, in the ingredient's name where it
    appears there ("Whole milk"), else after it in brackets ("Butter (milk)")."""
    if not components:
        return _no_recipe("food", sku)
    entries: dict[str, tuple[str, Decimal]] = {}
    allergens_of: dict[str, list[str]] = {}
    missing: list[Missing] = []
    for c in components:
        name = (c.inci or c.material).strip()
        _merge(entries, name, c.weight)
        found = allergens_of.setdefault(name.casefold(), [])
        for allergen in c.food_allergens:
            try:
                checked = food_allergen(allergen)
            except ValueError as exc:
                missing.append(Missing("allergens", f"food label for {sku}: {c.material}: {exc}"))
                continue
            if checked not in found:
                found.append(checked)
    text = "Ingredients: "
    spans: list[tuple[int, int]] = []
    named: list[str] = []
    for index, name in enumerate(_ordered(entries)):
        if index:
            text += ", "
        start = len(text)
        text += name
        extra = []
        for allergen in allergens_of[name.casefold()]:
            at = _find(name, allergen)
            if at >= 0:
                spans.append((start + at, start + at + len(allergen)))
            else:
                extra.append(allergen)
            if allergen not in named:
                named.append(allergen)
        for position, allergen in enumerate(extra):
            text += " (" if position == 0 else ", "
            spans.append((len(text), len(text) + len(allergen)))
            text += allergen
        if extra:
            text += ")"
    return IngredientList(text, tuple(named), tuple(sorted(spans)), tuple(missing))
