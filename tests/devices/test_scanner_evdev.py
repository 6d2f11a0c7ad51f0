"""HID scanners via evdev: the key-code table (synthetic events), open errors, and with
/dev/uinput a virtual scanner end to end (unplug and replug included)."""

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.config import ScannerConfig
from tui.devices.scanners import GS, Scan, ScannerStatus
from tui.devices.scanners.evdev import EvdevScanner, KeyDecoder
from tui.errors import ConfigError, ScannerError

evdev = pytest.importorskip(
    "evdev", reason="evdev is not installed (pip install 'lotkeeper[evdev]': needs gcc and kernel headers)"
)
ec = evdev.ecodes

ROOT = Path(__file__).resolve().parents[2]
DOWN, UP, REPEAT = 1, 0, 2


def key(name, value=DOWN):
    return evdev.InputEvent(0, 0, ec.EV_KEY, ec.ecodes[f"KEY_{name}"], value)


def tap(name, *mods):
    """What a scanner sends for one character: modifiers down, key down/up, modifiers up."""
    return [
        *(key(m) for m in mods),
        key(name),
        evdev.InputEvent(0, 0, ec.EV_SYN, ec.SYN_REPORT, 0),
        key(name, UP),
        *(key(m, UP) for m in mods),
    ]


def decode(events):
    decoder = KeyDecoder()
    return [text for e in events if (text := decoder.feed(e)) is not None]


def test_us_table_with_shift_regardless_of_host_layout():
    # On a German or French console KEY_Z/KEY_Q would type y/a; a grabbed scanner never does.
    events = [
        *tap("L", "LEFTSHIFT"),
        *tap("O"),
        *tap("T"),
        *tap("MINUS"),
        *tap("Z", "RIGHTSHIFT"),
        *tap("Q"),
        *tap("SLASH"),
        *tap("7", "LEFTSHIFT"),
        *tap("KP4"),
        *tap("SPACE"),
        *tap("APOSTROPHE", "LEFTSHIFT"),
        *tap("ENTER"),
    ]
    assert decode(events) == ['Lot-Zq/&4 "']


def test_gs_from_ctrl_bracket_and_from_alt_keypad_code():
    events = [
        *tap("0"),
        *tap("1"),
        *tap("RIGHTBRACE", "LEFTCTRL"),  # Ctrl+] is GS
        *tap("1"),
        key("LEFTALT"),
        *tap("KP0"),
        *tap("KP2"),
        *tap("KP9"),
        key("LEFTALT", UP),  # Alt 0 2 9 is GS too
        *tap("A", "LEFTSHIFT"),
        *tap("KPENTER"),
    ]
    assert decode(events) == ["01" + GS + "1" + GS + "A"]


def test_repeats_releases_and_unknown_keys_are_ignored_and_scans_split_at_enter():
    events = [
        *tap("A"),
        key("A", REPEAT),
        *tap("F1"),
        evdev.InputEvent(0, 0, ec.EV_MSC, ec.MSC_SCAN, 458756),
        *tap("ENTER"),
        *tap("B"),
        *tap("ENTER"),
    ]
    assert decode(events) == ["a", "b"]


def test_missing_device_path_and_name_are_clear_errors(tmp_path):
    with pytest.raises(ScannerError, match="does not exist"):
        asyncio.run(EvdevScanner(ScannerConfig(kind="evdev", port=str(tmp_path / "event9"))).start())
    regular = tmp_path / "event0"
    regular.write_text("")
    with pytest.raises(ScannerError, match="is not an input device"):
        asyncio.run(EvdevScanner(ScannerConfig(kind="evdev", port=str(regular))).start())
    with pytest.raises(ScannerError, match="no input device named 'No Such Scanner'"):
        asyncio.run(EvdevScanner(ScannerConfig(kind="evdev", port="No Such Scanner")).start())
    with pytest.raises(ConfigError, match="needs `port`"):
        EvdevScanner(ScannerConfig(kind="evdev"))


def test_without_the_evdev_package_start_says_how_to_install_it():
    code = (
        "import sys, asyncio\n"
        "sys.modules['evdev'] = None\n"
        "from tui.config import ScannerConfig\n"
        "from tui.devices.scanners import make_scanner\n"
        "from tui.errors import ScannerError\n"
        "source = make_scanner(ScannerConfig(kind='evdev', port='/dev/input/event0'))\n"
        "try:\n"
        "    asyncio.run(source.start())\n"
        "except ScannerError as exc:\n"
        "    print(exc.message)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "needs the 'evdev' Python package" in out.stdout and "lotkeeper[evdev]" in out.stdout


UINPUT_REASON = (
    "/dev/uinput is absent or not writable on this machine: the end-to-end evdev test needs it "
    "(`modprobe uinput`, run as root)"
)


@pytest.mark.skipif(not os.access("/dev/uinput", os.W_OK), reason=UINPUT_REASON)
async def test_virtual_scanner_end_to_end_with_unplug():
    name = "lotkeeper test scanner"
    keys = [ec.KEY_LEFTSHIFT, ec.KEY_LEFTCTRL, ec.KEY_ENTER, ec.KEY_RIGHTBRACE, ec.KEY_L, ec.KEY_1]

    def plug():
        return evdev.UInput({ec.EV_KEY: keys}, name=name)

    def type_scan(device):
        for code, mod in [
            (ec.KEY_L, ec.KEY_LEFTSHIFT),
            (ec.KEY_1, None),
            (ec.KEY_RIGHTBRACE, ec.KEY_LEFTCTRL),
            (ec.KEY_1, None),
            (ec.KEY_ENTER, None),
        ]:
            for value in (DOWN, UP):
                if mod is not None and value == DOWN:
                    device.write(ec.EV_KEY, mod, DOWN)
                device.write(ec.EV_KEY, code, value)
                if mod is not None and value == UP:
                    device.write(ec.EV_KEY, mod, UP)
                device.syn()

    async def next_event(it, kind):
        async with asyncio.timeout(10):
            while not isinstance(event := await anext(it), kind):
                pass
            return event

    device = plug()
    scanner = EvdevScanner(ScannerConfig(name="hid", kind="evdev", port=name))
    await scanner.start()
    events = scanner.events()
    try:
        assert (await next_event(events, ScannerStatus)).connected
        type_scan(device)
        assert (await next_event(events, Scan)).text == "L1" + GS + "1"
        device.close()
        assert not (await next_event(events, ScannerStatus)).connected
        device = plug()
        while not (await next_event(events, ScannerStatus)).connected:
            pass
        type_scan(device)
        assert (await next_event(events, Scan)).text == "L1" + GS + "1"
    finally:
        await scanner.stop()
        device.close()
