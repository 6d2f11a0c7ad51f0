"""SIGKILL through first start, through an upgrade, and through every kind of change.

Timed kills land at evenly spaced moments through a command's run (its length measured first,
unkilled); statement kills (SQLite) land before each SQL statement in turn, so every step of a
first start and an upgrade is hit exactly once. After each kill: the store opens, `lotkeeper
check` passes, and the change is wholly in or wholly out (the fingerprint moved by nothing or by
exactly what one unkilled run moves it).
"""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from .forking import Outcome, cli, fork_call, kill_before_statement
from .previous_schema import (
    LAST_RELEASED,
    applied_migrations,
    migration_names,
    previous_migration,
    previous_schema_store,
    release_before_last,
)
from .stores import (
    CampaignFailure,
    Workdir,
    change_commands,
    check_passes,
    delta,
    fingerprint,
    is_pg,
    pg_drop,
    seeded_store,
)

FIRST_START = ("supplier", "add", "Acme Oils")


@dataclass
class KillFigures:
    scenario: str
    backend: str
    kills: int = 0
    """Runs killed before they finished."""
    finished: int = 0
    """Runs that finished before their kill moment came (counted, checked the same way)."""
    wholly_in: int = 0
    wholly_out: int = 0
    window_s: float = 0.0
    """How long one unkilled run takes (the span the kill moments are spread over)."""
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        runs = f"kills {self.kills:>4}  finished first {self.finished:>3}"
        whole = f"in {self.wholly_in:>4}  out {self.wholly_out:>4}"
        window = f"window {self.window_s * 1000:>6.0f} ms"
        return (
            f"{self.scenario:<12} {self.backend:<10} {runs}  {whole}  {window}  failures {len(self.failures)}"
        )


def _forget(target: str) -> None:
    if is_pg(target):
        pg_drop(target)
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(target + suffix).unlink(missing_ok=True)


GOLDEN = 0.6180339887498949
CALIBRATION_RUNS = 3


def _kill_until(figures: KillFigures, n: int, attempt: Callable[[float], None]) -> None:
    """Attempts at moments spread evenly over the window until `n` runs were killed.

    The moments follow the golden-ratio sequence, which any number of terms spreads evenly, so
    runs that finish before their moment (they are checked too) do not leave a gap. At most 4n.
    """
    tries = 0
    while figures.kills < n and tries < 4 * n:
        attempt(figures.window_s * ((0.5 + tries * GOLDEN) % 1.0))
        tries += 1


def _tally(figures: KillFigures, outcome: Outcome) -> bool:
    """Count the run; False (and a failure noted) when it neither finished cleanly nor was killed."""
    if outcome.killed:
        figures.kills += 1
        return True
    if outcome.code == 0:
        figures.finished += 1
        return True
    figures.failures.append(f"exit {outcome.code}: {(outcome.out + outcome.err).strip()[-300:]}")
    return False


# First start --------------------------------------------------------------------------------


def _after_first_start(work: Workdir, target: str, figures: KillFigures) -> None:
    """The same command again must work (store made or finished) or find the supplier it added."""
    again = work.run(target, *FIRST_START)
    if again.code == 0:
        figures.wholly_out += 1
    elif again.code == 2 and "already exists" in again.err:
        figures.wholly_in += 1
    else:
        raise CampaignFailure(f"after a kill during first start: exit {again.code}: {again.err.strip()}")
    check_passes(work, target)
    if fingerprint(target).get("supplier.rows") != 1:
        raise CampaignFailure("after a kill during first start the supplier is there twice or not at all")


def first_start(work: Workdir, n: int) -> KillFigures:
    figures = KillFigures("first start", "postgres" if work.pg else "sqlite")
    runs = []
    for _ in range(CALIBRATION_RUNS):
        target = work.new_target()
        runs.append(work.run(target, *FIRST_START).seconds)
        _forget(target)
    figures.window_s = statistics.median(runs)

    def attempt(moment: float) -> None:
        target = work.new_target()
        try:
            if _tally(figures, work.run(target, *FIRST_START, kill_after=moment)):
                _after_first_start(work, target, figures)
        except CampaignFailure as exc:
            figures.failures.append(f"kill at {moment * 1000:.0f} ms: {exc}")
        _forget(target)

    _kill_until(figures, n, attempt)
    return figures


# Upgrade from the previous schema -------------------------------------------------------------


def _data(print_: dict[str, int]) -> dict[str, int]:
    """The rows and sums, without the migration records and without tables that are empty
    (an upgrade adds empty tables: that changes no data)."""
    return {k: v for k, v in print_.items() if v and not k.startswith("tortoise_migrations.")}


def _after_upgrade(work: Workdir, target: str, rows: dict[str, int], figures: KillFigures) -> None:
    applied = applied_migrations(target)
    if applied == migration_names():
        figures.wholly_in += 1
    elif applied[-1:] == [previous_migration()]:
        figures.wholly_out += 1
    else:
        raise CampaignFailure(f"after a kill during an upgrade the record says {applied}")
    check_passes(work, target)
    if applied_migrations(target) != migration_names():
        raise CampaignFailure("the upgrade did not complete on the next start")
    if _data(fingerprint(target)) != rows:
        raise CampaignFailure(f"the upgrade changed the data: {delta(rows, _data(fingerprint(target)))}")


def upgrade(work: Workdir, n: int) -> KillFigures:
    figures = KillFigures("upgrade", "postgres" if work.pg else "sqlite")
    template = previous_schema_store(work)
    rows = _data(fingerprint(template))
    runs = []
    for _ in range(CALIBRATION_RUNS):
        target = work.new_target(template)
        runs.append(work.run(target, "stock").seconds)
        _forget(target)
    figures.window_s = statistics.median(runs)

    def attempt(moment: float) -> None:
        target = work.new_target(template)
        try:
            if _tally(figures, work.run(target, "stock", kill_after=moment)):
                _after_upgrade(work, target, rows, figures)
        except CampaignFailure as exc:
            figures.failures.append(f"kill at {moment * 1000:.0f} ms: {exc}")
        _forget(target)

    _kill_until(figures, n, attempt)
    return figures


# Changes ------------------------------------------------------------------------------------


def _change_killed(
    work: Workdir, target: str, argv: list[str], whole: dict[str, int], figures: KillFigures, moment: float
) -> None:
    before = fingerprint(target)
    try:
        if not _tally(figures, work.run(target, *argv, kill_after=moment)):
            return
        check_passes(work, target)
        moved = delta(before, fingerprint(target))
        if moved == whole:
            figures.wholly_in += 1
        elif not moved:
            figures.wholly_out += 1
        else:
            raise CampaignFailure(f"{figures.scenario} half done: moved {moved}, a whole one moves {whole}")
    except CampaignFailure as exc:
        figures.failures.append(f"kill at {moment * 1000:.0f} ms: {exc}")


def changes(work: Workdir, n: int) -> list[KillFigures]:
    """Kills through receive, make, sell and adjust, all on one seeded store."""
    target, seeded = seeded_store(work)
    commands = change_commands(seeded)
    out = []
    for kind, argv in commands.items():
        figures = KillFigures(kind, "postgres" if work.pg else "sqlite")
        runs, moves = [], []
        for _ in range(1 + CALIBRATION_RUNS):  # the first may start a new day's code counter
            before = fingerprint(target)
            runs.append(work.run(target, *argv))
            moves.append(delta(before, fingerprint(target)))
        whole = moves[-1]
        if any(r.code != 0 for r in runs) or not whole or any(m != whole for m in moves[1:]):
            figures.failures.append(f"{kind} is not repeatable: {[r.err for r in runs]} {moves}")
            out.append(figures)
            continue
        figures.window_s = statistics.median(r.seconds for r in runs[1:])

        _kill_until(figures, n, partial(_change_killed, work, target, argv, whole, figures))
        out.append(figures)
    return out


# Statement by statement (SQLite) ----------------------------------------------------------------


def _stock_migrate(target: str) -> Callable[[], int | None]:
    """What the last release did: Tortoise's own migrate (a migration, then its record apart), up
    to that release's schema."""

    def run() -> int | None:
        from tortoise.context import TortoiseContext
        from tortoise.migrations.api import migrate

        from tui.store.db import tortoise_config

        async def go() -> None:
            async with TortoiseContext():
                await migrate(
                    config=tortoise_config(target, foreign_keys=False), target=f"models.{LAST_RELEASED}"
                )

        asyncio.run(go())
        return 0

    return run


@dataclass
class StepFigures:
    scenario: str
    steps: int = 0
    """Statements the scenario runs; one kill before each."""
    bricked: int = 0
    """Kills after which the store could not be opened again."""
    recovered: int = 0
    """Of those, stores that this Lotkeeper opens, repairs and checks clean."""
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        recovered = f" (this version opens {self.recovered} of them)" if "Tortoise" in self.scenario else ""
        return (
            f"{self.scenario:<28} statements {self.steps:>4}  bricked {self.bricked:>3}{recovered}  "
            f"failures {len(self.failures)}"
        )


def steps(
    work: Workdir, scenario: str, *, stride: int = 1, start: int = 1, stock: bool = False
) -> StepFigures:
    """Kill before statement `start`, `start`+stride, ... of a first start or an upgrade, until
    one finishes.

    `stock` runs Tortoise's own migrate instead of Lotkeeper's, to show the fault being fixed.
    """
    figures = StepFigures(f"{scenario} ({'Tortoise migrate' if stock else 'Lotkeeper'})")
    # The last release upgraded from the release before it; this version from the last release.
    before = release_before_last() if stock else None
    template = previous_schema_store(work, before) if scenario == "upgrade" else None
    rows = _data(fingerprint(template)) if template else {}
    n = start
    while True:
        target = work.new_target(template)
        run = (
            _stock_migrate(target)
            if stock
            else cli(work.lk(target, *(FIRST_START if template is None else ("stock",))))
        )
        outcome = fork_call(kill_before_statement(n, run))
        if not outcome.killed:
            figures.steps = n - 1
            if outcome.code != 0:
                figures.failures.append(f"unkilled run failed: {outcome.err.strip()[-300:]}")
            _forget(target)
            return figures
        if stock:
            again = fork_call(_stock_migrate(target))
        elif template is None:
            again = work.run(target, *FIRST_START)
            if again.code == 2 and "already exists" in again.err:
                again = work.run(target, "check")
        else:
            again = work.run(target, "check")
        if again.code != 0:
            figures.bricked += 1
            last = (again.out + again.err).strip().splitlines()[-1:] or ["(no output)"]
            figures.failures.append(f"killed before statement {n}: {last[0][-200:]}")
            if stock and work.run(target, "check").code == 0:  # what a maker's bricked store gets now
                figures.recovered += 1
        elif template is not None and not stock and _data(fingerprint(target)) != rows:
            figures.failures.append(f"killed before statement {n}: the data changed")
        _forget(target)
        n += stride
