"""Generated scans, good and hostile, through the resolver (and `trace`) on a real store.

Every scan must come back as a result (never an exception), its message printable (no control
character, no GS1 regular expression), and `trace` of the same text must answer with a result or
one of our errors. The slowest scan is reported: the length cap keeps it bounded.
"""

from __future__ import annotations

import asyncio
import json
import random
import string
import time
from dataclasses import dataclass, field

from .forking import fork_call
from .stores import Seeded, Workdir, seeded_store

GS = "\x1d"
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
HOSTILE = [
    "[link=http://x]y[/link]",
    "[@click=app.quit]q[/]",
    "price [5] [/]",
    "\x1b[2J\x1b[31mred",
    "\x00",
    "'; DROP TABLE lot; --",
    "%s%s%n",
    "../../etc/passwd",
    "\ud800",
    "🧼🕯️" * 5,
    "שלום Acme",
    "Ａｃｍｅ",
]


def _gtin(rng: random.Random, length: int) -> str:
    body = "".join(rng.choice(string.digits) for _ in range(length - 1))
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    good = str((10 - total % 10) % 10)
    return body + (good if rng.random() < 0.7 else rng.choice(string.digits))


def _gs1(rng: random.Random) -> str:
    fields = [
        "01" + _gtin(rng, 14),
        "17" + rng.choice(["261231", "991399", "260231", "2612", "26123100"]),
        "10"
        + "".join(
            rng.choice(string.ascii_uppercase + string.digits + " é/-") for _ in range(rng.randint(0, 25))
        ),
        "21" + "".join(rng.choice(string.ascii_letters) for _ in range(rng.randint(1, 22))),
        "3103" + "".join(rng.choice(string.digits + "a") for _ in range(rng.randint(4, 7))),
        "37" + "".join(rng.choice(string.digits) for _ in range(rng.randint(0, 10))),
        rng.choice(["00", "99", "7003", "8200", "4321"]) + "X" * rng.randint(0, 80),
    ]
    rng.shuffle(fields)
    body = rng.choice([GS, "", "|"]).join(fields[: rng.randint(1, len(fields))])
    style = rng.random()
    if style < 0.3:
        return "]C1" + body
    if style < 0.5:
        return "".join(f"({f[:2]}){f[2:]}" for f in fields[: rng.randint(1, 4)])
    if style < 0.7:
        return f"https://id.example.com/01/{_gtin(rng, 14)}/10/{fields[2][2:]}?17={fields[1][2:]}"
    return body


def generate(rng: random.Random, seeded: Seeded) -> str:
    kind = rng.random()
    if kind < 0.15:
        code = rng.choice([seeded.oil_lot, seeded.batch, "SOAP", "Olive oil"])
        return rng.choice([code, code.lower(), code + rng.choice(INVISIBLE), " " + code + "\t", code[:-1]])
    if kind < 0.3:
        return _gtin(rng, rng.choice([8, 12, 13, 14, 7, 15]))
    if kind < 0.55:
        return _gs1(rng)
    if kind < 0.6:
        return "LK!" + rng.choice(["DONE", "CANCEL", "UNDO", "QTY:3", "QTY:0", "QTY:99999", "NOPE"])
    if kind < 0.7:
        return rng.choice(HOSTILE) + rng.choice(["", GS, "\r\n", "\x7f"])
    if kind < 0.78:
        return "".join(chr(rng.randrange(0, 0x2FFFF)) for _ in range(rng.randint(1, 40)))
    if kind < 0.80:
        return rng.choice(string.digits) * rng.choice([100, 7089, 7090, 50_000, 400_000])
    if kind < 0.9:
        return "".join(rng.choice(string.printable) for _ in range(rng.randint(1, 80)))
    return "".join(rng.choice(INVISIBLE + "AB12 -") for _ in range(rng.randint(1, 20)))


def _printable(text: str) -> bool:
    import unicodedata

    return not any(unicodedata.category(c) == "Cc" for c in text)


async def _fuzz(target: str, seeded: Seeded, count: int, seed_: int) -> dict[str, object]:
    from tui.config import CodesConfig
    from tui.errors import LotkeeperError
    from tui.services.resolver import resolve
    from tui.services.tracing import trace
    from tui.store.db import open_store

    rng = random.Random(seed_)
    codes = CodesConfig()
    kinds: dict[str, int] = {}
    failures: list[str] = []
    slowest = (0.0, "")
    traced = 0
    times: list[float] = []
    async with open_store(target, create=False):
        for i in range(count):
            text = generate(rng, seeded)
            started = time.perf_counter()
            try:
                result = await resolve(text, codes)
            except Exception as exc:
                failures.append(f"resolve({text[:80]!r}) raised {type(exc).__name__}: {exc}")
                continue
            took = time.perf_counter() - started
            times.append(took)
            if took > slowest[0]:
                slowest = (took, text)
            kinds[result.kind] = kinds.get(result.kind, 0) + 1
            if not _printable(result.message) or "pattern '" in result.message:
                failures.append(f"resolve({text[:80]!r}) said {result.message[:200]!r}")
            if i % 10 == 0:
                traced += 1
                try:
                    await trace(text)
                except LotkeeperError:
                    pass
                except Exception as exc:
                    failures.append(f"trace({text[:80]!r}) raised {type(exc).__name__}: {exc}")
    return {
        "kinds": kinds,
        "failures": failures[:50],
        "slowest_ms": slowest[0] * 1000,
        "p99_ms": sorted(times)[int(len(times) * 0.99)] * 1000 if times else 0.0,
        "slowest": f"{slowest[1][:20]!r}, {len(slowest[1])} characters",
        "traced": traced,
    }


@dataclass
class ScanFigures:
    backend: str
    scans: int = 0
    traced: int = 0
    slowest_ms: float = 0.0
    slowest: str = ""
    p99_ms: float = 0.0
    kinds: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.kinds.items(), key=lambda kv: -kv[1]))
        return (
            f"scans {self.backend:<9} {self.scans} through the resolver ({self.traced} also traced): "
            f"{kinds}; "
            f"p99 {self.p99_ms:.1f} ms, slowest {self.slowest_ms:.1f} ms ({self.slowest}); "
            f"failures {len(self.failures)}"
        )


def scans(work: Workdir, count: int) -> ScanFigures:
    figures = ScanFigures("postgres" if work.pg else "sqlite", scans=count)
    target, seeded = seeded_store(work)

    def run() -> int:
        print(json.dumps(asyncio.run(_fuzz(target, seeded, count, 9))))
        return 0

    done = fork_call(run, timeout=3600)
    if done.code != 0:
        figures.failures.append(f"fuzzing process exit {done.code}: {done.err.strip()[-500:]}")
        return figures
    result = json.loads(done.out.strip().splitlines()[-1])
    figures.kinds, figures.failures = result["kinds"], result["failures"]
    figures.slowest_ms, figures.traced = result["slowest_ms"], result["traced"]
    figures.slowest, figures.p99_ms = result["slowest"], result["p99_ms"]
    return figures
