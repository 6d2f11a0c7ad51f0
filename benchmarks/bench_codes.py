"""Time the code functions a scan or a label goes through. Run: .venv/bin/python benchmarks/bench_codes.py"""

from __future__ import annotations

import timeit
from datetime import date

from tui.codes.gs1 import element_string, parse_gs1
from tui.codes.gtin import check_digit, next_gtin, parse_gtin
from tui.codes.lotcode import render_lot_code
from tui.codes.scan import clean_scan
from tui.codes.symbols import code128, ean13, gs1_datamatrix, qr

GTIN = "09501101020917"
PAYLOAD = element_string(GTIN, "LAOS261109-07", date(2027, 1, 31))


def _used(n: int) -> list[str]:
    out = []
    for ref in range(n):
        payload = "501234" + str(ref).zfill(6)
        out.append(payload + str(check_digit(payload)))
    return out


USED = _used(10_000)
CASES = {
    "clean_scan (GS1 with AIM)": lambda: clean_scan("]C1" + PAYLOAD.raw),
    "parse_gtin EAN-13": lambda: parse_gtin("5901234123457"),
    "parse_gs1 element string": lambda: parse_gs1("]C1" + PAYLOAD.raw),
    "parse_gs1 missing separator": lambda: parse_gs1(f"01{GTIN}10ABC1727013121123"),
    "parse_gs1 Digital Link": lambda: parse_gs1(f"https://id.example.com/01/{GTIN}/10/AB"),
    "parse_gs1 not GS1 (lot code)": lambda: parse_gs1("M261109-001"),
    "next_gtin with 10,000 used": lambda: next_gtin("501234", USED),
    "render_lot_code": lambda: render_lot_code("{abbr}{yy}{mm}{dd}-{seq:02}", date.today(), 7, "LAOS"),
    "code128 lot code": lambda: code128("LAOS261109-07"),
    "ean13": lambda: ean13("5901234123457"),
    "qr Digital Link": lambda: qr(f"https://id.example.com/01/{GTIN}/10/LAOS261109-07"),
    "gs1_datamatrix": lambda: gs1_datamatrix(PAYLOAD),
}

if __name__ == "__main__":
    for name, run in CASES.items():
        number = 20 if "10,000" in name else 500
        best = min(timeit.repeat(run, number=number, repeat=3)) / number
        print(f"{name:32s} {best * 1e6:9.1f} µs")
