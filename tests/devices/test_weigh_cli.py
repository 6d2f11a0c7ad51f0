"""`lotkeeper weigh` as a real process, against a fake scale on a pseudo-terminal."""

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

LOTKEEPER = shutil.which("lotkeeper", path=str(Path(sys.executable).parent))
CMD = [LOTKEEPER] if LOTKEEPER else [sys.executable, "-m", "tui.cli"]


def weigh(tmp_path: Path, scales: str, *args: str) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "config.toml"
    config.write_text(scales)
    return subprocess.run(
        [*CMD, "--config", str(config), "--db", str(tmp_path / "unused.db"), "weigh", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def scale_entry(port: str, name: str = "bench", **extra: str) -> str:
    lines = [f'name = "{name}"', 'kind = "serial"', f'port = "{port}"', "baudrate = 9600"]
    lines += [f'{key} = "{value}"' for key, value in extra.items()]
    return "[[scales]]\n" + "\n".join(lines) + "\n"


def test_weigh_json_prints_the_stable_weight(fake_scale, tmp_path):
    fake = fake_scale(stream=[b"US,GS,+0001.100kg", b"US,GS,+0001.230kg", b"ST,GS,+0001.234kg"], cycle=True)
    result = weigh(tmp_path, scale_entry(fake.port), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"scale": "bench", "qty": "1.234", "unit": "kg", "stable": True}
    assert not (tmp_path / "unused.db").exists()  # weighing needs no database


def test_weigh_picks_a_scale_by_name_and_prints_plainly(fake_scale, tmp_path):
    other = fake_scale(stream=[b"ST,+00001.00  g"])
    fake = fake_scale(answers={b"SI": [b"S D      99.87 g", b"S S     100.00 g"]})
    entries = scale_entry(other.port, "shelf") + scale_entry(fake.port, "bench", protocol="mt-sics")
    result = weigh(tmp_path, entries, "--scale", "bench")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "100 g\n"
    assert result.stderr == "(scale bench, mt-sics, stable)\n"


def test_a_silent_scale_is_an_error_after_the_timeout(fake_scale, tmp_path):
    fake = fake_scale()
    started = time.monotonic()
    result = weigh(tmp_path, scale_entry(fake.port), "--timeout", "1.5", "--json")
    elapsed = time.monotonic() - started
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"error: scale 'bench' sent nothing in 1.5 s on {fake.port}: check")
    assert elapsed >= 1.5


@pytest.mark.parametrize(
    ("entries", "args", "message"),
    [
        ("", (), "error: no scale is configured: add a [[scales]] entry to the config file"),
        (scale_entry("/dev/ttyX9"), (), "error: scale 'bench': serial port /dev/ttyX9 does not exist"),
        (scale_entry("/dev/ttyUSB0"), ("--scale", "shelf"), "error: no scale named 'shelf' in the config"),
        (scale_entry("/dev/ttyUSB0"), ("--timeout", "0"), "error: lotkeeper weigh: Invalid value for"),
        ('[[scales]]\nname = "x"\nbaud = 9600\n', (), "error: "),
    ],
)
def test_refusals(tmp_path, entries, args, message):
    result = weigh(tmp_path, entries, *args)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(message)
    if "baud =" in entries:
        assert "config.toml: unknown key(s) in scales[0]: baud (did you mean baudrate?)" in result.stderr
