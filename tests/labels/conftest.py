"""One complete product of each profile, as the store step will hand them to the label templates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from tui.compliance import Allergen, BatchInfo, ClpData, Component, Maker, ProductInfo, parse_net
from tui.labels.compliant import ProfileLabelData

MAKER = Maker(
    "Bench & Bloom Soaps", "12 Mill Lane, Bath BA1 1AA, UK", "hello@benchbloom.example", "+44 1225 000000"
)
LAVENDER_OIL = Component(
    "Lavender essential oil",
    D("2.1"),
    "Lavandula Angustifolia Oil",
    (Allergen("Linalool", D(35)), Allergen("Limonene", D("0.5")), Allergen("Geraniol", D("0.4"))),
    fragrance=True,
)
SOAP = ProductInfo(
    "SOAP-LAV",
    "Lavender olive soap",
    "cosmetic",
    (
        Component("Olive oil", D(70), "Olea Europaea Fruit Oil"),
        Component("Coconut oil", D(25), "Cocos Nucifera Oil"),
        Component("Shea butter", D(5), "Butyrospermum Parkii Butter"),
        Component("Sodium hydroxide (lye)", D("13.5"), "Sodium Hydroxide"),
        Component("Water", D(30), "Aqua"),
        LAVENDER_OIL,
        Component(
            "Cedarwood essential oil",
            D("0.9"),
            "Cedrus Atlantica Bark Oil",
            (Allergen("Limonene", D("0.2")),),
        ),
    ),
    net=parse_net("100g"),
    rinse_off=True,
    gtin="05069999000014",
)
CANDLE_CLP = ClpData(
    D(10),
    ("GHS07", "GHS09"),
    "Warning",
    ("H317 May cause an allergic skin reaction.", "H411 Toxic to aquatic life with long lasting effects."),
    (
        "P101 If medical advice is needed, have product container or label at hand.",
        "P102 Keep out of reach of children.",
        "P273 Avoid release to the environment.",
        "P302+P352 IF ON SKIN: Wash with plenty of water.",
        "P501 Dispose of contents/container in accordance with local regulations.",
    ),
    ("linalool", "citral"),
    "N1QV-R0VK-K00F-0P3D",
)
CANDLE = ProductInfo(
    "CANDLE-LAV",
    "Lavender soy candle",
    "candle",
    (
        Component("Soy wax", D(180)),
        Component("Lavender fragrance oil", D(20), "Parfum", fragrance=True, clp=(CANDLE_CLP,)),
    ),
    net=parse_net("200g"),
    gtin="00614141000005",
)
JAM = ProductInfo(
    "JAM-STR",
    "Strawberry & hazelnut jam",
    "food",
    (
        Component("Strawberries", D(60)),
        Component("Sugar", D(38)),
        Component("Butter", D(3), food_allergens=("milk",)),
        Component("Roasted hazelnuts", D(2), food_allergens=("hazelnuts",)),
        Component("Lemon juice", D(1)),
    ),
    net=parse_net("340g"),
    storage="Once opened, keep refrigerated.",
)
RING = ProductInfo(
    "RING-SIL", "Silver ring", "general", warnings=("Not a toy: keep away from small children.",)
)
MADE = date(2026, 11, 5)
SAMPLES = {
    "cosmetic": ProfileLabelData(SOAP, BatchInfo("SOAP261105-01", MADE, date(2028, 4, 28)), MAKER),
    "candle": ProfileLabelData(CANDLE, BatchInfo("CAND261105-01", MADE), MAKER),
    "food": ProfileLabelData(JAM, BatchInfo("JAM261105-01", MADE, date(2027, 11, 5)), MAKER),
    "general": ProfileLabelData(RING, BatchInfo("RING261105-01", MADE), MAKER),
}


@pytest.fixture
def samples() -> dict[str, ProfileLabelData]:
    return SAMPLES
