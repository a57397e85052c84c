"""The one place that knows the order of the stages.

    ingest -> clean -> annotate -> dates -> actors -> quotes -> quantities -> events -> store

Each analysis stage is a plain function over the shared :class:`~dateline.record.Document`; it
reads what earlier stages wrote and adds its own part. The engines (``dateline.engine``) run this
module's functions in one process, in a worker pool or on Ray; no stage knows which.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path

from spacy.language import Language

from dateline.actors import resolve_entities
from dateline.actors.dictionary import ActorDictionary, load_actor_dictionaries
from dateline.clean import BoilerplateMemory, clean
from dateline.events import extract_events
from dateline.ingest import IngestError, IngestOptions, read_sources
from dateline.nlp import annotate, load_nlp
from dateline.quantities import extract_quantities
from dateline.quotes import extract_quotes
from dateline.record import Document, RawDoc, Record, article_id
from dateline.timex import resolve_times

# Changes whenever a stage's output changes, so that `dateline reprocess` knows what is stale.
PIPELINE_VERSION = "0.2.0"

# Articles per nlp.pipe batch. Measured on ~1,100 news articles: parse memory grows with the batch
# (peak 870 MB at 8, 1,330 MB at 32 in one ingest process) while speed stays the same.
PARSE_BATCH = 8


def iso_date(value: date | datetime | str | None) -> str | None:
    """A publication date as ISO text; strings are checked, not trusted."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return date.fromisoformat(value[:10]).isoformat()


def clean_article(
    raw: RawDoc,
    *,
    published: str | None = None,
    publisher: str | None = None,
    boilerplate: BoilerplateMemory | None = None,
) -> Record:
    """Ingested text to a clean article record (no analysis yet)."""
    record = clean(raw, published=published, publisher=publisher, boilerplate=boilerplate)
    record.source = raw.name
    record.pipeline_version = PIPELINE_VERSION
    return record


def is_analysable(record: Record) -> bool:
    """Syndicated copies are not analysed again; other languages are stored and marked only."""
    has_words = bool(record.text.strip() or (record.title or "").strip())
    return record.duplicate_of is None and has_words and record.language in (None, "en")


def document_before_events(
    text: str, published: str | None = None, dictionaries: ActorDictionary | None = None
) -> Document:
    """One text, taken as it is (no cleaning), parsed, dated, with its entities and quotes: what
    the event coder reads. For training, evaluating and testing the coder on single sentences."""
    document = annotate(Record(id=article_id(text), raw=text, text=text, published=published))
    resolve_times(document)
    resolve_entities(document, dictionaries)
    extract_quotes(document)
    return document


class Pipeline:
    """The analysis stages, with the model and the user's actor dictionaries loaded once."""

    def __init__(self, nlp: Language | None = None, dictionaries: ActorDictionary | None = None):
        self.nlp = nlp or load_nlp()
        self.dictionaries = dictionaries
        # (article id, reason) of analyses that failed since the caller last took them.
        self.failures: list[tuple[str, str]] = []

    @classmethod
    def with_dictionaries(cls, paths: Sequence[str | Path] = ()) -> Pipeline:
        return cls(dictionaries=load_actor_dictionaries(paths) if paths else None)

    def analyse_document(self, document: Document) -> Record:
        resolve_times(document)
        resolve_entities(document, self.dictionaries)
        extract_quotes(document)
        extract_quantities(document)
        extract_events(document)
        return document.record

    def analyse(self, record: Record) -> Record:
        return next(iter(self.analyse_many([record])))

    def analyse_many(self, records: Iterable[Record]) -> Iterator[Record]:
        """Analyse records in order, parsing the analysable ones in batches with ``nlp.pipe``."""
        batch: list[Record] = []
        for record in records:
            batch.append(record)
            if len(batch) >= PARSE_BATCH:
                yield from self._analyse_batch(batch)
                batch = []
        yield from self._analyse_batch(batch)

    def _analyse_batch(self, records: list[Record]) -> Iterator[Record]:
        analysable = [record for record in records if is_analysable(record)]
        titled = [record for record in analysable if record.title]
        # Titles are parsed in the same batch: a few words an article, for the headline's entities.
        docs = list(self.nlp.pipe([record.text for record in analysable] + [str(r.title) for r in titled]))
        parsed = {id(record): doc for record, doc in zip(analysable, docs, strict=False)}
        title_docs = {id(record): doc for record, doc in zip(titled, docs[len(analysable) :], strict=True)}
        for record in records:
            doc = parsed.get(id(record))
            record.pipeline_version = PIPELINE_VERSION
            if doc is not None:
                try:
                    document = Document(record=record, doc=doc, title_doc=title_docs.get(id(record)))
                    self.analyse_document(document)
                except Exception as error:  # one article's failure must not stop the run
                    record.entities, record.events, record.quotes, record.quantities = [], [], [], []
                    # No version: `dateline reprocess` retries it once the stage is fixed.
                    record.pipeline_version = ""
                    self.failures.append((record.id, f"analysis failed: {type(error).__name__}: {error}"))
            yield record


def read_one(path: Path, options: IngestOptions | None = None) -> RawDoc:
    """The first article of a file; a file that cannot be read raises ValueError with the reason."""
    for item in read_sources([path], options=options):
        if isinstance(item, IngestError):
            raise ValueError(f"{item.name}: {item.reason}")
        return item
    raise ValueError(f"{path}: no article found")


def process(
    source: Path | str,
    published: date | datetime | str | None = None,
    *,
    publisher: str | None = None,
    pipeline: Pipeline | None = None,
) -> Record:
    """The whole record of one article, without a database.

    ``source`` is a file (any format ``dateline ingest`` reads; its first article) or the
    article text itself.
    """
    raw = read_one(source) if isinstance(source, Path) else RawDoc(name="<text>", text=source)
    record = clean_article(raw, published=iso_date(published), publisher=publisher)
    if not is_analysable(record):
        return record
    return (pipeline or Pipeline()).analyse(record)
