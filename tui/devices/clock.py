"""Is the system clock synchronised, and which boot is this? Sensed here; decided elsewhere.

The rule built on it (dated labels wait while the clock cannot be trusted) is
`tui.services.printing.clock`. Whether the clock is synchronised comes from the kernel
(`adjtimex`, read-only): every NTP client (systemd-timesyncd, chrony, ntpd) clears its
"unsynchronised" flag, and it needs neither systemd nor D-Bus, so it also works in a container.
`timedatectl` is only a fallback. The source is a plain callable, so tests (and other
platforms) can hand in their own.
"""

from __future__ import annotations

import ctypes
import subprocess
from collections.abc import Callable
from pathlib import Path

SyncSource = Callable[[], "bool | None"]
"""True synchronised, False not, None cannot tell."""
TIME_ERROR = 5
"""adjtimex() result while the kernel clock is unsynchronised (STA_UNSYNC) or in error."""


def kernel_clock_synced() -> bool | None:
    try:
        adjtimex = ctypes.CDLL(None, use_errno=True).adjtimex
    except (OSError, AttributeError):
        return None
    timex = ctypes.create_string_buffer(512)  # struct timex (~208 bytes); modes = 0: read only
    state = int(adjtimex(timex))
    return None if state < 0 else state != TIME_ERROR


def timedatectl_synced() -> bool | None:
    try:
        done = subprocess.run(
            ["timedatectl", "show", "-p", "NTPSynchronized", "--value"],
            capture_output=True,
            text=True,
            timeout=3,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    answer = done.stdout.strip()
    return {"yes": True, "no": False}.get(answer) if done.returncode == 0 else None


def system_clock_synced() -> bool | None:
    synced = kernel_clock_synced()
    return timedatectl_synced() if synced is None else synced


def boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return "unknown"
