"""The architecture holds: the import contracts in pyproject.toml are kept, and each of them breaks
on a forbidden import planted in a copy of the package; store, codes and devices import without
Textual; codes does no I/O."""

import ast
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACTS = {
    c["id"]: c["name"]
    for c in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
}
HEADLESS = [
    "tui/codes",
    "tui/compliance",
    "tui/store",
    "tui/services",
    "tui/devices",
    "tui/labels",
    "tui/imports",
    "tui/documents",
]
PURE = ["tui/codes", "tui/compliance"]
IO_MODULES = {
    "socket",
    "sqlite3",
    "serial",
    "tortoise",
    "aiosqlite",
    "asyncpg",
    "subprocess",
    "os",
    "pathlib",
    "textual",
    "requests",
    "urllib.request",
    "shutil",
}


def lint_imports(root: Path) -> tuple[int, str]:
    """Run the contracts of `root`/pyproject.toml over `root`/tui: exit code and report."""
    env = dict(os.environ, COLUMNS="400")  # one line per contract
    done = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], capture_output=True, text=True, cwd=root, env=env, timeout=120
    )
    return done.returncode, done.stdout + done.stderr


def test_import_contracts_are_kept() -> None:
    code, report = lint_imports(ROOT)
    assert code == 0, report
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in report


PLANTED = {
    "codes-import-textual": ("tui/codes/planted.py", "import textual\n", {"headless", "pure-codes"}),
    "codes-read-files": ("tui/codes/planted.py", "from pathlib import Path\n", {"pure-codes"}),
    "store-imports-textual-through-the-app": (
        "tui/store/planted.py",
        "from tui.app import LotkeeperApp\n",
        {"layers", "headless"},
    ),
    "store-imports-a-service": (
        "tui/store/planted.py",
        "from tui import services\n",
        {"layers", "acyclic"},
    ),
    "devices-import-store": (
        "tui/devices/planted.py",
        "from tui import store\n",
        {"layers", "devices"},
    ),
    "devices-import-textual": (
        "tui/devices/planted.py",
        "from textual import events\n",
        {"headless", "devices"},
    ),
    "screen-imports-app": (
        "tui/screens/planted.py",
        "from tui.app import LotkeeperApp\n",
        {"layers", "no-app", "acyclic"},
    ),
}


@pytest.mark.parametrize(("module", "source", "broken"), PLANTED.values(), ids=PLANTED.keys())
def test_a_planted_forbidden_import_breaks_its_contracts(
    tmp_path: Path, module: str, source: str, broken: set[str]
) -> None:
    shutil.copytree(ROOT / "tui", tmp_path / "tui", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / module).write_text(f'"""Planted by {__name__}."""\n\n{source}')
    code, report = lint_imports(tmp_path)
    assert code == 1, report
    planted = ".".join(Path(module).with_suffix("").parts)
    assert planted in report, report  # the copy was checked, not the installed package
    assert {id for id, name in CONTRACTS.items() if f"{name} BROKEN" in report} >= broken, report


def _modules(folder: str) -> list[str]:
    return [
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for p in sorted((ROOT / folder).rglob("*.py"))
        if "migrations" not in p.parts and p.name != "__init__.py"
    ]


def test_headless_packages_never_import_textual() -> None:
    """At run time too: the contracts cannot see an import made by a third-party package."""
    modules = [m for folder in HEADLESS for m in _modules(folder)]
    assert modules, "no modules found: the layout changed"
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "", f"Textual imported by a headless package: {out.stdout.strip()[:200]}"


def test_pure_packages_do_no_io() -> None:
    """Also what the `pure-codes` contract cannot express: `open()` and `urllib.request` (it sees
    only `urllib`, and codes may quote a Digital Link URI with `urllib.parse`)."""
    offenders = []
    for path in sorted(p for folder in PURE for p in (ROOT / folder).rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.name}: {n}" for n in names if n.split(".")[0] in IO_MODULES or n in IO_MODULES
            ]
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "open":
                offenders.append(f"{path.name}: open()")
    assert offenders == []


@pytest.mark.parametrize("package", ["tui.imports", "tui.documents.pack_pdf", "tui.documents.notices"])
def test_imports_package_knows_no_database(package: str) -> None:
    """Reading exports and writing documents are pure: typed records in and out, the store apart."""
    code = (
        f"import sys, {package}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('tortoise', 'aiosqlite', 'asyncpg')\n"
        "             or m.startswith(('tui.store', 'tui.services', 'tui.screens')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "", f"{package} pulls in the database layer: {out.stdout.strip()[:200]}"


def test_no_module_is_past_400_lines() -> None:
    """A module that outgrows one screenful of ideas is doing two jobs: split it by job."""
    long = {
        str(path.relative_to(ROOT)): n
        for path in (ROOT / "tui").rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}


def test_the_app_is_wiring_only() -> None:
    """Rules live in services, screens in their modules: the App only connects them."""
    assert len((ROOT / "tui" / "app.py").read_text(encoding="utf-8").splitlines()) <= 150
