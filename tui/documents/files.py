"""Every document is written beside its target and renamed into place: never half a file."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from tui.errors import InvalidInput


def write_atomically(target: Path, write: Callable[[Path], None], what: str) -> Path:
    """Call `write(partial)` and rename the result to `target`; an OS failure is a maker's message."""
    target = target.expanduser()
    if target.is_dir():
        raise InvalidInput(
            f"{target} is a folder: give a file name, e.g. {target / ('recall' + target.suffix)}"
        )
    partial = target.with_name(target.name + ".part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write(partial)
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InvalidInput(
            f"cannot write the {what} to {target}: {exc.strerror}; choose another folder"
        ) from exc
    return target
