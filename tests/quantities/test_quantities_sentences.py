"""Quantities in sentences written for these tests: values, units, measures, times and hedges."""

from __future__ import annotations

import pytest

from dateline.nlp import load_nlp
from dateline.quantities import extract_quantities
from dateline.record import Document, Quantity, Record
from dateline.timex import resolve_times


def quantities_of(text: str, published: str = "2004-02-07") -> list[Quantity]:
    record = Record(id="test", raw=text, text=text, published=published)
    document = Document(record=record, doc=load_nlp()(text))
    resolve_times(document)
    extract_quantities(document)
    return record.quantities


def only(text: str) -> Quantity:
    (quantity,) = quantities_of(text)
    return quantity


def test_a_dollar_loan_is_one_amount_in_usd_about_the_loan() -> None:
    # quantulum3 reads "a $1.2 billion loan" wrongly; the amount is 1.2e9 dollars and it is a loan
    quantity = only("The World Bank approved a $1.2 billion loan to Georgia.")
    assert (quantity.text, quantity.value, quantity.unit) == ("$1.2 billion", 1.2e9, "USD")
    assert quantity.measure == "loan"


def test_metric_tonnes_keep_their_unit() -> None:
    # quantulum3 drops the unit of "2.7 million metric tonnes"
    quantity = only("Azerbaijan exported 2.7 million metric tonnes of grain.")
    assert (quantity.text, quantity.value, quantity.unit) == ("2.7 million metric tonnes", 2.7e6, "t")
    assert quantity.measure == "grain"


@pytest.mark.parametrize(
    ("sentence", "value", "unit"),
    [
        ("The tanker carried 80,000 tons of crude.", 80_000, "t"),
        ("The mine produced 12 tonnes of gold.", 12, "t"),
        ("The field yields 300,000 barrels of oil.", 300_000, "bbl"),
        ("The pipeline will carry 1 million barrels per day.", 1e6, "bbl/d"),
        ("Russia will supply 5 billion cubic metres of gas.", 5e9, "m3"),
        ("Turkmenistan sold 10 billion cubic meters of gas.", 1e10, "m3"),
        ("Gazprom shipped 25 bcm of gas.", 2.5e10, "m3"),
        ("The deal is worth 400 million euros.", 4e8, "EUR"),
        ("The company lost 12.5 million rubles.", 1.25e7, "RUB"),
        ("Moscow lent Minsk €3.5bn.", 3.5e9, "EUR"),
        ("The fine was £2 million.", 2e6, "GBP"),
        ("Britain gave 10 million pounds in aid.", 1e7, "GBP"),
        ("The parcel weighed 50 pounds.", 50, "lb"),
        ("They paid USD 400,000 in cash.", 4e5, "USD"),
        ("Prices rose 5 per cent.", 5, "%"),
        ("Turnout was 65 percent.", 65, "%"),
        ("Unemployment fell to 7.5%.", 7.5, "%"),
        ("Rates rose 3 percentage points.", 3, "pp"),
        ("The missile flew 1,000 kilometres.", 1000, "km"),
        ("Brent rose to $82.40 a barrel.", 82.4, "USD/bbl"),
        ("They signed a 15-year contract.", 15, "year"),
        ("The talks lasted three days.", 3, "day"),
    ],
)
def test_values_are_scaled_and_units_normalised(sentence: str, value: float, unit: str) -> None:
    quantity = only(sentence)
    assert quantity.value == pytest.approx(value)
    assert quantity.unit == unit


@pytest.mark.parametrize(
    ("sentence", "value", "measure"),
    [
        ("About 300 protesters were arrested on Monday.", 300, "protesters arrested"),
        ("The bomb killed 14 soldiers.", 14, "soldiers killed"),
        ("At least 12 people were killed in the blast.", 12, "people killed"),
        ("Some 5,000 troops crossed the border.", 5000, "troops"),
        ("The war drove 200,000 refugees into Armenia.", 200_000, "refugees"),
        ("Twenty-five people died in the fire.", 25, "people died"),
    ],
)
def test_counts_of_people(sentence: str, value: float, measure: str) -> None:
    quantity = only(sentence)
    assert (quantity.value, quantity.unit, quantity.measure) == (value, "people", measure)


@pytest.mark.parametrize(
    ("sentence", "measure"),
    [
        ("The level of oil exports through Georgia reached a record high of 2 million tons.", "oil exports"),
        ("Inflation rose 5 per cent.", "Inflation"),
        ("Food inflation, which reached 37 per cent in May, worried the bank.", "Food inflation"),
        ("Its budget of $3 billion was cut.", "budget"),
        ("They moved cargo worth 2 billion euros.", "cargo"),
        ("The company lost 12.5 million rubles.", "company lost"),
    ],
)
def test_the_measure_comes_from_the_parse(sentence: str, measure: str) -> None:
    found = only(sentence).measure
    assert found is not None and measure in found


@pytest.mark.parametrize(
    ("sentence", "qualifier"),
    [
        ("Russia could pump up to 5 million tons of oil.", "up to"),
        ("Output hit a record high of 2 million tons.", "record high"),
        ("About 300 protesters were arrested.", "about"),
        ("More than 1,200 people were killed.", "more than"),
        ("At least 12 people were killed.", "at least"),
        ("Nearly 40 per cent voted no.", "nearly"),
        ("Over 500 tons of grain rotted.", "over"),
        ("Less than 5 per cent turned out.", "less than"),
        ("The plant makes 3 million tons or more each year.", "at least"),
        ("The tanker carried 80,000 tons of crude.", None),
    ],
)
def test_qualifiers(sentence: str, qualifier: str | None) -> None:
    assert only(sentence).qualifier == qualifier


def test_when_is_the_date_of_the_same_clause() -> None:
    (quantity,) = quantities_of("Trade between the two countries reached $1.5 billion in 2003.")
    assert quantity.when == "2003"
    (quantity,) = quantities_of("Exports reached 2.7 million tons last year.")
    assert quantity.when == "2003"
    (quantity,) = quantities_of("Exports reached 2.7 million tons, officials said.")
    assert quantity.when is None


@pytest.mark.parametrize(
    "sentence",
    [
        "The treaty was signed in 2003.",
        "He called terrorism the plague of the 21st Century.",
        "The vote was 89-52 on March 3.",
        "The meeting ended at 5 p.m. on Friday.",
        "She came third, behind the two leaders.",
        "One of the men spoke in the 1990s.",
        "The Boeing 747 landed at Sheremetyevo.",
        "Two-thirds of voters stayed home.",
        "Tens of thousands marched.",
    ],
)
def test_years_dates_times_ordinals_and_names_are_not_quantities(sentence: str) -> None:
    assert quantities_of(sentence) == []


def test_an_age_is_an_amount_of_years_of_a_person() -> None:
    quantity = only("A 74-year-old pensioner was hurt.")
    assert (quantity.value, quantity.unit, quantity.measure) == (74, "year", "age of pensioner")


def test_a_count_with_a_year_next_to_it() -> None:
    found = quantities_of("Russia sent 2000 troops to the region in 2004.")
    assert [(quantity.value, quantity.unit) for quantity in found] == [(2000, "people")]
