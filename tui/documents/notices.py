"""Draft recall notices, one per affected customer: an e-mail ready to send and a printable letter.

Nothing is sent: the `.eml` opens in any mail program (or is sent by the maker's own tools), the
PDF is for customers without an e-mail or for the post. Each says which product, which batch,
when they bought it, what to do, and who to contact (`[maker]` in the config).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.errors import HeaderParseError, MessageDefect
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from tui.documents.files import write_atomically
from tui.documents.pack import Maker, Notice, RecallPack, safe_name
from tui.documents.pdf_text import Writer, register_fonts

DEFAULT_ACTION = (
    "Please stop using it and do not pass it on. Keep it (or a photo of its label) and contact us: "
    "we will refund or replace it."
)
"""What a notice asks the customer to do, unless the maker says otherwise."""


@dataclass(frozen=True)
class NoticeFiles:
    customer: str
    email: str
    eml: Path | None
    """None when the customer has no e-mail on record: send the letter."""
    letter: Path


def _bought(notice: Notice) -> list[str]:
    """One line per order and batch: when, what, which batch, how many."""
    lines = []
    for row in notice.rows:
        when = row.shipped.isoformat() if row.shipped else "an unknown date"
        lines.append(
            f"- {row.product} ({row.sku}), batch {row.lot}, {format(row.qty, 'f')} {row.unit},"
            f" order {row.order} of {when}"
            + (f", best before {row.best_before.isoformat()}" if row.best_before else "")
        )
    return lines


def subject(pack: RecallPack, notice: Notice) -> str:
    products = sorted({row.product for row in notice.rows})
    return f"Product recall: {', '.join(products)}"


def _what(pack: RecallPack, notice: Notice) -> str:
    """What is recalled, as the customer knows it: the batch itself, or what went into theirs."""
    if all(row.lot == pack.code for row in notice.rows):
        return f"{pack.item}, batch {pack.code}"
    made = "a lot of" if pack.kind == "material_lot" else "our batch"
    return f"products made with {made} {pack.item} ({pack.code})"


def body(pack: RecallPack, notice: Notice, maker: Maker, action: str) -> str:
    contact = [part for part in (maker.email, maker.phone) if part]
    lines = [
        f"Dear {notice.customer},",
        "",
        f"We are recalling {_what(pack, notice)}, because it may not be safe to use."
        " Our records show that you received:",
        "",
        *_bought(notice),
        "",
        "What to do: " + action,
        "",
        "We are sorry for the trouble." + (f" Contact us: {', '.join(contact)}." if contact else ""),
        "",
        maker.name,
    ]
    if maker.address:
        lines.append(maker.address)
    return "\n".join(lines) + "\n"


def _address(name: str, email: str) -> Address | None:
    """`Name <email>`, or None when `email` is no address a mail program takes (a web page)."""
    try:
        return Address(name, addr_spec=email)
    except (ValueError, IndexError, HeaderParseError, MessageDefect):
        return None


def email_message(pack: RecallPack, notice: Notice, maker: Maker, action: str, now: datetime) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject(pack, notice)
    message["From"] = _address(maker.name, maker.email) or maker.name
    if notice.email:
        message["To"] = _address(notice.customer, notice.email) or notice.email
    message["Date"] = format_datetime(now)
    domain = maker.email.rpartition("@")[2] if "@" in maker.email else None
    message["Message-ID"] = make_msgid(domain=domain)
    message["X-Unsent"] = "1"  # mail programs open it as a draft to send
    message.set_content(body(pack, notice, maker, action))
    return message


def _letter(canvas: Canvas, pack: RecallPack, notice: Notice, maker: Maker, action: str, today: date) -> None:
    register_fonts()
    out = Writer(canvas, A4, 56)
    out.text(maker.name, size=12, bold=True)
    for part in (maker.address, maker.email, maker.phone):
        if part:
            out.text(part, size=9)
    out.skip(18)
    out.text(notice.customer)
    if notice.address:
        out.text(notice.address)
    out.skip(12)
    out.text(today.isoformat(), gap=12)
    out.text(subject(pack, notice), size=12, bold=True, gap=8)
    out.text(body(pack, notice, maker, action))


def write_notice(
    pack: RecallPack, notice: Notice, folder: Path, number: int, maker: Maker, action: str, now: datetime
) -> NoticeFiles:
    stem = f"{number:04d}-{safe_name(notice.customer)}"
    eml = None
    if notice.email:
        message = email_message(pack, notice, maker, action, now)
        raw = bytes(message)

        def save(partial: Path) -> None:
            partial.write_bytes(raw)

        eml = write_atomically(folder / f"{stem}.eml", save, "notice")

    def letter(partial: Path) -> None:
        canvas = Canvas(str(partial), pagesize=A4)
        canvas.setTitle(subject(pack, notice))
        _letter(canvas, pack, notice, maker, action, now.date())
        canvas.save()

    return NoticeFiles(
        notice.customer, notice.email, eml, write_atomically(folder / f"{stem}.pdf", letter, "notice")
    )


def write_notices(
    pack: RecallPack,
    found: list[Notice],
    folder: Path,
    maker: Maker,
    action: str = DEFAULT_ACTION,
    progress: Callable[[int, int], None] | None = None,
    now: datetime | None = None,
) -> list[NoticeFiles]:
    moment = now or datetime.now(UTC)
    written = []
    for number, notice in enumerate(found, start=1):
        written.append(write_notice(pack, notice, folder, number, maker, action, moment))
        if progress is not None:
            progress(number, len(found))
    return written
