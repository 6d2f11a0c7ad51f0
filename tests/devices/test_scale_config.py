"""`[[scales]]` in the config: the documented example parses to what `make_scale` accepts."""

import re
import tomllib
from pathlib import Path

import pytest

from tui.config import ScaleConfig, load_config, parse_config
from tui.devices.scales import find_scale, make_scale
from tui.errors import ConfigError

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"


def test_no_scale_by_default_and_the_commented_example_is_valid():
    assert load_config(EXAMPLE).scales == ()
    text = EXAMPLE.read_text()
    block = text[text.index("# [[scales]]") :].split("\n\n")[0]
    uncommented = "\n".join(re.sub(r"^# ?", "", line).split("  #")[0] for line in block.splitlines())
    config = parse_config(tomllib.loads(uncommented))
    assert config.scales == (
        ScaleConfig(
            name="bench",
            kind="serial",
            port="/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A1B2C3-if00-port0",
            baudrate=9600,
            parity="none",
            protocol="mt-sics",
        ),
    )
    assert make_scale(find_scale(config.scales, "bench")).name == "bench"


def test_scale_keys_are_checked():
    with pytest.raises(
        ConfigError, match=r"unknown key\(s\) in scales\[0\]: baud \(did you mean baudrate\?\)"
    ):
        parse_config({"scales": [{"name": "bench", "baud": 9600}]})
    entries = [{"name": "a", "port": "/dev/ttyUSB0"}, {"name": "b", "port": "/dev/ttyUSB1"}]
    two = parse_config({"scales": entries})
    assert find_scale(two.scales).name == "a" and find_scale(two.scales, "b").port == "/dev/ttyUSB1"
