#!/usr/bin/env python3
"""One-command set-up: `python3 run.py demo` opens the app on demo data, `python3 run.py test` runs the suite.

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


def ensure_venv(extras: str) -> None:
    if sys.version_info < (3, 11):
        sys.exit("Lotkeeper needs Python 3.11 or newer; this is " + sys.version.split()[0])
    installed = STAMP.read_text() if STAMP.exists() else ""
    # A venv installed with the test extras also serves the plain app.
    if installed in (_digest(extras), _digest("[test]")):
        return
    if not (BIN / "python").exists():
        print("Creating .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    print(f"Installing Lotkeeper{extras} into .venv (first run takes a minute) ...", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}{extras}"], check=True)
    STAMP.write_text(_digest(extras))


def _digest(extras: str) -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()


def main(argv: list[str]) -> int:
    verb, rest = (argv[0], argv[1:]) if argv else ("demo", [])
    if verb == "test":
        ensure_venv("[test]")
        return subprocess.call([str(BIN / "python"), "-m", "pytest", *rest], cwd=ROOT)
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
