"""How many labels a new lot gets: as configured, else one per piece of a batch."""

from dataclasses import replace

import pytest

from tui.config import MAX_COPIES, LabelsConfig
from tui.services import production
from tui.services.label_data import new_lot_copies
from tui.store.models import Lot

MADE = "2026-03-02"


async def test_material_lots_get_the_configured_copies(world) -> None:
    assert await new_lot_copies(world.oil_old, LabelsConfig(material_copies=2)) == 2


@pytest.fixture
async def blend(world, codes) -> str:
    """Enough lavender blend (30 ml) for the soap: 2 ml a bar."""
    return (await production.make("BLEND-LAV", "30", made=MADE, codes=codes)).lot


async def test_a_batch_in_pieces_gets_one_per_piece_rounded_up(blend, codes) -> None:
    soap = await production.make("SOAP-LAV", "7", made=MADE, codes=codes)
    assert await new_lot_copies(soap.lot, LabelsConfig()) == 7
    await Lot.filter(code=soap.lot).update(qty_milli=7_500)  # made before pieces had to be whole
    assert await new_lot_copies(soap.lot, LabelsConfig()) == 8


async def test_a_batch_in_millilitres_gets_one_label(blend) -> None:
    assert await new_lot_copies(blend, LabelsConfig()) == 1


async def test_configured_batch_copies_win(blend, codes) -> None:
    soap = await production.make("SOAP-LAV", "3", made=MADE, codes=codes)
    assert await new_lot_copies(soap.lot, LabelsConfig(batch_copies=2)) == 2


async def test_a_huge_batch_is_capped(blend, codes) -> None:
    soap = await production.make("SOAP-LAV", "3", made=MADE, codes=codes)
    await Lot.filter(code=soap.lot).update(qty_milli=1_200_000)  # 1,200 bars
    assert await new_lot_copies(soap.lot, LabelsConfig()) == MAX_COPIES


async def test_the_command_sheet_lists_the_pick_numbers_that_stay_with_their_items(world, codes) -> None:
    from tui.labels import CommandSheetData, label_size, render
    from tui.services import catalog, editing
    from tui.services.label_data import label_request

    olive = next(m.number for m in await editing.list_materials() if m.name == "Olive oil")
    name, before, _ = await label_request(None, "commands", codes)
    await catalog.add_material("Aardvark oil", "g")  # sorts first by name
    _, after, _ = await label_request(None, "commands", codes)
    assert name == "commands"
    assert isinstance(before, CommandSheetData) and isinstance(after, CommandSheetData)
    assert f"{olive} Olive oil" in before.numbers[0] and f"{olive} Olive oil" in after.numbers[0]
    assert after.numbers[0].startswith("Materials: ")
    bare = replace(after, numbers=())
    size = label_size("62")
    assert render(name, after, size).image.height > render(name, bare, size).image.height
