"""PDF and spreadsheet writers come with the 'documents' extra.

The bench Pi's base install leaves reportlab and xlsxwriter out (a tenth of its size); a CSV
recall pack and the e-mail drafts need neither. Asking first, before anything is written, turns
a missing library into one sentence naming what to install.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from tui.errors import MissingExtra

NEEDS = {".pdf": "reportlab", ".xlsx": "xlsxwriter", "letters": "reportlab"}
"""What each document is written with."""


def require(documents: Iterable[str]) -> None:
    """Raise MissingExtra unless the libraries writing `documents` (keys of NEEDS) are there."""
    for document in documents:
        module = NEEDS.get(document)
        if module is None:
            continue
        try:
            importlib.import_module(module)
        except ImportError:
            what = "letters to customers" if document == "letters" else f"a {document} file"
            raise MissingExtra(
                f"writing {what} needs the 'documents' extra, which the base install leaves out: "
                "add it with: python3 run.py install documents (in the Lotkeeper folder), "
                "or: pip install 'lotkeeper[documents]'; a .csv recall pack needs nothing more"
            ) from None
