"""The demo's product of each profile, its label data read from the store (recipe, INCI names,
allergens, CLP data, the config's maker), at every size and both resolutions: the barcodes decode
to what the description says and every box passes tests/labels/test_compliant.py's checks; where
it cannot fit, it is refused and described as such, never printed half. Both backends.
"""

from __future__ import annotations

import dataclasses

import pytest

from tests.labels.test_compliant import check_boxes, decoded, expected
from tui.config import MakerConfig
from tui.errors import InvalidInput
from tui.labels import SUPPORTED, ProfileLabelData, compose, describe, label_size
from tui.services.demo import seed_demo
from tui.services.label_data import LabelSource, lot_label_data
from tui.store.models import Lot

MAKER = MakerConfig(
    "Hollow Oak Soap Co.", "12 Mill Lane, Bath BA1 1AA, UK", "hello@hollowoak.example", "+44 1"
)
SKUS = {"cosmetic": "SOAP-CED", "candle": "MELT-LAV", "food": "BISC-OAT", "general": "DISH-CED"}


@pytest.fixture
async def demo_labels(store) -> dict[str, ProfileLabelData]:
    await seed_demo()
    out = {}
    for profile, sku in SKUS.items():
        lot = await Lot.filter(product__sku=sku).order_by("-id").first()
        assert lot is not None
        name, data, _ = await lot_label_data(lot.code, LabelSource(maker=MAKER))
        assert name == profile and isinstance(data, ProfileLabelData)
        out[profile] = data
    return out


async def test_each_demo_profile_label_at_each_size(demo_labels) -> None:
    printed: dict[str, set[str]] = {profile: set() for profile in SKUS}
    for profile, stored in demo_labels.items():
        for size_id in SUPPORTED:
            for dpi in (203, 300):
                size = label_size(size_id, dpi)
                data = stored
                if profile == "candle" and not size.red:
                    data = dataclasses.replace(stored, preprinted_diamonds=True)
                desc = describe(profile, data, size)
                assert desc.missing == (), (profile, size_id)
                if desc.problems:
                    assert "does not fit" in desc.problems[0], (profile, size_id, desc.problems)
                    with pytest.raises(InvalidInput, match="does not fit"):
                        compose(profile, data, size)
                    continue
                composed = compose(profile, data, size)
                assert composed.description == desc
                assert decoded(composed.image) == expected(desc.barcodes), (profile, size_id, dpi)
                check_boxes(composed, size, profile, data)
                printed[profile].add(size_id)
    # Every profile prints on the 62 mm tapes at least; the roomy ones everywhere.
    assert all({"62", "62red", "102"} <= sizes for sizes in printed.values()), printed
    assert printed["cosmetic"] == set(SUPPORTED) and printed["general"] == set(SUPPORTED)
