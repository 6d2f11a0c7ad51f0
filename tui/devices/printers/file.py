"""Printers without a label protocol: files in a folder, and CUPS queues through `lp`.

The folder printer is for trying Lotkeeper without hardware, and for printing from another
machine; the format follows the URI: `labels/` (PNG) or `labels/*.pdf`. CUPS gets a PDF at the
label's physical size, so an office printer or a CUPS-driven label printer prints it 1:1.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

import platformdirs

from tui.config import APP_NAME, PrinterConfig
from tui.devices.printers.base import NotPrinted, PrinterStatus, check_label
from tui.errors import ConfigError, PrinterError
from tui.labels.output import RenderedLabel
from tui.labels.sizes import label_size

_serial = itertools.count(1)


def write_label(path: Path, label: RenderedLabel, copies: int = 1) -> Path:
    """PNG (one image) or PDF (a page per copy) by the file's suffix, written atomically."""
    suffix = path.suffix.lower()
    if suffix not in (".png", ".pdf"):
        raise ConfigError(f"cannot write a label as {path.name}: use a .png or .pdf file name")
    data = label.png() if suffix == ".png" else label.pdf(copies)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.part")
        temporary.write_bytes(data)
        temporary.replace(path)
    except OSError as exc:
        raise NotPrinted(f"cannot write the label to {path}: {exc.strerror or exc}") from exc
    return path


class FilePrinter:
    def __init__(self, config: PrinterConfig) -> None:
        self.name = config.name
        self.label = label_size(config.label, config.dpi)
        target = Path(config.uri or Path(platformdirs.user_data_dir(APP_NAME)) / "labels").expanduser()
        self.suffix = ".png"
        if target.name.startswith("*."):
            self.suffix = target.suffix.lower()
            target = target.parent
        if self.suffix not in (".png", ".pdf"):
            raise ConfigError(f"file printer {self.name!r}: use a folder, FOLDER/*.png or FOLDER/*.pdf")
        self.folder = target
        self.written: list[Path] = []

    def send(self, label: RenderedLabel, copies: int) -> None:
        check_label(self, label)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        name = f"{stamp}-{next(_serial):04d}-{label.template}-x{copies}{self.suffix}"
        self.written.append(write_label(self.folder / name, label, copies))

    def status(self) -> PrinterStatus:
        later = "" if self.folder.is_dir() else " (created with the first label)"
        return PrinterStatus(True, f"writes {self.suffix[1:].upper()} files into {self.folder}{later}")


class CupsPrinter:
    def __init__(self, config: PrinterConfig) -> None:
        if not config.uri:
            raise ConfigError(f"CUPS printer {config.name!r} needs uri = the CUPS queue name (see lpstat -p)")
        self.name = config.name
        self.queue = config.uri
        self.label = label_size(config.label, config.dpi)
        self.timeout = config.timeout_s

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        if shutil.which(args[0]) is None:
            raise PrinterError(
                f"the {args[0]} command is missing: install CUPS (sudo apt install cups-client)"
            )
        try:
            return subprocess.run(args, capture_output=True, text=True, timeout=self.timeout, check=False)
        except subprocess.TimeoutExpired:
            raise NotPrinted(
                f"CUPS did not answer within {self.timeout:g} s: is the cups service running?"
            ) from None

    def send(self, label: RenderedLabel, copies: int) -> None:
        check_label(self, label)
        with tempfile.TemporaryDirectory(prefix="lotkeeper-") as folder:
            path = write_label(Path(folder) / f"{label.template}.pdf", label)
            done = self._run(
                "lp", "-d", self.queue, "-n", str(copies), "-t", f"Lotkeeper {label.template}", str(path)
            )
        if done.returncode != 0:
            said = done.stderr.strip() or done.stdout.strip()
            raise NotPrinted(f"CUPS refused the label for queue {self.queue!r}: {said}")

    def status(self) -> PrinterStatus:
        try:
            done = self._run("lpstat", "-p", self.queue)
        except PrinterError as exc:
            return PrinterStatus(False, exc.message)
        text = (done.stdout or done.stderr).strip()
        if done.returncode != 0:
            return PrinterStatus(False, text or f"CUPS does not know the queue {self.queue!r}")
        return PrinterStatus("disabled" not in text, text)
