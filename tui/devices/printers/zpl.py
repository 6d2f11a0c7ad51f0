"""Zebra (ZPL) printers: the label goes as one ^GFA graphic, so it prints exactly as rendered.

Rendering our own 1-bit image (instead of ZPL text and barcode commands) keeps one layout for
every printer and makes the printed label identical to the PNG stored with the job. Status
comes from `~HS` (host status), which Zebras answer on port 9100 and over USB.
"""

from __future__ import annotations

from PIL import Image, ImageOps

from tui.config import PrinterConfig
from tui.devices.printers.base import MaybePrinted, NotPrinted, PrinterStatus, check_label
from tui.devices.printers.transport import Endpoint
from tui.errors import PrinterError
from tui.labels.output import RenderedLabel
from tui.labels.sizes import label_size


def zpl_graphic(image: Image.Image, copies: int = 1) -> bytes:
    """A complete ZPL label: print width, length, the graphic at 0,0, and the copy count."""
    ink = ImageOps.invert(image.convert("L")).convert("1")  # ZPL: a set bit is a black dot
    width, height = ink.size
    row_bytes = (width + 7) // 8
    data = ink.tobytes()
    total = row_bytes * height
    return (
        f"^XA^PW{width}^LL{height}^LH0,0^FO0,0^GFA,{total},{total},{row_bytes},".encode()
        + data.hex().upper().encode()
        + f"^FS^PQ{copies}^XZ".encode()
    )


def parse_host_status(reply: bytes) -> list[str] | None:
    """Problems reported by `~HS`, or None if the reply is not a host status."""
    strings = [part.split(b"\x03")[0].decode("ascii", "replace") for part in reply.split(b"\x02")[1:]]
    if len(strings) < 2:
        return None
    first, second = strings[0].split(","), strings[1].split(",")
    if len(first) < 3 or len(second) < 4:
        return None
    flags = {
        "the printer is out of labels: load a new roll": first[1],
        "the printer is paused: press its pause button": first[2],
        "the print head is open: close it": second[2],
        "the ribbon has run out: load a new ribbon": second[3],
    }
    return [message for message, flag in flags.items() if flag.strip() == "1"]


class ZplPrinter:
    def __init__(self, config: PrinterConfig) -> None:
        self.name = config.name
        self.label = label_size(config.label, config.dpi)
        self.endpoint = Endpoint(config.uri, config.timeout_s)
        self.timeout = config.timeout_s

    def zpl(self, label: RenderedLabel, copies: int = 1) -> bytes:
        check_label(self, label)
        image = label.bitmap()
        if label.size.rotated:  # the printer's width runs across the tape
            image = image.rotate(90, expand=True)
        return zpl_graphic(image, copies)

    def send(self, label: RenderedLabel, copies: int) -> None:
        data = self.zpl(label, copies)
        link = self.endpoint.open()
        try:
            link.write(data)
            link.finish()
        except OSError as exc:
            if link.delivered() < len(data):  # ^XZ, the last bytes, never arrived
                raise NotPrinted(
                    f"printer {self.name!r} stopped taking data ({exc}); it will be sent again"
                ) from None
            raise MaybePrinted(
                f"printer {self.name!r} did not confirm the label ({exc}): it may or may not have "
                "printed: check whether it came out, then reprint if not"
            ) from None
        finally:
            link.close()

    def status(self) -> PrinterStatus:
        try:
            link = self.endpoint.open()
        except PrinterError as exc:
            return PrinterStatus(False, exc.message)
        try:
            link.write(b"~HS")
            reply = b""
            while reply.count(b"\x03") < 3 and (chunk := link.read(256, self.timeout)):
                reply += chunk
        except OSError as exc:
            return PrinterStatus(False, f"printer {self.name!r} stopped answering ({exc})")
        finally:
            link.close()
        problems = parse_host_status(reply)
        if problems is None:
            return PrinterStatus(None, "reachable, but it did not answer a status request (~HS)")
        if problems:
            return PrinterStatus(False, "; ".join(problems))
        return PrinterStatus(True, "ready")
