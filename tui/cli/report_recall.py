"""`lotkeeper report recall CODE`: the recall pack as a file, and draft notices to customers.

`--out FILE` writes the pack as .csv, .xlsx or .pdf (by the suffix); `--notices DIR` writes one
.eml and one letter per affected customer, signed with `[maker]` from the config; `--json` prints
the pack (`rows`, `upstream`, `totals`) and what was written (`out`, `notices`). Bad input (a
suffix we do not write, a missing `[maker]`, an unknown lot) is refused before anything is written.
"""

from __future__ import annotations

from pathlib import Path

import click

from tui.cli.base import CliContext, emit_json, fail, pass_cli, run
from tui.documents.extra import require
from tui.errors import InvalidInput, MissingExtra
from tui.services import recall_pack as packs
from tui.store.db import Store


@click.command("recall")
@click.argument("code")
@click.option(
    "--out", "out", type=click.Path(path_type=Path), help="Write the pack: FILE.csv, FILE.xlsx or FILE.pdf."
)
@click.option(
    "--notices", "notices_dir", type=click.Path(path_type=Path), help="Write draft notices to this folder."
)
@click.option(
    "--action",
    help="What the notices ask customers to do (default: stop using it, keep it, contact you for a refund).",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the pack and what was written as one JSON document."
)
@pass_cli
def recall_cmd(
    cli: CliContext, code: str, out: Path | None, notices_dir: Path | None, action: str | None, as_json: bool
) -> None:
    """The recall pack of a lot: every unit shipped and who has it (FSMA 204 sortable list)."""
    if out is None and notices_dir is None and not as_json:
        fail("say what to make: --out FILE.csv|.xlsx|.pdf, --notices DIR, or --json")
    if out is not None and out.suffix.lower() not in packs.FORMATS:
        fail(f"{out.name}: the recall pack is written as .csv, .pdf or .xlsx; end the file name with one")
    try:  # before the store is read or anything written
        require(([out.suffix.lower()] if out else []) + (["letters"] if notices_dir else []))
    except MissingExtra as exc:
        fail(exc.message)
    maker = None
    if notices_dir is not None:
        m = cli.config.maker
        try:
            maker = packs.maker_of(m.name, m.address, m.email, m.phone)
        except InvalidInput as exc:
            fail(exc.message)

    async def work(store: Store) -> packs.RecallPack:
        return await packs.recall_pack(code)

    pack = run(cli, work)
    written, drafted = None, []
    try:
        if out is not None:
            written = packs.write_pack(pack, out)
        if notices_dir is not None and maker is not None:
            drafted = packs.write_notices(pack, notices_dir, maker, action=action)
    except InvalidInput as exc:
        fail(exc.message)
    if as_json:
        emit_json(
            packs.pack_json(pack)
            | {
                "out": None if written is None else str(written),
                "notices": [
                    {
                        "customer": n.customer,
                        "email": n.email or None,
                        "eml": None if n.eml is None else str(n.eml),
                        "letter": str(n.letter),
                    }
                    for n in drafted
                ],
            }
        )
        return
    customers = len({row.customer_id for row in pack.rows if row.customer_id is not None})
    click.echo(f"recall pack of {pack.code}: {len(pack.rows)} unit line(s) shipped, {customers} customer(s)")
    if written is not None:
        click.echo(f"written: {written}")
    if notices_dir is not None:
        emails = sum(1 for n in drafted if n.eml is not None)
        click.echo(
            f"notices: {len(drafted)} letter(s) and {emails} e-mail(s) in {notices_dir} (nothing was sent)"
        )
