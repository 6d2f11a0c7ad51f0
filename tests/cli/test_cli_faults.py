"""Command-line faults from the stress campaign: one `error:` line, exit 2, nothing written."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui.cli import main


def refused(result_code: int, stderr: str, *parts: str) -> None:
    assert result_code == 2, stderr
    [line] = stderr.splitlines()
    assert line.startswith("error: ")
    for part in parts:
        assert part in line


@pytest.mark.parametrize(
    "argv",
    [
        [b"supplier", b"add", b"Caf\xe9"],
        [b"customer", b"add", b"Jo", b"--address", b"Rue de l'\xe9glise"],
        [b"trace", b"M26\xff0101"],
        [b"scan", b"\xc3"],
    ],
)
def test_arguments_that_are_not_utf8(tmp_path: Path, argv: list[bytes]) -> None:
    """Latin-1 bytes from an old terminal: `UnicodeEncodeError` in every name or code command."""
    db = tmp_path / "lots.db"
    done = subprocess.run(
        [sys.executable.encode(), b"-m", b"tui.cli", b"--db", str(db).encode(), *argv],
        capture_output=True,
        text=True,
    )
    refused(done.returncode, done.stderr, "is not UTF-8 text", "nothing was written")
    assert not db.exists()


@pytest.mark.parametrize(
    ("db", "message"),
    [
        ("postgres://", "names no database"),
        ("postgres://postgres@127.0.0.1:5432", "names no database"),
        ("postgres://postgres@127.0.0.1:54x2/lots", "is not a number"),
    ],
)
def test_bad_postgres_urls(db: str, message: str) -> None:
    result = CliRunner().invoke(main, ["--db", db, "stock"])
    refused(result.exit_code, result.stderr, message)


def test_a_read_on_a_mistyped_path_creates_nothing(tmp_path: Path) -> None:
    typo = tmp_path / "nonexistent" / "dir" / "x.db"
    for argv in (["stock"], ["trace", "M260101-001"], ["check"], ["scan", "123"]):
        result = CliRunner().invoke(main, ["--db", str(typo), *argv])
        refused(result.exit_code, result.stderr, "there is no store")
    assert not (tmp_path / "nonexistent").exists()


def test_a_scan_error_is_in_words_not_a_pattern(tmp_path: Path) -> None:
    db = tmp_path / "lots.db"
    CliRunner().invoke(main, ["--db", str(db), "supplier", "add", "Acme"])
    result = CliRunner().invoke(main, ["--db", str(db), "scan", "(01)05012345678900(10)LOT é"])
    assert result.exit_code == 0
    assert "the batch or lot number (10) 'LOTé' is not valid: it must be 1 to 20 letters" in result.stdout
    assert "pattern" not in result.stdout and "^" not in result.stdout


def run_in_pty(*argv: str, quit_when_drawn: bool = True) -> tuple[int, bytes, float]:
    """`lotkeeper ARGV` in a terminal of its own: exit code, everything it drew, seconds it ran.

    Ctrl+Q is typed once the screen has been drawn and gone quiet (`quit_when_drawn`)."""
    started = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:  # the app
        os.execv(sys.executable, [sys.executable, "-m", "tui.cli", *argv])
    screen = b""
    quit_sent = not quit_when_drawn
    while time.monotonic() - started < 30:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            if screen and not quit_sent:
                os.write(fd, b"\x11")
                quit_sent = True
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        screen += data
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), screen, time.monotonic() - started


def test_the_app_on_a_file_that_is_no_store_says_so_and_exits(tmp_path: Path) -> None:
    """It hung for ever on the splash of a blank screen (Tortoise's connection lock)."""
    bad = tmp_path / "x.db"
    bad.write_text("hello\n")
    code, screen, seconds = run_in_pty("--db", str(bad), quit_when_drawn=False)
    said = screen.replace(b"\r\n", b"")  # Rich wraps the message at the terminal's width
    assert code == 2
    assert f"error: {bad} is not a Lotkeeper store".encode() in said and b"latest backup" in said
    assert seconds < 10  # an interpreter and Textual start included; it never waited for a lock


def test_the_app_says_once_that_it_made_a_store_away_from_the_default(tmp_path: Path) -> None:
    """Said after the app closes (its screen would hide it), and only the time it is made."""
    db = tmp_path / "shop" / "lots.db"
    code, screen, _ = run_in_pty("--db", str(db))
    assert code == 0 and f"note: made a new store at {db}".encode() in screen
    code, screen, _ = run_in_pty("--db", str(db))
    assert code == 0 and b"note: made a new store" not in screen
