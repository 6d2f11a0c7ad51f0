"""Brother QL printers: brother_ql makes the raster bytes, we do the talking.

brother_ql is kept to conversion (`convert()` with the right model, label, compression, rotation
and red channel). We check ourselves that a label suits a model (its `works_with_model()` is
broken), send over our own links (its network backend has no timeout), and read the printer's
32-byte status: on USB and device files in answer to `ESC i S`, over the network by SNMP (QL
printers stay silent on port 9100). Status bits become sentences a maker can act on.
"""

from __future__ import annotations

import errno
import logging
from dataclasses import dataclass
from time import monotonic

from brother_ql.conversion import convert
from brother_ql.models import Model, ModelsManager
from brother_ql.raster import BrotherQLRaster
from PIL import Image

from tui.config import PrinterConfig
from tui.devices.printers.base import MaybePrinted, NotPrinted, PrinterStatus, check_label
from tui.devices.printers.snmp import BROTHER_STATUS_OID, snmp_get
from tui.devices.printers.transport import Endpoint, Link, Unconfirmed
from tui.errors import ConfigError, PrinterError
from tui.labels.output import RenderedLabel
from tui.labels.sizes import LabelSize, label_size

logging.getLogger("brother_ql").setLevel(logging.ERROR)  # it warns about every unsupported opcode

_ERRORS_1 = {
    0x01: "no labels loaded: put a roll in the printer",
    0x02: "the label roll has run out: load a new roll",
    0x04: "the cutter is jammed: open the cover and clear it",
    0x10: "the printer is busy with another job: wait, then retry",
    0x20: "the printer is switched off",
    0x80: "the printer's fan has failed: switch it off and call Brother support",
}
_ERRORS_2 = {
    0x01: "the labels loaded are not the ones the job needs: load the right roll",
    0x02: "the printer's memory is full: switch it off and on",
    0x04: "transmission error: check the cable or network, then retry",
    0x10: "the cover is open: close it",
    0x40: "the labels cannot be fed: check the roll is seated and not at its end",
    0x80: "the printer reports a system error: switch it off and on",
}
_COMPLETED, _ERROR, _NOTIFICATION = 0x01, 0x02, 0x05
_COOLING = 0x03


@dataclass(frozen=True)
class BrotherStatus:
    errors: tuple[str, ...]
    media_type: int
    """0x0A endless, 0x0B die-cut, 0 none."""
    media_width: int
    media_length: int
    status_type: int
    notification: int

    @property
    def media(self) -> str:
        if self.media_type == 0x0B:
            return f"{self.media_width} x {self.media_length} mm die-cut"
        if self.media_type == 0x0A:
            return f"{self.media_width} mm endless"
        return "no"

    def problems(self, size: LabelSize) -> list[str]:
        """Errors, and a mismatch between the loaded labels and the ones we render for."""
        found = list(self.errors)
        endless = self.media_type == 0x0A
        if (
            not found
            and self.media_type
            and ((self.media_width, 0 if endless else self.media_length) != size.tape_mm)
        ):
            found.append(
                f"the printer has {self.media} labels loaded but is set up for {size.name}: load "
                f'a {size.name} roll, or set label = "..." for this printer in the config'
            )
        return found


def parse_status(reply: bytes) -> BrotherStatus | None:
    if len(reply) < 32 or reply[:3] != b"\x80\x20\x42":
        return None
    errors = [msg for bit, msg in _ERRORS_1.items() if reply[8] & bit]
    errors += [msg for bit, msg in _ERRORS_2.items() if reply[9] & bit]
    return BrotherStatus(tuple(errors), reply[11], reply[10], reply[17], reply[18], reply[22])


def brother_model(name: str) -> Model:
    model = ModelsManager().get(name)
    if model is None:
        known = ", ".join(ModelsManager().identifiers())
        raise ConfigError(f"unknown Brother model {name!r}: use one of {known}")
    return model


def check_model(model: Model, size: LabelSize) -> None:
    """Our own works-with-model test: red tape needs two colours, 102 mm tape a wide head."""
    if size.red and not model.two_color:
        raise ConfigError(
            f"{model.identifier} cannot print red: 62red labels need a QL-800, QL-810W or QL-820NWB"
        )
    if size.tape_mm[0] > 62 and model.number_bytes_per_row < 162:
        raise ConfigError(
            f"{model.identifier} cannot take {size.name} labels: they need a QL-1100 series printer"
        )


@dataclass(frozen=True)
class RasterJob:
    data: bytes
    first_print: int
    """Offset of the first print command: a printer that got fewer bytes printed nothing."""


def _convert(image: Image.Image, model: Model, size: LabelSize, copies: int) -> bytes:
    qlr = BrotherQLRaster(model.identifier)
    qlr.exception_on_warning = True
    return bytes(
        convert(
            qlr,
            [image] * copies,
            size.id,
            cut=True,
            compress=model.compression,
            red=size.red,
            rotate=90 if size.rotated else 0,
            dither=False,
        )
    )


def raster_job(label: RenderedLabel, model: Model, copies: int = 1) -> RasterJob:
    """Raster bytes for `copies` of a label: padded to the model's shortest label, turned for
    labels that read along the tape, compressed where the model can, red on black/red tape."""
    size = label.size
    check_model(model, size)
    image = label.image
    if size.endless:
        shortest, longest = model.min_max_length_dots
        width, height = image.size
        if size.rotated and width < shortest:
            image = _pad(image, (shortest, height))
        elif not size.rotated and height < shortest:
            image = _pad(image, (width, shortest))
        if max(image.size) > longest:
            raise PrinterError(f"this label is too long for a {model.identifier}: print fewer items")
    one = _convert(image, model, size, 1)
    return RasterJob(one if copies == 1 else _convert(image, model, size, copies), len(one) - 1)


class BrotherPrinter:
    def __init__(self, config: PrinterConfig, *, snmp_port: int = 161) -> None:
        self.name = config.name
        self.model = brother_model(config.model)
        self.label = label_size(config.label)
        check_model(self.model, self.label)
        self.endpoint = Endpoint(config.uri, config.timeout_s)
        self.timeout = config.timeout_s
        self.snmp_port = snmp_port
        self.community = config.snmp_community
        self._snmp_silent = False

    def _snmp_status(self, host: str) -> bytes | None:
        return snmp_get(
            host,
            BROTHER_STATUS_OID,
            port=self.snmp_port,
            community=self.community,
            timeout=min(self.timeout, 1.0),
        )

    def raster(self, label: RenderedLabel, copies: int = 1) -> RasterJob:
        check_label(self, label)
        return raster_job(label, self.model, copies)

    def send(self, label: RenderedLabel, copies: int) -> None:
        job = self.raster(label, copies)
        self._preflight_network()
        link = self.endpoint.open()
        try:
            if not link.network:
                self._preflight(link)
            try:
                link.write(job.data)
                link.finish()
                if not link.network:
                    self._await_printed(link, copies)
            except OSError as exc:
                reason = _reason(exc)
                if link.delivered() <= job.first_print:
                    raise NotPrinted(f"{reason}; nothing was printed, the label will be sent again") from None
                if isinstance(exc, Unconfirmed):
                    raise MaybePrinted(
                        f"printer {self.name!r} took the label's data but did not confirm it within "
                        f"{self.timeout:g} s (a busy, stuck or not-reading printer looks the same): the "
                        "label may or may not have printed: check the printer, then reprint if it did "
                        "not come out"
                    ) from None
                raise MaybePrinted(
                    f"{reason} after the label's data reached the printer: it may or may not have "
                    "printed: check the printer, then reprint if the label did not come out"
                ) from None
        finally:
            link.close()

    def _problems(self, reply: bytes) -> list[str] | None:
        status = parse_status(reply)
        return None if status is None else status.problems(self.label)

    def _preflight_network(self) -> None:
        """SNMP status before sending, if the printer answers it (once silent, never asked again)."""
        host = self.endpoint.host
        if host is None or self._snmp_silent or not self.community:
            return
        reply = self._snmp_status(host)
        if reply is None:
            self._snmp_silent = True
            return
        problems = self._problems(reply)
        if problems:
            raise NotPrinted(f"printer {self.name!r}: {'; '.join(problems)}")

    def _request_status(self, link: Link) -> bytes:
        link.write(b"\x00" * self.model.num_invalidate_bytes + b"\x1b@\x1biS")
        return self._read_reply(link, self.timeout)

    def _read_reply(self, link: Link, timeout: float) -> bytes:
        reply, deadline = b"", monotonic() + timeout
        while len(reply) < 32 and (left := deadline - monotonic()) > 0:
            reply += link.read(32 - len(reply), left)
        return reply

    def _preflight(self, link: Link) -> None:
        try:
            reply = self._request_status(link)
        except OSError as exc:
            raise NotPrinted(f"printer {self.name!r}: {_reason(exc)}") from None
        problems = self._problems(reply)
        if problems is None:
            raise NotPrinted(
                f"printer {self.name!r} did not answer within {self.timeout:g} s: switch it off and on, "
                "and turn off Editor Lite if its green light is on"
            )
        if problems:
            raise NotPrinted(f"printer {self.name!r}: {'; '.join(problems)}")

    def _await_printed(self, link: Link, copies: int) -> None:
        """Read status replies until every copy is reported printed; an error is MaybePrinted."""
        printed = 0
        while printed < copies:
            status = parse_status(self._read_reply(link, self.timeout))
            if status is None:
                raise MaybePrinted(
                    f"printer {self.name!r} did not confirm the label within {self.timeout:g} s: check "
                    "whether it came out, then reprint if not"
                )
            if status.status_type == _ERROR:
                raise MaybePrinted(
                    f"printer {self.name!r} stopped: {'; '.join(status.errors) or 'unknown error'}. "
                    f"{printed} of {copies} labels were printed: reprint the rest once it is fixed"
                )
            printed += status.status_type == _COMPLETED

    def status(self) -> PrinterStatus:
        host = self.endpoint.host
        if host is not None:
            reply = self._snmp_status(host) if self.community else None
            if reply is None:
                return _reachable(self.endpoint)
        else:
            try:
                link = self.endpoint.open()
            except PrinterError as exc:
                return PrinterStatus(False, exc.message)
            try:
                reply = self._request_status(link)
            except OSError as exc:
                return PrinterStatus(False, _reason(exc))
            finally:
                link.close()
        return _describe(parse_status(reply), self.label)


def _describe(status: BrotherStatus | None, size: LabelSize) -> PrinterStatus:
    if status is None:
        return PrinterStatus(False, "the printer did not answer: switch it off and on")
    problems = status.problems(size)
    if problems:
        return PrinterStatus(False, "; ".join(problems))
    if status.status_type == _NOTIFICATION and status.notification == _COOLING:
        return PrinterStatus(True, "the print head is cooling down: labels continue in a moment")
    return PrinterStatus(True, f"ready, {status.media} labels loaded")


def _reachable(endpoint: Endpoint) -> PrinterStatus:
    """Without SNMP a network printer can only be checked by connecting to it."""
    try:
        endpoint.open().close()
    except PrinterError as exc:
        return PrinterStatus(False, exc.message)
    return PrinterStatus(None, "reachable; it does not report labels or errors over the network (SNMP off)")


def _reason(exc: OSError) -> str:
    if isinstance(exc, TimeoutError):
        return "the printer stopped taking data"
    if isinstance(exc, ConnectionError) or exc.errno in (errno.ENOTCONN, errno.EPIPE):
        return "the printer dropped the connection"
    return f"sending failed ({exc.strerror or exc})"


def _pad(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    padded = Image.new(image.mode, size, 1 if image.mode == "1" else 0)
    if image.mode == "P":
        padded.putpalette(image.getpalette() or [])
    padded.paste(image, (0, 0))
    return padded
