"""What bench scales send over a serial line, one line at a time (pure parsing, no I/O).

Four families cover most scales a small workshop owns, each checked against its maker's manual:

- `and`: A&D's standard format (`ST,+00123.45  g`; `US` unstable, `QT` a stable count, `OL` out
  of range, an optional comparator header `ST,OK,...`) and the many generic indicators that copy
  it with a gross/net header (`ST,GS,+0001.234kg`, `US,NT,...`, `UL` underload). Commands end in
  CR LF: `Q` sends the weight now, `T` tares, `Z` zeroes (on A&D balances `Z` is RE-ZERO). A&D
  acknowledges with ACK (06h) or answers `EC,Exx`.
- `mt-sics`: Mettler Toledo's standard interface command set: `S S     100.00 g` (stable),
  `S D ...` (dynamic: not stable), `S I` (busy), `S +`/`S -` (over/underload), `ES`/`ET`/`EL`
  (syntax, transmission, logical error). `SI` sends the weight now, `T` tares (`T S <tare>`),
  `Z` zeroes (`Z A`).
- `ohaus`: Ohaus continuous or print output, `     100.00 g` right-justified, with `?` after
  the unit while the reading is not stable and an optional legend (`NET`, `TOTAL`). `IP` prints
  the weight now, `T` tares, `Z` zeroes; `ES` answers an unknown command.
- `plain`: `<number> <unit>` from a scale that says nothing about stability; the device decides
  (a value unchanged for a moment, see `decoder.SETTLE_S`). No commands.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from tui.errors import ConfigError


@dataclass(frozen=True)
class Weight:
    value: Decimal
    unit: str
    """As the scale wrote it (`g`, `kg`, `PC`, `ct`); mapping to our units is the device's job."""
    stable: bool | None
    """None: this protocol does not say (plain lines)."""


@dataclass(frozen=True)
class OutOfRange:
    over: bool
    """True: overloaded; False: underloaded (pan off, or below zero)."""


@dataclass(frozen=True)
class Reply:
    """The scale's answer to a command (or an error it reports on its own)."""

    ok: bool
    message: str


Frame = Weight | OutOfRange | Reply

_NUMBER = r"(?P<sign>[+-]?)\s*(?P<num>\d+(?:\.\d*)?|\.\d+)"


def _number(match: re.Match[str]) -> Decimal:
    value = Decimal(match["num"])
    return -value if match["sign"] == "-" else value


# --- A&D standard format and generic ST/US indicators -------------------------------------

_AND = re.compile(
    r"(?P<head>ST|US|QT|OL|UL)(?:\s*,\s*(?P<extra>[A-Z-]{2}))?(?:\s*,\s*[A-Z-]{2})?\s*,?\s*"
    + _NUMBER
    + r"\s*,?\s*(?P<unit>[A-Za-z%]+)?\s*",
    re.IGNORECASE,
)
_AND_ERRORS = {
    "E00": "communication error",
    "E01": "it does not know the command",
    "E02": "it is not ready",
    "E03": "it timed out",
    "E04": "too many characters",
    "E06": "format error",
    "E07": "parameter error",
    "E11": "the weight did not become stable",
}


def parse_and(line: str) -> Frame | None:
    text = line.strip()
    if text == "\x06":
        return Reply(True, "command accepted")
    if text.upper().startswith("EC,"):
        code = text[3:].strip().upper()
        return Reply(False, f"refused a command ({code}: {_AND_ERRORS.get(code, 'error')})")
    if text.upper() in ("OL", "UL"):
        return OutOfRange(text.upper() == "OL")
    match = _AND.fullmatch(text)
    if match is None:
        return None
    head = match["head"].upper()
    if head in ("OL", "UL"):
        return OutOfRange(head == "OL" and match["sign"] != "-")
    if match["unit"] is None:
        return None
    return Weight(_number(match), match["unit"], head in ("ST", "QT"))


# --- Mettler Toledo MT-SICS ---------------------------------------------------------------

_MT_WEIGHT = re.compile(r"S\s+(?P<status>[SD])\s+" + _NUMBER + r"\s*(?P<unit>[^\s\d]+)\s*")
_MT_GENERAL = {
    "ES": "did not understand a command (ES)",
    "ET": "received a garbled command (ET): check the cable and baud rate",
    "EL": "could not carry out a command (EL)",
}
_MT_STATUS = {
    "I": "it is busy or the weight did not settle",
    "+": "it is overloaded",
    "-": "it is underloaded",
}


def parse_mt_sics(line: str) -> Frame | None:
    text = line.strip()
    match = _MT_WEIGHT.fullmatch(text)
    if match is not None:
        return Weight(_number(match), match["unit"], match["status"] == "S")
    tokens = text.split()
    if not tokens:
        return None
    if len(tokens) == 1 and tokens[0] in _MT_GENERAL:
        return Reply(False, _MT_GENERAL[tokens[0]])
    command, status = tokens[0], tokens[1] if len(tokens) > 1 else ""
    if command == "S" and len(tokens) == 2 and status in ("+", "-"):
        return OutOfRange(status == "+")
    if command in ("S", "T", "Z") and status in _MT_STATUS:
        action = {"S": "could not weigh", "T": "could not tare", "Z": "could not zero"}[command]
        return Reply(False, f"{action}: {_MT_STATUS[status]}")
    if command == "T" and status == "S":
        return Reply(True, "tared")
    if command == "Z" and status == "A":
        return Reply(True, "zeroed")
    return None


# --- Ohaus and plain number-and-unit lines ------------------------------------------------

_NUMBER_UNIT = re.compile(_NUMBER + r"\s*(?P<unit>[A-Za-z%]+)(?P<rest>[\sA-Za-z?]*)")


def _number_unit(line: str) -> tuple[Decimal, str, bool] | None:
    match = _NUMBER_UNIT.fullmatch(line.strip())
    if match is None:
        return None
    return _number(match), match["unit"], "?" in match["rest"]


def parse_ohaus(line: str) -> Frame | None:
    if line.strip() == "ES":
        return Reply(False, "did not understand a command (ES)")
    read = _number_unit(line)
    if read is None:
        return None
    value, unit, unstable = read
    return Weight(value, unit, not unstable)


def parse_plain(line: str) -> Frame | None:
    read = _number_unit(line)
    if read is None:
        return None
    value, unit, unstable = read
    return Weight(value, unit, False if unstable else None)


@dataclass(frozen=True)
class Protocol:
    name: str
    title: str
    """For the Devices screen and the README: which scales speak it."""
    parse: Callable[[str], Frame | None]
    poll: bytes | None
    """Asks for the current weight; sent only while the scale is quiet."""
    tare: bytes | None
    zero: bytes | None


AND = Protocol("and", "A&D / generic ST,GS indicator", parse_and, b"Q\r\n", b"T\r\n", b"Z\r\n")
MT_SICS = Protocol("mt-sics", "Mettler Toledo MT-SICS", parse_mt_sics, b"SI\r\n", b"T\r\n", b"Z\r\n")
OHAUS = Protocol("ohaus", "Ohaus", parse_ohaus, b"IP\r\n", b"T\r\n", b"Z\r\n")
PLAIN = Protocol("plain", "plain number and unit", parse_plain, None, None, None)

PROTOCOLS: dict[str, Protocol] = {p.name: p for p in (AND, MT_SICS, OHAUS, PLAIN)}

PROBES = (b"SI\r\n", b"IP\r\n")
"""Sent in turn to a silent scale of unknown protocol: MT-SICS and A&D answer `SI`, Ohaus `IP`
(each answers the other's command with a short error, which detection ignores)."""


def protocol(name: str) -> Protocol | None:
    """The configured protocol; None (empty name) means detect it."""
    if not name:
        return None
    found = PROTOCOLS.get(name.strip().lower())
    if found is None:
        known = ", ".join(PROTOCOLS)
        raise ConfigError(f"scale protocol {name!r} is not known: use {known}, or leave it out to detect it")
    return found


def detect(line: str) -> Protocol | None:
    """The protocol a weight line was written in. A number-and-unit line is `plain` until a `?`
    shows the scale marks unstable readings (then `ohaus`)."""
    for candidate in (MT_SICS, AND):
        if isinstance(candidate.parse(line), Weight | OutOfRange):
            return candidate
    frame = parse_plain(line)
    if isinstance(frame, Weight):
        return OHAUS if frame.stable is False else PLAIN
    return None


def is_reply(line: str) -> bool:
    """An answer to one of our probes (ES, EC,E01, ACK): not a sign of an unreadable scale."""
    return any(isinstance(p.parse(line), Reply) for p in (MT_SICS, AND, OHAUS))
