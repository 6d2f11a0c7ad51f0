"""`stock --json` on both backends: it writes the query's plain rows, not `stock()`'s objects."""

import orjson
from click.testing import CliRunner

from tests.conftest import MADE
from tui.cli import main
from tui.cli.stock_cmd import _records
from tui.services import inventory, production
from tui.store.sql import fetch, fetch_chunks


async def test_stock_listing_rows_read_the_same_on_both_backends(world, codes):
    """`stock --json` writes the query's plain rows (`stock_columns`): SQLite hands dates back as
    text and PostgreSQL as dates; both must print as `stock()`'s rows do."""
    await production.make("BLEND-LAV", "2.5", made=MADE, codes=codes)
    await inventory.waste(world.lye, "1000", reason="spilt")
    for everything in (False, True):
        rows = await inventory.stock(include_empty=everything)
        columns = await inventory.stock_columns(include_empty=everything)
        expected = [
            {
                "lot": r.lot,
                "item": r.item,
                "on_hand": format(r.on_hand, "f"),
                "unit": r.unit,
                "expires": None if r.expires is None else r.expires.isoformat(),
                "location": r.location,
            }
            for r in rows
        ]
        assert orjson.loads(orjson.dumps(list(_records(columns)))) == expected
        assert [str(c[4] or "") for c in columns] == [str(r.expires or "") for r in rows]
    assert "97.5" in {inventory.qty_text(c[2]) for c in columns}  # the lavender oil left, in thousandths


async def test_rows_read_in_chunks_are_the_rows_read_at_once(world, codes):
    """`stock --json` streams `stock_chunks`; on both backends they hold `stock_columns`' rows, in order."""
    await production.make("BLEND-LAV", "2.5", made=MADE, codes=codes)
    sql = {dialect: inventory._STOCK_SQL[dialect, True, False] for dialect in ("sqlite", "postgres")}
    whole = [tuple(row) for row in await fetch(sql)]
    assert len(whole) == 6
    pieces = [[tuple(row) for row in chunk] async for chunk in fetch_chunks(sql, size=4)]
    assert [len(piece) for piece in pieces] == [4, 2]
    assert [row for piece in pieces for row in piece] == whole
    streamed = [tuple(row) async for chunk in inventory.stock_chunks(True) for row in chunk]
    assert streamed == [tuple(row) for row in await inventory.stock_columns(True)] == whole


def test_json_stream_is_one_document_and_a_refusal_writes_nothing(tmp_path):
    db = tmp_path / "lots.db"
    lk = CliRunner()
    assert lk.invoke(main, ["--db", str(db), "location", "add", "SHELF-A1"]).exit_code == 0
    empty = lk.invoke(main, ["--db", str(db), "stock", "--all", "--json", "--location", "SHELF-A1"])
    assert (empty.exit_code, empty.stdout) == (0, "[]\n")
    refused = lk.invoke(main, ["--db", str(db), "stock", "--json", "--location", "NOWHERE"])
    assert (refused.exit_code, refused.stdout) == (2, "")
    assert refused.stderr.startswith("error: no location 'NOWHERE'")
