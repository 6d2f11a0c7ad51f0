"""Units and typed quantities: exact factors, conversions that round-trip, the one rounding, refusals."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.codes.amounts import ItemUnits, parse_density, parse_pack, split_amount
from tui.codes.units import BY_SYMBOL, UNITS, Dimension, Quantity, convert, find_unit, format_decimal, unit
from tui.errors import InvalidInput
from tui.store.quantities import to_milli

G, KG, OZ, LB, ML, L, FLOZ, PCS = (BY_SYMBOL[s] for s in ("g", "kg", "oz", "lb", "ml", "l", "fl oz", "pcs"))

LAVENDER = ItemUnits.of("Lavender oil", "ml")
OLIVE = ItemUnits.of("Olive oil", "g", density="0.91", packs=["drum=25kg", "tin=1lb"])
JAR = ItemUnits.of("Amber jar 120 ml", "pcs", packs=["case=12", "pallet=960 pcs"])

amounts = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("999999"), places=3)
same_dimension_pairs = st.sampled_from(
    [(a, b) for a in UNITS for b in UNITS if a.dimension is b.dimension is not Dimension.COUNT]
)


def test_the_defined_factors_are_exact():
    one = Fraction(1)
    assert convert(one, OZ, G) == Fraction("28.349523125")
    assert convert(one, LB, G) == Fraction("453.59237")
    assert convert(one, FLOZ, ML) == Fraction("29.5735295625")
    assert convert(Fraction(16), OZ, LB) == 1  # 16 ounces make a pound, with no residue
    assert convert(Fraction(128), FLOZ, L) == Fraction("3.785411784")  # the US gallon
    assert convert(Fraction("2.5"), KG, G) == 2500


@given(amounts, same_dimension_pairs)
def test_conversions_round_trip_exactly(value, pair):
    source, target = pair
    there = convert(Fraction(value), source, target)
    assert convert(there, target, source) == value


@given(amounts, st.decimals(min_value=Decimal("0.1"), max_value=Decimal("20"), places=6))
def test_density_round_trips_exactly(value, density):
    grams = convert(Fraction(value), ML, G, density)
    assert grams == Fraction(value) * Fraction(density)
    assert convert(grams, G, ML, density) == value


@given(amounts)
def test_a_bare_number_reads_exactly_as_the_store_always_did(value):
    """The new parser can replace `to_milli`: same thousandths for every plain quantity."""
    assert OLIVE.read(str(value)).milli == to_milli(str(value))
    assert OLIVE.read(value).milli == to_milli(value)


@given(amounts, st.sampled_from(["kg", "oz", "lb", "mg", "ml", "l", "fl oz", "drum", "tin"]))
def test_one_rounding_half_even_to_the_thousandth(value, word):
    try:
        amount = OLIVE.read(f"{value} {word}")
    except InvalidInput as exc:  # only a quantity that would round to nothing may be refused
        assert "less than 0.001 g" in exc.message
        return
    assert amount.milli == round(amount.exact * 1000)  # Python rounds a Fraction half to even
    assert abs(Fraction(amount.milli, 1000) - amount.exact) <= Fraction(1, 2000)
    assert amount.rounded == (amount.exact * 1000 != amount.milli)


@given(amounts, st.sampled_from(["kg", "KG", "Kg", "kilograms", "kgs"]))
def test_spellings_and_spacing_agree(value, word):
    expected = OLIVE.read(f"{value}kg").milli
    assert OLIVE.read(f"{value}{word}").milli == expected
    assert OLIVE.read(f"  {value}  {word} ").milli == expected


@given(st.integers(min_value=1, max_value=10_000), st.integers(min_value=1, max_value=500))
def test_packs_of_pieces_are_whole_multiples(count, size):
    item = ItemUnits.of("Tin", "pcs", packs=[f"box={size}"])
    assert item.read(f"{count}box").milli == count * size * 1000
    assert item.read(f"{count} boxes").milli == count * size * 1000


def test_quantities_as_makers_type_them():
    assert [OLIVE.read(t).milli for t in ("2.5kg", "2.5 kg", "300g", "300", "1,5kg", "0.25 l")] == [
        2_500_000,
        2_500_000,
        300_000,
        300_000,
        1_500_000,
        227_500,  # 250 ml at 0.91 g/ml
    ]
    assert JAR.read("12 pcs").milli == 12_000
    assert JAR.read("3case").describe() == "3 case = 36 pcs"
    assert JAR.read("3 Cases").milli == 36_000
    assert JAR.read("0.5 case").milli == 6_000
    assert OLIVE.read("2 drums").describe() == "2 drum = 50000 g"
    assert LAVENDER.read("1 fl oz").describe() == "1 fl oz = 29.574 ml (rounded from 29.5735295625 ml)"
    assert OLIVE.read("1 oz").describe() == "1 oz = 28.35 g (rounded from 28.349523125 g)"
    assert OLIVE.read("250").describe() == "250 g"


def test_rounding_is_half_to_even_and_says_so():
    butter = ItemUnits.of("Cocoa butter", "kg")
    assert butter.read("1.5 g").milli == 2  # 0.0015 kg: the tie goes to the even thousandth
    assert butter.read("2.5 g").milli == 2  # 0.0025 kg: half-up would give 3
    assert butter.read("2.5 g").rounded
    assert not butter.read("2 g").rounded
    with pytest.raises(InvalidInput, match=r"less than 0.001 kg"):
        butter.read("0.4 g")


def test_mixing_mass_and_volume_needs_a_density():
    with pytest.raises(InvalidInput) as caught:
        LAVENDER.read("3g")
    expected = "Lavender oil is measured in ml; give a volume, or set its density to use grams"
    assert caught.value.message == expected
    with pytest.raises(InvalidInput, match="for US fluid ounces write fl oz"):
        LAVENDER.read("2 oz")
    with_density = ItemUnits.of("Lavender oil", "ml", density="0.9")
    assert with_density.read("90 g").milli == 100_000
    with pytest.raises(InvalidInput, match="Olive oil is measured in g; give a weight or a pack"):
        OLIVE.read("3 pcs")


def test_whole_pieces_only():
    for text, detail in (("2.5", ""), ("2.5 pcs", ""), ("0.3 case", ": 0.3 case is 3.6 pcs")):
        with pytest.raises(InvalidInput) as caught:
            JAR.read(text)
        assert caught.value.message == f"{JAR.name} is counted in whole pieces{detail}; give a whole number"
    with pytest.raises(InvalidInput, match=r"in pcs; give a number of pieces or a pack \(case \(12 pcs\)"):
        JAR.read("1 kg")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0", "quantity must be more than zero"),
        ("0 kg", "quantity must be more than zero"),
        ("-2", "quantity -2 is negative: enter a positive amount"),
        ("-2kg", "quantity -2kg is negative"),
        ("abc", "quantity 'abc' is not a number"),
        ("", "quantity '' is not a number"),
        ("1e3", "is not a number"),
        ("1 500", "is not a number"),
        ("1,500", "'1,500' is ambiguous: write 1500 or 1.5, without a comma"),
        ("0.0001", "quantity 0.0001 has more than 3 decimal places"),
        ("0.0001 g", "has more than 3 decimal places"),
        ("1" * 16, "too large"),
        ("3 crates", "'crates' is not a unit or pack of Olive oil; use mg, g, kg, oz, lb; ml, l, fl oz"),
    ],
)
def test_refusals_are_sentences(text, message):
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        OLIVE.read(text)


def test_scale_readings_convert_to_the_stock_unit_and_fine_ones_round():
    assert OLIVE.convert(Quantity(Decimal("1.234"), KG)).milli == 1_234_000
    balance = OLIVE.convert(Quantity(Decimal("12.3456"), G))  # an analytical balance's 0.1 mg
    assert (balance.milli, balance.rounded) == (12_346, True)
    assert LAVENDER.convert(Quantity(Decimal("0"), ML)).milli == 0  # an empty pan is a reading
    with pytest.raises(InvalidInput, match="set its density to use grams"):
        LAVENDER.convert(Quantity(Decimal("45.5"), G))
    assert JAR.convert(Quantity(Decimal("36"), PCS)).milli == 36_000


def test_zero_and_negative_when_asked_for():
    assert OLIVE.read("-250g", "change", allow_negative=True).milli == -250_000
    assert OLIVE.read("0", "counted quantity", allow_zero=True).milli == 0


def test_packs_parse_and_print_back():
    assert parse_pack("case=12", PCS).spec == "case=12 pcs"
    assert parse_pack(" Drum = 25kg ", G).spec == "drum=25 kg"
    assert parse_pack(parse_pack("tin=1 lb", G).spec, G) == parse_pack("tin=1lb", G)
    for text, message in (
        ("case", "write NAME=SIZE"),
        ("kg=12", "is a unit"),
        ("12=3", "use a short word"),
        ("case=2.5", "whole number"),
        ("drum=25 ml", "give its size as a weight"),
        ("case=0", "at least 0.001"),
    ):
        with pytest.raises(InvalidInput, match=message):
            parse_pack(text, PCS if text.startswith("case") else G)
    with pytest.raises(InvalidInput, match="given twice"):
        ItemUnits.of("Jar", "pcs", packs=["case=12", "CASE=6"])


def test_density_is_grams_per_millilitre():
    assert parse_density("0,91") == Decimal("0.91")
    assert parse_density("0.91 g/ml") == Decimal("0.91")
    for text, message in (("910", "not plausible"), ("0", "more than zero"), ("0.1234567", "6 decimal")):
        with pytest.raises(InvalidInput, match=message):
            parse_density(text)
    with pytest.raises(InvalidInput, match="only weights and volumes have a density"):
        ItemUnits.of("Jar", "pcs", density="1")


def test_units_by_name_and_the_us_fluid_ounce():
    assert find_unit("Fl Oz") is FLOZ and find_unit("floz") is FLOZ and find_unit("litres") is L
    assert find_unit("ozt") is None and find_unit("%") is None
    with pytest.raises(InvalidInput, match=r"fl oz is the US fluid ounce"):
        unit("gallon")
    assert unit("m").dimension is Dimension.LENGTH  # materials kept in metres before units existed
    assert str(Quantity(Decimal("2.50"), KG)) == "2.5 kg"
    assert format_decimal(Fraction(1, 3)) == "0.333333333…"
    assert split_amount(" +2,5kg ") == (Decimal("2.5"), "kg")
