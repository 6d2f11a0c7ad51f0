"""Scanning an old label: reprint the lot's last job, or queue a first label, never a double."""

from pathlib import Path

import pytest

from tui.config import PrinterConfig
from tui.devices.printers import make_printer
from tui.errors import NotFound
from tui.services.printing import PrintService
from tui.store.models import JobStatus


@pytest.fixture
def queue(tmp_path: Path) -> PrintService:
    printer = make_printer(PrinterConfig(name="folder", kind="file", uri=str(tmp_path / "labels")))
    return PrintService([printer])


async def test_first_label_then_reprints_of_the_same_image(world, queue) -> None:
    first = await queue.reprint_lot(world.lye)
    assert first.action == "queued" and "no label was printed" in first.message
    assert first.job.lot == world.lye

    again = await queue.reprint_lot(world.lye.lower())
    assert (again.action, again.job.id) == ("waiting", first.job.id)

    [sent] = await queue.process_once()
    assert sent.status == JobStatus.SENT
    copy = await queue.reprint_lot(world.lye)
    assert copy.action == "reprinted" and copy.job.reprint_of == first.job.id
    original, reprinted = await queue.label(first.job.id), await queue.label(copy.job.id)
    assert original.png() == reprinted.png()


async def test_label_for_another_printer_is_rendered_anew(world, queue, tmp_path) -> None:
    other = PrintService([make_printer(PrinterConfig(name="office", kind="file", uri=str(tmp_path / "o")))])
    old = await other.enqueue_lot_label(world.oil_old)
    await other.process_once()
    done = await queue.reprint_lot(world.oil_old)
    assert done.action == "queued" and done.job.printer == "folder" and done.job.id != old.id
    assert "last label was for office" in done.message


async def test_unknown_code_writes_nothing(world, queue, db_dump) -> None:
    before = db_dump()
    with pytest.raises(NotFound, match="no lot with code"):
        await queue.reprint_lot("NOPE-1")
    assert db_dump() == before
