"""The config file: the documented example parses, and mistakes are reported, not ignored."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from tui.cli import main
from tui.config import FALLBACK_CURRENCY, Config, currency_from_locale, load_config, parse_config
from tui.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def test_example_config_parses_and_matches_defaults() -> None:
    config = load_config(ROOT / "config.example.toml")
    defaults = Config()
    assert config.codes == defaults.codes
    assert config.store == defaults.store
    assert config.labels == defaults.labels
    assert [s.kind for s in config.scanners] == ["wedge"]


def test_unknown_key_is_an_error() -> None:
    with pytest.raises(ConfigError, match=r"unknown key\(s\) in \[codes\]: sku_patern"):
        parse_config({"codes": {"sku_patern": "x"}})


def test_unknown_section_is_an_error() -> None:
    with pytest.raises(ConfigError, match="unknown section"):
        parse_config({"printer": {}})


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml")


def test_broken_toml_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[codes\n")
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_config(bad)


def test_db_target_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    config = parse_config({"store": {"db": "/srv/lots.db"}})
    monkeypatch.delenv("LOTKEEPER_DB", raising=False)
    assert config.db_target() == "/srv/lots.db"
    monkeypatch.setenv("LOTKEEPER_DB", "/tmp/other.db")
    assert config.db_target() == "/tmp/other.db"


def test_printer_lookup_names_the_configured_ones() -> None:
    config = parse_config({"printers": [{"name": "ql", "kind": "brother"}]})
    assert config.printer().name == "ql"
    with pytest.raises(ConfigError, match=r"configured: ql"):
        config.printer("zebra")


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            '[labels]\nrequire_clock_sync = "no"',
            'labels.require_clock_sync: expected true or false, got "no"',
        ),
        (
            '[[printers]]\nname = "ql"\ntimeout_s = "five"',
            'printers[0].timeout_s: expected a number, got "five"',
        ),
        ("[[printers]]\ntimeout_s = 0", "printers[0].timeout_s: expected a number above 0, got 0"),
        (
            '[[printers]]\nkind = "laser"',
            'printers[0].kind: expected one of "brother", "zpl", "file", "cups"',
        ),
        (
            '[printers]\nname = "ql"',
            "printers: expected a list of tables ([[printers]] entries), got a table",
        ),
        ('[[scanners]]\n[[scanners]]\nkind = "usb"', 'scanners[1].kind: expected one of "wedge", "serial"'),
        ("[[scanners]]\nbaud = 9600.5", "scanners[0].baud: expected a whole number, got 9600.5"),
        (
            "[labels]\nmaterial_copies = 0",
            "labels.material_copies: expected a whole number from 1 to 999, got 0",
        ),
        ("[labels]\nbatch_copies = true", "labels.batch_copies: expected a whole number, got true"),
        ("[store]\nstation = 7", "store.station: expected text in quotes, got 7"),
        ('store = "lots.db"', 'store: expected a table of keys, got "lots.db"'),
        ('[codes]\ngtin_kind = "ean8"', 'codes.gtin_kind: expected one of "ean13", "upca", got "ean8"'),
        (
            '[codes]\nbatch_lot_template = "X{yy}"',
            "codes.batch_lot_template: lot code template 'X{yy}' needs",
        ),
        ('[codes]\ncommand_prefix = "L K"', "codes.command_prefix 'L K' must be a few printable ASCII"),
        ('[codes]\nsku_pattern = "[A-"', "codes.sku_pattern: '[A-' is not a valid pattern"),
        (
            "[codes]\nsku_patern = 'x'\nsku_uppercas = true",
            r"unknown key(s) in [codes]: sku_patern, sku_uppercas",
        ),
        (
            '[[printers]]\nname = "ql"\ntimeout = 5',
            "unknown key(s) in printers[0]: timeout (did you mean timeout_s?)",
        ),
        ("[backup]\nkeep = 0", "backup.keep: expected a whole number from 1 to 3650, got 0"),
        (
            "[backup]\nwarn_after = 3",
            "unknown key(s) in [backup]: warn_after (did you mean warn_after_days?)",
        ),
    ],
)
def test_a_wrong_value_is_refused_with_file_key_and_what_is_expected(
    tmp_path: Path, toml: str, message: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError) as refused:
        load_config(path)
    assert refused.value.message.startswith(f"{path}: ")
    assert message in refused.value.message


def test_numbers_and_defaults_load_as_their_types(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[[printers]]\nname = "ql"\nkind = "brother"\ntimeout_s = 5\n[[scanners]]\nmax_gap_ms = 20'
    )
    config = load_config(path)
    assert config.printers[0].timeout_s == 5.0 and isinstance(config.printers[0].timeout_s, float)
    assert config.scanners[0].max_gap_ms == 20.0 and config.scanners[0].kind == "wedge"
    assert (config.labels, config.codes, config.path) == (Config().labels, Config().codes, path)


def test_the_command_line_refuses_a_wrong_value_before_doing_anything(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[labels]\nrequire_clock_sync = "no"\n')
    db = tmp_path / "lots.db"
    result = CliRunner().invoke(main, ["--config", str(path), "--db", str(db), "stock"])
    assert result.exit_code == 2
    assert f'error: {path}: labels.require_clock_sync: expected true or false, got "no"' in result.output
    assert not db.exists()  # nothing opened, nothing written


def test_shop_currency_comes_from_the_config_else_the_locale_else_usd(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert parse_config({"shop": {"currency": "GBP"}}).shop.currency_code() == "GBP"
    for name in ("LC_ALL", "LC_MONETARY", "LANG"):
        monkeypatch.setenv(name, "C")
    assert currency_from_locale() == ""  # the C locale names no currency
    assert Config().shop.currency_code() == FALLBACK_CURRENCY == "USD"
    with pytest.raises(ConfigError, match=r"shop.currency.*three-letter ISO 4217 currency code"):
        parse_config({"shop": {"currency": "gbp"}})
