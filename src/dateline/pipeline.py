"""The one place that knows the order of the stages: :data:`STAGES`, declared once.

    ingest -> clean -> parse -> dates -> actors -> quotes -> quantities -> events -> store

Each analysis stage is a plain function over the shared :class:`~dateline.record.Document`; it
reads what earlier stages wrote and adds its own part. Each is declared with its name, its
function and the parts it reads and writes; :meth:`Pipeline.analyse_document` runs them in that
order, and a partial run (:func:`document_before_events`) runs only the stages a later one needs.
The engines (``dateline.engine``) run this module's functions in one process, in a worker pool or
on Ray; no stage knows which.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Stage:
    """One stage: its name, what it reads and what it writes (record fields, or the Document's
    ``doc``, ``title_doc`` and ``times``), and the function that runs it on a Document (None for
    the two stages that make the Document: clean, one record at a time, and parse, in batches)."""

    name: str
    reads: frozenset[str]
    writes: frozenset[str]
    run: Callable[[Document, ActorDictionary | None], None] | None = None


def _parts(*names: str) -> frozenset[str]:
    return frozenset(names)


# The functions are looked up when a stage runs, not bound here, so that a benchmark timing a
# stage (bench/throughput.py) can wrap the module's function.
STAGES: tuple[Stage, ...] = (
    Stage(
        "clean",
        reads=_parts("raw"),
        writes=_parts(
            "id", "raw", "text", "offset_map", "source", "url", "publisher", "author", "title",
            "published", "language", "language_confidence", "language_reason", "dateline",
            "repairs", "removed",
        ),
    ),
    Stage("parse", reads=_parts("text", "title"), writes=_parts("doc", "title_doc")),
    Stage(
        "dates",
        reads=_parts("doc", "published"),
        writes=_parts("times"),
        run=lambda document, _dictionaries: resolve_times(document),
    ),
    Stage(
        "actors",
        reads=_parts("id", "text", "title", "published", "dateline", "doc", "title_doc"),
        writes=_parts("entities"),
        run=lambda document, dictionaries: resolve_entities(document, dictionaries),
    ),
    Stage(
        "quotes",
        reads=_parts("id", "text", "doc", "entities"),
        writes=_parts("quotes"),
        run=lambda document, _dictionaries: extract_quotes(document),
    ),
    Stage(
        "quantities",
        reads=_parts("id", "text", "doc", "times"),
        writes=_parts("quantities"),
        run=lambda document, _dictionaries: extract_quantities(document),
    ),
    Stage(
        "events",
        reads=_parts("id", "text", "published", "dateline", "doc", "times", "entities", "quotes"),
        writes=_parts("events"),
        run=lambda document, _dictionaries: extract_events(document),
    ),
)  # fmt: skip
ANALYSIS_STAGES = tuple(stage for stage in STAGES if stage.run is not None)


def stage(name: str) -> Stage:
    for declared in STAGES:
        if declared.name == name:
            return declared
    raise KeyError(f"no stage {name!r}; stages: {', '.join(s.name for s in STAGES)}")


def stages_needed_by(name: str) -> list[Stage]:
    """The analysis stages before ``name`` whose output it reads, directly or through another."""
    index = STAGES.index(stage(name))
    needed = set(stage(name).reads)
    chosen: list[Stage] = []
    for earlier in reversed(STAGES[:index]):
        if earlier.writes & needed:
            chosen.append(earlier)
            needed |= earlier.reads
    return [s for s in reversed(chosen) if s.run is not None]


def run_stages(
    document: Document, stages: Iterable[Stage], dictionaries: ActorDictionary | None = None
) -> None:
    for declared in stages:
        assert declared.run is not None, f"{declared.name} does not run on a Document"
        declared.run(document, dictionaries)


def document_before_events(
    text: str, published: str | None = None, dictionaries: ActorDictionary | None = None
) -> Document:
    """One text, taken as it is (no cleaning), parsed, with what the event coder reads (its dates,
    entities and quotes). For training, evaluating and testing the coder on single sentences."""
    document = annotate(Record(id=article_id(text), raw=text, text=text, published=published))
    run_stages(document, stages_needed_by("events"), dictionaries)
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
        run_stages(document, ANALYSIS_STAGES, self.dictionaries)
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
