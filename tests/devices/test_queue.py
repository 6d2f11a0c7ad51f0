"""The persistent print queue against fake printers on loopback: a job is written before it is sent,
an offline, refusing or hanging printer leaves it queued with the error, and nothing is printed
twice (a job that may have printed, or was SENDING when the process died, waits for a person)."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from tests.support.printers import FakeTcpPrinter, brother_pages, closed_port, decode
from tui.codes.gs1 import element_string
from tui.config import CodesConfig, PrinterConfig
from tui.devices.backoff import Backoff
from tui.devices.printers import BrotherPrinter
from tui.errors import InvalidInput, NotFound
from tui.labels import TEMPLATES, BatchData, LocationData
from tui.services import catalog, inventory, production, products
from tui.services.label_data import lot_label_data
from tui.services.printing import INTERRUPTED, RETRY, ClockGuard, PrintService
from tui.store.models import Event, JobStatus, LabelJob

TODAY = date(2026, 11, 5)


class Now:
    def __init__(self) -> None:
        self.at = datetime(2026, 11, 5, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


def printer_at(uri: str, timeout: float = 0.5) -> BrotherPrinter:
    config = PrinterConfig(
        name="bench", kind="brother", uri=uri, model="QL-820NWB", label="62", timeout_s=timeout
    )
    return BrotherPrinter(config, snmp_port=closed_port())


def make_queue(
    uri: str, now: Now, *, synced: bool | None = True, timeout: float = 0.5, station: str = "bench"
) -> PrintService:
    clock = ClockGuard(lambda: synced, today=lambda: TODAY, boot=lambda: "boot-1")
    return PrintService([printer_at(uri, timeout)], clock=clock, now=now, station=station)


@pytest.fixture
async def lot(store: object) -> str:
    await catalog.add_supplier("Oliveto")
    await catalog.add_material("Olive oil", "kg")
    received = await inventory.receive(
        "Olive oil", "10", supplier="Oliveto", supplier_lot="OB-77", expires="2027-11-05", received=TODAY
    )
    return received.lot


async def printed_lots(fake: FakeTcpPrinter, tmp_path: Path) -> list[set[str]]:
    return [decode(page) for job in fake.jobs for page in brother_pages(job, tmp_path)]


async def test_job_is_written_with_its_image_before_anything_is_sent(lot: str) -> None:
    queue = make_queue(f"tcp://127.0.0.1:{closed_port()}", Now())
    job = await queue.enqueue_lot_label(lot, copies=2)
    row = await LabelJob.get(id=job.id)
    assert (job.status, job.lot, job.copies, job.attempts) == (JobStatus.QUEUED, lot, 2, 0)
    assert row.template == "material" and row.template_version == TEMPLATES["material"].version
    assert row.payload["size"] == "62" and row.payload["data"]["supplier_lot"] == "OB-77"
    assert decode(Image.open(io.BytesIO(row.image_png or b""))) == {lot}
    assert (await queue.data(job.id)).lot == lot  # type: ignore[union-attr]


async def test_sent_once_and_never_again(lot: str, tmp_path: Path) -> None:
    fake = FakeTcpPrinter()
    try:
        now = Now()
        queue = make_queue(fake.uri, now)
        job = await queue.enqueue_lot_label(lot)
        [sent] = await queue.process_once()
        assert (sent.id, sent.status, sent.attempts, sent.last_error) == (job.id, JobStatus.SENT, 1, None)
        assert sent.sent_at == now.at
        now.advance(3600)
        assert await queue.process_once() == []
        assert fake.wait(lambda: len(fake.jobs) == 1)
        assert await printed_lots(fake, tmp_path) == [{lot}]
    finally:
        fake.close()


async def test_refusing_printer_keeps_the_job_with_backoff_until_it_comes_back(
    lot: str, tmp_path: Path
) -> None:
    fake = FakeTcpPrinter(listening=False)
    try:
        now = Now()
        queue = make_queue(fake.uri, now)
        job = await queue.enqueue_lot_label(lot)
        [first] = await queue.process_once()
        assert first.status == JobStatus.QUEUED and first.attempts == 1
        assert "refused the connection" in (first.last_error or "")
        assert first.next_attempt_at == now.at + timedelta(seconds=5)
        assert await queue.process_once() == []  # not due yet
        now.advance(5)
        [second] = await queue.process_once()
        assert second.attempts == 2 and second.next_attempt_at == now.at + timedelta(seconds=10)
        assert await Event.filter(kind="printer_trouble").count() == 1
        fake.listen()
        now.advance(10)
        [done] = await queue.process_once()
        assert (done.id, done.status, done.attempts, done.last_error) == (job.id, JobStatus.SENT, 3, None)
        assert await printed_lots(fake, tmp_path) == [{lot}]
    finally:
        fake.close()


def test_backoff_doubles_and_is_capped() -> None:
    backoff = Backoff(first_s=5, factor=2, max_s=60)
    assert [backoff.delay_s(n) for n in (1, 2, 3, 4, 5, 9)] == [5, 10, 20, 40, 60, 60]
    assert RETRY.delay_s(5000) == RETRY.max_s  # a printer off for weeks: still the cap, no overflow


async def test_hanging_printer_leaves_the_job_queued(lot: str) -> None:
    fake = FakeTcpPrinter("hang", rcvbuf=2048)
    try:
        queue = make_queue(fake.uri, Now())
        await queue.enqueue_lot_label(lot)
        [job] = await queue.process_once()
        assert job.status == JobStatus.QUEUED
        assert "stopped taking data; nothing was printed" in (job.last_error or "")
        assert fake.jobs == []
    finally:
        fake.close()


async def test_printer_dying_mid_job_is_retried_and_prints_once(lot: str, tmp_path: Path) -> None:
    fake = FakeTcpPrinter("die", die_after=800, rcvbuf=2048)
    try:
        now = Now()
        queue = make_queue(fake.uri, now, timeout=1.0)
        await queue.enqueue_lot_label(lot)
        [job] = await queue.process_once()
        assert job.status == JobStatus.QUEUED and "nothing was printed" in (job.last_error or "")
        assert fake.wait(lambda: len(fake.partial) == 1)
        fake.mode = "ok"
        now.advance(5)
        [job] = await queue.process_once()
        assert job.status == JobStatus.SENT and job.attempts == 2
        assert await printed_lots(fake, tmp_path) == [{lot}]
    finally:
        fake.close()


async def test_job_that_may_have_printed_waits_for_a_person(lot: str, tmp_path: Path) -> None:
    fake = FakeTcpPrinter("silent")
    try:
        now = Now()
        queue = make_queue(fake.uri, now)
        await queue.enqueue_lot_label(lot)
        [job] = await queue.process_once()
        assert job.status == JobStatus.FAILED and "check the printer" in (job.last_error or "")
        now.advance(3600)
        assert await queue.process_once() == []
        assert fake.connections == 1
        fake.mode = "ok"
        again = await queue.reprint(job.id)
        assert again.reprint_of == job.id and again.status == JobStatus.QUEUED and again.lot == lot
        [sent] = await queue.process_once()
        assert sent.id == again.id and sent.status == JobStatus.SENT
        retried = await queue.retry(job.id)
        assert retried.status == JobStatus.QUEUED
        [sent] = await queue.process_once()
        assert sent.status == JobStatus.SENT
        assert fake.wait(lambda: len(fake.jobs) == 3)  # the silent take, the reprint, the explicit retry
    finally:
        fake.close()


async def test_job_left_sending_by_a_crash_is_failed_not_resent(lot: str) -> None:
    fake = FakeTcpPrinter()
    try:
        now = Now()
        crashed = await make_queue(fake.uri, now).enqueue_lot_label(lot)
        await LabelJob.filter(id=crashed.id).update(status=JobStatus.SENDING, attempts=1)
        queue = make_queue(fake.uri, now)  # the restarted process
        stop = asyncio.Event()
        worker = asyncio.create_task(queue.run(stop, poll_s=0.05))
        fresh = await queue.enqueue_lot_label(lot)
        async with asyncio.timeout(5):
            while (await queue.job(fresh.id)).status != JobStatus.SENT:
                await asyncio.sleep(0.01)
        stop.set()
        await asyncio.wait_for(worker, 5)
        failed = await queue.job(crashed.id)
        assert failed.status == JobStatus.FAILED and failed.last_error == INTERRUPTED
        assert fake.connections == 1  # only the fresh job went out
        assert await Event.filter(kind="print_interrupted").count() == 1
        with pytest.raises(InvalidInput, match="can no longer be cancelled"):
            await queue.cancel(fresh.id)
    finally:
        fake.close()


async def test_dated_labels_wait_for_a_trusted_clock(lot: str) -> None:
    fake = FakeTcpPrinter()
    try:
        queue = make_queue(fake.uri, Now(), synced=False)
        held = await queue.enqueue_lot_label(lot)
        location = await queue.enqueue("location", LocationData("Shelf A3", "SHELF-A3"))
        assert (held.status, location.status) == (JobStatus.HELD, JobStatus.QUEUED)
        assert [j.id for j in await queue.process_once()] == [location.id]
        events = await Event.filter(kind="clock_check").count()
        with pytest.raises(InvalidInput, match="clock says 2026-11-05"):
            await queue.confirm_date(date(2026, 11, 6))
        assert (await queue.job(held.id)).status == JobStatus.HELD
        assert await Event.filter(kind="clock_confirmed").count() == 0 and await Event.all().count() >= events
        released = await queue.confirm_date(TODAY)
        assert [j.id for j in released] == [held.id] and released[0].status == JobStatus.QUEUED
        assert (await Event.get(kind="clock_confirmed")).message == "2026-11-05 boot boot-1"
        [sent] = await queue.process_once()
        assert sent.id == held.id and sent.status == JobStatus.SENT
        assert (await queue.enqueue_lot_label(lot)).status == JobStatus.QUEUED  # confirmed for today
        other_boot = ClockGuard(lambda: False, today=lambda: TODAY, boot=lambda: "boot-2")
        assert not (await other_boot.check()).trusted
    finally:
        fake.close()


async def test_held_labels_go_once_the_clock_synchronises(lot: str) -> None:
    fake = FakeTcpPrinter()
    try:
        synced = [False]
        clock = ClockGuard(lambda: synced[0], today=lambda: TODAY, boot=lambda: "b")
        queue = PrintService([printer_at(fake.uri)], clock=clock, now=Now())
        job = await queue.enqueue_lot_label(lot)
        assert job.status == JobStatus.HELD and await queue.process_once() == []
        synced[0] = True
        [sent] = await queue.process_once()
        assert sent.id == job.id and sent.status == JobStatus.SENT
    finally:
        fake.close()


async def test_bad_requests_write_nothing(lot: str) -> None:
    queue = make_queue(f"tcp://127.0.0.1:{closed_port()}", Now(), synced=False)
    with pytest.raises(InvalidInput, match="copies must be 1 to 999"):
        await queue.enqueue_lot_label(lot, copies=0)
    with pytest.raises(InvalidInput, match="no printer named 'attic'"):
        await queue.enqueue_lot_label(lot, printer="attic")
    with pytest.raises(NotFound, match="no lot with code"):
        await queue.enqueue_lot_label("NOPE-1")
    with pytest.raises(InvalidInput, match="no label template"):
        await queue.enqueue("poster", LocationData("x", "x"))
    with pytest.raises(InvalidInput, match="cannot print"):
        await queue.enqueue("material", LocationData("x", "x"))
    assert await LabelJob.all().count() == 0 and await Event.all().count() == 0
    with pytest.raises(NotFound, match="no print job 99"):
        await queue.retry(99)


async def test_cancel_and_retry_follow_the_job_state(lot: str) -> None:
    queue = make_queue(f"tcp://127.0.0.1:{closed_port()}", Now(), synced=False)
    held = await queue.enqueue_lot_label(lot)
    with pytest.raises(InvalidInput, match="only queued or failed"):
        await queue.retry(held.id)
    cancelled = await queue.cancel(held.id)
    assert cancelled.status == JobStatus.CANCELLED
    assert [j.id for j in await queue.jobs(JobStatus.CANCELLED)] == [held.id]
    assert (await queue.jobs())[0].to_json()["status"] == JobStatus.CANCELLED


async def test_batch_label_carries_a_digital_link_when_configured(store: object) -> None:
    codes = CodesConfig(digital_link_domain="id.example.com")
    await products.add_product(
        "Lavender soap", "LAV-100", codes=codes, gtin="036000291452", shelf_life_days=365
    )
    made = await production.make("LAV-100", "5", made=TODAY, codes=codes)
    template, data, _ = await lot_label_data(made.lot, codes)
    assert template == "batch"
    assert data.link == f"https://id.example.com/01/00036000291452/10/{made.lot}"  # type: ignore[union-attr]
    _, plain, _ = await lot_label_data(made.lot, CodesConfig())
    assert plain.link is None  # type: ignore[union-attr]
    queue = PrintService([printer_at("tcp://127.0.0.1:9")], codes=codes)
    job = await queue.enqueue_lot_label(made.lot)
    image = (await queue.label(job.id)).image
    assert isinstance(data, BatchData)
    gs1 = element_string("00036000291452", made.lot, data.best_before).hri
    assert decode(image) == {data.link, "0036000291452", gs1}  # QR, UPC-A, GS1 DataMatrix


async def test_an_offline_printer_costs_one_attempt_per_pass(lot: str) -> None:
    queue = make_queue(f"tcp://127.0.0.1:{closed_port()}", Now())
    first = await queue.enqueue_lot_label(lot)
    second = await queue.enqueue_lot_label(lot)
    assert [j.id for j in await queue.process_once()] == [first.id]
    untouched = await queue.job(second.id)
    assert (untouched.attempts, untouched.status) == (0, JobStatus.QUEUED)
    with pytest.raises(InvalidInput, match="no printer is configured"):
        await PrintService([]).enqueue_lot_label(lot)


async def test_recovery_of_jobs_without_a_lease_keeps_to_our_printers(lot: str) -> None:
    """Jobs left SENDING before jobs had a lease (0005): only those of our printers are ours to
    fail (leases and stations: tests/devices/test_queue_lease.py)."""
    theirs = await make_queue("tcp://127.0.0.1:9", Now()).enqueue_lot_label(lot)
    await LabelJob.filter(id=theirs.id).update(printer="packing-ql", status=JobStatus.SENDING, attempts=1)
    ours = await make_queue("tcp://127.0.0.1:9", Now()).enqueue_lot_label(lot)
    await LabelJob.filter(id=ours.id).update(status=JobStatus.SENDING, attempts=1)
    assert await make_queue("tcp://127.0.0.1:9", Now()).recover() == [ours.id]
    assert (await LabelJob.get(id=theirs.id)).status == JobStatus.SENDING
