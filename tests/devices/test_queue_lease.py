"""Jobs whose sender is gone: a job SENDING carries a lease (host, process, heartbeat), and any
process of the station that finds the sender gone marks the job FAILED, never resends it on its
own; another station's jobs are left alone. The last test kills a real `lotkeeper label`."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from tests.devices.test_queue import Now, lot, make_queue  # noqa: F401  (lot: a fixture)
from tests.devices.test_queue_cli import LOT, db, jobs, lk, write_config  # noqa: F401  (db: a fixture)
from tests.support.printers import FakeTcpPrinter, closed_port
from tui.errors import InvalidInput
from tui.services.printing import INTERRUPTED, PrintService
from tui.services.printing.lease import STALE_S, sender_gone, this_process
from tui.store import label_jobs
from tui.store.label_jobs import Lease
from tui.store.models import Event, JobStatus, LabelJob

ROOT = Path(__file__).resolve().parents[2]
OFFLINE = f"tcp://127.0.0.1:{closed_port()}"


def dead_lease() -> Lease:
    """The lease of a process of this host that has ended (and was reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return Lease(this_process().host, child.pid, "gone")


async def sending_under(job_id: int, lease: Lease, now: Now) -> None:
    row = await LabelJob.get(id=job_id)
    assert await label_jobs.claim(row, now(), lease)


async def test_a_killed_senders_job_is_failed_by_any_process_of_the_station(lot: str) -> None:  # noqa: F811
    now = Now()
    queue = make_queue(OFFLINE, now)
    job = await queue.enqueue_lot_label(lot)
    await sending_under(job.id, dead_lease(), now)
    # A process without that printer (`lotkeeper queue`) finds it as well as the App would.
    assert await PrintService([], station="bench", now=now).recover() == [job.id]
    failed = await queue.job(job.id)
    assert (failed.status, failed.last_error) == (JobStatus.FAILED, INTERRUPTED)
    assert await Event.filter(kind="print_interrupted").count() == 1
    assert await queue.recover() == []  # once
    assert (await queue.cancel(job.id)).status == JobStatus.CANCELLED


async def test_retry_and_cancel_find_the_dead_sender_themselves(lot: str) -> None:  # noqa: F811
    now = Now()
    queue = make_queue(OFFLINE, now)
    first, second = await queue.enqueue_lot_label(lot), await queue.enqueue_lot_label(lot)
    for job in (first, second):
        await sending_under(job.id, dead_lease(), now)
    assert (await queue.cancel(first.id)).status == JobStatus.CANCELLED
    retried = await queue.retry(second.id)
    assert retried.status == JobStatus.QUEUED and retried.attempts == 1


async def test_a_live_sender_keeps_its_job(lot: str) -> None:  # noqa: F811
    now = Now()
    queue = make_queue(OFFLINE, now)
    job = await queue.enqueue_lot_label(lot)
    await sending_under(job.id, this_process(), now)
    assert await make_queue(OFFLINE, now).recover() == []
    with pytest.raises(InvalidInput, match="sending: it can no longer be cancelled"):
        await queue.cancel(job.id)
    with pytest.raises(InvalidInput, match="sending: only queued or failed jobs"):
        await queue.retry(job.id)
    assert (await queue.job(job.id)).status == JobStatus.SENDING


async def test_a_job_another_process_moved_meanwhile_is_not_requeued_or_cancelled(lot: str) -> None:  # noqa: F811
    """`retry` and `cancel` read the job, then change it; another process may claim it (or cancel
    it) in between. Requeued, a job being sent would be sent again (printed twice); cancelled, a
    label coming out now would show as cancelled; a held job cancelled while the clock was checked
    would come back. Each change is made only from the statuses its caller saw."""
    now = Now()
    queue = make_queue(OFFLINE, now)
    job = await queue.enqueue_lot_label(lot)
    await sending_under(job.id, this_process(), now)  # claimed after `retry` or `cancel` looked
    assert await label_jobs.requeue([job.id], (JobStatus.QUEUED, JobStatus.FAILED)) == 0
    assert not await label_jobs.cancelled(job.id, (JobStatus.QUEUED, JobStatus.HELD, JobStatus.FAILED))
    row = await LabelJob.get(id=job.id)
    assert (row.status, row.attempts, Lease.of(row)) == (JobStatus.SENDING, 1, this_process())
    held = await make_queue(OFFLINE, now, synced=False).enqueue_lot_label(lot)
    assert held.status == JobStatus.HELD
    assert (await queue.cancel(held.id)).status == JobStatus.CANCELLED  # while the clock was checked
    assert await label_jobs.requeue([held.id], (JobStatus.HELD,)) == 0
    assert (await queue.job(held.id)).status == JobStatus.CANCELLED


def test_a_reused_process_id_is_not_the_sender() -> None:
    here = this_process()
    now = Now()()
    assert not sender_gone(here, now, now)
    assert sender_gone(Lease(here.host, here.pid, "another-boot:1"), now, now)
    assert sender_gone(Lease(here.host, here.pid, here.start), None, now) is False


async def test_a_sender_on_another_host_is_gone_when_its_heartbeat_is_stale(lot: str) -> None:  # noqa: F811
    now = Now()
    queue = make_queue(OFFLINE, now)
    job = await queue.enqueue_lot_label(lot)
    await sending_under(job.id, Lease("till-2", 4242, "boot:99"), now)
    now.advance(STALE_S - 1)
    assert await queue.recover() == []
    now.advance(2)
    assert await queue.recover() == [job.id]


async def test_another_stations_job_is_theirs_to_recover(lot: str) -> None:  # noqa: F811
    """Stations sharing one PostgreSQL stock: a job of another station is never failed here (its
    sender may be on a computer we cannot see), nor sent to our printer of the same name."""
    now = Now()
    theirs = await make_queue(OFFLINE, now, station="packing").enqueue_lot_label(lot)
    waiting = await make_queue(OFFLINE, now, station="packing").enqueue_lot_label(lot)
    await sending_under(theirs.id, dead_lease(), now)
    ours = make_queue(OFFLINE, now)
    assert await ours.recover() == [] and await ours.process_once() == []
    assert (await ours.job(waiting.id)).attempts == 0
    assert await make_queue(OFFLINE, now, station="packing").recover() == [theirs.id]
    assert (await LabelJob.get(id=theirs.id)).station == "packing"


async def test_the_lease_is_renewed_while_a_label_is_sent(lot: str) -> None:  # noqa: F811
    fake = FakeTcpPrinter("silent")  # takes the label, never ends the job: the send lasts 0.5 s
    try:
        queue = PrintService([make_queue(fake.uri, Now()).printers["bench"]])
        queue.runner.heartbeat_s = 0.05
        job = await queue.enqueue_lot_label(lot)
        [done] = await queue.process_once()
        assert done.status == JobStatus.FAILED and "may or may not have printed" in (done.last_error or "")
        row = await LabelJob.get(id=job.id)
        assert row.sender_pid == os.getpid() and row.station == "bench"
        assert row.heartbeat_at and row.next_attempt_at
        assert row.heartbeat_at - row.next_attempt_at >= timedelta(seconds=0.3)
    finally:
        fake.close()


async def test_a_sender_presumed_gone_does_not_overwrite_the_verdict(lot: str) -> None:  # noqa: F811
    fake = FakeTcpPrinter()
    try:
        now = Now()
        queue = make_queue(fake.uri, now)
        job = await queue.enqueue_lot_label(lot)
        frozen = Lease("till-2", 4242, "boot:99")  # a sender that stopped renewing its lease
        await sending_under(job.id, frozen, now)
        row = await LabelJob.get(id=job.id)
        now.advance(STALE_S + 1)
        assert await queue.recover() == [job.id]
        late = await queue.runner.sender.send(row, frozen)  # ...then came back and printed
        assert late.status == JobStatus.FAILED and late.last_error == INTERRUPTED
        [event] = await Event.filter(kind="print_late")
        assert "printed after all" in event.message
    finally:
        fake.close()


def test_a_label_command_killed_mid_send_is_failed_then_reprinted(tmp_path: Path, db: Path) -> None:  # noqa: F811
    fake = FakeTcpPrinter("silent")  # keeps the command in its send
    try:
        config = write_config(tmp_path, fake.uri)
        config.write_text(config.read_text().replace("timeout_s = 1.0", "timeout_s = 60.0"))
        label = subprocess.Popen(
            [sys.executable, "-m", "tui.cli", "--config", str(config), "--db", str(db), "label", LOT],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        with sqlite3.connect(db) as peek:
            while not peek.execute("SELECT 1 FROM label_job WHERE status = 'sending'").fetchone():
                assert time.monotonic() < deadline and label.poll() is None
                time.sleep(0.05)
        assert fake.wait(lambda: len(fake.jobs) == 1)  # the printer has it; the command waits
        os.kill(label.pid, signal.SIGKILL)
        label.wait()
        [job] = jobs(config, db)
        assert (job["status"], job["last_error"]) == ("failed", INTERRUPTED)
        fake.mode = "ok"
        reprint = lk(config, db, "queue", "reprint", "1")
        assert (reprint.exit_code, reprint.stdout) == (
            0,
            f"printed job 2 (material, lot {LOT}, 1x) on bench\n",
        )
        assert lk(config, db, "queue", "cancel", "1").stdout == "cancelled job 1\n"
        assert [j["status"] for j in jobs(config, db)] == ["sent", "cancelled"]
    finally:
        fake.close()
