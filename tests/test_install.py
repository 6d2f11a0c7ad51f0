"""Install: the base dependencies resolve to ready-made wheels for a 64-bit Raspberry Pi, and the
features left out of the base install say which extra they need."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui.cli import main

ROOT = Path(__file__).resolve().parent.parent
OFFLINE = (
    "NewConnectionError",
    "Max retries",
    "Network is unreachable",
    "Temporary failure in name resolution",
)
PI_OS_GLIBC = 36
"""Raspberry Pi OS Bookworm ships glibc 2.36: wheels for manylinux 2.17 ... 2.36 install there."""
BUILT_HERE = {"packbits"}
"""Pure Python without a wheel on the index: built into a wheel locally (no compiler needed)."""


def _pip() -> list[str]:
    if importlib.util.find_spec("pip") is not None:
        return [sys.executable, "-m", "pip"]
    system = shutil.which("python3")
    if system is None:
        pytest.skip("no pip to resolve with: neither in this environment nor a python3 on PATH")
    return [system, "-m", "pip", "--python", sys.executable]


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, capture_output=True, text=True, timeout=600)
    if done.returncode != 0 and any(sign in done.stdout + done.stderr for sign in OFFLINE):
        pytest.skip(f"the package index cannot be reached from here: {done.stderr.strip()[-300:]}")
    return done


def test_base_dependencies_have_wheels_for_64_bit_raspberry_pi_os(tmp_path: Path) -> None:
    base = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    built = _run([*_pip(), "wheel", "--no-deps", "--quiet", "-w", str(tmp_path / "local"), *BUILT_HERE])
    assert built.returncode == 0, built.stderr
    platforms = [f"manylinux_2_{minor}_aarch64" for minor in range(17, PI_OS_GLIBC + 1)]
    resolved = _run(
        [
            *_pip(),
            "install",
            "--dry-run",
            "--ignore-installed",
            "--quiet",
            "--only-binary",
            ":all:",
            *(arg for platform in [*platforms, "manylinux2014_aarch64"] for arg in ("--platform", platform)),
            "--python-version",
            "3.11",
            "--implementation",
            "cp",
            "--abi",
            "cp311",
            "--target",
            str(tmp_path / "target"),
            "--find-links",
            str(tmp_path / "local"),
            "--report",
            str(tmp_path / "report.json"),
            *base,
        ]
    )
    assert resolved.returncode == 0, resolved.stderr
    wheels = {
        item["metadata"]["name"].lower(): item["download_info"]["url"].rsplit("/", 1)[-1]
        for item in json.loads((tmp_path / "report.json").read_text())["install"]
    }
    assert {"textual", "tortoise-orm", "pillow", "zxing-cpp", "orjson", "packbits"} <= set(wheels)
    for name, wheel in wheels.items():
        assert wheel.endswith(".whl") and ("aarch64" in wheel or "-none-any" in wheel), (name, wheel)
    assert "asyncpg" not in wheels and "textual-serve" not in wheels  # extras, not the base


def test_run_py_refuses_a_32_bit_system_at_once() -> None:
    probe = (
        "import platform, runpy, sys\n"
        "platform.machine = lambda: 'armv7l'\n"
        f"sys.argv = ['run.py', 'demo']\n"
        f"runpy.run_path({str(ROOT / 'run.py')!r}, run_name='__main__')\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "32-bit" in done.stderr and "Raspberry Pi OS (64-bit)" in done.stderr


def test_serve_without_its_extra_names_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve", None)  # as in a base install
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    monkeypatch.delitem(sys.modules, "tui.cli.serve_guard", raising=False)  # imported afresh: fails
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "x.db"), "serve"])
    assert result.exit_code == 2
    assert "'serve' extra" in result.stderr and "python3 run.py install serve" in result.stderr


def test_postgresql_without_its_extra_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "asyncpg", None)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    result = CliRunner().invoke(main, ["--db", "postgres://postgres@127.0.0.1:5432/none", "stock"])
    assert result.exit_code == 2
    assert "'postgres' extra" in result.stderr and "python3 run.py install postgres" in result.stderr


@pytest.mark.parametrize(
    ("args", "needs"),
    [
        (["--out", "r.pdf"], "a .pdf file"),
        (["--out", "r.xlsx"], "a .xlsx file"),
        (["--notices", "n"], "letters to customers"),
    ],
)
def test_pdf_and_xlsx_without_their_extra_name_the_extra_and_write_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: list[str], needs: str
) -> None:
    for module in ("reportlab", "xlsxwriter"):
        monkeypatch.setitem(sys.modules, module, None)  # as in a base install
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "x.db"), "report", "recall", "M1", *args])
    assert result.exit_code == 2
    assert f"writing {needs} needs the 'documents' extra" in result.stderr
    assert "python3 run.py install documents" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no store made, no file written
