"""The short chaos campaign, run once in its own process (it forks; pytest's process must not).

The long one is `python3 run.py chaos` (or `.venv/bin/python -m tests.chaos --long`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def campaign(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    figures = tmp_path_factory.mktemp("chaos") / "figures.json"
    done = subprocess.run(
        [sys.executable, "-m", "tests.chaos", "--json", str(figures)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    report: dict[str, Any] = json.loads(figures.read_text()) if figures.exists() else {}
    report["output"] = done.stdout + done.stderr
    report["exit"] = done.returncode
    if os.environ.get("LOTKEEPER_REQUIRE_PG") and not report.get("postgres"):
        pytest.fail("PostgreSQL is required here but the campaign could not reach it")
    return report


def _figures(report: dict[str, Any], name: str) -> list[dict[str, Any]]:
    assert name in report, report["output"][-3000:]
    return list(report[name])


def _no_failures(report: dict[str, Any], name: str) -> list[dict[str, Any]]:
    figures = _figures(report, name)
    for figure in figures:
        assert figure["failures"] == [], report["output"][-3000:]
    return figures


def test_the_campaign_passes(campaign: dict[str, Any]) -> None:
    assert campaign["exit"] == 0, campaign["output"][-3000:]


def test_a_kill_at_any_step_of_an_upgrade_bricks_tortoise_migrate_but_not_ours(
    campaign: dict[str, Any],
) -> None:
    steps = {f["scenario"]: f for f in _figures(campaign, "steps")}
    stock = steps["upgrade (Tortoise migrate)"]
    assert stock["bricked"] >= 1 and "duplicate column name: address" in " ".join(stock["failures"])
    assert stock["recovered"] == stock["bricked"]  # a maker's store bricked that way opens again
    for scenario in ("first start (Lotkeeper)", "upgrade (Lotkeeper)"):
        assert steps[scenario]["steps"] > 10
        assert steps[scenario]["bricked"] == 0 and steps[scenario]["failures"] == []


def test_killed_first_starts_upgrades_and_changes_leave_stores_whole(campaign: dict[str, Any]) -> None:
    figures = _no_failures(campaign, "kills")
    kinds = {(f["scenario"], f["backend"]) for f in figures}
    for scenario in ("first start", "upgrade", "receive", "make", "sell", "adjust"):
        assert (scenario, "sqlite") in kinds
        if campaign["postgres"]:
            assert (scenario, "postgres") in kinds
    assert sum(f["kills"] for f in figures) >= len(figures) // 2


def test_damage_is_a_sentence_within_a_second(campaign: dict[str, Any]) -> None:
    [figure] = _no_failures(campaign, "damage")
    assert figure["kinds"] >= 10 and figure["refused"] > 0


def test_a_full_disk_loses_nothing_and_work_resumes(campaign: dict[str, Any]) -> None:
    [figure] = _no_failures(campaign, "diskfull")
    assert figure["refused"] > 0 and figure["resumed"] == 6


def test_generated_scans_never_break_the_resolver(campaign: dict[str, Any]) -> None:
    assert sum(f["scans"] for f in _no_failures(campaign, "scans")) >= 1000


def test_stations_at_once_with_duplicates_and_on_a_new_store(campaign: dict[str, Any]) -> None:
    figures = _no_failures(campaign, "stations")
    assert all(f["refused"] for f in figures if "refused" in f)
    assert sum(f["rounds"] for f in figures if "rounds" in f) >= 2


def test_scans_typed_into_the_running_app(campaign: dict[str, Any]) -> None:
    [figure] = _no_failures(campaign, "tui")
    assert figure["alive_after"] == figure["scans"] > 0 and figure["exit_code"] == 0


def test_print_queue_loses_nothing_prints_nothing_twice_and_leaves_nothing_sending(
    campaign: dict[str, Any],
) -> None:
    figures = _no_failures(campaign, "printqueue")
    for figure in figures:
        assert figure["rounds"] > 0 and figure["twice"] == 0 and figure["stuck"] == 0
        assert figure["aimed"] >= 1 and figure["kills_mid_send"] >= figure["aimed"]
        assert set(figure["modes"]) == {"ok", "refuse", "hang", "never-reads", "die"}
        # A command killed while sending another lot's job; a retry that sent another waiting job.
        assert figure["carried"] >= 1 and figure["sent_along"] >= 1
    assert {f["backend"] for f in figures} == ({"sqlite", "postgres"} if campaign["postgres"] else {"sqlite"})
