"""Language identification, offline, on paragraphs written for these tests."""

from __future__ import annotations

from dateline.clean import clean
from dateline.clean.language import detect_language
from dateline.record import RawDoc

FRENCH = (
    "Les ministres des affaires étrangères se sont réunis mardi à Vienne. Ils ont décidé de "
    "reprendre les négociations sur le gazoduc et de se revoir au mois de mai."
)
GERMAN = (
    "Die Außenminister trafen sich am Dienstag in Wien. Sie beschlossen, die Verhandlungen über "
    "die Pipeline wieder aufzunehmen und sich im Mai erneut zu treffen."
)
ENGLISH = "The foreign ministers met in Vienna on Tuesday and agreed to resume talks on the pipeline."


def test_languages() -> None:
    assert detect_language(FRENCH) == "fr"
    assert detect_language(GERMAN) == "de"
    assert detect_language(ENGLISH) == "en"


def test_too_little_text_keeps_the_declared_language() -> None:
    assert detect_language("", "en-GB") == "en"
    assert detect_language("12 345", None) is None
    assert detect_language("Oui.", "fr") == "fr"


def test_clean_marks_a_non_english_article() -> None:
    record = clean(RawDoc("fr", f"Reprise des négociations\n\n{FRENCH}"))
    assert record.language == "fr"
    assert record.title == "Reprise des négociations"
    assert record.repairs == []
