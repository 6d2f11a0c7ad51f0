from datetime import date

import pytest

from tui.codes.lotcode import (
    abbreviate,
    render_lot_code,
    sanitize_abbr,
    sequence_key,
    validate_template,
)
from tui.config import CodesConfig
from tui.errors import InvalidInput

DAY = date(2026, 11, 9)
CODES = CodesConfig()


def test_default_templates():
    validate_template(CODES.material_lot_template)
    validate_template(CODES.batch_lot_template)
    assert render_lot_code(CODES.material_lot_template, DAY, 1) == "M261109-001"
    assert render_lot_code(CODES.material_lot_template, DAY, 1234) == "M261109-1234"
    assert render_lot_code(CODES.batch_lot_template, DAY, 7, "laos") == "LAOS261109-07"


def test_all_fields():
    code = render_lot_code("x{yyyy}{doy}-{abbr:3}{seq}", DAY, 5, "Crème brûlée")
    assert code == "X2026313-CRE5"


def test_sequence_key_blanks_the_sequence():
    key = sequence_key(CODES.batch_lot_template, DAY, "LAOS")
    assert key == "LAOS261109-#"
    assert sequence_key(CODES.batch_lot_template, date(2026, 11, 10), "LAOS") != key
    assert sequence_key(CODES.batch_lot_template, DAY, "ROSE") != key


def test_abbreviations():
    assert abbreviate("Olive Oil") == "OLOI"
    assert abbreviate("Sodium hydroxide (lye)", 3) == "SHL"
    assert sanitize_abbr("laos-100/ß") == "LAOS100SS"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("M{yy}{mm}{dd}", "needs exactly one {seq} (e.g. {seq:03}) so codes stay unique"),
        ("{seq}-{seq}", "needs exactly one {seq}"),
        ("{seq}{colour}", "has an unknown field {colour}"),
        ("{seq:x}", "has an unknown field {seq:x}"),
        ("{yy:4}{seq}", "gives a width to {yy:4}; only seq and abbr take one"),
        ("M {seq}", "has 'M ', which cannot go into a lot code"),
        ("M/{seq}", "has 'M/', which cannot go into a lot code"),
        ("{seq", "has '{seq', which cannot go into a lot code"),
    ],
)
def test_template_errors(template, message):
    with pytest.raises(InvalidInput) as info:
        validate_template(template)
    assert message in info.value.message
    assert "Fields: {yyyy} {yy} {mm} {dd} {doy} {seq:N} {abbr}" in info.value.message


def test_render_errors():
    with pytest.raises(InvalidInput, match="lot sequence numbers start at 1, not 0"):
        render_lot_code(CODES.material_lot_template, DAY, 0)
    with pytest.raises(InvalidInput, match="the lot code needs an abbreviation, and '' has no"):
        render_lot_code(CODES.batch_lot_template, DAY, 1, "")
    with pytest.raises(InvalidInput, match="has an unknown field"):
        sequence_key("{bogus}{seq}", DAY)
