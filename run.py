#!/usr/bin/env python3
"""One-command set-up: `python3 run.py demo` opens the app on demo data, `python3 run.py test` runs the suite,
`python3 run.py chaos` runs the long reliability campaign.

Needs only Python >= 3.11. It creates `.venv/` beside this file, installs Lotkeeper into it
(again only when pyproject.toml changed), then runs the command. Anything after the verb is
passed on: `python3 run.py test -k trace`, `python3 run.py lotkeeper stock`.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".lotkeeper-installed"


# What each request is also satisfied by: a venv with the test extras serves the plain app too.
SATISFIED_BY = {"": ("", "[test]", "[test,evdev]"), "[test]": ("[test]", "[test,evdev]")}


def ensure_venv(extras: str, fallback: str | None = None) -> None:
    """Install `extras` (or, if that fails to build, `fallback`) unless already done."""
    if sys.version_info < (3, 11):  # noqa: UP036 (run.py may be started by any python3)
        sys.exit("Lotkeeper needs Python 3.11 or newer; this is " + sys.version.split()[0])
    installed = STAMP.read_text() if STAMP.exists() else ""
    if installed in {_digest(e) for e in SATISFIED_BY.get(extras, (extras,))}:
        return
    if not (BIN / "python").exists():
        print("Creating .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    print(f"Installing Lotkeeper{extras} into .venv (first run takes a minute) ...", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    if subprocess.run([*pip, "-e", f"{ROOT}{extras}"]).returncode != 0:
        if fallback is None:
            sys.exit(f"installing Lotkeeper{extras} failed: see pip's message above")
        print(f"Lotkeeper{extras} could not be built here; installing Lotkeeper{fallback}", flush=True)
        subprocess.run([*pip, "-e", f"{ROOT}{fallback}"], check=True)
    STAMP.write_text(_digest(extras))  # also after a fallback: do not retry the build every run


def _digest(extras: str) -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()


def main(argv: list[str]) -> int:
    verb, rest = (argv[0], argv[1:]) if argv else ("demo", [])
    if verb == "test":
        # evdev (Linux HID scanners) builds from source: without a compiler its tests skip.
        if sys.platform == "linux":
            ensure_venv("[test,evdev]", fallback="[test]")
        else:
            ensure_venv("[test]")
        return subprocess.call([str(BIN / "python"), "-m", "pytest", *rest], cwd=ROOT)
    if verb == "chaos":  # the long reliability campaign (tests/chaos): minutes, prints its figures
        ensure_venv("[test]")
        return subprocess.call([str(BIN / "python"), "-m", "tests.chaos", "--long", *rest], cwd=ROOT)
    if verb == "demo":
        ensure_venv("")
        return subprocess.call([str(BIN / "lotkeeper"), "demo", *rest], cwd=ROOT)
    if verb == "lotkeeper":
        ensure_venv("")
        return subprocess.call([str(BIN / "lotkeeper"), *rest], cwd=ROOT)
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
