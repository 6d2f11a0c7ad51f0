"""The resolver on a real store (SQLite and PostgreSQL): every kind of code a bench sees, and garbage
that must never make it raise or write."""

import asyncio
import contextvars
import unicodedata
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.databases import BACKENDS, postgres_store, sqlite_store
from tui.codes.commands import Command, CommandKind
from tui.codes.gs1 import digital_link_uri, element_string
from tui.codes.scan import GS
from tui.config import CodesConfig
from tui.errors import InvalidInput
from tui.services import catalog, inventory, production, products, sales
from tui.services.resolver import ScanResult, next_free_gtin, resolve

CODES = CodesConfig()
SOAP_UPC = "012345678905"
SOAP_GTIN = "00012345678905"
WAX_EAN = "5901234123457"
WAX_GTIN = "05901234123457"


@dataclass(frozen=True)
class Seeded:
    batch: str
    wax_lot: str
    oil_lot: str
    order: str


async def seed() -> Seeded:
    """Rose soap (GTIN = UPC-A 012345678905) made from olive oil; beeswax with a supplier GTIN
    and item code, received with the supplier's batch BW2401; one order."""
    await catalog.add_supplier("Acme Oils")
    await catalog.add_customer("Jo Bloggs")
    await catalog.add_material("Olive oil", "g")
    await catalog.add_material("Beeswax", "g", codes=[WAX_EAN, "ACME-BW-1"], supplier="Acme Oils")
    await products.add_product(
        "Rose soap",
        "rose-100",
        codes=CODES,
        gtin=SOAP_UPC,
        shelf_life_days=365,
        recipe=[("Olive oil", "100")],
    )
    oil = await inventory.receive(
        "Olive oil", "1000", supplier="Acme Oils", received="2026-01-05", codes=CODES
    )
    wax = await inventory.receive(
        "Beeswax",
        "500",
        supplier="Acme Oils",
        supplier_lot="BW2401",
        expires="2028-01-31",
        received="2026-01-06",
        codes=CODES,
    )
    made = await production.make("ROSE-100", "5", made="2026-03-02", codes=CODES)
    sold = await sales.sell("Jo Bloggs", [(made.lot, "1")], order="ETSY-1001", sold_on="2026-03-03")
    return Seeded(batch=made.lot, wax_lot=wax.lot, oil_lot=oil.lot, order=sold.order)


@pytest.fixture
async def seeded(store) -> Seeded:
    return await seed()


async def _kind(text: str) -> tuple[str, str]:
    result = await resolve(text, CODES)
    return result.kind, result.code


@pytest.mark.parametrize(
    "text",
    [
        "ROSE-100",
        "rose-100",
        SOAP_UPC,
        "0" + SOAP_UPC,  # a UPC scanned as its EAN-13 form
        "]E0" + "0" + SOAP_UPC,
        SOAP_GTIN,
        f"(01){SOAP_GTIN}",
        f"]C101{SOAP_GTIN}",
        f"https://id.example.com/01/{SOAP_GTIN}",
    ],
)
async def test_product_in_every_form(seeded, text):
    result = await resolve(text, CODES)
    assert (result.kind, result.code, result.gtin) == ("product", "ROSE-100", SOAP_GTIN)
    assert result.message.startswith("product ROSE-100: Rose soap")


async def test_product_sku_reports_symbology(seeded):
    result = await resolve("]C0ROSE-100\r", CODES)
    assert (result.kind, result.symbology) == ("product", "]C0")


async def test_batch_by_code_and_by_our_own_gs1_labels(seeded):
    payload = element_string(SOAP_GTIN, seeded.batch, date(2027, 3, 2))
    link = digital_link_uri("id.example.com", SOAP_GTIN, seeded.batch)
    for text in [seeded.batch, seeded.batch.lower(), "]C1" + payload.raw, payload.hri, "]Q3" + link]:
        result = await resolve(text, CODES)
        assert (result.kind, result.code, result.gtin) == ("batch", seeded.batch, SOAP_GTIN), text
        assert result.expires == date(2027, 3, 2)
        assert result.message.startswith(f"batch {seeded.batch} of ROSE-100 Rose soap, 4 pcs left")


async def test_product_gs1_with_unknown_batch_keeps_what_was_read(seeded):
    result = await resolve(f"]C101{SOAP_GTIN}17270131" + "10NOPE", CODES)
    assert (result.kind, result.code, result.batch, result.expires) == (
        "product",
        "ROSE-100",
        "NOPE",
        date(2027, 1, 31),
    )
    assert "no batch NOPE of ROSE-100 in the records" in result.message


async def test_material_by_supplier_gtin_and_item_code(seeded):
    for text in [WAX_EAN, "]E0" + WAX_EAN, WAX_GTIN, "ACME-BW-1"]:
        result = await resolve(text, CODES)
        assert (result.kind, result.code) == ("material", "Beeswax"), text
    assert (await resolve(WAX_EAN, CODES)).gtin == WAX_GTIN


async def test_material_gs1_with_new_batch_fills_receiving(seeded):
    result = await resolve(f"]C101{WAX_GTIN}17280229" + f"10BW2402{GS}3712", CODES)
    assert (result.kind, result.code, result.gtin, result.batch, result.expires) == (
        "material",
        "Beeswax",
        WAX_GTIN,
        "BW2402",
        date(2028, 2, 29),
    )
    assert "GS1: GTIN 05901234123457, batch BW2402, expiry 2028-02-29, count 12" in result.message


async def test_material_lot_by_our_code_or_supplier_gtin_and_batch(seeded):
    for text in [seeded.wax_lot, f"01{WAX_GTIN}10BW2401", f"01{WAX_GTIN}10BW2401|17280131"]:
        result = await resolve(text.replace("|", GS), CODES)
        assert (result.kind, result.code, result.batch) == ("material_lot", seeded.wax_lot, "BW2401")
        assert result.expires == date(2028, 1, 31)
    result = await resolve(seeded.oil_lot, CODES)
    assert result.message == f"material lot {seeded.oil_lot}: Olive oil, 500 g left"


async def test_order_and_commands(seeded):
    assert await _kind("ETSY-1001") == ("order", "ETSY-1001")
    assert (await resolve("etsy-1001", CODES)).message == "order ETSY-1001 for Jo Bloggs, 2026-03-03"
    done = await resolve("LK!DONE", CODES)
    assert (done.kind, done.command) == ("command", Command(CommandKind.DONE))
    qty = await resolve("lk!qty:7\n", CODES)
    assert (qty.kind, qty.code, qty.command) == ("command", "LK!QTY:7", Command(CommandKind.QTY, 7))
    other = await resolve("LK!EXPLODE", CODES)
    assert other == ScanResult(
        "unknown", "LK!EXPLODE", "unknown command barcode LK!EXPLODE: print a new command sheet"
    )


async def test_unknown_says_what_was_recognised(seeded):
    valid = await resolve("0012345678912", CODES)
    assert (valid.kind, valid.gtin) == ("unknown", "00012345678912")
    assert valid.message.startswith("valid EAN-13 0012345678912, no product or material has it")
    wrong = await resolve("0012345678906", CODES)
    assert wrong.message == "not a valid GTIN: 0012345678906: check digit should be 5, not 6"
    assert wrong.gtin is None
    supplier = await resolve(f"]C101{'09501101020917'}17270131" + "10ABC", CODES)
    assert (supplier.kind, supplier.gtin, supplier.batch) == ("unknown", "09501101020917", "ABC")
    assert supplier.message == (
        "GS1: GTIN 09501101020917, batch ABC, expiry 2027-01-31; no product or material has GTIN "
        "9501101020917 -- receive it?"
    )
    junk = await resolve("hello\x1b[2J", CODES)
    assert junk == ScanResult(
        "unknown", "hello[2J", "'hello[2J' is not a product, material, lot, order or command we know"
    )
    empty = await resolve(" \x00\r\n", CODES)
    assert (empty.kind, empty.code) == ("unknown", "")


async def test_missing_separator_is_not_trusted(seeded):
    result = await resolve(f"01{WAX_GTIN}10BW240117280131", CODES)
    assert (result.kind, result.code, result.batch, result.expires) == ("material", "Beeswax", None, None)
    assert "seems to contain more fields ((17)280131)" in result.message


async def test_configured_separator(seeded):
    codes = CodesConfig(gs1_separator="|")
    result = await resolve(f"01{WAX_GTIN}10BW2401|17280131", codes)
    assert (result.kind, result.code) == ("material_lot", seeded.wax_lot)


async def test_resolve_writes_nothing(seeded, db_dump):
    before = db_dump()
    for text in [seeded.batch, WAX_EAN, "0012345678912", f"01{WAX_GTIN}10NEW", "LK!DONE", "junk"]:
        await resolve(text, CODES)
    assert db_dump() == before


async def test_next_free_gtin(seeded):
    codes = CodesConfig(gs1_company_prefix="0012345")  # ROSE-100 has item reference 67890
    assert await next_free_gtin(codes) == "0012345000003"
    await products.add_product("Oat soap", "oat-100", codes=codes, gtin="0012345000003")
    assert await next_free_gtin(codes) == "0012345000010"
    upc = CodesConfig(gs1_company_prefix="0012345", gtin_kind="upca")
    assert await next_free_gtin(upc) == "012345000010"
    with pytest.raises(InvalidInput, match="no GS1 company prefix is configured"):
        await next_free_gtin(CODES)


# -- property: any text at all, against a real store ------------------------------------------


@pytest.fixture(scope="module", params=BACKENDS)
def run_in_store(request, tmp_path_factory, migrated_template):
    """A seeded store kept open for the whole module; `run(coro)` runs inside its context."""
    if request.param == "postgres":
        opening = postgres_store(request.getfixturevalue("pg_databases"))
    else:
        opening = sqlite_store(tmp_path_factory.mktemp("resolver") / "lots.db", migrated_template)
    runner = asyncio.Runner()
    context = contextvars.copy_context()
    stack = AsyncExitStack()

    def run(coro):
        return runner.run(coro, context=context)

    run(stack.enter_async_context(opening))
    seeded = run(seed())
    yield run, seeded
    run(stack.aclose())
    runner.close()


KINDS = {"product", "material", "material_lot", "batch", "order", "command", "unknown"}


def _check(result: ScanResult) -> None:
    assert result.kind in KINDS
    for text in (result.code, result.message):
        assert all(not unicodedata.category(c).startswith("C") for c in text), text


KNOWN = st.sampled_from(
    ["ROSE-100", SOAP_UPC, WAX_EAN, "ACME-BW-1", "ETSY-1001", "LK!QTY:3", f"01{WAX_GTIN}"]
)
NOISE = st.text(alphabet=st.characters(max_codepoint=0x9F), max_size=12)
SCANS = st.one_of(
    st.text(),
    st.binary().map(lambda b: b.decode("latin-1")),
    st.tuples(NOISE, KNOWN, NOISE).map("".join),
    st.lists(
        st.sampled_from(["01", "10", "17", "]C1", GS, "(01)", "https://a/01/", "LK!", "9"]), max_size=8
    ).map("".join),
)


@settings(max_examples=150, deadline=None)
@given(SCANS)
def test_resolve_never_raises(run_in_store, text):
    run, _ = run_in_store
    _check(run(resolve(text, CODES)))
