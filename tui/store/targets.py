"""Where a store lives, checked before anything connects: a SQLite file or a PostgreSQL URL.

A typo in `--db` must never create a store somewhere unexpected: a PostgreSQL URL without a
database name would land in the server's default database, and a command that only reads must
not create a folder and a store where it found none. Messages show a URL without its password.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import SplitResult, urlsplit, urlunsplit

from tui.errors import StoreError

POSTGRES_SCHEMES = ("postgres", "postgresql", "asyncpg")


def is_postgres(target: str) -> bool:
    return target.startswith(tuple(f"{scheme}://" for scheme in POSTGRES_SCHEMES))


def shown(target: str) -> str:
    """The target as messages show it: a URL's password replaced by `***`."""
    if not is_postgres(target):
        return target
    try:
        url = urlsplit(target)
        password = url.password
    except ValueError:
        return target.split("://", 1)[0] + "://..."
    if password is None:
        return target
    user = url.username or ""
    host = url.netloc.rsplit("@", 1)[1]
    return urlunsplit(url._replace(netloc=f"{user}:***@{host}"))


@dataclass(frozen=True)
class PostgresTarget:
    url: str
    """The URL as Tortoise takes it (`postgres://` scheme)."""
    host: str
    port: int
    user: str | None
    database: str

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def postgres_target(target: str) -> PostgresTarget:
    """Check a PostgreSQL URL: it names a database, its port is a number."""
    example = "postgres://USER@HOST:5432/DATABASE, e.g. postgres://lotkeeper@192.168.1.10/lotkeeper"
    try:
        url: SplitResult = urlsplit(target)
    except ValueError as exc:
        raise StoreError(
            f"the database URL {shown(target)} is not valid ({exc}): write it as {example}"
        ) from None
    try:
        port = url.port
    except ValueError:
        given = url.netloc.rsplit(":", 1)[-1]
        raise StoreError(
            f"the port {given!r} in the database URL {shown(target)} is not a number: write it as {example}"
        ) from None
    database = url.path.lstrip("/")
    if not database or "/" in database:
        raise StoreError(
            f"the database URL {shown(target)} names no database: write it as {example} "
            "(Lotkeeper never uses the server's default database)"
        )
    if url.fragment:
        raise StoreError(f"the database URL {shown(target)} has a '#' part: write it as {example}")
    return PostgresTarget(
        url="postgres://" + target.split("://", 1)[1],
        host=url.hostname or "localhost",
        port=port or 5432,
        user=url.username,
        database=database,
    )


def sqlite_path(target: str, *, create: bool) -> Path:
    """The file of a SQLite store, after checking that it could be opened and written.

    A missing folder is created only for a store about to be made (`create`): a command that
    only reads refuses it, since a mistyped folder holds no store.
    """
    path = Path(target).expanduser()
    folder = path.parent
    if path.is_dir():
        raise StoreError(f"the database path {path} is a folder: give a file name, e.g. {path}/lots.db")
    if not folder.is_dir():
        if not create:
            raise StoreError(f"there is no store at {path}: the folder {folder} does not exist (check --db)")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for the database {path}: {exc.strerror}") from exc
    writable = os.access(path, os.W_OK) if path.exists() else True
    if not writable or not os.access(folder, os.W_OK):
        raise StoreError(
            f"cannot write the database {path}: check the folder's permissions or use --db elsewhere"
        )
    return path
