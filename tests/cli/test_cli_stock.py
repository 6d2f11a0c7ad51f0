"""`stock --json` on both backends: it writes the query's plain rows, not `stock()`'s objects."""

import orjson

from tests.conftest import MADE
from tui.cli.stock_cmd import _records
from tui.services import inventory, production


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
