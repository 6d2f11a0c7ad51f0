"""How long each printed label is kept, and a purge that removes only what is past it.

A label job keeps the exact image printed and, for a profile label, the profile, template
version and field values it printed: the record an inspector or a recall asks for. Each kind of
record is kept for the longest time its rules ask:

- cosmetic: 10 years after the product's last batch (product information file, EU 1223/2009
  Art. 11(1); Lotkeeper keeps the label records with it);
- food: the batch's date (best-before or use-by, from the shelf life) plus 12 months;
- candle and general goods: 10 years after the batch was made (GPSR 2023/988 Art. 9(2),
  technical documentation);
- anything else (material lots, locations, command sheets, batches of products without a
  profile) has no rule here and is never purged.

Batch records themselves (lots, the ledger, the genealogy a trace follows) are never purged.
A job still waiting to print is never purged either. The purge is a dry run unless told to apply
it, and it says what it keeps and until when.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from tortoise.functions import Max

from tui.compliance.durability import add_months
from tui.store.db import writing
from tui.store.models import JobStatus, LabelJob, Lot, LotKind, Product

YEARS_10 = 120
FOOD_MONTHS = 12
DONE = (JobStatus.SENT, JobStatus.FAILED, JobStatus.CANCELLED)
CHUNK = 500


@dataclass(frozen=True)
class Record:
    job: int
    lot: str | None
    profile: str | None
    keep_until: date | None
    """None: no retention rule, kept for good."""
    reason: str

    def to_json(self) -> dict[str, Any]:
        until = self.keep_until.isoformat() if self.keep_until else None
        return {
            "job": self.job,
            "lot": self.lot,
            "profile": self.profile,
            "keep_until": until,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Kept:
    """Records kept, grouped by profile (None: no rule), with the first date one may go."""

    profile: str | None
    jobs: int
    next_date: date | None

    def to_json(self) -> dict[str, Any]:
        when = self.next_date.isoformat() if self.next_date else None
        return {"profile": self.profile, "jobs": self.jobs, "next_date": when}


@dataclass(frozen=True)
class Purge:
    today: date
    applied: bool
    removed: tuple[Record, ...]
    kept: tuple[Kept, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "applied": self.applied,
            "removed": [r.to_json() for r in self.removed],
            "kept": [k.to_json() for k in self.kept],
        }


def keep_until(
    profile: str | None, made: date, best_before: date | None, last_batch: date | None
) -> tuple[date | None, str]:
    """Until when a batch's label record is kept, and the rule that says so."""
    if profile == "cosmetic":
        return add_months(last_batch or made, YEARS_10), "cosmetic: 10 years after the product's last batch"
    if profile == "food":
        if best_before is None:
            return None, "food batch without a date: kept"
        return add_months(best_before, FOOD_MONTHS), "food: the batch's date plus 12 months"
    if profile in ("candle", "general"):
        return add_months(made, YEARS_10), f"{profile}: 10 years after the batch was made"
    return None, "no retention rule: kept"


async def records() -> list[Record]:
    """Every finished label job with its retention date (images are not read)."""
    jobs = await LabelJob.filter(status__in=DONE).order_by("id").values_list("id", "lot_id", "payload")
    lot_ids = {lot_id for _, lot_id, _ in jobs if lot_id is not None}
    lots = {
        row[0]: row
        for row in await Lot.filter(id__in=lot_ids).values_list(
            "id", "code", "kind", "product_id", "dated", "expires"
        )
    }
    product_ids = {row[3] for row in lots.values() if row[3] is not None}
    profiles: Mapping[int, str | None] = dict(
        await Product.filter(id__in=product_ids).values_list("id", "profile")
    )
    last: dict[int, date] = dict(
        await Lot.filter(kind=LotKind.BATCH, product_id__in=product_ids)
        .annotate(last=Max("dated"))
        .group_by("product_id")
        .values_list("product_id", "last")
    )
    out = []
    for job_id, lot_id, payload in jobs:
        lot = lots.get(lot_id)
        if lot is None or lot[2] != LotKind.BATCH or lot[3] is None:
            out.append(Record(job_id, lot[1] if lot else None, None, None, "not a batch label: kept"))
            continue
        printed = payload.get("printed") if isinstance(payload, dict) else None
        profile = printed.get("profile") if isinstance(printed, dict) else profiles.get(lot[3])
        until, reason = keep_until(profile, _day(lot[4]), _day(lot[5]), _day(last.get(lot[3])))
        out.append(Record(job_id, lot[1], profile, until, reason))
    return out


def _day(value: Any) -> Any:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _kept(records: list[Record]) -> tuple[Kept, ...]:
    groups: dict[str | None, list[Record]] = {}
    for r in records:
        groups.setdefault(r.profile, []).append(r)
    out = []
    for profile in sorted(groups, key=lambda p: p or "~"):
        dates = [r.keep_until for r in groups[profile] if r.keep_until is not None]
        out.append(Kept(profile, len(groups[profile]), min(dates) if dates else None))
    return tuple(out)


async def purge(today: date, *, apply: bool = False) -> Purge:
    """Label records whose retention ended before `today`; removed only with `apply`."""
    found = await records()
    past = [r for r in found if r.keep_until is not None and r.keep_until < today]
    gone = {r.job for r in past}
    kept = [r for r in found if r.job not in gone]
    if apply and past:
        ids = [r.job for r in past]
        async with writing():
            for start in range(0, len(ids), CHUNK):
                await LabelJob.filter(id__in=ids[start : start + CHUNK], status__in=DONE).delete()
    return Purge(today, apply, tuple(past), _kept(kept))
