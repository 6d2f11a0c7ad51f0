"""Faults a stress campaign turned into tracebacks: each is now one of our errors, writing nothing.

A unique constraint hit by another station, a full disk, a NUL in a code on PostgreSQL, bytes
that are not UTF-8, and invisible characters that made two names look like one.
"""

from __future__ import annotations

import pytest
from tortoise.connection import get_connection

from tui.errors import Duplicate, InvalidInput, NotFound, StoreError
from tui.services import catalog
from tui.services.resolver import resolve
from tui.services.tracing import trace
from tui.store.db import Store, writing
from tui.store.models import Customer, Supplier


async def test_a_row_another_station_just_added_is_a_duplicate(store: Store) -> None:
    """The race the stations campaign finds, made certain: the row is there when ours is written."""
    await catalog.add_supplier("Acme Oils")
    with pytest.raises(Duplicate, match="a supplier with that name already exists"):
        async with writing():
            await Supplier.create(name="Acme Oils")
    assert await Supplier.all().count() == 1


async def test_a_nul_in_a_trace_code_is_refused_not_sent(store: Store) -> None:
    """PostgreSQL cannot store NUL: asyncpg raised `invalid byte sequence for encoding "UTF8": 0x00`."""
    with pytest.raises(InvalidInput, match="contains control characters"):
        await trace("M260101\x00-001")
    with pytest.raises(NotFound):
        await trace("M260101-001")


async def test_a_nul_anywhere_in_a_scan_never_reaches_the_database(store: Store, codes) -> None:
    for text in ("\x00", "M26\x000101-001", "]C1\x0001" + "0" * 14, "SKU-\x00"):
        assert (await resolve(text, codes)).kind == "unknown"


async def test_bytes_that_are_not_utf8_are_refused_in_a_name(store: Store) -> None:
    with pytest.raises(InvalidInput, match=r"supplier name 'Caf\\xe9' is not UTF-8 text"):
        await catalog.add_supplier("Caf\udce9")
    assert await Supplier.all().count() == 0


@pytest.mark.parametrize(
    "lookalike",
    [
        "Acme\u200b",  # zero-width space
        "\u200dAc\u200cme",  # zero-width joiner and non-joiner
        "\u202eAcme\u202c",  # right-to-left override ... pop
        "\u2066Acme\u2069",  # isolates
        "Ac\u00adme",  # soft hyphen
        "\ufeffAcme",  # byte order mark
    ],
)
async def test_invisible_characters_do_not_make_a_new_name(store: Store, lookalike: str) -> None:
    await catalog.add_supplier("Acme")
    with pytest.raises(Duplicate, match="a supplier named 'Acme' already exists"):
        await catalog.add_supplier(lookalike)
    assert (await catalog.find_supplier(lookalike)).name == "Acme"
    assert await Supplier.all().values_list("name", flat=True) == ["Acme"]


async def test_an_accent_typed_two_ways_is_one_name(store: Store) -> None:
    await catalog.add_customer("Café Rose")  # é as one character
    with pytest.raises(Duplicate):
        await catalog.add_customer("Cafe\u0301 Rose")  # e + combining acute
    assert await Customer.all().count() == 1


@pytest.mark.sqlite_only("PRAGMA max_page_count is SQLite's: the disk-full campaign covers both")
async def test_a_full_disk_is_one_sentence_and_loses_nothing(store: Store) -> None:
    """`PRAGMA max_page_count` makes SQLite answer exactly as on a full disk: SQLITE_FULL."""
    conn = get_connection("default")
    _, rows = await conn.execute_query("PRAGMA page_count")
    await conn.execute_query(f"PRAGMA max_page_count = {rows[0][0]}")
    added = 0
    with pytest.raises(StoreError) as full:
        for i in range(1000):
            await catalog.add_customer(f"Customer {i}", address="A long street name, " * 9)
            added += 1
    assert "is full: this change was not saved, and nothing saved before was lost" in full.value.message
    assert await Customer.all().count() == added
    await conn.execute_query("PRAGMA max_page_count = 1073741823")
    await catalog.add_customer("Space again")
    assert await Customer.all().count() == added + 1


async def test_a_scan_longer_than_any_barcode_is_unknown_at_once(store: Store, codes) -> None:
    """400 KB of digits took 4 s in the GS1 parser; no barcode holds more than 7,089 characters."""
    result = await resolve("1" * 400_000, codes)
    assert result.kind == "unknown"
    assert result.message == "a scan of 400,000 characters is longer than any barcode can hold: scan again"
    assert len(result.code) < 100


async def test_a_lone_surrogate_that_stands_for_no_byte_is_refused_too(store: Store) -> None:
    """Found by the scans campaign: `\\ud800` broke the message itself (UnicodeEncodeError)."""
    with pytest.raises(InvalidInput, match=r"is not UTF-8 text"):
        await catalog.add_supplier("\ud800 Oils")
    with pytest.raises(InvalidInput, match=r"is not UTF-8 text"):
        await trace("\udbb7M260101")
