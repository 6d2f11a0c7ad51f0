"""All or nothing unless --skip-bad; a dry run decides the same and writes nothing."""

from __future__ import annotations

import pytest

from tui.errors import InvalidInput, LotkeeperError
from tui.imports import ImportOptions, ImportRefused, Problem, admit


def test_bad_rows_refuse_the_whole_file_naming_each_row_and_reason(parsed):
    problems = parsed["orders_export_bad.csv"].problems
    with pytest.raises(ImportRefused) as caught:
        admit(problems, ImportOptions())
    assert caught.value.problems == problems
    assert caught.value.message == (
        "2 bad rows, nothing imported (fix them, or use --skip-bad to import the other rows):\n"
        "row 4: quantity 'two' is not a number\n"
        "row 5: order number (Name) is empty"
    )
    assert isinstance(caught.value, InvalidInput) and isinstance(caught.value, LotkeeperError)


def test_a_dry_run_refuses_the_same_way():
    with pytest.raises(ImportRefused, match="1 bad row, nothing imported"):
        admit([Problem(3, "quantity 'two' is not a number")], ImportOptions(dry_run=True))


def test_skip_bad_lets_the_good_rows_in_and_keeps_the_problems_to_report():
    problems = [Problem(4, "quantity 'two' is not a number")]
    admission = admit(problems, ImportOptions(skip_bad=True))
    assert (admission.write, admission.problems) == (True, tuple(problems))
    assert admit(problems, ImportOptions(skip_bad=True, dry_run=True)).write is False


def test_a_clean_file_is_written_unless_dry_run():
    assert admit((), ImportOptions()).write is True
    assert admit((), ImportOptions(dry_run=True)).write is False
