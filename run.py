#!/usr/bin/env python3
"""One-command set-up: `python3 run.py demo` opens the app on demo data, `python3 run.py test` runs the suite.

Needs only Python >= 3.11 on a 64-bit system. It creates `.venv/` beside this file, installs
Lotkeeper into it (again only when pyproject.toml changed), then runs the command. Anything
after the verb is passed on: `python3 run.py test -k trace`, `python3 run.py lotkeeper stock`.

    python3 run.py demo                  the app on a demo database
    python3 run.py lotkeeper ARGS        any lotkeeper command
    python3 run.py install EXTRA...      add `postgres` (a shared PostgreSQL store), `serve`, or
                                         `documents` (recall packs as PDF and spreadsheet)
    python3 run.py test [PYTEST ARGS]    the test suite (installs everything, pip included)
    python3 run.py bench [--quick]       every benchmark figure in one table
    python3 run.py chaos                 the long reliability campaign (minutes; prints its figures)

The app's own install leaves pip out of `.venv` (the pip that runs this installs into it), so
a bench Pi carries only what Lotkeeper runs on; the test install adds pip for developers.
"""

from __future__ import annotations

import hashlib
import os
import platform
import struct
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".lotkeeper-installed"
SUPPORTED = (
    "Lotkeeper runs on 64-bit systems with Python 3.11 or newer: on a Raspberry Pi, Raspberry Pi "
    "OS (64-bit) Bookworm or later, with its own Python 3.11 (a Pi 3, 4 or 5)"
)


def check_platform() -> None:
    """Say at once what is not supported, instead of a long compile that fails."""
    if sys.version_info < (3, 11):  # noqa: UP036 (run.py may be started by any python3)
        sys.exit(f"{SUPPORTED}; this is Python {sys.version.split()[0]}")
    bits = struct.calcsize("P") * 8
    machine = platform.machine().lower()
    if bits != 64 or machine in ("armv6l", "armv7l", "armv8l", "i386", "i686"):
        sys.exit(
            f"{SUPPORTED}; this is a {bits}-bit Python on {machine or 'an unknown machine'}. On 32-bit "
            "systems Pillow, zxing-cpp and asyncpg have no ready-made packages, so installing would "
            "compile them for an hour or fail. Install the 64-bit Raspberry Pi OS (Raspberry Pi "
            "Imager: 'Raspberry Pi OS (64-bit)') and run this again."
        )


def _digest() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def _installed() -> set[str] | None:
    """Extras installed for the current pyproject.toml (None: install again)."""
    if not STAMP.exists():
        return None
    digest, _, extras = STAMP.read_text().partition("\n")
    return set(filter(None, extras.split(","))) if digest == _digest() else None


def _outside_pip() -> list[str] | None:
    """The pip that runs this script, installing into .venv (pip >= 22.3 has --python)."""
    probe = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(BIN / "python"), "--version"],
        capture_output=True,
    )
    return [sys.executable, "-m", "pip", "--python", str(BIN / "python")] if probe.returncode == 0 else None


def _inside_pip() -> list[str]:
    if subprocess.run([str(BIN / "python"), "-m", "pip", "--version"], capture_output=True).returncode:
        subprocess.run([str(BIN / "python"), "-m", "ensurepip", "--upgrade", "--default-pip"], check=True)
    return [str(BIN / "python"), "-m", "pip"]


def ensure_venv(extras: set[str], fallback: set[str] | None = None, *, pip_inside: bool = False) -> None:
    """Install Lotkeeper with `extras` (or, if that fails to build, `fallback`) unless already done."""
    check_platform()
    have = _installed()
    if have is not None and extras <= have and (not pip_inside or (BIN / "pip").exists()):
        return
    if not (BIN / "python").exists():
        print("Creating .venv ...", flush=True)
        venv.create(VENV, with_pip=False)
    pip = _inside_pip() if pip_inside else (_outside_pip() or _inside_pip())
    wanted = extras | (have or set())
    print(f"Installing Lotkeeper{_spec(wanted)} into .venv (first run takes a minute) ...", flush=True)
    install = [*pip, "install", "--quiet", "--disable-pip-version-check"]
    if pip_inside:
        subprocess.run([*install, "--upgrade", "pip"], check=True)
    if subprocess.run([*install, "-e", f"{ROOT}{_spec(wanted)}"]).returncode != 0:
        if fallback is None:
            sys.exit(f"installing Lotkeeper{_spec(wanted)} failed: see pip's message above")
        wanted = fallback | (have or set())
        print(f"Lotkeeper{_spec(extras)} could not be built here; installing Lotkeeper{_spec(wanted)}")
        subprocess.run([*install, "-e", f"{ROOT}{_spec(wanted)}"], check=True)
    # Bytecode for our own modules now, so every start reads it (also where the interpreter is
    # told not to write it, or cannot write into this folder).
    subprocess.run([str(BIN / "python"), "-m", "compileall", "-q", str(ROOT / "tui")], check=True)
    STAMP.write_text(_digest() + "\n" + ",".join(sorted(wanted)))  # also after a fallback


def _spec(extras: set[str]) -> str:
    return f"[{','.join(sorted(extras))}]" if extras else ""


def main(argv: list[str]) -> int:
    verb, rest = (argv[0], argv[1:]) if argv else ("demo", [])
    if verb == "test":
        # evdev (Linux HID scanners) builds from source: without a compiler its tests skip.
        if sys.platform == "linux":
            ensure_venv({"test", "evdev"}, fallback={"test"}, pip_inside=True)
        else:
            ensure_venv({"test"}, pip_inside=True)
        return subprocess.call([str(BIN / "python"), "-m", "pytest", *rest], cwd=ROOT)
    if verb == "chaos":  # the long reliability campaign (tests/chaos): minutes, prints its figures
        ensure_venv({"test"}, pip_inside=True)
        return subprocess.call([str(BIN / "python"), "-m", "tests.chaos", "--long", *rest], cwd=ROOT)
    if verb == "bench":
        ensure_venv({"test"}, pip_inside=True)
        return subprocess.call([str(BIN / "python"), str(ROOT / "benchmarks" / "all.py"), *rest], cwd=ROOT)
    if verb == "install":
        unknown = set(rest) - {"postgres", "serve", "documents", "evdev"}
        if not rest or unknown:
            sys.exit("name what to add: python3 run.py install postgres|serve|documents|evdev ...")
        ensure_venv(set(rest))
        return 0
    if verb == "demo":
        ensure_venv(set())
        return subprocess.call([str(BIN / "lotkeeper"), "demo", *rest], cwd=ROOT)
    if verb == "lotkeeper":
        ensure_venv(set())
        return subprocess.call([str(BIN / "lotkeeper"), *rest], cwd=ROOT)
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
