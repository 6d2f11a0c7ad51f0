import subprocess
import sys


def test_codes_import_no_ui_store_or_optional_libraries():
    code = (
        "import sys, tui.codes.commands, tui.codes.gs1, tui.codes.gtin, tui.codes.lotcode, "
        "tui.codes.scan, tui.codes.sku, tui.codes.symbols, tui.codes.units, tui.codes.amounts, "
        "tui.codes.dates\n"
        "bad = [m for m in ('textual', 'tortoise', 'zxingcpp', 'aiosqlite') "
        "if m in sys.modules]\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
