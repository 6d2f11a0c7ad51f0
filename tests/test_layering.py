"""The architecture holds: store, codes and devices import without Textual; codes does no I/O."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADLESS = [
    "tui/codes",
    "tui/compliance",
    "tui/store",
    "tui/services",
    "tui/devices",
    "tui/labels",
    "tui/imports",
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


def _modules(folder: str) -> list[str]:
    return [
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for p in sorted((ROOT / folder).rglob("*.py"))
        if "migrations" not in p.parts and p.name != "__init__.py"
    ]


def test_headless_packages_never_import_textual() -> None:
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


def test_imports_package_knows_no_database() -> None:
    """Reading exports is pure: text in, typed records out; the store step comes after it."""
    code = (
        "import sys, tui.imports\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('tortoise', 'aiosqlite', 'asyncpg')\n"
        "             or m.startswith(('tui.store', 'tui.services', 'tui.screens')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "", f"tui.imports pulls in the database layer: {out.stdout.strip()[:200]}"
