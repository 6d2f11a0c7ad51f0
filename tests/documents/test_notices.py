"""Draft notices per affected customer, and `lotkeeper report recall` as a script meets it."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.documents.conftest import Recall, build_recall
from tests.support.cli import Cli
from tui.config import CodesConfig
from tui.documents.pack import Maker
from tui.errors import InvalidInput
from tui.services.recall_pack import maker_of, recall_pack, write_notices, write_recall_folder
from tui.store.db import open_store

MAKER = Maker("Mill Lane Soaps", "12 Mill Lane, Bath BA1 1AA", "hello@mill.example", "+44 1225 000000")
NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def read_eml(path: Path):
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())


def pdf_text(path: Path) -> str:
    return " ".join("\n".join(page.extract_text() for page in PdfReader(path).pages).split())


async def test_one_notice_per_customer_on_record(recall: Recall, tmp_path: Path) -> None:
    pack = await recall_pack(recall.lavender)
    written = write_notices(pack, tmp_path / "notices", MAKER, now=NOW)
    # Two Zoë O'Briens (Shopify with an e-mail, Etsy without), the Greek customer; no walk-in.
    assert [(n.customer, n.email, n.eml is not None) for n in written] == [
        ("Zoë O'Brien", "", False),
        ("Zoë O'Brien", "zoe.obrien@example.com", True),
        ("Ζωή Παπαδοπούλου", "zoi@example.gr", True),
    ]
    assert sorted(p.name for p in (tmp_path / "notices").iterdir()) == [
        "0001-Zoë_O_Brien.pdf",
        "0002-Zoë_O_Brien.eml",
        "0002-Zoë_O_Brien.pdf",
        "0003-Ζωή_Παπαδοπούλου.eml",
        "0003-Ζωή_Παπαδοπούλου.pdf",
    ]

    first = written[1]
    assert first.eml is not None
    mail = read_eml(first.eml)
    assert mail["To"] == "Zoë O'Brien <zoe.obrien@example.com>"
    assert mail["From"] == "Mill Lane Soaps <hello@mill.example>"
    assert mail["Subject"] == "Product recall: Lavender Oat Soap"
    assert mail["X-Unsent"] == "1"
    body = mail.get_content()
    assert f"- Lavender Oat Soap (LAV-SOAP), batch {recall.soap1}, 2 pcs, order #1001 of 2026-10-01" in body
    assert f"We are recalling products made with a lot of Lavender EO ({recall.lavender})" in body
    assert "3141592653" not in body  # her Etsy order is the other customer's notice
    assert "What to do: Please stop using it" in body
    assert "Contact us: hello@mill.example, +44 1225 000000." in body

    etsy = pdf_text(written[0].letter)
    assert "14 Baggot Street Lower" in etsy and "order 3141592653 of 2026-10-03" in etsy
    assert f"batch {recall.soap1}, 1 pcs" in etsy and "Mill Lane Soaps" in etsy

    greek = written[2]
    assert greek.eml is not None
    assert read_eml(greek.eml)["To"] == "Ζωή Παπαδοπούλου <zoi@example.gr>"
    letter = pdf_text(greek.letter)
    assert "Dear Ζωή Παπαδοπούλου," in letter and "Οδός Αθηνάς 5" in letter
    assert f"batch {recall.soap2}, 1 pcs, order B-1 of 2026-10-11" in letter
    assert "2026-11-02" in letter


def test_the_maker_must_be_named_and_reachable() -> None:
    with pytest.raises(InvalidInput, match=r"set \[maker\] name"):
        maker_of(" ", "", "a@b.example", "")
    with pytest.raises(InvalidInput, match=r"set \[maker\] email or phone"):
        maker_of("Mill Lane Soaps", "Bath", "", "")
    assert maker_of(" Mill ", "", "", "01") == Maker("Mill", "", "", "01")


@pytest.fixture
def recall_db(tmp_path: Path) -> tuple[str, Recall]:
    path = tmp_path / "shop.db"

    async def build() -> Recall:
        async with open_store(str(path), create=True):
            return await build_recall(CodesConfig())

    return str(path), asyncio.run(build())


def config(tmp_path: Path, maker: str) -> str:
    path = tmp_path / "lotkeeper.toml"
    path.write_text(maker, encoding="utf-8")
    return str(path)


MAKER_TOML = '[maker]\nname = "Mill Lane Soaps"\nemail = "hello@mill.example"\n'


def test_cli_writes_the_pack_and_the_notices(recall_db, tmp_path: Path, cli: Cli) -> None:
    db, recall = recall_db
    conf = config(tmp_path, MAKER_TOML)
    out, notices = tmp_path / "pack" / "recall.pdf", tmp_path / "notices"
    code, stdout, _ = cli(
        "--config",
        conf,
        "--db",
        db,
        "report",
        "recall",
        recall.lavender,
        "--out",
        str(out),
        "--notices",
        str(notices),
    )
    assert code == 0, stdout
    assert stdout.splitlines() == [
        f"recall pack of {recall.lavender}: 4 unit line(s) shipped, 3 customer(s)",
        f"written: {out}",
        f"notices: 3 letter(s) and 2 e-mail(s) in {notices} (nothing was sent)",
    ]
    assert "Recall pack: material lot" in pdf_text(out)
    assert len(list(notices.iterdir())) == 5

    code, stdout, _ = cli(
        "--config",
        conf,
        "--db",
        db,
        "report",
        "recall",
        recall.soap2,
        "--json",
        "--out",
        str(tmp_path / "r.csv"),
    )
    assert code == 0
    doc = json.loads(stdout)
    assert set(doc) == {
        "code",
        "kind",
        "item",
        "dated",
        "supplier",
        "supplier_lot",
        "upstream",
        "totals",
        "rows",
        "out",
        "notices",
    }
    assert doc["out"] == str(tmp_path / "r.csv") and doc["notices"] == []
    assert [row["order"] for row in doc["rows"]] == ["tx7Hq2LmPa01ZY", "B-1"]
    assert doc["rows"][1] == {
        "lot": recall.soap2,
        "product": "Lavender Oat Soap",
        "sku": "LAV-SOAP",
        "gtin": "",
        "qty": "1",
        "unit": "pcs",
        "made": "2026-09-02",
        "best_before": "2027-09-02",
        "order": "B-1",
        "channel": "direct",
        "shipped": "2026-10-11",
        "customer": "Ζωή Παπαδοπούλου",
        "email": "zoi@example.gr",
        "phone": "+30 210 555 0101",
        "address": "Οδός Αθηνάς 5\nΑθήνα 105 51",
    }
    assert doc["totals"][-1] == {
        "lot": recall.soap2,
        "item": "Lavender Oat Soap",
        "unit": "pcs",
        "made": "5",
        "shipped": "3",
        "used": "0",
        "wasted": "0",
        "adjusted": "-1",
        "on_hand": "1",
    }


@pytest.mark.parametrize(
    ("maker", "args", "message"),
    [
        (
            MAKER_TOML,
            ["--out", "{tmp}/out/r.docx"],
            "r.docx: the recall pack is written as .csv, .pdf or .xlsx",
        ),
        ("", ["--out", "{tmp}/out/r.csv", "--notices", "{tmp}/out/n"], "set [maker] name"),
        ('[maker]\nname = "Mill"\n', ["--notices", "{tmp}/out/n"], "set [maker] email or phone"),
        (MAKER_TOML, [], "say what to make"),
    ],
)
def test_cli_refuses_bad_input_and_writes_nothing(
    recall_db, tmp_path: Path, cli: Cli, maker, args, message
) -> None:
    db, recall = recall_db
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    code, stdout, stderr = cli(
        "--config", config(tmp_path, maker), "--db", db, "report", "recall", recall.lavender, *argv
    )
    assert (code, stdout) == (2, "")
    assert stderr.startswith("error: ") and message in stderr
    assert not (tmp_path / "out").exists()


def test_cli_unknown_lot(recall_db, tmp_path: Path, cli: Cli) -> None:
    db, _ = recall_db
    code, _, stderr = cli("--db", db, "report", "recall", "NOPE-9", "--out", str(tmp_path / "out" / "r.csv"))
    assert code == 2 and "error: no lot has the code 'NOPE-9'" in stderr
    assert not (tmp_path / "out").exists()


async def test_the_whole_pack_in_one_folder_with_progress(recall: Recall, tmp_path: Path) -> None:
    pack = await recall_pack(recall.base)
    told: list[tuple[float, str]] = []
    written = write_recall_folder(pack, tmp_path / "pack", MAKER, lambda f, what: told.append((f, what)))
    stem = f"recall-{recall.base}"
    assert [p.name for p in written.files] == [f"{stem}.csv", f"{stem}.xlsx", f"{stem}.pdf"]
    assert sorted(p.name for p in (tmp_path / "pack").iterdir()) == sorted(
        [*(p.name for p in written.files), "notices"]
    )
    assert (written.rows, len(written.notices)) == (4, 3)
    fractions = [f for f, _ in told]
    assert fractions == sorted(fractions) and fractions[0] == 0 and fractions[-1] == 1
    assert {what for _, what in told} >= {
        f"{stem}.csv",
        f"{stem}.xlsx",
        f"{stem}.pdf",
        "notice 3 of 3",
        "done",
    }


async def test_a_file_where_the_folder_should_be_is_refused(recall: Recall, tmp_path: Path) -> None:
    pack = await recall_pack(recall.base)
    (tmp_path / "pack").write_text("not a folder")
    with pytest.raises(InvalidInput, match="is a file: give a folder"):
        write_recall_folder(pack, tmp_path / "pack", MAKER)
    with pytest.raises(InvalidInput, match="is a file: give a folder"):
        write_notices(pack, tmp_path / "pack", MAKER)
    assert (tmp_path / "pack").read_text() == "not a folder"


def test_cli_notices_say_the_makers_action_and_take_a_contact_page(
    recall_db, tmp_path: Path, cli: Cli
) -> None:
    db, recall = recall_db
    conf = config(tmp_path, '[maker]\nname = "Mill"\nemail = "https://mill.example/contact"\n')
    notices = tmp_path / "n"
    action = "Bring it back to our market stall\n for a full refund."
    code, _, err = cli(
        "--config",
        conf,
        "--db",
        db,
        "report",
        "recall",
        recall.soap2,
        "--notices",
        str(notices),
        "--action",
        action,
    )
    assert code == 0, err
    (eml,) = notices.glob("*.eml")
    mail = read_eml(eml)
    assert mail["From"] == "Mill" and mail["To"] == "Ζωή Παπαδοπούλου <zoi@example.gr>"
    body = mail.get_content()
    assert f"We are recalling Lavender Oat Soap, batch {recall.soap2}, because" in body
    assert "What to do: Bring it back to our market stall for a full refund." in body
    assert "Contact us: https://mill.example/contact." in body
