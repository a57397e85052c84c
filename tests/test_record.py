"""The shared document model's look-ups."""

from __future__ import annotations

from dateline.nlp import load_nlp
from dateline.record import Document, Entity, Record


def test_entity_at_gives_the_tightest_overlapping_mention_and_sees_a_new_entity_list() -> None:
    text = "President Ilham Aliyev met Vladimir Putin in Moscow."
    record = Record(id="t", raw=text, text=text)
    record.entities = [
        Entity(id="a", name="Ilham Aliyev", type="PERSON", mentions=[(0, 22)]),
        Entity(id="b", name="Aliyev", type="PERSON", mentions=[(16, 22)]),
        Entity(id="c", name="Vladimir Putin", type="PERSON", mentions=[(27, 41)]),
    ]
    document = Document(record=record, doc=load_nlp()(text))
    aliyev = document.entity_at(16, 22)
    assert aliyev is not None and aliyev.id == "b"
    # A span that overlaps two mentions goes to the one it fits best.
    president = document.entity_at(0, 9)
    assert president is not None and president.id == "a"
    putin = document.entity_at(36, 41)
    assert putin is not None and putin.id == "c"
    assert document.entity_at(22, 27) is None and document.entity_at(45, 51) is None
    # The actors stage writes a new list: the look-up follows it.
    record.entities = [Entity(id="m", name="Moscow", type="GPE", mentions=[(45, 51)])]
    moscow = document.entity_at(45, 51)
    assert moscow is not None and moscow.id == "m"
    assert document.entity_at(16, 22) is None
