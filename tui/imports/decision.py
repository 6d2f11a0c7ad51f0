"""Whether a file with bad rows may be imported, decided once for every kind of import.

All or nothing: one bad row and nothing is written, unless the user asked to skip bad rows
(then the good rows go in and the bad ones are listed). A dry run decides the same way and
then writes nothing, so it shows exactly what the real import would do or refuse.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tui.errors import InvalidInput
from tui.imports.records import Problem


class ImportRefused(InvalidInput):
    """Bad rows and no --skip-bad: nothing is written. The message names each row and reason."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        listed = "\n".join(str(p) for p in self.problems)
        super().__init__(
            f"{count} bad row{'s' if count != 1 else ''}, nothing imported "
            f"(fix {'them' if count != 1 else 'it'}, or use --skip-bad to import the other rows):\n{listed}"
        )


@dataclass(frozen=True, slots=True)
class ImportOptions:
    skip_bad: bool = False
    dry_run: bool = False


@dataclass(frozen=True, slots=True)
class Admission:
    """Go-ahead for an import: whether to write, and the problems to report with the counts."""

    write: bool
    problems: tuple[Problem, ...]


def admit(problems: Sequence[Problem], options: ImportOptions) -> Admission:
    """Refuse (`ImportRefused`) when there are bad rows and skipping was not asked for."""
    if problems and not options.skip_bad:
        raise ImportRefused(problems)
    return Admission(write=not options.dry_run, problems=tuple(problems))
