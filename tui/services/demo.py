"""A small soap-and-candle workshop, recorded through the real services, to try Lotkeeper on.

Everything goes through the same services a maker uses (so the demo is also a smoke test of
them) inside one transaction: a failure leaves the store empty, never half-filled. Dates are
relative to `today`, so the demo always shows a lot that has just expired, a material below its
reorder level, and a fragrance blend that went into both soaps and candles (trace its lavender).

One product of each label profile has everything its label needs from the store (the maker's
name and addresses come from the config's `[maker]`): the cedar soap (cosmetic: INCI names,
declared allergens, net content, rinse-off), the wax melts (candle: their fragrance oil's CLP
data at their 10 % load), the biscuits (food: ingredients with their allergens) and the soap
dish (general goods). The lavender soap and the blend-scented candle keep the plain batch label
(their materials' label data is there: give them a profile to see what they miss; a candle with a
blend of two oils needs the blend's own CLP data from its supplier).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tortoise.transactions import in_transaction

from tui.config import CodesConfig
from tui.errors import InvalidInput
from tui.services.catalog import add_customer, add_material, add_supplier
from tui.services.inventory import receive
from tui.services.locations import add_location
from tui.services.production import make
from tui.services.products import add_product
from tui.services.profiles import ClpInput, LabelFields, allergen_rows, label_fields, set_material_clp
from tui.services.sales import sell
from tui.store.models import Customer, Location, Lot, Material, Product, Supplier

SUPPLIERS = ("Oliva Trading", "Aroma Essentials", "Candle Craft Supply", "Bench Basics")

# name, unit, reorder level, supplier codes (=PACK: the barcode on a pack), whose codes,
# density (g per ml), packs
MATERIALS = (
    ("Sodium hydroxide (lye)", "g", "500", ("NAOH-1KG",), "Bench Basics", None, ()),
    ("Olive oil", "g", "5 kg", ("8412345001239",), "Oliva Trading", "0.91", ("tin=5kg",)),
    ("Coconut oil", "g", "1000", ("OT-COCO-5",), "Oliva Trading", "0.92", ()),
    ("Shea butter", "g", "500", (), None, None, ()),
    ("Lavender essential oil", "ml", "100", ("AE-LAV-500",), "Aroma Essentials", "0.89", ()),
    ("Cedarwood essential oil", "ml", "50", ("AE-CED-250",), "Aroma Essentials", "0.95", ()),
    ("Soy wax", "g", "2 kg", (), None, None, ()),
    ("Cotton wick", "pcs", "50", (), None, None, ("bag=100",)),
    (
        "Amber jar 200 ml",
        "pcs",
        "30",
        ("CCS-JAR200", "CCS-JAR200-C12=case"),
        "Candle Craft Supply",
        None,
        ("case=12",),
    ),
    ("Product label", "pcs", "100", (), None, None, ()),
    ("Lavender fragrance oil", "g", "100", (), None, None, ()),
    ("Rolled oats", "g", "0", (), None, None, ()),
    ("Raw honey", "g", "0", (), None, None, ()),
    ("Butter", "g", "0", (), None, None, ()),
    ("Soap dish blank", "pcs", "0", (), None, None, ()),
)

# material: INCI (or food ingredient) name, allergens (NAME=PERCENT as declared; food: its name)
LABEL_DATA = {
    "Olive oil": ("Olea Europaea Fruit Oil", ()),
    "Coconut oil": ("Cocos Nucifera Oil", ()),
    "Shea butter": ("Butyrospermum Parkii Butter", ()),
    "Sodium hydroxide (lye)": ("Sodium Hydroxide", ()),
    "Lavender essential oil": (
        "Lavandula Angustifolia Oil",
        ("Linalool=35", "Limonene=0.5", "Geraniol=0.4", "Coumarin=0.1"),
    ),
    "Cedarwood essential oil": ("Cedrus Atlantica Bark Oil", ("Limonene=0.2",)),
    "Soy wax": ("Hydrogenated Soybean Oil", ()),
    "Lavender fragrance oil": ("Parfum", ("Linalool=28",)),
    "Rolled oats": ("Rolled oats", ("oats",)),
    "Raw honey": ("Honey", ()),
    "Butter": ("Butter", ("milk",)),
}

# The supplier's safety data sheet for the wax melts' fragrance oil at a 10 % load.
CLP = (
    "Lavender fragrance oil",
    ClpInput(
        "10",
        ("GHS07",),
        "Warning",
        ("H317 May cause an allergic skin reaction.",),
        (
            "P101 If medical advice is needed, have product container or label at hand.",
            "P102 Keep out of reach of children.",
            "P280 Wear protective gloves.",
            "P302+P352 IF ON SKIN: Wash with plenty of water.",
            "P501 Dispose of contents/container in accordance with local regulations.",
        ),
        ("linalool",),
        "N1QV-R0VK-K00F-0P3D",
    ),
)

# Where materials are kept: a shelf per first letter of their names.
LOCATIONS = {letter: f"Shelf {letter}" for letter in "CLOPSARB"}

# material, qty (any unit or pack), supplier, their lot, cost, received (days ago), expires
# (days from today)
RECEIPTS = (
    ("Olive oil", "2 tins", "Oliva Trading", "OT-2291", "48.00", 60, 300),
    ("Olive oil", "10 kg", "Oliva Trading", "OT-2417", "52.00", 10, 350),
    ("Coconut oil", "5000", "Oliva Trading", "OT-C118", "30.00", 60, 400),
    ("Shea butter", "2000", "Oliva Trading", "SB-77", "28.00", 90, -5),
    ("Shea butter", "1000", "Oliva Trading", "SB-93", "15.00", 20, 365),
    ("Sodium hydroxide (lye)", "2000", "Bench Basics", "BB-NAOH-2", "9.50", 60, None),
    ("Lavender essential oil", "500", "Aroma Essentials", "AE-LAV-0425", "42.00", 50, 700),
    ("Cedarwood essential oil", "250", "Aroma Essentials", "AE-CED-0311", "18.00", 50, 700),
    ("Soy wax", "10000", "Candle Craft Supply", "CCS-W55", "65.00", 40, None),
    ("Cotton wick", "200", "Candle Craft Supply", None, "12.00", 40, None),
    ("Amber jar 200 ml", "4 cases", "Candle Craft Supply", None, "38.40", 40, None),
    ("Product label", "500", "Bench Basics", None, "15.00", 70, None),
    ("Lavender fragrance oil", "500", "Aroma Essentials", "AE-LFO-0602", "21.00", 35, 700),
    ("Rolled oats", "5000", "Bench Basics", "BB-OAT-9", "8.00", 30, 240),
    ("Raw honey", "3000", "Bench Basics", "BB-HNY-4", "27.00", 30, 700),
    ("Butter", "2000", "Bench Basics", "BB-BTR-12", "14.00", 20, 60),
    ("Soap dish blank", "50", "Bench Basics", None, "40.00", 30, None),
)

# name, SKU, unit, GTIN, shelf life (days), recipe per unit made
PRODUCTS = (
    (
        "Lavender & cedar fragrance blend",
        "BLEND-LC",
        "ml",
        None,
        365,
        (("Lavender essential oil", "0.7"), ("Cedarwood essential oil", "0.3")),
    ),
    (
        "Lavender olive soap",
        "SOAP-LAV",
        "pcs",
        "5069999000014",
        540,
        (
            ("Olive oil", "70"),
            ("Coconut oil", "25"),
            ("Shea butter", "5"),
            ("Sodium hydroxide (lye)", "13.5"),
            ("BLEND-LC", "3"),
            ("Product label", "1"),
        ),
    ),
    (
        "Cedar coconut soap",
        "SOAP-CED",
        "pcs",
        None,
        540,
        (
            ("Coconut oil", "60"),
            ("Olive oil", "35"),
            ("Sodium hydroxide (lye)", "15"),
            ("Cedarwood essential oil", "2"),
            ("Product label", "1"),
        ),
    ),
    (
        "Lavender soy candle 200 ml",
        "CNDL-LAV",
        "pcs",
        "5069999000021",
        730,
        (
            ("Soy wax", "180"),
            ("BLEND-LC", "12"),
            ("Cotton wick", "1"),
            ("Amber jar 200 ml", "1"),
            ("Product label", "1"),
        ),
    ),
    (
        "Lavender soy wax melts",
        "MELT-LAV",
        "pcs",
        None,
        730,
        (("Soy wax", "72"), ("Lavender fragrance oil", "8"), ("Product label", "1")),
    ),
    (
        "Honey oat biscuits",
        "BISC-OAT",
        "pcs",
        None,
        60,
        (("Rolled oats", "80"), ("Raw honey", "40"), ("Butter", "40"), ("Product label", "1")),
    ),
    ("Cedar soap dish", "DISH-CED", "pcs", None, None, (("Soap dish blank", "1"), ("Product label", "1"))),
)

# SKU: profile, net quantity, rinse-off
PROFILES = {
    "SOAP-CED": ("cosmetic", "110g", True),
    "MELT-LAV": ("candle", "80g", False),
    "BISC-OAT": ("food", "150g", False),
    "DISH-CED": ("general", "", False),
}

# SKU, qty, made (days ago)
BATCHES = (
    ("BLEND-LC", "150", 45),
    ("SOAP-LAV", "40", 44),
    ("SOAP-CED", "30", 30),
    ("BLEND-LC", "300", 22),
    ("CNDL-LAV", "20", 21),
    ("SOAP-LAV", "24", 7),
    ("MELT-LAV", "30", 6),
    ("BISC-OAT", "12", 5),
    ("DISH-CED", "10", 4),
)

# name, email, postal address (what a recall letter needs)
CUSTOMERS = (
    ("Green Leaf Boutique", "orders@greenleaf.example", "12 Market Row\nHebden Bridge HX7 8AA"),
    ("Maria Santos", "maria.santos@example.com", "4 Church Lane\nTodmorden OL14 5QT"),
    ("Tom Becker", "tom.becker@example.net", None),
    ("Priya Shah", "priya@example.org", "Flat 2, 88 Mill Street\nHalifax HX1 2RD"),
    ("Market walk-in", None, None),
)

# customer, order ref, channel, sold (days ago), lines (SKU, qty)
ORDERS = (
    ("Green Leaf Boutique", "WS-1001", "wholesale", 40, (("SOAP-LAV", "20"),)),
    ("Maria Santos", "MKT-0412", "market", 28, (("SOAP-LAV", "2"), ("SOAP-CED", "1"))),
    ("Tom Becker", "ETSY-3050117731", "etsy", 25, (("SOAP-CED", "3"),)),
    ("Priya Shah", "SHOP-1042", "shopify", 15, (("CNDL-LAV", "2"), ("SOAP-LAV", "1"))),
    ("Green Leaf Boutique", "WS-1002", "wholesale", 12, (("CNDL-LAV", "10"), ("SOAP-CED", "12"))),
    ("Market walk-in", "MKT-0503", "market", 3, (("SOAP-LAV", "3"),)),
)


@dataclass(frozen=True)
class DemoSummary:
    today: date
    suppliers: int
    materials: int
    material_lots: int
    products: int
    batches: int
    customers: int
    orders: int
    example_lot: str
    """The lavender oil lot: its trace goes through both blends into soaps and candles."""


async def example_lot() -> str | None:
    """The demo's lavender oil lot (seeded earlier), or None in a store that is not the demo's."""
    lot = (
        await Lot.filter(material__name="Lavender essential oil", supplier_lot="AE-LAV-0425")
        .order_by("id")
        .first()
    )
    return lot.code if lot else None


def welcome(lot: str) -> str:
    """What Home says first on the demo data: one line a new user can act on (80 columns)."""
    return f"Demo: press 4, type {lot} in Trace to see where a lavender lot went."


async def store_is_empty() -> bool:
    for model in (Supplier, Material, Product, Customer, Lot, Location):
        if await model.exists():
            return False
    return True


async def seed_demo(today: date | None = None, codes: CodesConfig | None = None) -> DemoSummary:
    """Fill an empty store with the demo workshop; refuses a store that already holds data."""
    day = today or date.today()
    codes = codes or CodesConfig()
    if not await store_is_empty():
        raise InvalidInput(
            "this store already holds data: the demo only fills an empty one "
            "(try `lotkeeper --db demo.db demo`)"
        )

    def ago(days: int) -> date:
        return day - timedelta(days=days)

    async with in_transaction():
        for name in SUPPLIERS:
            await add_supplier(name)
        for name, unit, reorder, supplier_codes, owner, density, packs in MATERIALS:
            inci, allergens = LABEL_DATA.get(name, (None, ()))
            await add_material(
                name,
                unit,
                reorder=reorder,
                codes=supplier_codes,
                supplier=owner,
                density=density,
                packs=packs,
                inci=inci,
                allergens=allergen_rows(allergens),
            )
        await set_material_clp(*CLP)
        for letter, shelf in LOCATIONS.items():
            await add_location(f"SHELF-{letter}", shelf)
        example = ""
        for material, qty, supplier, their_lot, cost, received, expires in RECEIPTS:
            lot = await receive(
                material,
                qty,
                supplier=supplier,
                supplier_lot=their_lot,
                cost=cost,
                received=ago(received),
                expires=None if expires is None else day + timedelta(days=expires),
                location=f"SHELF-{material[0]}",
                codes=codes,
            )
            if material == "Lavender essential oil":
                example = lot.lot
        for name, sku, unit, gtin, shelf_life, recipe in PRODUCTS:
            profile, net, rinse_off = PROFILES.get(sku, ("", "", False))
            await add_product(
                name,
                sku,
                codes=codes,
                gtin=gtin,
                shelf_life_days=shelf_life,
                recipe=recipe,
                unit=unit,
                label=label_fields(LabelFields(), profile=profile, net=net, rinse_off=rinse_off),
            )
        for sku, qty, made in BATCHES:
            await make(sku, qty, made=ago(made), codes=codes)
        for name, email, address in CUSTOMERS:
            await add_customer(name, email=email, address=address)
        for customer, ref, channel, sold, lines in ORDERS:
            await sell(customer, lines, order=ref, channel=channel, sold_on=ago(sold), station="packing")
    return DemoSummary(
        today=day,
        suppliers=len(SUPPLIERS),
        materials=len(MATERIALS),
        material_lots=len(RECEIPTS),
        products=len(PRODUCTS),
        batches=len(BATCHES),
        customers=len(CUSTOMERS),
        orders=len(ORDERS),
        example_lot=example,
    )
