"""Importing Shopify exports into the store: new orders, re-imports, overlaps, bad rows, dry runs."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from tests.orders.conftest import export
from tui.errors import LotkeeperError
from tui.imports import BadImportFile, ImportOptions, ImportRefused, Problem
from tui.services import catalog, sales
from tui.services.order_import import UnmatchedLine, import_orders
from tui.services.orders import PackStatus, find_order, list_orders, orders_to_pack
from tui.store.models import Customer, OrderLine, Sale

FIRST, SECOND, BAD = "orders_export_1.csv", "orders_export_2.csv", "orders_export_bad.csv"


async def by_ref():
    return {o.order: o for o in await list_orders()}


async def test_first_export_adds_orders_lines_and_customers(store):
    report = await import_orders(export(FIRST))
    assert (report.orders_added, report.orders_updated, report.orders_unchanged) == (5, 0, 0)
    assert (report.lines_added, report.customers_added, report.problems) == (10, 4, ())
    assert report.format.value == "shopify" and not report.dry_run
    # no product exists yet: every SKU line is reported, and kept with its SKU and name
    assert UnmatchedLine(11, "DISH-OAK", "Soap dish - Oak") in report.unmatched
    assert len(report.unmatched) == 8

    orders = await by_ref()
    assert list(orders) == ["#1005", "#1004", "#1003", "#1002", "#1001"]  # newest first
    assert {o.status for ref, o in orders.items() if ref != "#1003"} == {PackStatus.OPEN}
    assert orders["#1003"].status is PackStatus.CANCELLED  # refunded and cancelled: nothing ships
    assert [line.open for line in orders["#1003"].lines] == [Decimal(0)]
    lines = {(line.sku, line.name): (line.qty, line.open) for line in orders["#1002"].lines}
    assert lines == {("ROSE-BALM", "Rose Lip Balm"): (1, 1), (None, "Gift wrapping"): (1, 0)}
    assert await orders_to_pack() == 4


async def test_customers_keep_accents_apostrophes_and_their_contacts(store):
    await import_orders(export(FIRST))
    zoe = await Customer.get(email="zoe.obrien@example.com")
    assert (zoe.name, zoe.phone) == ("Zoë O'Brien", "+16035550142")  # Shopify's ' for Excel removed
    assert zoe.address == "12 Market Square\n03801 Portsmouth, NH\nUS"
    assert await Customer.filter(name="François Lefèvre").count() == 1  # the name was split over two lines
    assert await Sale.filter(customer=zoe).count() == 2  # #1001 and #1004: one customer, by e-mail
    gift = await Sale.get(ref="#1005").prefetch_related("customer")
    assert gift.customer is not None and gift.customer.name == "Aoife Ní Bhriain"
    assert gift.ship_to == "Seán Ó Briain\n88 Pleasant St\n03801 Portsmouth, NH\nUS"
    assert (gift.channel, gift.channel_id, gift.total_cents, gift.currency) == (
        "shopify",
        "5912345678905",
        3600,
        "USD",
    )


async def test_reimporting_the_same_file_changes_nothing(store, db_dump):
    first = await import_orders(export(FIRST))
    before = db_dump()
    again = await import_orders(export(FIRST))
    assert (again.orders_added, again.orders_updated, again.orders_unchanged) == (0, 0, 5)
    assert (again.lines_added, again.customers_added, again.customers_updated) == (0, 0, 0)
    assert again.unmatched == first.unmatched  # still worth saying
    assert db_dump() == before


async def test_an_overlapping_later_export_adds_new_orders_and_updates_changed_ones(store):
    await import_orders(export(FIRST))
    report = await import_orders(export(SECOND))
    # #1004 unchanged; #1005 partly refunded since; #1006 and #1007 new
    assert (report.orders_added, report.orders_updated, report.orders_unchanged) == (2, 1, 1)
    assert (report.lines_added, report.customers_added) == (3, 1)
    refunded = await Sale.get(ref="#1005")
    assert (refunded.refund, refunded.refunded_cents, refunded.channel_status) == (
        "partial",
        1000,
        "partially_refunded",
    )
    assert await OrderLine.filter(sale=refunded).count() == 3  # units shipped: nothing cancelled
    assert sum(line.open for line in (await find_order("#1005")).lines) == 3
    walk_in = await find_order("#1007")  # a point-of-sale order without a customer
    assert (walk_in.customer, walk_in.email, walk_in.status) == (None, None, PackStatus.OPEN)
    assert [(line.sku, line.open) for line in walk_in.lines] == [("CED-CANDLE", 1), (None, 0)]


async def test_an_older_export_imported_after_a_newer_one_takes_nothing_back(store):
    await import_orders(export(SECOND))
    report = await import_orders(export(FIRST))
    assert (report.orders_added, report.orders_updated, report.orders_unchanged) == (3, 0, 2)
    refunded = await Sale.get(ref="#1005")
    assert (refunded.refund, refunded.refunded_cents) == ("partial", 1000)


async def test_bad_rows_refuse_the_whole_file_and_write_nothing(store, db_dump):
    await import_orders(export(FIRST))
    before = db_dump()
    with pytest.raises(ImportRefused) as refused:
        await import_orders(export(BAD))
    assert refused.value.problems == (
        Problem(4, "quantity 'two' is not a number"),
        Problem(5, "order number (Name) is empty"),
    )
    assert "row 4: quantity 'two' is not a number" in refused.value.message
    assert db_dump() == before


async def test_skip_bad_imports_the_good_orders_and_lists_the_bad_rows(store):
    report = await import_orders(export(BAD), options=ImportOptions(skip_bad=True))
    assert report.orders_added == 2
    assert [p.row for p in report.problems] == [4, 5]
    assert set(await by_ref()) == {"#1010", "#1012"}  # #1011 had a bad row: left out whole


async def test_a_dry_run_reports_what_the_import_would_do_and_writes_nothing(store, db_dump):
    await import_orders(export(FIRST))
    before = db_dump()
    dry = await import_orders(export(SECOND), options=ImportOptions(dry_run=True))
    assert db_dump() == before
    real = await import_orders(export(SECOND))
    assert dry == replace(real, dry_run=True)
    with pytest.raises(ImportRefused):
        await import_orders(export(BAD), options=ImportOptions(dry_run=True))


async def test_a_file_that_is_no_export_is_refused(store, db_dump):
    before = db_dump()
    with pytest.raises(BadImportFile, match="is not a known order export"):
        await import_orders(export("materials.csv"))
    with pytest.raises(BadImportFile, match="not a Shopify orders export file: it has no Name"):
        await import_orders(export("items-bad.csv"), "shopify")
    assert db_dump() == before


async def test_an_order_number_taken_by_a_bench_sale_is_a_bad_row(shop, db_dump):
    await catalog.add_customer("Walk-up", email="walkup@example.com")
    await sales.sell("Walk-up", [("OAT-SOAP", "1")], order="#1002", sold_on="2026-10-02")
    before = db_dump()
    with pytest.raises(ImportRefused) as refused:
        await import_orders(export(FIRST))
    assert refused.value.problems == (
        Problem(
            4,
            "order #1002 is already recorded as a direct order, not a shopify one: "
            "nothing of it was imported",
        ),
    )
    assert db_dump() == before
    report = await import_orders(export(FIRST), options=ImportOptions(skip_bad=True))
    assert report.orders_added == 4
    bench = await find_order("#1002")
    assert (bench.channel, bench.customer, bench.status) == ("direct", "Walk-up", PackStatus.PACKED)


async def test_a_customer_known_without_email_is_not_merged_by_name(store):
    await catalog.add_customer("Jürgen Groß")  # typed in by hand, no e-mail
    report = await import_orders(export(SECOND))
    [duplicate] = report.possible_duplicates
    assert (duplicate.row, duplicate.name) == (7, "Jürgen Groß")
    assert "not merged" in duplicate.reason
    assert await Customer.filter(name="Jürgen Groß").count() == 2
    with pytest.raises(LotkeeperError, match="more than one customer is named 'Jürgen Groß'"):
        await catalog.find_customer("Jürgen Groß")
    assert (await catalog.find_customer("J.GROSS@example.de")).email == "j.gross@example.de"


async def test_the_same_email_in_another_case_is_the_same_customer(store):
    await catalog.add_customer("Zoe OBrien", email="ZOE.OBRIEN@EXAMPLE.COM")
    report = await import_orders(export(FIRST))
    assert report.customers_added == 3 and report.possible_duplicates == ()
    zoe = await Customer.get(email="ZOE.OBRIEN@EXAMPLE.COM")
    assert zoe.name == "Zoe OBrien"  # the stored name stays
    assert zoe.phone == "+16035550142"  # a blank detail is filled in
    assert report.customers_updated == 1


async def test_progress_is_reported_while_writing(store):
    seen: list[tuple[int, int]] = []
    await import_orders(export(FIRST), progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (5, 5)
