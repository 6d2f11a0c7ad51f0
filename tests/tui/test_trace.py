"""Trace / recall screen: a scanned lot shows its customers; the list exports; a drill is timed."""

from __future__ import annotations

import csv
import sqlite3
from contextlib import closing
from pathlib import Path

from pypdf import PdfReader
from textual.widgets import Input, ProgressBar, Static, TabbedContent, Tree

from tui.config import Config, MakerConfig
from tui.devices.scanners.base import Scan
from tui.scanning import ScanReceived
from tui.screens.trace import ExportPath, TraceScreen
from tui.widgets.lazy_table import LazyTable

LAVENDER_CUSTOMERS = ["Green Leaf Boutique", "Maria Santos", "Market walk-in", "Priya Shah"]
"""Who got something made with the demo's lavender oil lot (through two fragrance blends)."""


def customers(screen: TraceScreen) -> list[str]:
    table = screen.query_one("#customers", LazyTable)
    return [table.row(i)[0] for i in range(table.row_count)]


async def open_all(pilot, tree: Tree) -> None:
    """Show the tree's tab (it is filled then), and open every node (children are added as each
    is opened) until nothing is left closed."""
    tree.screen.query_one("#views", TabbedContent).active = f"tab-{tree.id}"
    await pilot.pause()
    while closed := [n for n in walk_nodes(tree.root) if n.allow_expand and not n.is_expanded]:
        for node in closed:
            node.expand()
        await pilot.pause()


def walk_nodes(node):
    yield node
    for child in node.children:
        yield from walk_nodes(child)


def tree_lines(tree: Tree) -> list[str]:
    lines = []

    def walk(node, depth=0):
        lines.append("  " * depth + str(node.label))
        for child in node.children:
            walk(child, depth + 1)

    walk(tree.root)
    return lines


async def open_trace(app, pilot, wait_for) -> TraceScreen:
    await pilot.press("f5")
    await wait_for(pilot, lambda: isinstance(app.screen, TraceScreen))
    return app.screen


async def test_scanned_lot_shows_its_customers_and_both_trees(make_app, demo, wait_for) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.post_message(ScanReceived(Scan(demo.summary.example_lot, "scanner")))
        await wait_for(pilot, lambda: isinstance(app.screen, TraceScreen) and customers(app.screen))
        screen = app.screen
        assert customers(screen) == LAVENDER_CUSTOMERS
        row = screen.query_one("#customers", LazyTable).row(0)
        assert list(row) == [
            "Green Leaf Boutique",
            "orders@greenleaf.example",
            "",
            "WS-1001, WS-1002",
        ]
        await open_all(pilot, screen.query_one("#forward", Tree))
        forward = "\n".join(tree_lines(screen.query_one("#forward", Tree)))
        assert "order WS-1001  Green Leaf Boutique  20 pcs" in forward
        assert "BLEND260115-01" in forward
        await open_all(pilot, screen.query_one("#backward", Tree))
        backward = tree_lines(screen.query_one("#backward", Tree))
        assert len(backward) == 1 and "from Aroma Essentials" in backward[0]  # a material lot is a root
        summary = str(screen.query_one("#summary", Static).render())
        assert "4 customer(s)" in summary


async def test_typed_order_ref_traces_back_to_its_batches(make_app, wait_for) -> None:
    """WS-1001 took 20 of a 40-soap batch: the tree shows half of each lot the batch used, and of
    the blend's 150 ml batch the 60 ml in those soaps (so 42 of the blend's 105 ml of lavender)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_trace(app, pilot, wait_for)
        screen.query_one("#code", Input).value = "WS-1001"
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.current is not None and screen.current.code == "WS-1001")
        assert customers(screen) == ["Green Leaf Boutique"]
        await open_all(pilot, screen.query_one("#backward", Tree))
        backward = "\n".join(tree_lines(screen.query_one("#backward", Tree)))
        assert "SOAP260116-01" in backward and "Olive oil  1400 g" in backward
        assert "fragrance blend  60 ml" in backward and "Lavender essential oil  42 ml" in backward


async def test_unknown_code_is_an_error_and_keeps_nothing(make_app, wait_for) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_trace(app, pilot, wait_for)
        screen.query_one("#code", Input).value = "NOPE-123"
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("NOPE-123" in n.message for n in app._notifications))
        assert screen.current is None and customers(screen) == []
        await pilot.press("ctrl+s")  # nothing to export yet
        await wait_for(pilot, lambda: any("nothing to export" in n.message for n in app._notifications))
        assert not isinstance(app.screen, ExportPath)


async def test_export_asks_for_a_path_and_writes_contacts(make_app, demo, tmp_path, wait_for) -> None:
    app = make_app()
    target = tmp_path / "out" / "recall.csv"
    async with app.run_test(size=(80, 24)) as pilot:
        app.post_message(ScanReceived(Scan(demo.summary.example_lot, "scanner")))
        await wait_for(pilot, lambda: isinstance(app.screen, TraceScreen) and customers(app.screen))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportPath))
        suggested = app.screen.query_one("#path", Input).value
        assert suggested.startswith(str(tmp_path / "exports" / f"recall-{demo.summary.example_lot}-"))
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await wait_for(pilot, target.exists)
    with target.open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert sorted({r["customer"] for r in rows}) == LAVENDER_CUSTOMERS
    green = [r for r in rows if r["customer"] == "Green Leaf Boutique"]
    assert {(r["order"], r["batch"]) for r in green} >= {
        ("WS-1001", "SOAP260116-01"),
        ("WS-1002", "CNDL260208-01"),
    }
    assert green[0]["email"] == "orders@greenleaf.example"


async def test_export_to_a_folder_is_refused_and_writes_nothing(make_app, demo, tmp_path, wait_for) -> None:
    app = make_app()
    folder = tmp_path / "a-folder"
    folder.mkdir()
    async with app.run_test(size=(80, 24)) as pilot:
        app.post_message(ScanReceived(Scan(demo.summary.example_lot, "scanner")))
        await wait_for(pilot, lambda: isinstance(app.screen, TraceScreen) and customers(app.screen))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportPath))
        app.screen.query_one("#path", Input).value = str(folder)
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("is a folder" in n.message for n in app._notifications))
    assert list(folder.iterdir()) == []


async def test_mock_recall_drill_is_timed_from_scan_to_export(make_app, demo, tmp_path, wait_for) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_trace(app, pilot, wait_for)
        await pilot.press("ctrl+r")
        assert "scan the recalled lot" in str(screen.query_one("#status", Static).render())
        assert screen.drill_started is None  # the clock waits for the scan
        app.post_message(ScanReceived(Scan(demo.summary.example_lot, "scanner")))
        await wait_for(pilot, lambda: customers(screen))
        assert screen.drill_started is not None
        await wait_for(
            pilot, lambda: "Recall drill running" in str(screen.query_one("#status", Static).render())
        )
        app.post_message(ScanReceived(Scan("LK!DONE", "scanner")))  # export, no typing
        await wait_for(
            pilot, lambda: "Recall drill done in" in str(screen.query_one("#status", Static).render())
        )
        assert screen.drill_started is None
        await wait_for(pilot, lambda: _drills(demo.path))
    exported = list((tmp_path / "exports").glob("recall-*.csv"))
    assert len(exported) == 1
    assert "4 customer(s) listed in" in _drills(demo.path)[0]


def _drills(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return [m for (m,) in conn.execute("SELECT message FROM event WHERE kind = 'recall_drill'")]


async def test_exported_cells_never_run_as_spreadsheet_formulas(make_app, demo, tmp_path, wait_for) -> None:
    with closing(sqlite3.connect(demo.path)) as conn:
        conn.execute("UPDATE customer SET name = ? WHERE name = 'Maria Santos'", ('=HYPERLINK("http://x")',))
        conn.commit()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.post_message(ScanReceived(Scan(demo.summary.example_lot, "scanner")))
        await wait_for(pilot, lambda: isinstance(app.screen, TraceScreen) and customers(app.screen))
        app.post_message(ScanReceived(Scan("LK!DONE", "scanner")))
        await wait_for(pilot, lambda: list((tmp_path / "exports").glob("recall-*.csv")))
    (exported,) = (tmp_path / "exports").glob("recall-*.csv")
    with exported.open(newline="") as f:
        names = {r["customer"] for r in csv.DictReader(f)}
    assert '\'=HYPERLINK("http://x")' in names and not any(n.startswith("=") for n in names)


async def test_a_node_with_many_children_opens_a_page_at_a_time() -> None:
    from textual.app import App, ComposeResult

    from tui.services.tracing import TraceNode
    from tui.widgets.trace_tree import PAGE, More, TraceTree

    sales = tuple(
        TraceNode(f"O{i:04d}", "sale", "Soap", None, "pcs", customer="C") for i in range(PAGE * 2 + 50)
    )
    batch = TraceNode("B-1", "batch", "Soap", None, "pcs", children=sales)
    root = TraceNode("M-1", "material_lot", "Oil", None, "g", children=(batch,))

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield TraceTree()

    app = One()
    async with app.run_test() as pilot:
        tree = app.query_one(TraceTree)
        tree.show(root)
        (node,) = tree.root.children
        assert node.allow_expand and not node.children  # nothing made until it is opened
        node.expand()
        await pilot.pause()
        assert len(node.children) == PAGE + 1
        more = node.children[-1]
        assert isinstance(more.data, More) and f"{PAGE + 50:,} more" in str(more.label)
        tree.select_node(more)
        tree.action_select_cursor()
        await pilot.pause()
        assert len(node.children) == 2 * PAGE + 1 and "50 more" in str(node.children[-1].label)


async def test_leaving_the_screen_lets_go_of_the_trace_and_coming_back_shows_it(
    make_app, demo, wait_for
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.post_message(ScanReceived(Scan(demo.summary.example_lot, "scanner")))
        await wait_for(pilot, lambda: isinstance(app.screen, TraceScreen) and customers(app.screen))
        screen = app.screen
        await pilot.press("f1")
        await wait_for(pilot, lambda: screen.current is None and not customers(screen))
        await pilot.press("f5")
        await wait_for(pilot, lambda: customers(screen) == LAVENDER_CUSTOMERS)
        assert screen.current is not None and screen.current.code == demo.summary.example_lot
        # Left again, then a scan opens the screen: that scan is shown, not the trace let go of.
        await pilot.press("f1")
        await wait_for(pilot, lambda: screen.current is None)
        app.post_message(ScanReceived(Scan("WS-1001", "scanner")))
        await wait_for(pilot, lambda: screen.current is not None and screen.current.code == "WS-1001")
        await pilot.pause(0.2)
        assert screen.current.code == "WS-1001" and customers(screen) == ["Green Leaf Boutique"]


async def test_recall_pack_writes_the_pack_and_notices_into_a_folder(
    make_app, demo, tmp_path, wait_for
) -> None:
    """Ctrl+N: a folder is asked for, the work runs in a worker with a progress bar, and the CSV,
    spreadsheet, PDF and one notice per customer of the demo's lavender lot are there after."""
    maker = MakerConfig(name="Mill Lane Soaps", email="hello@mill.example", address="12 Mill Lane, Bath")
    app = make_app(config=Config(maker=maker))
    folder = tmp_path / "pack"
    lot = demo.summary.example_lot
    async with app.run_test(size=(80, 24)) as pilot:
        app.post_message(ScanReceived(Scan(lot, "scanner")))
        await wait_for(pilot, lambda: isinstance(app.screen, TraceScreen) and customers(app.screen))
        screen = app.screen
        bar = screen.query_one("#pack-progress", ProgressBar)
        assert not bar.display
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportPath))
        suggested = app.screen.query_one("#path", Input).value
        assert suggested.startswith(str(tmp_path / "exports" / f"recall-{lot}-"))
        assert not suggested.endswith(".csv")
        app.screen.query_one("#path", Input).value = str(folder)
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: "recall pack saved" in str(screen.query_one("#status", Static).render())
        )
        assert bar.display and bar.percentage == 1
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["notices", f"recall-{lot}.csv", f"recall-{lot}.pdf", f"recall-{lot}.xlsx"]
    with (folder / f"recall-{lot}.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert sorted({r["Customer"] for r in rows}) == LAVENDER_CUSTOMERS
    letters = sorted(p.name for p in (folder / "notices").glob("*.pdf"))
    assert len(letters) == len(LAVENDER_CUSTOMERS)
    assert "Recall pack: material lot" in PdfReader(folder / f"recall-{lot}.pdf").pages[0].extract_text()


async def test_recall_pack_without_a_maker_says_what_to_set_and_writes_nothing(
    make_app, demo, tmp_path, wait_for
) -> None:
    app = make_app()
    folder = tmp_path / "pack"
    async with app.run_test(size=(80, 24)) as pilot:
        app.post_message(ScanReceived(Scan(demo.summary.example_lot, "scanner")))
        await wait_for(pilot, lambda: isinstance(app.screen, TraceScreen) and customers(app.screen))
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportPath))
        app.screen.query_one("#path", Input).value = str(folder)
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("set [maker] name" in n.message for n in app._notifications))
    assert not folder.exists()


async def test_recall_pack_of_an_order_asks_for_a_lot(make_app, wait_for) -> None:
    app = make_app(config=Config(maker=MakerConfig(name="Mill", email="m@mill.example")))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_trace(app, pilot, wait_for)
        screen.query_one("#code", Input).value = "WS-1001"
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.current is not None and screen.current.code == "WS-1001")
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: any("starts from a lot" in n.message for n in app._notifications))
        assert app.screen is screen  # no folder asked for
