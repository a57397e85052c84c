"""Is this a political event, reported as having happened? The last decision on a coded event.

The rules and the type model find *what kind* of act a sentence's words name; on whole articles
most such words are not political events at all: a pitcher "struck out" fourteen, a company
"plans to release" a laptop, "Are you planning to visit?", a campaign "attacked" the problem. The
detector reads each typed event in its article and decides whether a political actor acts in it
and whether the article reports it as fact, from what the parse and the earlier stages already
know:

- who acts and is acted on: coded or not, their CAMEO sector, entity type, role ("Senator");
- how the act is reported: a question, a condition ("if"), a modal ("could", "would"), an
  intention, in quotes, in which sentence of the article;
- what the act is: its PLOVER type, the rule that found it, its trigger word, and the words of
  its sentence (sports, markets, films...).

A logistic regression (scikit-learn) over these features gives the probability that the event
is one a careful CAMEO coder would list; events under :data:`KEEP_MIN` are dropped. The artifact
(``data/event_detector.joblib``) is built by ``python -m dateline.training.detector`` from the
PLV training sentences, the team's own sentences (``training/data/``) and whole labelled
articles; it is loaded once per process. Without it every typed event is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from spacy.tokens import Span as SentenceSpan
from spacy.tokens import Token

from dateline.record import Argument, Document, Entity, Event

DETECTOR_FILE = "event_detector.joblib"
# An event the detector finds less likely than this to be a reported political event is dropped.
KEEP_MIN = 0.5
# Sectors of actors that are political by themselves (CAMEO's government, opposition, military,
# judicial, police, party, legislative, rebel and armed groups, IGOs and NGOs...).
POLITICAL_SECTORS = frozenset(
    [
        "GOV",
        "MIL",
        "JUD",
        "COP",
        "PTY",
        "LEG",
        "OPP",
        "REB",
        "INS",
        "SEP",
        "IGO",
        "NGO",
        "NGM",
        "ELI",
        "SPY",
        "UAF",
        "MOD",
        "RAD",
        "PRO",
        "LAB",
        "HRI",
        "REF",
    ]
)
HYPOTHETICAL_MARKERS = frozenset({"if", "unless", "whether", "should"})
MODAL_WORDS = frozenset({"would", "could", "might", "may", "can", "should", "must"})
_CONTENT_POS = frozenset({"VERB", "NOUN", "ADJ", "PROPN"})
WORD_WEIGHT = 0.3


def _lemma(token: Token) -> str:
    return token.lemma_.lower() if token.lemma_ else token.lower_


def trigger_token(document: Document, event: Event) -> Token | None:
    """The head word of an event's trigger: the trigger's verb or noun nearest the parse's root."""
    start, end = event.trigger.span
    span = document.doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    return span.root


def _sector(actor: str | None) -> str:
    if not actor:
        return "uncoded"
    if actor.startswith("IGO"):
        return "IGO"
    if actor.startswith("NGO"):
        return "NGO"
    rest = actor[3:6]
    return rest or "country"


def _side_features(side: str, arguments: list[Argument], entities: dict[str, Entity]) -> dict[str, float]:
    found: dict[str, float] = {}
    if not arguments:
        found[f"{side}:none"] = 1.0
        return found
    political = False
    for argument in arguments[:2]:
        sector = _sector(argument.actor)
        found[f"{side}:sector={sector}"] = 1.0
        entity = entities.get(argument.entity or "")
        kind = entity.type if entity else "noentity"
        found[f"{side}:type={kind}"] = 1.0
        if entity is not None and entity.role:
            found[f"{side}:role"] = 1.0
        if argument.actor and (sector in POLITICAL_SECTORS or sector == "country"):
            political = True
    found[f"{side}:political={political}"] = 1.0
    return found


def _hypothetical(token: Token) -> bool:
    """The act sits under a condition or an open question ("if Russia invaded", "whether")."""
    current = token
    for _ in range(6):
        if any(child.dep_ == "mark" and child.lower_ in HYPOTHETICAL_MARKERS for child in current.children):
            return True
        if current.head.i == current.i:
            return False
        current = current.head
    return False


def _modals(token: Token) -> set[str]:
    found = set()
    for head in (token, token.head):
        for child in head.children:
            if child.dep_ == "aux" and child.lower_ in MODAL_WORDS | {"will", "'ll", "wo"}:
                found.add(child.lower_)
    return found


def _in_quote(document: Document, event: Event) -> bool:
    start = event.trigger.span[0]
    return any(
        quote.kind != "indirect" and quote.span[0] <= start < quote.span[1]
        for quote in document.record.quotes
    )


def event_features(
    document: Document, event: Event, sentence: SentenceSpan, entities: dict[str, Entity]
) -> dict[str, float]:
    """What the detector reads about one typed event."""
    found: dict[str, float] = {}
    kind = event.plover.type if event.plover else "none"
    found[f"type={kind}"] = 1.0
    found[f"root={event.root}"] = 1.0
    rule = event.rule.rsplit(">", 1)[-1]
    found[f"rule={rule}"] = 1.0
    found[f"modality={event.modality}"] = 1.0
    found["confidence"] = event.confidence
    found.update(_side_features("src", event.source, entities))
    found.update(_side_features("tgt", event.target, entities))
    position = event.sentence
    found[f"position={min(position, 6)}"] = 1.0
    text = sentence.text.strip()
    if text.endswith("?"):
        found["question"] = 1.0
    if _in_quote(document, event):
        found["in_quote"] = 1.0
    token = trigger_token(document, event)
    if token is not None:
        lem = _lemma(token)
        found[f"t={lem}"] = 1.0
        found[f"t+type={lem}|{kind}"] = 1.0
        found[f"tag={token.tag_}"] = 1.0
        found[f"dep={token.dep_}"] = 1.0
        if _hypothetical(token):
            found["hypothetical"] = 1.0
        for modal in _modals(token):
            found[f"modal={modal}"] = 1.0
    for word in sentence:
        if word.pos_ in _CONTENT_POS and not word.is_stop and word.is_alpha:
            found[f"w={_lemma(word)}"] = WORD_WEIGHT
    return found


def document_rows(document: Document, events: list[Event]) -> list[dict[str, float]]:
    """The detector's features of each event of ``document``."""
    sentences = list(document.doc.sents)
    entities = {entity.id: entity for entity in document.record.entities}
    return [event_features(document, event, sentences[event.sentence], entities) for event in events]


@dataclass(frozen=True)
class Detector:
    """A fitted pipeline (DictVectorizer + LogisticRegression) whose class 1 is "a political event"."""

    pipeline: Any
    keep_min: float = KEEP_MIN

    def probabilities(self, rows: list[dict[str, float]]) -> list[float]:
        if not rows:
            return []
        classes = list(self.pipeline.classes_)
        positive = classes.index(1)
        return [float(row[positive]) for row in self.pipeline.predict_proba(rows)]


def save_detector(detector: Detector, path: Path) -> None:
    import joblib

    joblib.dump({"pipeline": detector.pipeline, "keep_min": detector.keep_min}, path, compress=3)


def read_detector(path: Path) -> Detector:
    import joblib

    data = joblib.load(path)
    return Detector(pipeline=data["pipeline"], keep_min=float(data["keep_min"]))


@lru_cache(maxsize=1)
def load_detector() -> Detector | None:
    """The shipped detector, or None where the package has none (every typed event is kept)."""
    resource = resources.files("dateline").joinpath("data", DETECTOR_FILE)
    if not resource.is_file():
        return None
    with resources.as_file(resource) as path:
        return read_detector(path)


def detect(document: Document, events: list[Event], detector: Detector | None) -> list[Event]:
    """The events the detector keeps; each kept event's confidence becomes its probability.

    Negated events and statements without a PLOVER type (roots 01, 02) pass as they are: the
    detector judges acts reported as having happened."""
    if detector is None:
        return events
    judged = [event for event in events if event.plover is not None and not event.negated]
    probabilities = detector.probabilities(document_rows(document, judged))
    verdict = {id(event): probability for event, probability in zip(judged, probabilities, strict=True)}
    kept = []
    for event in events:
        probability = verdict.get(id(event))
        if probability is None:
            kept.append(event)
        elif probability >= detector.keep_min:
            event.confidence = round(min(event.confidence, probability), 2)
            kept.append(event)
    return kept
