"""Commands start light: each imports only what it uses (lazy command table, labels, GS1, store)."""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tui.cli import main
from tui.cli.lazy import COMMANDS

HEAVY = ("textual", "PIL", "brother_ql", "segno", "barcode", "zxingcpp", "biip", "asyncpg", "aiohttp")


def loaded_after(*args: str) -> set[str]:
    """Top-level packages of HEAVY a fresh `lotkeeper ARGS` process has imported when it ends."""
    probe = (
        "import json, sys\n"
        "from tui.cli import main\n"
        "try:\n"
        f"    main({list(args)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"heavy = {HEAVY!r}\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & set(heavy))), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_the_command_table_names_every_command_where_it_lives() -> None:
    for name, where in COMMANDS.items():
        module, _, attribute = where.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command) and command.name == name, name
    registered = set(main.commands)  # every module is imported now: all registered themselves
    assert registered <= set(COMMANDS), f"add {registered - set(COMMANDS)} to tui/cli/lazy.py"


def test_version_and_quick_commands_load_no_ui_label_or_barcode_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    db = str(tmp_path / "lots.db")
    seeded = CliRunner().invoke(main, ["--db", db, "demo", "--seed-only"])
    lot = re.search(r"lotkeeper trace (\S+)", seeded.stdout).group(1)  # type: ignore[union-attr]
    assert loaded_after("--version") == set()
    assert loaded_after("--db", db, "stock", "--json") == set()
    assert loaded_after("--db", db, "scan", lot, "--json") == set()  # a lot code needs no GS1 parser
    assert loaded_after("--db", db, "trace", lot, "--json") == set()
    assert "biip" in loaded_after("--db", db, "scan", "(01)09501101020917(10)AB1", "--json")


def test_the_app_starts_without_the_label_stack() -> None:
    probe = (
        "import sys, tui.app, tui.screens.home\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['textual']"


def test_every_model_skips_tortoises_source_parse() -> None:
    """Without `_no_comments` in its own class body, Tortoise reads and parses models.py again
    for that model at every start (a tenth of a second for the whole file)."""
    from tortoise.models import Model

    import tui.store.models as models

    classes = [
        c for c in vars(models).values() if isinstance(c, type) and issubclass(c, Model) and c is not Model
    ]
    assert classes
    assert [c.__name__ for c in classes if not c.__dict__.get("_no_comments")] == []
