"""Backups, exports and restores from the command line: thin shells over tui/services.

`backup [DEST]` (`--json`: `{"path", "bytes", "lots"}`), `restore FILE [--yes]` (a `.db` backup
replaces a SQLite store, the old one kept beside it; a `.json` export fills an empty store on
either database) and `export --out FILE.json | --csv DIR`. None of them runs the daily backup
(`base.run(daily=False)`): `backup` is one, and a restore keeps the store it replaces.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tui.cli.base import CliContext, emit_json, fail, main, pass_cli, run
from tui.store.db import Store
from tui.store.targets import is_postgres, shown


@main.command("backup")
@click.argument("dest", required=False, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help='Print {"path", "bytes", "lots"}.')
@pass_cli
def backup_cmd(cli: CliContext, dest: Path | None, as_json: bool) -> None:
    """A checked copy of the store, safe while the app runs (DEST: a file or a folder)."""
    from tui.services.backup import BackupResult, backup

    async def work(store: Store) -> BackupResult:
        return await backup(cli.db, dest.expanduser() if dest else None, cli.config.backup)

    made = run(cli, work, daily=False)
    if as_json:
        emit_json(made.to_json())
        return
    size = f"{made.bytes:,} bytes, {made.lots} lots"
    click.echo(f"backup written to {made.path}: {size} ({made.method}, checked)")


def _restore_json(cli: CliContext, path: Path) -> None:
    from tui.errors import LotkeeperError
    from tui.services.export import restore_json
    from tui.services.export_file import read_export

    try:
        export = read_export(path)  # refused here, before any store is opened or made
    except LotkeeperError as exc:
        fail(exc.message)
    target = None if is_postgres(cli.db) else Path(cli.db).expanduser()
    existed = target is not None and target.exists()

    async def work(store: Store) -> dict[str, int]:
        return await restore_json(export, shown(cli.db))

    try:
        rows = run(cli, work, create=True, announce=False, daily=False)
    except SystemExit:
        if target is not None and not existed:  # the store made for it: gone again
            for suffix in ("", "-wal", "-shm"):
                target.with_name(target.name + suffix).unlink(missing_ok=True)
        raise
    lots = rows.get("lot", 0)
    click.echo(f"restored {path} into {shown(cli.db)}: {sum(rows.values()):,} rows, {lots} lots")


def _restore_file(cli: CliContext, path: Path, yes: bool) -> None:
    import asyncio

    from tui.errors import LotkeeperError
    from tui.services.restore import Restored, restore_file

    if is_postgres(cli.db):
        fail(
            f"{path} is a SQLite backup and the store is PostgreSQL: restore it into a SQLite file "
            "(--db FILE.db), `lotkeeper --db FILE.db export --out FILE.json`, then restore FILE.json here"
        )

    def confirm(target: Path) -> bool:
        if yes:
            return True
        if not sys.stdin.isatty():
            fail(f"restoring replaces the store {target}: add --yes to do it (the old one is kept beside it)")
        return click.confirm(f"replace the store {target} with {path}? (the old one is kept beside it)")

    try:
        done: Restored = asyncio.run(restore_file(path, Path(cli.db).expanduser(), confirm))
    except LotkeeperError as exc:
        fail(exc.message)
    kept = f"; the store it replaced is kept as {done.replaced}" if done.replaced else ""
    click.echo(f"restored {path} into {done.path} ({done.lots} lots, checked){kept}")


@main.command("restore")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the store without asking.")
@pass_cli
def restore_cmd(cli: CliContext, file: Path, yes: bool) -> None:
    """Put back a backup (FILE.db), or fill an empty store from an export (FILE.json)."""
    file = file.expanduser()
    if not file.is_file():
        fail(f"there is no file {file}: nothing was changed")
    if file.suffix.lower() == ".json":
        _restore_json(cli, file)
    elif file.suffix.lower() == ".dump":
        fail(
            f"{file} is a pg_dump backup: restore it with `pg_restore -d DATABASE {file}` into an empty "
            "PostgreSQL database; nothing was changed"
        )
    else:
        _restore_file(cli, file, yes)


@main.command("export")
@click.option("--out", type=click.Path(path_type=Path), help="Write every table into one JSON document.")
@click.option("--csv", "csv_dir", type=click.Path(path_type=Path), help="Write one CSV per table into DIR.")
@pass_cli
def export_cmd(cli: CliContext, out: Path | None, csv_dir: Path | None) -> None:
    """The whole store as JSON (to move it, e.g. to PostgreSQL) or CSV (for spreadsheets)."""
    from tui.services.export import Exported, export_csv, export_json

    if (out is None) == (csv_dir is None):
        fail("give one of --out FILE.json or --csv DIR")

    async def work(store: Store) -> Exported:
        if out is not None:
            return await export_json(out.expanduser())
        assert csv_dir is not None
        return await export_csv(csv_dir.expanduser())

    made = run(cli, work, daily=False)
    what = "one CSV per table" if csv_dir is not None else "one JSON document"
    count = f"{made.rows:,} rows of {made.tables} tables ({made.lots} lots)"
    click.echo(f"exported {count} to {made.path}: {what}")
