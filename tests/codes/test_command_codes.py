import re

import pytest

from tui.codes.commands import (
    CANCEL,
    DONE,
    UNDO,
    Command,
    CommandKind,
    command_sheet,
    command_text,
    parse_command,
)
from tui.errors import InvalidInput


def test_texts_and_round_trip():
    assert command_text(DONE) == "LK!DONE"
    assert command_text(Command(CommandKind.QTY, 7)) == "LK!QTY:7"
    for command in (DONE, CANCEL, UNDO, Command(CommandKind.QTY, 999)):
        assert parse_command(command_text(command, "#"), "#") == command


def test_parse_is_case_insensitive_and_strict():
    assert parse_command("lk!done") == DONE
    assert parse_command("LK!qty:10") == Command(CommandKind.QTY, 10)
    for text in ["LK!", "LK!QTY", "LK!QTY:0", "LK!QTY:07", "LK!QTY:1000", "LK!FOO", "DONE", ""]:
        assert parse_command(text) is None
    assert parse_command("LK!DONE", "") is None


def test_sheet():
    sheet = command_sheet("LK!")
    assert sheet[:3] == (("Done", "LK!DONE"), ("Cancel", "LK!CANCEL"), ("Undo", "LK!UNDO"))
    assert sheet[-1] == ("Quantity 10", "LK!QTY:10")
    assert len(sheet) == 13


def test_errors():
    with pytest.raises(InvalidInput, match="a quantity command takes 1 to 999, not 0"):
        Command(CommandKind.QTY, 0)
    with pytest.raises(InvalidInput, match="a quantity goes with the QTY command only"):
        Command(CommandKind.DONE, 3)
    with pytest.raises(InvalidInput, match=re.escape("codes.command_prefix 'L K' must be a few printable")):
        command_text(DONE, "L K")
    with pytest.raises(InvalidInput, match=re.escape("codes.command_prefix '' must be")):
        command_sheet("")
