"""Typed configuration, loaded from one TOML file.

Who reads what: `store` (database, station), `codes` (SKU, GTIN, lot-code and GS1 rules),
`scanners` (one entry per reader), `printers` (one entry per label printer), `labels`
(what gets printed when). `config.example.toml` documents every key; this module is the
single place that knows the file's shape, so a typo in a key is reported, never ignored.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

import platformdirs

from tui.errors import ConfigError

APP_NAME = "lotkeeper"


def default_db_path() -> Path:
    """The embedded SQLite file, in the user's data directory (one Pi, zero set-up)."""
    return Path(platformdirs.user_data_dir(APP_NAME)) / "lotkeeper.db"


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


@dataclass(frozen=True)
class StoreConfig:
    db: str = ""
    """SQLite file path or `postgres://user@host/db` URL; empty means the platform data dir."""
    station: str = "bench"
    """Name of this terminal, written on every movement so a shared stock shows who did what."""


@dataclass(frozen=True)
class CodesConfig:
    sku_pattern: str = r"^[A-Z0-9][A-Z0-9-]{1,31}$"
    """Regular expression every SKU must match after normalisation."""
    sku_uppercase: bool = True
    """Upper-case SKUs when normalising (a scanner and a person then agree)."""
    sku_template: str = "{name:4}-{variant:3}"
    """Suggested SKU: `{name:N}`/`{variant:N}` take the first N letters/digits of each word."""
    gs1_company_prefix: str = ""
    """The maker's GS1 company prefix (6-11 digits); empty disables GTIN allocation."""
    gtin_kind: str = "ean13"
    """What `gtin next` allocates: `ean13` or `upca` (a US prefix, GTIN-12)."""
    digital_link_domain: str = ""
    """Resolver domain for GS1 Digital Link QR codes, e.g. `id.example.com`; empty: QR holds the lot code."""
    gs1_separator: str = "\x1d"
    """Field separator the scanners send between GS1 fields (GS by default; some send `|` or `^`)."""
    material_lot_template: str = "M{yy}{mm}{dd}-{seq:03}"
    """Lot code for received material. Fields: {yyyy} {yy} {mm} {dd} {doy} {seq:N} {abbr}."""
    batch_lot_template: str = "{abbr}{yy}{mm}{dd}-{seq:02}"
    """Lot code for a product batch; {abbr} is the product's SKU (first part) or name abbreviation."""
    command_prefix: str = "LK!"
    """Prefix of command barcodes (done, cancel, quantities) on the printed command sheet."""


@dataclass(frozen=True)
class ScannerConfig:
    name: str = "wedge"
    """Shown in the Devices screen and in `lotkeeper listen`."""
    kind: str = "wedge"
    """`wedge` (keys in the terminal), `serial` (pyserial port) or `evdev` (Linux HID grab)."""
    port: str = ""
    """Serial: `/dev/ttyACM0`, `/dev/serial/by-id/...`; evdev: `/dev/input/by-id/...` or a device name."""
    baud: int = 9600
    terminator: str = "\r"
    """Serial: the byte(s) the scanner ends each scan with (`\\r`, `\\n` or `\\r\\n`)."""
    prefix: str = ""
    """Optional characters the scanner sends before each scan (helps wedge detection)."""
    suffix: str = ""
    """Optional characters the scanner sends after each scan, before the terminator."""
    min_length: int = 4
    """Wedge: a burst shorter than this is treated as typing."""
    max_gap_ms: float = 30.0
    """Wedge: largest gap between two keys of one scan; people type slower than this."""


@dataclass(frozen=True)
class PrinterConfig:
    name: str = "file"
    kind: str = "file"
    """`brother` (QL raster), `zpl` (Zebra), `file` (PNG/PDF into a folder) or `cups` (`lp`)."""
    uri: str = ""
    """brother/zpl: `tcp://host[:port]`, `/dev/usb/lp0`, `usb://0x04f9:0x209b`.

    file: a folder. cups: the queue name.
    """
    model: str = "QL-820NWB"
    """Brother model (decides label sizes, two-colour and compression)."""
    label: str = "62"
    """Label size id: 62, 62red, 62x29, 29x90, 29, 38, 102."""
    dpi: int = 300
    """ZPL/file printers: dots per inch of the rendered label."""
    timeout_s: float = 5.0
    """Network send/receive timeout; a silent printer never hangs the queue."""
    snmp_community: str = "public"
    """brother over tcp://: SNMP community for reading status (no media, cover open); empty: do not ask."""


@dataclass(frozen=True)
class ScaleConfig:
    name: str = "scale"
    """Shown in the Devices screen; `lotkeeper weigh --scale NAME` picks it."""
    kind: str = "serial"
    """Only `serial` (RS-232, or USB-serial `/dev/ttyUSB*`, `/dev/ttyACM*`) for now."""
    port: str = ""
    """`/dev/ttyUSB0`, or better a stable `/dev/serial/by-id/...` name."""
    baudrate: int = 9600
    """As set in the scale's menu (A&D balances often ship at 2400)."""
    parity: str = "none"
    """`none` (8 data bits), `even` or `odd` (7 data bits: A&D's factory 7E1)."""
    protocol: str = ""
    """`and`, `mt-sics`, `ohaus` or `plain`; empty: detected from what the scale sends."""


@dataclass(frozen=True)
class LabelsConfig:
    printer: str = ""
    """Name of the printer new labels go to; empty: the first configured printer."""
    batch_copies: int = 0
    """Labels queued per batch made; 0 means one per unit made."""
    material_copies: int = 1
    """Labels queued per material lot received."""
    require_clock_sync: bool = True
    """Hold dated labels while the system clock is not synchronised (a Pi has no battery clock)."""
    clock_unknown_is_unsynced: bool = False
    """Also hold them when the sync state cannot be read (no timedatectl, no systemd-timesyncd)."""


@dataclass(frozen=True)
class Config:
    store: StoreConfig = field(default_factory=StoreConfig)
    codes: CodesConfig = field(default_factory=CodesConfig)
    scanners: tuple[ScannerConfig, ...] = (ScannerConfig(),)
    printers: tuple[PrinterConfig, ...] = (PrinterConfig(),)
    labels: LabelsConfig = field(default_factory=LabelsConfig)
    scales: tuple[ScaleConfig, ...] = ()
    path: Path | None = None
    """The file this came from (None: built-in defaults)."""

    def db_target(self) -> str:
        """The database to open: LOTKEEPER_DB, then the config file, then the platform data dir."""
        return os.environ.get("LOTKEEPER_DB") or self.store.db or str(default_db_path())

    def printer(self, name: str | None = None) -> PrinterConfig:
        wanted = name or self.labels.printer
        if not wanted:
            if not self.printers:
                raise ConfigError("no printer is configured: add a [[printers]] entry to the config")
            return self.printers[0]
        for printer in self.printers:
            if printer.name == wanted:
                return printer
        known = ", ".join(p.name for p in self.printers) or "none"
        raise ConfigError(f"no printer named {wanted!r} in the config (configured: {known})")


T = TypeVar("T")


def _build(cls: type[T], data: Any, section: str) -> T:
    if not isinstance(data, dict):
        raise ConfigError(f"[{section}] must be a table of keys")
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(data) - names)
    if unknown:
        raise ConfigError(f"unknown key(s) in [{section}]: {', '.join(unknown)}")
    try:
        return cls(**data)
    except TypeError as exc:
        raise ConfigError(f"[{section}]: {exc}") from exc


def parse_config(data: dict[str, Any], path: Path | None = None) -> Config:
    known = {"store", "codes", "scanners", "printers", "labels", "scales"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"unknown section(s) in the config: {', '.join(unknown)}")
    scanners = tuple(_build(ScannerConfig, s, "scanners") for s in data.get("scanners", [{}]))
    printers = tuple(_build(PrinterConfig, p, "printers") for p in data.get("printers", [{}]))
    return Config(
        store=_build(StoreConfig, data.get("store", {}), "store"),
        codes=_build(CodesConfig, data.get("codes", {}), "codes"),
        scanners=scanners,
        printers=printers,
        labels=_build(LabelsConfig, data.get("labels", {}), "labels"),
        scales=tuple(_build(ScaleConfig, s, "scales") for s in data.get("scales", [])),
        path=path,
    )


def load_config(path: str | Path | None = None) -> Config:
    """Read the config file: an explicit path must exist; the default one may be absent."""
    explicit = path or os.environ.get("LOTKEEPER_CONFIG")
    target = Path(explicit) if explicit else default_config_path()
    if not target.exists():
        if explicit:
            raise ConfigError(f"config file {target} does not exist")
        return Config()
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config file {target}: {exc}") from exc
    return parse_config(data, target)
