"""The print queue against a printer that misbehaves and senders killed in the middle of a send.

Each round prints the label of a lot of its own with the real `lotkeeper label` while the fake
printer (fake_printer.py) works, refuses, hangs, never reads or drops the line; most senders are
killed with SIGKILL at a random moment, and while one sends, another process of this station or
of another station lists the queue (the listing recovers jobs whose sender is gone). Then a new
process lists the queue (a restart), and now and then the waiting jobs are retried, perhaps
killed again. At the end the printer works and every waiting job is retried.

After every round no job is SENDING; at the end none is waiting, no job printed twice, every job
marked sent was printed, and only a job whose sender was killed is failed as interrupted. What
the printer printed is matched to the jobs by the exact raster bytes each job's image makes.

A command sends every job due on its printers, not only the one it was asked for (`label B`
sends the older job of lot A whose retry is due first). So "whose sender was killed" is read
from the job's lease: the process and start time that last claimed it must be one the campaign
killed; and no sender may find, once its send ended, that its job was failed under it (the
`print_late` event: a live sender judged gone). For the same reason a job listed as waiting may
have been sent by an earlier retry: it is not retried again. One scenario at the start makes
both happen on purpose (`carried_round`).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import random
import signal
import sqlite3
import time
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.services.printing.sender import RETRY

from .fake_printer import MODES, FakePrinter
from .forking import Outcome, cli, collect, fork_call, spawn
from .print_helpers import (
    TIMEOUT_S,
    Command,
    delayed,
    has_ended,
    json_child,
    pg_rows,
    rasters,
    seed_lots,
    start_ticks,
    warm,
    write_config,
)
from .stores import CampaignFailure, Workdir

INTERRUPTED_PREFIX = "interrupted while sending"
STATE = "SELECT j.status, j.last_error FROM label_job j JOIN lot l ON l.id = j.lot_id WHERE l.code = {}"
LEASES = "SELECT id, sender_pid, sender_start FROM label_job WHERE sender_pid IS NOT NULL"
SEND_S = 0.3
"""A first guess at how long a forked `lotkeeper label` takes (then: as measured)."""


@dataclass
class PrintFigures:
    backend: str
    rounds: int = 0
    kills: int = 0
    kills_mid_send: int = 0
    """Kills that left the job SENDING (the listing after found it and failed it)."""
    aimed: int = 0
    """Of the kills, those made once the job was seen SENDING, and that left it SENDING."""
    retries: int = 0
    modes: dict[str, int] = field(default_factory=dict)
    """Plain dicts, not Counters: `dataclasses.asdict` turns a Counter into counts of its items."""
    ended: dict[str, int] = field(default_factory=dict)
    printed: int = 0
    cut_off: int = 0
    """Jobs the printer got part of (dropped line, killed sender): nothing came out."""
    failed_printed: int = 0
    """Failed jobs whose label did come out: a person is told to check (not unknowingly)."""
    twice: int = 0
    stuck: int = 0
    carried: int = 0
    """Jobs interrupted by the kill of a command asked for another job (it sends every due job)."""
    sent_along: int = 0
    """Waiting jobs a retry of another job had sent already: not retried again."""
    slowest_s: float = 0.0
    slowest: str = ""
    """Which command that was."""
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        ended = ", ".join(f"{k} {v}" for k, v in sorted(self.ended.items()))
        modes = ", ".join(f"{k} {v}" for k, v in sorted(self.modes.items()))
        return (
            f"print queue {self.backend:<9} {self.rounds} rounds ({modes}) in {self.seconds:.1f} s: "
            f"{self.kills} senders killed ({self.kills_mid_send} mid-send, {self.aimed} of them aimed), "
            f"{self.retries} retries ({self.sent_along} jobs sent along by another), "
            f"{self.carried} interrupted while another job's command sent them; "
            f"jobs {ended}; printed {self.printed} (of which failed {self.failed_printed}), cut off "
            f"{self.cut_off}; printed twice {self.twice}, stuck sending {self.stuck}; slowest command "
            f"{self.slowest_s:.2f} s ({self.slowest}); failures {len(self.failures)}"
        )


class _Campaign:
    def __init__(self, work: Workdir, rounds: int, seed: int) -> None:
        self.work = work
        self.rng = random.Random(seed)
        self.figures = PrintFigures("postgres" if work.pg else "sqlite", rounds=rounds)
        self.target = work.new_target()
        self.printer = FakePrinter(work.root / "printer", seed)
        self.bench = write_config(work.root / "bench.toml", self.printer.uri, "bench")
        self.packing = write_config(work.root / "packing.toml", self.printer.uri, "packing")
        self.mode = "ok"
        self.took: dict[str, list[float]] = {mode: [] for mode in MODES}
        """How long the commands that were not killed took, by the printer's mode."""
        self.commands: dict[tuple[int, str], Command] = {}
        """Every sending command (`label`, `queue retry`) by (pid, start ticks)."""
        self.interrupted: set[int] = set()
        """Jobs seen failed as interrupted so far."""

    def argv(self, config: Path, *args: str) -> list[str]:
        return ["--config", str(config), "--db", self.target, *args]

    def note(self, outcome: Outcome, what: str, allowed: tuple[int, ...] = (0, 1)) -> None:
        if outcome.seconds > self.figures.slowest_s:
            self.figures.slowest_s, self.figures.slowest = (
                outcome.seconds,
                what + (" killed" if outcome.killed else ""),
            )
        if outcome.killed:
            return
        if outcome.code not in allowed:
            self.figures.failures.append(f"{what}: exit {outcome.code}: {outcome.err.strip()[-400:]}")

    def jobs(self) -> list[dict[str, Any]]:
        """`lotkeeper queue --json` in a new process: a restart, which recovers dead senders' jobs."""
        done = fork_call(cli(self.argv(self.bench, "queue", "--json", "--limit", "10000")))
        self.note(done, "queue --json", (0,))
        if done.code != 0:
            raise CampaignFailure(f"queue --json failed ({done.code}): {done.err.strip()[-400:]}")
        found: list[dict[str, Any]] = json.loads(done.out)
        stuck = [j["id"] for j in found if j["status"] == "sending"]
        if stuck:
            self.figures.stuck += len(stuck)
            raise CampaignFailure(f"jobs {stuck} still sending after every sender ended")
        return found

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.printer.set_mode(mode)

    def kill_at(self) -> float | None:
        """Most sends are killed: at any moment from the start of the command to just past the
        time a command that was not killed took with the printer as it is now."""
        if self.rng.random() >= 0.7:
            return None
        taken = sorted(self.took[self.mode])
        typical = taken[len(taken) // 2] if taken else SEND_S + TIMEOUT_S
        return self.rng.uniform(0.0, typical * 1.1)

    def send_round(self, n: int, lot: str) -> None:
        mode = MODES[n % len(MODES)]
        self.figures.modes[mode] = self.figures.modes.get(mode, 0) + 1
        self.set_mode(mode)
        # Every other cycle of modes, a slow send is killed once it is seen SENDING: whatever the
        # timing, the campaign kills some senders in the middle of their send.
        aimed = mode in ("hang", "never-reads") and (n // len(MODES)) % 2 == 0
        kill = None if aimed else self.kill_at()
        sender = spawn(cli(self.argv(self.bench, "label", lot)), kill_after=kill)
        ticks = start_ticks(sender.pid)
        station = self.rng.choice((self.bench, self.packing))
        listing = spawn(delayed(self.rng.uniform(0, 0.8), cli(self.argv(station, "queue", "--json"))))
        if aimed and self.seen_sending(lot, sender.pid):
            if mode == "never-reads":  # first a look from another process, while it sends
                self.peek(lot, station)
            os.kill(sender.pid, signal.SIGKILL)
            sender.killed = True
        sent, listed = collect([sender, listing], timeout=60)
        after = self.state(lot) if aimed and sender.killed else None
        if after and (after[0] == "sending" or after[1].startswith(INTERRUPTED_PREFIX)):
            self.figures.aimed += 1  # the kill was mid-send (and the listing may have found it)
        self.note(sent, f"label {lot} ({mode})")
        self.note(listed, f"queue --json during a send ({station.stem})", (0,))
        self.ran(sender.pid, ticks, f"label {lot} ({mode})", lot, sent)
        if not sent.killed:
            self.took[mode].append(sent.seconds)

    def ran(self, pid: int, ticks: str, what: str, lot: str, outcome: Outcome) -> None:
        self.commands[(pid, ticks)] = Command(what, lot, outcome.killed)
        if outcome.killed:
            self.figures.kills += 1

    def count_interrupted(self, jobs: list[dict[str, Any]]) -> None:
        now = {j["id"] for j in jobs if (j["last_error"] or "").startswith(INTERRUPTED_PREFIX)}
        self.figures.kills_mid_send += len(now - self.interrupted)
        self.interrupted |= now

    def carried_round(self, first: str, second: str, third: str) -> None:
        """The jobs of `first` and `second` wait for their retry; once it is due, `label third`
        sends `first`'s job (the oldest due) and is killed in the middle; then `queue retry`
        of `third` sends `second`'s job along with its own, and `second` is not retried again."""
        self.set_mode("refuse")
        for lot in (first, second):
            self.note(fork_call(cli(self.argv(self.bench, "label", lot))), f"label {lot} (refuse)")
        time.sleep(RETRY.first_s + 0.2)
        self.set_mode("hang")
        sender = spawn(cli(self.argv(self.bench, "label", third)))
        ticks = start_ticks(sender.pid)
        if self.seen_sending(first, sender.pid):
            os.kill(sender.pid, signal.SIGKILL)
            sender.killed = True
        [sent] = collect([sender], timeout=60)
        self.note(sent, f"label {third} (hang, carrying {first})")
        self.ran(sender.pid, ticks, f"label {third} (hang)", third, sent)
        jobs = self.jobs()
        self.count_interrupted(jobs)
        self.set_mode("ok")
        self.retry_waiting(jobs, kill=False)
        self.jobs()

    def peek(self, lot: str, station: Path) -> None:
        """While the lot's job is being sent, a process of this station or another lists the queue
        (and recovers what it finds gone): it must leave that job alone."""
        done = fork_call(cli(self.argv(station, "queue", "--json")))
        self.note(done, f"queue --json while sending ({station.stem})", (0,))
        for job in json.loads(done.out or "[]"):
            if job["lot"] == lot and (job["last_error"] or "").startswith(INTERRUPTED_PREFIX):
                self.figures.failures.append(
                    f"a queue listing of station {station.stem} failed job {job['id']} while it was sent"
                )

    def rows(self, sql: str, *args: Any) -> list[Any]:
        """Read with a connection of our own (`{}`: each argument's placeholder)."""
        if self.work.pg:
            return asyncio.run(
                pg_rows(self.target, sql.format(*(f"${i + 1}" for i in range(len(args)))), *args)
            )
        with closing(sqlite3.connect(self.target, timeout=5)) as db:
            return db.execute(sql.format(*("?" for _ in args)), args).fetchall()

    def state(self, lot: str) -> tuple[str, str] | None:
        """The status and error of the lot's job (each lot has one)."""
        rows = self.rows(
            "SELECT j.status, j.last_error FROM label_job j JOIN lot l ON l.id = j.lot_id WHERE l.code = {}",
            lot,
        )
        return (rows[0][0], rows[0][1] or "") if rows else None

    def seen_sending(self, lot: str, pid: int, within_s: float = 5.0) -> bool:
        """Wait until the lot's job is SENDING; False once its sender `pid` has ended without
        (it sent an older due job first, and that one failed), not at `within_s` then: the
        command's time would be ours."""
        deadline = time.monotonic() + within_s
        while (found := self.state(lot)) is None or found[0] != "sending":
            if time.monotonic() >= deadline or has_ended(pid):
                return False
            time.sleep(0.01)
        return True

    def retry_waiting(self, jobs: list[dict[str, Any]], *, kill: bool) -> None:
        for job in jobs:
            if job["status"] != "queued":
                continue
            if (self.state(job["lot"]) or ("",))[0] != "queued":  # an earlier retry's command sent it
                self.figures.sent_along += 1
                continue
            moment = self.kill_at() if kill else None
            retry = spawn(cli(self.argv(self.bench, "queue", "retry", str(job["id"]))), kill_after=moment)
            ticks = start_ticks(retry.pid)
            [done] = collect([retry], timeout=60)
            self.figures.retries += 1
            self.note(done, f"queue retry {job['id']}")
            self.ran(retry.pid, ticks, f"queue retry {job['id']}", job["lot"], done)

    def run(self) -> PrintFigures:
        lots = fork_call(json_child(lambda: asyncio.run(seed_lots(self.target, self.figures.rounds + 3))))
        if lots.code != 0:
            raise CampaignFailure(f"seeding failed: {lots.err.strip()[-400:]}")
        seeded: list[str] = json.loads(lots.out)
        self.carried_round(*seeded[:3])
        for n, lot in enumerate(seeded[3:]):
            self.send_round(n, lot)
            jobs = self.jobs()
            self.count_interrupted(jobs)
            if self.rng.random() < 0.3:
                self.set_mode(self.rng.choice(MODES))
                self.retry_waiting(jobs, kill=True)
                self.jobs()
        self.set_mode("ok")
        jobs = self.jobs()
        for _ in range(3):  # the printer works again: every waiting job goes
            if not any(j["status"] == "queued" for j in jobs):
                break
            self.retry_waiting(jobs, kill=False)
            jobs = self.jobs()
        self.check(jobs)
        return self.figures

    def check(self, jobs: list[dict[str, Any]]) -> None:
        hashes = fork_call(json_child(lambda: asyncio.run(rasters(self.target))))
        if hashes.code != 0:
            raise CampaignFailure(f"reading the jobs back failed: {hashes.err.strip()[-400:]}")
        job_of: dict[str, int] = json.loads(hashes.out)
        printed: Counter[int] = Counter()
        for data in self.printer.printed():
            job_id = job_of.get(hashlib.sha256(data).hexdigest())
            if job_id is None:
                self.figures.failures.append(f"the printer printed {len(data)} bytes no job holds")
            else:
                printed[job_id] += 1
        self.figures.printed = sum(printed.values())
        self.figures.cut_off = self.printer.cut_off()
        leases = {r[0]: (r[1], (r[2] or "").rpartition(":")[2]) for r in self.rows(LEASES)}
        for (message,) in self.rows("SELECT message FROM event WHERE kind = {}", "print_late"):
            self.figures.failures.append(f"a live sender's job was failed under it: {message}")
        for job in jobs:
            status, times = job["status"], printed[job["id"]]
            self.figures.ended[status] = self.figures.ended.get(status, 0) + 1
            what = f"job {job['id']} ({job['lot']}, {status}, printed {times}x)"
            if times > 1:
                self.figures.twice += 1
                self.figures.failures.append(f"{what}: printed more than once")
            if status == "sent" and times != 1:
                self.figures.failures.append(f"{what}: marked sent")
            if status == "failed" and times:
                self.figures.failed_printed += 1
            if status not in ("sent", "failed"):
                self.figures.failures.append(f"{what}: still waiting with a working printer")
            if (job["last_error"] or "").startswith(INTERRUPTED_PREFIX):
                self.judge_interrupted(what, job["lot"], leases.get(job["id"], (None, "")))

    def judge_interrupted(self, what: str, lot: str, lease: tuple[int | None, str]) -> None:
        """A job failed as interrupted: the command holding its lease must be one we killed."""
        holder = self.commands.get((lease[0], lease[1])) if lease[0] is not None else None
        if holder is None or not holder.killed:
            by = holder.what if holder else f"pid {lease[0]}, started at tick {lease[1]}"
            self.figures.failures.append(f"{what}: failed as interrupted, but its sender ({by}) was alive")
        elif holder.lot != lot:
            self.figures.carried += 1


def print_queue(work: Workdir, rounds: int, seed: int = 9) -> PrintFigures:
    warm()
    started = time.monotonic()
    campaign = _Campaign(work, rounds, seed)
    try:
        campaign.run()
    except CampaignFailure as exc:
        campaign.figures.failures.append(str(exc))
    finally:
        campaign.printer.stop()
    campaign.figures.seconds = time.monotonic() - started
    return campaign.figures
