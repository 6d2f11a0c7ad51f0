"""Label records are kept for their profile's time and a purge removes only what is past it:
cosmetic 10 years after the product's last batch, food the batch's date plus 12 months, general
goods 10 years after the batch; no rule, no purge; a dry run writes nothing. Both backends.
"""

from datetime import date

import pytest

from tui.services import production, profiles
from tui.services.retention import keep_until, purge
from tui.store import label_jobs
from tui.store.models import JobStatus, LabelJob, Lot

MADE = "2026-03-02"


async def _job(lot: str | None, status: JobStatus = JobStatus.SENT, profile: str | None = None) -> int:
    lot_id = (await Lot.get(code=lot)).id if lot else None
    payload = {"size": "62", "printed": {"profile": profile}} if profile else {"size": "62"}
    job = await label_jobs.create(
        lot_id=lot_id,
        printer="folder",
        template=profile or "batch",
        template_version=1,
        payload=payload,
        copies=1,
        image_png=b"png",
        status=status,
    )
    return job.id


async def _dated(lot: str, made: str, expires: str | None = None) -> None:
    await Lot.filter(code=lot).update(
        dated=date.fromisoformat(made), expires=date.fromisoformat(expires) if expires else None
    )


@pytest.fixture
async def batches(world, codes) -> dict[str, str]:
    blend = (await production.make("BLEND-LAV", "30", made=MADE, codes=codes)).lot
    old = (await production.make("SOAP-LAV", "1", made=MADE, codes=codes)).lot
    new = (await production.make("SOAP-LAV", "1", made=MADE, codes=codes)).lot
    await _dated(old, "2010-01-01")
    await _dated(new, "2020-01-01")
    await _dated(blend, "2020-01-01", "2020-06-01")
    await profiles.edit_label_fields("SOAP-LAV", profile="cosmetic")
    await profiles.edit_label_fields("BLEND-LAV", profile="food")
    return {"blend": blend, "old": old, "new": new}


def test_retention_rules() -> None:
    made, bb = date(2026, 3, 2), date(2027, 3, 2)
    assert keep_until("cosmetic", made, bb, date(2030, 1, 31))[0] == date(2040, 1, 31)
    assert keep_until("food", made, bb, None)[0] == date(2028, 3, 2)
    assert keep_until("food", made, None, None)[0] is None
    assert keep_until("general", made, None, None)[0] == date(2036, 3, 2)
    assert keep_until("candle", made, None, None)[0] == date(2036, 3, 2)
    assert keep_until(None, made, bb, None)[0] is None


async def test_cosmetic_records_count_from_the_last_batch(batches, db_dump) -> None:
    old = await _job(batches["old"], profile="cosmetic")
    new = await _job(batches["new"])  # no printed profile: the product's profile now
    before = db_dump()
    early = await purge(date(2029, 12, 31))  # the 2010 batch is 19 years old, its product's last is not
    assert early.removed == ()
    assert [(k.profile, k.jobs, k.next_date) for k in early.kept] == [("cosmetic", 2, date(2030, 1, 1))]
    dry = await purge(date(2030, 1, 2))
    assert {r.job for r in dry.removed} == {old, new} and not dry.applied
    assert db_dump() == before  # a dry run writes nothing
    done = await purge(date(2030, 1, 2), apply=True)
    assert done.applied and await LabelJob.all().count() == 0


async def test_food_records_go_12_months_after_the_date_and_nothing_else_goes(batches, world) -> None:
    food = await _job(batches["blend"], profile="food")
    material = await _job(world.lye)
    waiting = await _job(batches["blend"], JobStatus.QUEUED, profile="food")
    assert (await purge(date(2021, 6, 1), apply=True)).removed == ()  # kept until 2021-06-01
    done = await purge(date(2021, 6, 2), apply=True)
    assert [r.job for r in done.removed] == [food]
    assert set(await LabelJob.all().values_list("id", flat=True)) == {material, waiting}
    assert [(k.profile, k.jobs, k.next_date) for k in done.kept] == [(None, 1, None)]
    forever = await purge(date(2999, 1, 1), apply=True)
    assert forever.removed == ()
