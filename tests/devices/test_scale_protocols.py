"""Scale lines as the manuals print them, read by the parsers; the decoder's timing rules on a fake clock."""

from decimal import Decimal

import pytest

from tui.codes.units import BY_SYMBOL
from tui.devices.scales import ScaleNotice, ScaleReading
from tui.devices.scales.decoder import POLL_S, PROBE_S, SETTLE_S, UNREADABLE_LINES, Decoder
from tui.devices.scales.protocols import (
    AND,
    MT_SICS,
    OHAUS,
    PLAIN,
    OutOfRange,
    Reply,
    Weight,
    detect,
    parse_and,
    parse_mt_sics,
    parse_ohaus,
    parse_plain,
    protocol,
)
from tui.errors import ConfigError, ScaleError


@pytest.mark.parametrize(
    ("line", "frame"),
    [
        ("ST,+00123.45  g", Weight(Decimal("123.45"), "g", True)),
        ("US,-00000.12  g", Weight(Decimal("-0.12"), "g", False)),
        ("QT,+00001234 PC", Weight(Decimal("1234"), "PC", True)),
        ("ST,+0001.234 kg", Weight(Decimal("1.234"), "kg", True)),
        ("ST,OK,+0001.234 kg", Weight(Decimal("1.234"), "kg", True)),  # comparator header
        ("ST,GS,+0001.234kg", Weight(Decimal("1.234"), "kg", True)),  # generic indicators
        ("US,NT,+0001.200kg", Weight(Decimal("1.200"), "kg", False)),
        ("ST,GS,     0.0,kg", Weight(Decimal("0.0"), "kg", True)),  # Dini Argeo style
        ("ST,GS+ 5.12KG", Weight(Decimal("5.12"), "KG", True)),  # print format of some indicators
        ("OL,+999999.9  g", OutOfRange(True)),
        ("OL,-99999999 PC", OutOfRange(False)),
        ("UL,GS,-0000.100kg", OutOfRange(False)),
        ("\x06", Reply(True, "command accepted")),
        ("EC,E11", Reply(False, "refused a command (E11: the weight did not become stable)")),
        ("S S     100.00 g", None),
        ("hello", None),
    ],
)
def test_and_family(line, frame):
    assert parse_and(line) == frame


@pytest.mark.parametrize(
    ("line", "frame"),
    [
        ("S S     100.00 g", Weight(Decimal("100.00"), "g", True)),
        ("S D      99.87 g", Weight(Decimal("99.87"), "g", False)),
        ("S S    -12.3456 kg", Weight(Decimal("-12.3456"), "kg", True)),
        ("S +", OutOfRange(True)),
        ("S -", OutOfRange(False)),
        ("S I", Reply(False, "could not weigh: it is busy or the weight did not settle")),
        ("T S     100.00 g", Reply(True, "tared")),
        ("T I", Reply(False, "could not tare: it is busy or the weight did not settle")),
        ("Z A", Reply(True, "zeroed")),
        ("Z +", Reply(False, "could not zero: it is overloaded")),
        ("ES", Reply(False, "did not understand a command (ES)")),
        ("ET", Reply(False, "received a garbled command (ET): check the cable and baud rate")),
        ("EL", Reply(False, "could not carry out a command (EL)")),
        ("ST,+00123.45  g", None),
    ],
)
def test_mt_sics(line, frame):
    assert parse_mt_sics(line) == frame


@pytest.mark.parametrize(
    ("line", "ohaus", "plain"),
    [
        ("     192.21 g", True, None),
        ("       0.01 g ?", False, False),
        ("     176.30 g ?", False, False),
        ("     207.80 g TOTAL", True, None),
        ("       0.85 oz     WET WT", True, None),
        ("    -12.5 g  NET", True, None),
        ("250.5g", True, None),
    ],
)
def test_number_and_unit_lines(line, ohaus, plain):
    assert parse_ohaus(line).stable is ohaus
    assert parse_plain(line).stable is plain


def test_lines_that_are_not_weights():
    assert parse_ohaus("ES") == Reply(False, "did not understand a command (ES)")
    for line in ("  2 lb 3.5 oz", "ERR 4", "", "12"):
        assert parse_ohaus(line) is None and parse_plain(line) is None


def test_detection():
    assert detect("S D      99.87 g") is MT_SICS
    assert detect("US,GS,+0001.200kg") is AND
    assert detect("     0.01 g ?") is OHAUS
    assert detect("   100.00 g") is PLAIN  # no sign yet that it marks unstable readings
    assert detect("ES") is None and detect("EC,E01") is None
    assert protocol("") is None and protocol("MT-SICS") is MT_SICS
    with pytest.raises(ConfigError, match="use and, mt-sics, ohaus, plain"):
        protocol("sartorius")


def reading(event):
    assert isinstance(event, ScaleReading), event
    return (str(event.quantity), event.stable, event.protocol)


def test_decoder_frames_lines_split_anyhow():
    decoder = Decoder("bench")
    events = decoder.feed(b"US,+00012.3", 0.0) + decoder.feed(b"4  g\r\nST,+0012", 0.1)
    events += decoder.feed(b"3.45  g\r\n", 0.2)
    assert [reading(e) for e in events] == [("12.34 g", False, "and"), ("123.45 g", True, "and")]
    assert events[1].quantity.unit is BY_SYMBOL["g"]


def test_decoder_reads_seven_bit_scales_through_eight_bit_ports():
    """A&D ships set to 7E1: read as 8N1, the parity bit lands in bit 7 of some characters."""
    line = b"ST,+00123.45  g\r\n"
    even = bytes(b | 0x80 if bin(b).count("1") % 2 else b for b in line)
    assert even != line
    assert [reading(e) for e in Decoder("bench").feed(even, 0.0)] == [("123.45 g", True, "and")]


def test_plain_readings_settle_when_unchanged_or_followed_by_silence():
    decoder = Decoder("bench", PLAIN)
    assert [reading(e) for e in decoder.feed(b"12.0 g\r\n", 0.0)] == [("12 g", False, "plain")]
    assert [reading(e) for e in decoder.feed(b"12.5 g\r\n", 0.1)] == [("12.5 g", False, "plain")]
    assert [reading(e) for e in decoder.feed(b"12.5 g\r\n", 0.1 + SETTLE_S)] == [("12.5 g", True, "plain")]
    assert decoder.idle(1.0 + SETTLE_S) == []  # already taken
    # a scale that prints once (PRINT key): the line, then silence
    printer = Decoder("bench", PLAIN)
    printer.feed(b"  250.5 g\r\n", 0.0)
    assert printer.idle(SETTLE_S / 2) == []
    assert [reading(e) for e in printer.idle(SETTLE_S)] == [("250.5 g", True, "plain")]
    assert printer.idle(SETTLE_S * 3) == []


def test_a_detected_plain_scale_that_marks_unstable_readings_is_ohaus():
    decoder = Decoder("bench")
    decoder.feed(b"   100.00 g\r\n", 0.0)
    assert decoder.protocol is PLAIN
    decoder.feed(b"   100.10 g ?\r\n", 0.1)
    assert decoder.protocol is OHAUS
    assert [reading(e) for e in decoder.feed(b"   100.10 g\r\n", 0.2)] == [("100.1 g", True, "ohaus")]


def test_quiet_scales_are_polled_and_unknown_ones_probed():
    mt = Decoder("bench", MT_SICS, started=0.0)
    assert mt.due(POLL_S / 2) is None
    assert mt.due(POLL_S) == b"SI\r\n"
    assert mt.due(POLL_S * 1.5) is None  # one poll per quiet spell
    mt.feed(b"S S     100.00 g\r\n", POLL_S * 1.6)
    assert mt.due(POLL_S * 2) is None  # it answered: quiet again only later
    assert Decoder("bench", PLAIN).due(100.0) is None  # nothing to ask a plain scale
    unknown = Decoder("bench", started=0.0)
    assert unknown.due(PROBE_S / 2) is None
    assert [unknown.due(PROBE_S), unknown.due(PROBE_S * 2), unknown.due(PROBE_S * 3)] == [
        b"SI\r\n",
        b"IP\r\n",
        b"SI\r\n",
    ]


def test_problems_are_told_once_until_a_good_reading():
    decoder = Decoder("bench")
    over = decoder.feed(b"OL,+999999.9  g\r\nOL,+999999.9  g\r\n", 0.0)
    assert over == [ScaleNotice("bench", "scale 'bench' is overloaded: take weight off the pan")]
    decoder.feed(b"ST,+00123.45  g\r\n", 0.1)
    assert len(decoder.feed(b"OL,+999999.9  g\r\n", 0.2)) == 1
    carats = decoder.feed(b"ST,+00012.30 ct\r\n", 0.3)
    expected = "scale 'bench' shows 'ct', which Lotkeeper cannot use: set it to g, kg, oz or lb"
    assert carats[0].message == expected


def test_garbage_is_reported_after_a_few_lines_but_probe_answers_are_not():
    decoder = Decoder("bench")
    assert decoder.feed(b"ES\r\nEC,E01\r\n" * 5, 0.0) == []
    events = decoder.feed(b"\x7f\x1f#\x05!\r\n" * UNREADABLE_LINES, 0.1)
    assert len(events) == 1 and "check the baud rate and parity" in events[0].message


def test_tare_and_zero_commands():
    assert Decoder("bench", MT_SICS).command("tare") == b"T\r\n"
    assert Decoder("bench", AND).command("zero") == b"Z\r\n"
    assert Decoder("bench", OHAUS).command("tare") == b"T\r\n"
    with pytest.raises(ScaleError, match=r"\(plain\) takes no tare command: press TARE on the scale"):
        Decoder("bench", PLAIN).command("tare")
    with pytest.raises(ScaleError, match="nothing readable yet: press ZERO"):
        Decoder("bench").command("zero")
