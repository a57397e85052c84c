"""The seed article: its four quantities, and no quantity for its year or its century."""

from __future__ import annotations

from typing import Any

import pytest

from dateline.clean import clean
from dateline.nlp import annotate
from dateline.quantities import extract_quantities
from dateline.record import Quantity, RawDoc, Record
from dateline.timex import resolve_times

# The word of each expected measure that a measure must hold.
KEY_NOUNS = {2700000: "transit", 5000000: "oil", 15000000: "oil", 15: "agreement"}


@pytest.fixture(scope="module")
def seed_record(seed_text: str, seed_expected: dict[str, Any]) -> Record:
    record = clean(RawDoc("moscow-declaration.txt", seed_text), published=seed_expected["published_given"])
    document = annotate(record)
    resolve_times(document)
    extract_quantities(document)
    return record


def _found(record: Record, value: float) -> Quantity:
    matches = [quantity for quantity in record.quantities if quantity.value == value]
    assert len(matches) == 1, f"{value}: {record.quantities}"
    return matches[0]


def test_every_expected_quantity(seed_record: Record, seed_expected: dict[str, Any]) -> None:
    for expected in seed_expected["quantities"]:
        quantity = _found(seed_record, expected["value"])
        assert quantity.unit == expected["unit"]
        assert quantity.qualifier == expected.get("qualifier")
        assert quantity.when == expected.get("when")
        assert quantity.measure is not None
        assert KEY_NOUNS[expected["value"]] in quantity.measure
        assert seed_record.text[quantity.span[0] : quantity.span[1]] == quantity.text


def test_the_record_high_is_about_azerbaijani_oil_transit(seed_record: Record) -> None:
    quantity = _found(seed_record, 2700000)
    assert quantity.text == "2.7 million tons"
    assert quantity.measure is not None
    assert "Azerbaijani oil transit" in quantity.measure
    assert "2003" not in quantity.measure


def test_no_quantity_for_the_year_or_the_century(seed_record: Record) -> None:
    texts = [quantity.text for quantity in seed_record.quantities]
    assert not any("2003" in text or "21st" in text or "Century" in text for text in texts)
    assert len(seed_record.quantities) == 4


def test_ids_are_stable_children_of_the_article(seed_record: Record) -> None:
    ids = [quantity.id for quantity in seed_record.quantities]
    assert len(set(ids)) == len(ids)
    again = annotate(seed_record)
    resolve_times(again)
    extract_quantities(again)
    assert [quantity.id for quantity in seed_record.quantities] == ids
