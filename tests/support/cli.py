"""The `lotkeeper` command run in-process, the way a script sees it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.support.databases import Databases, copy_sqlite, dump
from tui.cli import main

Cli = Callable[..., tuple[int, str, str]]
"""`cli(*args)`: the exit code, stdout and stderr of `lotkeeper ARGS`."""


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def lk(db: object, config: Path, *args: str, stdin: str | None = None) -> Result:
    """`lotkeeper --config CONFIG --db DB ARGS`, with `stdin` as its input."""
    return CliRunner().invoke(main, ["--config", str(config), "--db", str(db), *args], input=stdin)


def ok(db: object, config: Path, *args: str) -> str:
    """The stdout of `lk(db, config, *args)`, which must exit 0 with nothing on stderr."""
    result = lk(db, config, *args)
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    return result.stdout


def refused(result: Result, message: str) -> None:
    """A command refused as every command must refuse bad input: exit 2, nothing on stdout, and
    one `error:` line with `message` in it."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and message in line, line


def refused_unchanged(db: Path, message: str, *args: str) -> None:
    """`lotkeeper --db DB ARGS` refused (see `refused`), and not a row of the store changed."""
    before = dump(str(db))
    refused(CliRunner().invoke(main, ["--db", str(db), *args]), message)
    assert dump(str(db)) == before


def seed_with_cli(
    request: pytest.FixtureRequest, root: Path, config: str, commands: Sequence[Sequence[str]]
) -> tuple[Path | str, Path]:
    """(store, config file): a store made once by running each of `commands` as
    `lotkeeper --config CONFIG --db STORE ...` (each must succeed), with `config` as the config
    file's text. A SQLite file under `root`; on a `postgres` run (`request.param`), a database of
    `pg_databases`, given back when the fixture asking for it ends."""
    db: Path | str = root / "lots.db"
    config_path = root / "config.toml"
    config_path.write_text(config)
    if request.param == "postgres":
        databases: Databases = request.getfixturevalue("pg_databases")
        url = databases.take()
        request.addfinalizer(lambda: databases.give_back(url))
        db = url
    for args in commands:
        result = lk(db, config_path, *args)
        assert result.exit_code == 0, result.output
    return db, config_path


def own_copy(seeded: Path | str, path: Path) -> Path | str:
    """A test's own copy at `path` of a seeded SQLite file; a seeded PostgreSQL database is shared
    as it is, for tests that only read it or are refused and check that nothing was written."""
    if isinstance(seeded, str):
        return seeded
    copy_sqlite(seeded, path)
    return path
