"""The config file: the documented example parses, and mistakes are reported, not ignored."""

from pathlib import Path

import pytest

from tui.config import Config, load_config, parse_config
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
