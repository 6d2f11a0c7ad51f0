"""Daily work from the command line: catalog, receiving, making, selling.

Each command is a thin shell over one store service (tui/store): parse the arguments, call the
service inside `base.run`, print the result. `--json` output keys are a contract scripts rely on.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from tui.cli.base import CliContext, emit_json, fail, main, pass_cli, run, unescape_gs
from tui.cli.lot_labels import LotLabel, label_new_lot, say_label, with_label
from tui.errors import InvalidInput, LotkeeperError, RecipeDeviation
from tui.services import catalog, inventory, production, products, sales
from tui.services.intake import read_supplier_label
from tui.services.profiles import LabelFields, allergen_rows, label_fields
from tui.store.db import Store

NUMBERS_AS_ARGUMENTS = {"ignore_unknown_options": True}
NO_LABEL = click.option("--no-label", is_flag=True, help="Do not queue the new lot's label(s).")
"""Lets `-5` reach the command as a quantity (refused or used there) instead of being an unknown option."""


def split_pairs(values: Sequence[str], what: str, example: str) -> list[tuple[str, str]]:
    """`ITEM=QTY` arguments; the last `=` splits, so an item name may contain one."""
    pairs = []
    for value in values:
        item, sep, qty = value.rpartition("=")
        if not sep or not item.strip() or not qty.strip():
            fail(f"{what} {value!r} must be written ITEM=QTY, e.g. {example}")
        pairs.append((item.strip(), qty.strip()))
    return pairs


@main.group()
def supplier() -> None:
    """Suppliers of materials."""


@supplier.command("add")
@click.argument("name")
@pass_cli
def supplier_add(cli: CliContext, name: str) -> None:
    async def work(store: Store) -> str:
        return (await catalog.add_supplier(name)).name

    click.echo(f"added supplier {run(cli, work, create=True)}")


@main.group()
def customer() -> None:
    """Customers (the people a recall has to reach)."""


@customer.command("add")
@click.argument("name")
@click.option("--email", help="Email address, for recalls.")
@click.option("--phone", help="Phone number, for recalls.")
@click.option("--address", help="Postal address (lines separated by newlines), for recall letters.")
@pass_cli
def customer_add(
    cli: CliContext, name: str, email: str | None, phone: str | None, address: str | None
) -> None:
    async def work(store: Store) -> str:
        return (await catalog.add_customer(name, email=email, phone=phone, address=address)).name

    click.echo(f"added customer {run(cli, work, create=True)}")


@main.group()
def material() -> None:
    """Materials: what you buy (oils, lye, wicks, jars)."""


@material.command("add")
@click.argument("name")
@click.option("--unit", required=True, help=f"The stock unit, one of {', '.join(catalog.UNITS)}.")
@click.option("--reorder", metavar="QTY", help="Reorder when usable stock falls below this (units allowed).")
@click.option("--density", metavar="G_PER_ML", help="Grams per millilitre: lets weights and volumes convert.")
@click.option(
    "--pack", "packs", multiple=True, metavar="NAME=SIZE", help="A pack size, e.g. case=12, drum=25kg."
)
@click.option(
    "--code",
    "codes",
    multiple=True,
    metavar="SUPPLIER_CODE[=PACK]",
    help="GTIN or item code (on a pack: =PACK).",
)
@click.option("--supplier", metavar="NAME", help="Supplier the --code values belong to.")
@click.option("--inci", metavar="NAME", help="Its name in an ingredient list (INCI for cosmetics).")
@click.option(
    "--allergen",
    "allergens",
    multiple=True,
    metavar="NAME=PERCENT",
    help="A fragrance allergen and its percent, as the supplier declares it (or a food allergen: milk).",
)
@pass_cli
def material_add(
    cli: CliContext,
    name: str,
    unit: str,
    reorder: str | None,
    density: str | None,
    packs: tuple[str, ...],
    codes: tuple[str, ...],
    supplier: str | None,
    inci: str | None,
    allergens: tuple[str, ...],
) -> None:
    """A material: what you buy, in its stock unit, with its density, pack sizes and label data."""
    try:
        rows = allergen_rows(allergens)
    except LotkeeperError as exc:
        fail(exc.message)

    async def work(store: Store) -> str:
        added = await catalog.add_material(
            name, unit, reorder, codes, supplier, density=density, packs=packs, inci=inci, allergens=rows
        )
        return added.name

    click.echo(f"added material {run(cli, work, create=True)}")


@main.group()
def product() -> None:
    """Products: what you make and sell."""


@product.command("add")
@click.argument("name")
@click.option("--sku", required=True, help="Your stock-keeping unit code.")
@click.option("--gtin", help="UPC-A, EAN-13, EAN-8 or GTIN-14.")
@click.option("--shelf-life", metavar="DAYS", help="Best-before = made date + DAYS.")
@click.option("--unit", default="pcs", show_default=True)
@click.option("--density", metavar="G_PER_ML", help="Grams per millilitre (a blend made by volume).")
@click.option(
    "--recipe",
    multiple=True,
    metavar="ITEM=QTY",
    help="Per unit made (units allowed: 300g); ITEM: material or SKU.",
)
@click.option("--profile", metavar="P", help="Label profile: cosmetic, candle, food or general.")
@click.option("--net", metavar="QTY", help="Net quantity printed on the label, e.g. 100g, 250ml.")
@click.option("--pao", metavar="MONTHS", help="Cosmetics: period after opening, in months.")
@click.option("--rinse-off", is_flag=True, help="Cosmetics washed off after use (soap, shampoo).")
@pass_cli
def product_add(
    cli: CliContext,
    name: str,
    sku: str,
    gtin: str | None,
    shelf_life: str | None,
    unit: str,
    density: str | None,
    recipe: tuple[str, ...],
    profile: str | None,
    net: str | None,
    pao: str | None,
    rinse_off: bool,
) -> None:
    """A product: what you make and sell, with its recipe per unit made and its label profile."""
    lines = split_pairs(recipe, "recipe line", "'Olive oil=120g'")
    try:
        label = label_fields(LabelFields(), profile=profile, net=net, pao=pao, rinse_off=rinse_off)
    except LotkeeperError as exc:
        fail(exc.message)

    async def work(store: Store) -> str:
        added = await products.add_product(
            name,
            sku,
            codes=cli.config.codes,
            gtin=gtin,
            shelf_life_days=shelf_life,
            recipe=lines,
            unit=unit,
            density=density,
            label=label,
        )
        return added.sku

    click.echo(f"added product {run(cli, work, create=True)}")


@main.command(context_settings=NUMBERS_AS_ARGUMENTS)
@click.argument("args", nargs=-1, metavar="[MATERIAL] QTY")
@click.option("--supplier", required=True, metavar="NAME")
@click.option("--scan", "scan", metavar="TEXT", help="A supplier barcode: fills material, lot and expiry.")
@click.option("--supplier-lot", metavar="CODE", help="The supplier's own lot or batch code.")
@click.option("--cost", metavar="TOTAL", help="What the whole delivery cost.")
@click.option("--expires", metavar="YYYY-MM-DD")
@click.option("--received", metavar="YYYY-MM-DD", help="Default: today.")
@click.option("--location", metavar="CODE", help="The location it goes to (see `location add`).")
@NO_LABEL
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@pass_cli
def receive(
    cli: CliContext,
    args: tuple[str, ...],
    supplier: str,
    scan: str | None,
    supplier_lot: str | None,
    cost: str | None,
    expires: str | None,
    received: str | None,
    location: str | None,
    no_label: bool,
    as_json: bool,
) -> None:
    """Record a delivery of MATERIAL as a new lot; prints its lot code and queues its label.

    QTY may carry a unit or name a pack (2.5kg, 3case). With --scan, MATERIAL may be left out
    (the supplier's barcode names it), and so may QTY when the barcode is on a pack: one pack.
    """
    if len(args) not in ((0, 1, 2) if scan else (2,)):
        fail("give MATERIAL and QTY (or --scan TEXT and QTY)")
    material_name, qty = (None, args[0] if args else None) if len(args) < 2 else args

    async def work(store: Store) -> tuple[inventory.Received, LotLabel | None]:
        label = await read_supplier_label(unescape_gs(scan), cli.config.codes) if scan else None
        if label is not None and material_name and material_name.casefold() != label.material.casefold():
            raise InvalidInput(f"the barcode is for {label.material}, not {material_name}")
        amount = qty or (label.default_qty if label else None)
        if amount is None:
            raise InvalidInput("give QTY: this barcode is not on a pack of a known size")
        delivery = await inventory.receive(
            label.material if label else str(material_name),
            amount,
            supplier=supplier,
            supplier_lot=supplier_lot or (label.supplier_lot if label else None),
            cost=cost,
            expires=expires or (label.expires if label else None),
            received=received,
            location=location,
            station=store.station,
            codes=cli.config.codes,
        )
        return delivery, None if no_label else await label_new_lot(cli, delivery.lot)

    result, printed = run(cli, work)
    if as_json:
        emit_json(
            with_label(
                cli,
                {
                    "lot": result.lot,
                    "material": result.material,
                    "qty": result.qty,
                    "unit": result.unit,
                    "location": result.location,
                },
                printed,
            )
        )
    else:
        click.echo(result.lot)
    say_label(result.lot, printed)


@main.command(context_settings=NUMBERS_AS_ARGUMENTS)
@click.argument("sku")
@click.argument("qty")
@click.option(
    "--use", multiple=True, metavar="LOT=QTY", help="Take this lot instead of the proposal (QTY as weighed)."
)
@click.option("--made", metavar="YYYY-MM-DD", help="Default: today.")
@click.option(
    "--allow-deviation", is_flag=True, help="Record --use amounts that stray from the recipe (on purpose)."
)
@NO_LABEL
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@pass_cli
def make(
    cli: CliContext,
    sku: str,
    qty: str,
    use: tuple[str, ...],
    made: str | None,
    allow_deviation: bool,
    no_label: bool,
    as_json: bool,
) -> None:
    """Record a batch of SKU and queue its labels; lots are taken first-expiring-first unless
    named with --use.

    QTY and each --use quantity may carry a unit (--use M261109-001=0.3kg); products counted in
    pieces are made in whole pieces.
    """
    used = dict(split_pairs(use, "--use", "M261109-001=250"))
    if len(used) != len(use):
        fail("a lot is named twice in --use: give it once with the total")

    async def work(store: Store) -> tuple[production.Made, LotLabel | None]:
        try:
            made_batch = await production.make(
                sku,
                qty,
                use=used,
                made=made,
                station=store.station,
                codes=cli.config.codes,
                allow_deviation=allow_deviation,
                tolerance_pct=cli.config.production.recipe_tolerance_pct,
            )
        except RecipeDeviation as exc:
            raise RecipeDeviation(f"{exc.message} (--allow-deviation records it as made)") from None
        return made_batch, None if no_label else await label_new_lot(cli, made_batch.lot)

    result, printed = run(cli, work)
    say_label(result.lot, printed)
    if as_json:
        document = {
            "lot": result.lot,
            "product": result.product,
            "qty": result.qty,
            "unit": result.unit,
            "consumed": [
                {"lot": c.lot, "qty": c.qty, "unit": c.unit, "planned": c.planned} for c in result.consumed
            ],
            "unit_cost": result.unit_cost,
        }
        if result.deviations:
            document["deviations"] = [d.to_json() for d in result.deviations]
        emit_json(with_label(cli, document, printed))
        return
    click.echo(result.lot)
    for c in result.consumed:
        click.echo(f"  used {c.lot}: {c.qty} {c.unit} {c.item}")
    if result.best_before is not None:
        click.echo(f"  best before {result.best_before}")
    if result.unit_cost is not None:
        click.echo(f"  unit cost {result.unit_cost}")
    for deviation in result.deviations:
        click.echo(f"  not the recipe: {deviation.describe()}")


@main.command()
@click.argument("items", nargs=-1, required=True, metavar="ITEM=QTY...")
@click.option("--customer", required=True, metavar="NAME")
@click.option("--order", metavar="REF", help="Order reference; default: generated.")
@click.option("--channel", default="direct", show_default=True, help="market, etsy, shopify...")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@pass_cli
def sell(
    cli: CliContext,
    items: tuple[str, ...],
    customer: str,
    order: str | None,
    channel: str,
    as_json: bool,
) -> None:
    """Record an order; ITEM is a batch lot code or a product SKU (batches first-expiring-first)."""
    lines = split_pairs(items, "item", "SOAP-LAV=2")

    async def work(store: Store) -> sales.Sold:
        return await sales.sell(customer, lines, order=order, channel=channel, station=store.station)

    result = run(cli, work)
    if as_json:
        emit_json(
            {
                "order": result.order,
                "customer": result.customer,
                "lines": [{"lot": line.lot, "qty": line.qty} for line in result.lines],
            }
        )
        return
    click.echo(result.order)
    for line in result.lines:
        click.echo(f"  {line.product} {line.qty} from batch {line.lot}")
