"""Who is sending a job, and whether they still are: the lease a SENDING job carries.

A process that claims a job writes its host name, its process id and when that process started
(boot id and start time, so a process id reused after a kill or a reboot is not mistaken for the
sender) and renews a heartbeat while it sends. A later process then knows the sender is gone:
on the same host, when that process no longer exists; from another host (stations sharing one
PostgreSQL store under one station name), when the heartbeat is older than `STALE_S`.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta
from pathlib import Path

from tui.devices.clock import boot_id
from tui.store.label_jobs import Lease

HEARTBEAT_S = 5.0
"""How often a sender renews its lease while a send is going."""
STALE_S = 60.0
"""A lease not renewed for this long belongs to a process that is gone (or frozen)."""


def _start_ticks(pid: int) -> str | None:
    """The process's start time in clock ticks since boot; None when there is no such process
    (or it is a zombie: killed, not yet reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # after the command name, which may hold spaces
    if fields[0] in ("Z", "X"):
        return None
    return fields[19]


def this_process() -> Lease:
    pid = os.getpid()
    return Lease(socket.gethostname(), pid, f"{boot_id()}:{_start_ticks(pid) or '?'}")


def sender_gone(lease: Lease, heartbeat: datetime | None, now: datetime) -> bool:
    """Is the process holding `lease` gone? Certain on this host; by the heartbeat elsewhere."""
    if lease.host == socket.gethostname():
        if not Path("/proc/self/stat").exists():  # no /proc: only the heartbeat can tell
            return heartbeat is None or now - heartbeat > timedelta(seconds=STALE_S)
        return lease.start != f"{boot_id()}:{_start_ticks(lease.pid) or '-'}"
    return heartbeat is None or now - heartbeat > timedelta(seconds=STALE_S)
