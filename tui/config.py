"""Typed configuration, loaded from one TOML file.

Who reads what: `store` (database, station), `codes` (SKU, GTIN, lot-code and GS1 rules),
`scanners` (one entry per reader), `printers` (one entry per label printer), `labels`
(what gets printed when), `production` (how far a batch may stray from its recipe), `maker`
(who answers for the goods), `shop` (the currency reports show money in), `backup` (where the
daily backups go, how many are kept).
`config.example.toml` documents every key; the dataclasses here are the single description of
the file's shape: `tui.strict_toml` reads the file into them and
refuses a typo in a key, a value of the wrong type and a value a rule forbids, naming the key.

A new section is a frozen dataclass (every field with a default and a docstring) and one field
of `Config`: `scales: tuple[ScaleConfig, ...] = ()` for an array of tables, or
`shop: ShopConfig = field(default_factory=ShopConfig)` for a table.
"""

from __future__ import annotations

import locale
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Literal

import platformdirs

from tui.codes.commands import check_prefix
from tui.codes.lotcode import validate_template
from tui.codes.sku import check_pattern
from tui.errors import ConfigError, InvalidInput
from tui.strict_toml import above, between, load

APP_NAME = "lotkeeper"


def default_db_path() -> Path:
    """The embedded SQLite file, in the user's data directory (one Pi, zero set-up)."""
    return Path(platformdirs.user_data_dir(APP_NAME)) / "lotkeeper.db"


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


MAX_COPIES = 999
"""Most labels one job prints (a typo of 10000 must not empty the roll)."""


@dataclass(frozen=True)
class StoreConfig:
    db: str = ""
    """SQLite file path or `postgres://user@host/db` URL; empty means the platform data dir."""
    station: str = "bench"
    """Name of this terminal, written on every movement so a shared stock shows who did what."""
    date_order: Literal["", "dmy", "mdy"] = ""
    """How typed dates with dots or slashes are read: `dmy` (31.12.2027) or `mdy` (12/31/2027);
    empty: from the system locale (LC_ALL, LC_TIME, LANG: US and a few others mdy, else dmy).
    YYYYMMDD and YYYY-MM-DD are always understood."""


@dataclass(frozen=True)
class CodesConfig:
    sku_pattern: Annotated[str, check_pattern] = r"^[A-Z0-9][A-Z0-9-]{1,31}$"
    """Regular expression every SKU must match after normalisation."""
    sku_uppercase: bool = True
    """Upper-case SKUs when normalising (a scanner and a person then agree)."""
    sku_template: str = "{name:4}-{variant:3}"
    """Suggested SKU: `{name:N}`/`{variant:N}` take the first N letters/digits of each word."""
    gs1_company_prefix: str = ""
    """The maker's GS1 company prefix (6-11 digits); empty disables GTIN allocation."""
    gtin_kind: Literal["ean13", "upca"] = "ean13"
    """What `gtin next` allocates: `ean13` or `upca` (a US prefix, GTIN-12)."""
    digital_link_domain: str = ""
    """Resolver domain for GS1 Digital Link QR codes, e.g. `id.example.com`; empty: QR holds the lot code."""
    gs1_separator: str = "\x1d"
    """Field separator the scanners send between GS1 fields (GS by default; some send `|` or `^`)."""
    material_lot_template: Annotated[str, validate_template] = "M{yy}{mm}{dd}-{seq:03}"
    """Lot code for received material. Fields: {yyyy} {yy} {mm} {dd} {doy} {seq:N} {abbr}."""
    batch_lot_template: Annotated[str, validate_template] = "{abbr}{yy}{mm}{dd}-{seq:02}"
    """Lot code for a product batch; {abbr} is the product's SKU (first part) or name abbreviation."""
    command_prefix: Annotated[str, check_prefix] = "LK!"
    """Prefix of command barcodes (done, cancel, quantities) on the printed command sheet."""


@dataclass(frozen=True)
class ScannerConfig:
    name: str = "wedge"
    """Shown in the Devices screen and in `lotkeeper listen`."""
    kind: Literal["wedge", "serial", "evdev"] = "wedge"
    """`wedge` (keys in the terminal), `serial` (pyserial port) or `evdev` (Linux HID grab)."""
    port: str = ""
    """Serial: `/dev/ttyACM0`, `/dev/serial/by-id/...`; evdev: `/dev/input/by-id/...` or a device name."""
    baud: Annotated[int, between(50, 4_000_000)] = 9600
    terminator: str = "\r"
    """Serial: the byte(s) the scanner ends each scan with (`\\r`, `\\n` or `\\r\\n`)."""
    prefix: str = ""
    """Optional characters the scanner sends before each scan (helps wedge detection)."""
    suffix: str = ""
    """Optional characters the scanner sends after each scan, before the terminator."""
    min_length: Annotated[int, between(1, 1000)] = 4
    """Wedge: a burst shorter than this is treated as typing."""
    max_gap_ms: Annotated[float, above(0)] = 30.0
    """Wedge: largest gap between two keys of one scan; people type slower than this."""


@dataclass(frozen=True)
class PrinterConfig:
    name: str = "file"
    kind: Literal["brother", "zpl", "file", "cups"] = "file"
    """`brother` (QL raster), `zpl` (Zebra), `file` (PNG/PDF into a folder) or `cups` (`lp`)."""
    uri: str = ""
    """brother/zpl: `tcp://host[:port]`, `/dev/usb/lp0`, `usb://0x04f9:0x209b`.

    file: a folder. cups: the queue name.
    """
    model: str = "QL-820NWB"
    """Brother model (decides label sizes, two-colour and compression)."""
    label: str = "62"
    """Label size id: 62, 62red, 62x29, 29x90, 29, 38, 102."""
    dpi: Annotated[int, between(100, 1200)] = 300
    """ZPL/file printers: dots per inch of the rendered label."""
    timeout_s: Annotated[float, above(0)] = 5.0
    """Network send/receive timeout; a silent printer never hangs the queue."""
    snmp_community: str = "public"
    """brother over tcp://: SNMP community for reading status (no media, cover open); empty: do not ask."""


@dataclass(frozen=True)
class ScaleConfig:
    name: str = "scale"
    """Shown in the Devices screen; `lotkeeper weigh --scale NAME` picks it."""
    kind: Literal["serial"] = "serial"
    """Only `serial` (RS-232, or USB-serial `/dev/ttyUSB*`, `/dev/ttyACM*`) for now."""
    port: str = ""
    """`/dev/ttyUSB0`, or better a stable `/dev/serial/by-id/...` name."""
    baudrate: Annotated[int, between(50, 4_000_000)] = 9600
    """As set in the scale's menu (A&D balances often ship at 2400)."""
    parity: Literal["none", "even", "odd"] = "none"
    """`none` (8 data bits), `even` or `odd` (7 data bits: A&D's factory 7E1)."""
    protocol: Literal["", "and", "mt-sics", "ohaus", "plain"] = ""
    """`and`, `mt-sics`, `ohaus` or `plain`; empty: detected from what the scale sends."""


@dataclass(frozen=True)
class LabelsConfig:
    printer: str = ""
    """Name of the printer new labels go to; empty: the first configured printer."""
    batch_copies: Annotated[int, between(0, MAX_COPIES)] = 0
    """Labels queued per batch made; 0 means one per unit made."""
    material_copies: Annotated[int, between(1, MAX_COPIES)] = 1
    """Labels queued per material lot received."""
    require_clock_sync: bool = True
    """Hold dated labels while the system clock is not synchronised (a Pi has no battery clock)."""
    clock_unknown_is_unsynced: bool = False
    """Also hold them when the sync state cannot be read (no timedatectl, no systemd-timesyncd)."""
    preprinted_diamonds: bool = False
    """The label stock has the red GHS diamonds pre-printed: candle hazard pictograms print in black
    on plain tape instead of needing 62 mm black/red tape."""


@dataclass(frozen=True)
class ProductionConfig:
    recipe_tolerance_pct: Annotated[int, between(0, 1000)] = 10
    """How far (in percent) an amount named for a batch may stray from what its recipe says
    before the Make screen asks and `lotkeeper make` refuses (unless --allow-deviation)."""


@dataclass(frozen=True)
class MarketMaker:
    """Who answers for the goods in one market, where that is not the maker: the EU responsible
    person of a UK maker's cosmetics, the UK one of an EU maker's. Empty keys keep the maker's."""

    market: str
    """The market's code as you print for it: "EU", "GB", "US"."""
    name: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class MakerConfig:
    """Who answers for the goods: printed on compliant labels, signed under recall notices."""

    name: str = ""
    """The business name (the EU/UK cosmetics "responsible person", the food business operator)."""
    address: str = ""
    """Postal address as printed, e.g. "12 Mill Lane, Bath BA1 1AA, UK"."""
    email: str = ""
    """Electronic address: an e-mail address or a contact web page."""
    phone: str = ""
    """Telephone number (a candle's hazard label must carry one)."""
    country: str = ""
    """Two-letter country code of the maker, e.g. "GB"."""
    market: str = ""
    """The market labels are printed for unless `lotkeeper label --market` says another."""
    markets: tuple[MarketMaker, ...] = ()
    """Per market overrides (`[[maker.markets]]`): a different responsible person there."""

    def for_market(self, market: str | None = None) -> MakerConfig:
        """The maker as labels for `market` (default: `market`) name it: the market's entry's
        keys over the maker's own."""
        wanted = (market or self.market).strip().upper()
        entry = (
            next((m for m in self.markets if m.market.strip().upper() == wanted), None) if wanted else None
        )
        if entry is None:
            return self
        return replace(
            self,
            name=entry.name or self.name,
            address=entry.address or self.address,
            email=entry.email or self.email,
            phone=entry.phone or self.phone,
        )


FALLBACK_CURRENCY = "USD"
"""The currency when neither the config nor the locale names one (a C or POSIX locale)."""


def check_currency(code: str) -> None:
    if code and not re.fullmatch(r"[A-Z]{3}", code):
        raise InvalidInput(
            f"expected a three-letter ISO 4217 currency code such as GBP, EUR or USD, got {code!r}"
        )


def currency_from_locale() -> str:
    """The ISO 4217 code of the user's monetary locale (LC_ALL, LC_MONETARY, LANG), or "".

    Python only reads a locale's conventions once it is set, so LC_MONETARY is set from the
    environment for the call and put back: no other category changes.
    """
    try:
        before = locale.setlocale(locale.LC_MONETARY)
        try:
            locale.setlocale(locale.LC_MONETARY, "")
            symbol = str(locale.localeconv().get("int_curr_symbol", ""))
        finally:
            locale.setlocale(locale.LC_MONETARY, before)
    except locale.Error:
        return ""
    code = symbol.strip()[:3]
    return code if re.fullmatch(r"[A-Z]{3}", code) else ""


@dataclass(frozen=True)
class ShopConfig:
    """The shop's money: reports (`lotkeeper report ...`, the Reports screen) show it in this."""

    currency: Annotated[str, check_currency] = ""
    """ISO 4217 code, e.g. "GBP"; empty: the locale's (its int_curr_symbol), else USD."""

    def currency_code(self) -> str:
        """The configured currency, else the locale's, else FALLBACK_CURRENCY."""
        return self.currency or currency_from_locale() or FALLBACK_CURRENCY


@dataclass(frozen=True)
class BackupConfig:
    """Automatic backups: one a day, at the first start of the day, into a folder of their own."""

    dir: str = ""
    """Folder for the daily backups, e.g. a USB stick's `/media/pi/BACKUP/lotkeeper`; empty: no
    automatic backups (`lotkeeper backup` then writes into the data folder's `backups`)."""
    keep: Annotated[int, between(1, 3650)] = 14
    """How many backups the folder keeps: the oldest beyond this are deleted after a new one."""
    warn_after_days: Annotated[int, between(0, 3650)] = 2
    """Home warns when the last good backup is older than this many days; 0: never warns."""


@dataclass(frozen=True)
class Config:
    store: StoreConfig = field(default_factory=StoreConfig)
    codes: CodesConfig = field(default_factory=CodesConfig)
    scanners: tuple[ScannerConfig, ...] = (ScannerConfig(),)
    printers: tuple[PrinterConfig, ...] = (PrinterConfig(),)
    labels: LabelsConfig = field(default_factory=LabelsConfig)
    scales: tuple[ScaleConfig, ...] = ()
    production: ProductionConfig = field(default_factory=ProductionConfig)
    maker: MakerConfig = field(default_factory=MakerConfig)
    shop: ShopConfig = field(default_factory=ShopConfig)
    backup: BackupConfig = field(default_factory=BackupConfig)
    path: Path | None = field(default=None, metadata={"key": False})
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


def parse_config(data: dict[str, Any], path: Path | None = None) -> Config:
    """A parsed TOML document as a `Config`; a mistake is a ConfigError naming file and key."""
    try:
        config = load(Config, data)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc.message}" if path else exc.message) from None
    return replace(config, path=path)


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
