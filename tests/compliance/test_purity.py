import subprocess
import sys


def test_rules_import_no_store_labels_or_ui() -> None:
    """The rules stay pure like tui.codes: the store step feeds them, the labels draw their answer."""
    code = (
        "import sys, tui.compliance\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'tortoise', 'PIL', 'zxingcpp')"
        " or m.startswith(('tui.store', 'tui.labels', 'tui.services', 'tui.devices'))]\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
