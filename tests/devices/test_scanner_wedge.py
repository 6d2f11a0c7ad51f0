"""The pure parts: scan cleaning, the factory, backoff, and the wedge burst detector."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.config import ScannerConfig
from tui.devices.scanners import (
    GS,
    Keystroke,
    Scan,
    WedgeDetector,
    WedgeScanner,
    clean_scan_text,
    make_scan,
    make_scanner,
)
from tui.devices.scanners.base import REOPEN
from tui.devices.scanners.serial import SerialScanner
from tui.errors import ConfigError

CFG = ScannerConfig(name="wedge", kind="wedge", min_length=4, max_gap_ms=30.0)
MS = 0.001


def feed_text(det, text, t0=10.0, step=MS, enter=True):
    """Feed `text` one key per `step` seconds, as a terminal would report it."""
    out = []
    t = t0
    for i, ch in enumerate(text):
        key = "ctrl+right_square_bracket" if ch == GS else ch
        char = None if ch == GS else ch  # Textual sends "\x1d"; the key name alone must suffice
        out += det.feed(key, char, t, i)
        t += step
    if enter:
        out += det.feed("enter", "\r", t, len(text))
    return out, t


def keys(actions):
    return [a.ref for a in actions if isinstance(a, Keystroke)]


def scans(actions):
    return [a for a in actions if isinstance(a, Scan)]


# --- cleaning and the factory ---------------------------------------------------------------


def test_clean_keeps_gs_and_drops_escapes_and_bidi():
    assert clean_scan_text("01\x1d10AB\x1b[2J\u202eC\t\r\n") == "01\x1d10AB[2JC"


def test_make_scan_strips_stx_etx_framing_before_cleaning():
    cfg = ScannerConfig(name="s", prefix="\x02", suffix="\x03")
    scan = make_scan("\x02LOT-1\x03\r\n", cfg, received_at=1.5)
    assert scan == Scan("LOT-1", "s", 1.5)
    assert make_scan("\r\n\x07", cfg) is None


def test_factory_kinds_and_config_errors():
    assert isinstance(make_scanner(CFG), WedgeScanner)
    assert isinstance(make_scanner(ScannerConfig(kind="serial", port="/dev/ttyACM0")), SerialScanner)
    with pytest.raises(ConfigError, match="unknown kind 'usb'"):
        make_scanner(ScannerConfig(kind="usb"))
    with pytest.raises(ConfigError, match="needs `port`"):
        make_scanner(ScannerConfig(kind="serial"))
    with pytest.raises(ConfigError, match="max_gap_ms"):
        WedgeDetector(ScannerConfig(max_gap_ms=0))


def test_reopen_delays_double_to_the_cap_and_start_again_per_outage():
    delays = REOPEN.delays()
    assert [next(delays) for _ in range(7)] == [0.2, 0.4, 0.8, 1.6, 3.2, 5.0, 5.0]
    assert next(REOPEN.delays()) == 0.2


# --- the detector ---------------------------------------------------------------------------


def test_scanner_burst_becomes_one_scan_and_no_keys():
    det = WedgeDetector(CFG)
    out, t = feed_text(det, "]C1010950110102091710ABC" + GS + "17270131")
    assert keys(out) == []
    [scan] = scans(out)
    assert scan.text == "]C1010950110102091710ABC" + GS + "17270131"
    assert scan.received_at == pytest.approx(t)
    assert det.deadline() is None


def test_human_typing_is_released_in_order_one_gap_late():
    det = WedgeDetector(CFG)
    out, t = feed_text(det, "abc", step=0.09, enter=False)
    assert keys(out) == [0, 1]  # each key released when the next came too late
    assert det.deadline() == pytest.approx(t - 0.09 + 0.03)
    assert det.flush(det.deadline() - MS) == []
    assert keys(det.flush(det.deadline())) == [2]
    assert keys(det.feed("enter", "\r", t + 1, "E")) == ["E"]  # Enter alone passes at once


def test_short_fast_burst_and_its_enter_are_released():
    det = WedgeDetector(CFG)
    out, _ = feed_text(det, "ab")
    assert keys(out) == [0, 1, 2] and scans(out) == []


def test_other_key_mid_burst_releases_and_passes():
    det = WedgeDetector(CFG)
    out, t = feed_text(det, "abcde", enter=False)
    assert keys(out) == []
    assert keys(det.feed("up", None, t, "UP")) == [0, 1, 2, 3, 4, "UP"]


def test_prefix_lets_typing_through_at_once_and_is_stripped():
    det = WedgeDetector(ScannerConfig(name="w", prefix="~", min_length=4))
    assert keys(det.feed("a", "a", 1.0, "a")) == ["a"]  # cannot start "~": not held
    out, _ = feed_text(det, "~LOT-7", t0=2.0)
    assert [s.text for s in scans(out)] == ["LOT-7"]
    out, _ = feed_text(det, "x~ABCD", t0=3.0)  # wrong start, then a real prefixed burst
    assert keys(out) == [0] and [s.text for s in scans(out)] == ["ABCD"]


def test_missing_suffix_means_typing():
    det = WedgeDetector(ScannerConfig(name="w", suffix="\t", min_length=2))
    out, _ = feed_text(det, "AB\t")
    assert [s.text for s in scans(out)] == ["AB"]
    out, _ = feed_text(det, "ABC", t0=20.0)
    assert keys(out) == [0, 1, 2, 3] and scans(out) == []


@given(st.text(alphabet=st.characters(codec="ascii", categories=["L", "N", "P", "S"]), max_size=30))
def test_human_speed_never_loses_or_reorders_keys(text):
    det = WedgeDetector(CFG)
    out, t = feed_text(det, text, step=0.06, enter=True)
    out += det.flush(t + 1)
    assert keys(out) == list(range(len(text) + 1)) and scans(out) == []


SCANNABLE = st.characters(codec="utf-8").filter(str.isprintable) | st.just(GS)


@given(st.text(alphabet=SCANNABLE, max_size=60))
def test_scanner_speed_is_one_scan_or_all_keys_back(text):
    det = WedgeDetector(CFG)
    out, _ = feed_text(det, text)
    if len(text) >= CFG.min_length:
        assert keys(out) == [] and [s.text for s in scans(out)] == [text]
    else:
        assert keys(out) == list(range(len(text) + 1)) and scans(out) == []
