"""The learned event-type model: a scikit-learn classifier that types each candidate event.

The rules find the trigger and the parse finds who did what to whom; this model reads the
trigger's lemma and dependency context, the frame words, the argument types, the content words
of the sentence and the rule's own CAMEO proposal, and gives a PLOVER type with a probability.
The artifact (``data/event_model.joblib``) is built by ``make model``
(``python -m dateline.events.training``) from the PLV training split; it is a small sklearn
pipeline, loaded once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.tokens import Span as SentenceSpan
from spacy.tokens import Token

MODEL_FILE = "event_model.joblib"
# Below this probability a rule's own type stands; a candidate no rule coded is dropped.
KEEP_RULE_BELOW = 0.35
FALLBACK_MIN = 0.8
_CONTENT_POS = frozenset({"VERB", "NOUN", "ADJ"})


def _lemma(token: Token) -> str:
    return token.lemma_.lower() if token.lemma_ else token.lower_


def features(
    sentence: SentenceSpan,
    trigger: Token,
    rule_code: str | None,
    rule: str = "",
    argument_types: tuple[str, ...] = (),
) -> dict[str, float]:
    """Sparse features of one candidate: the trigger and its frame, the sentence's words, the rule."""
    found: dict[str, float] = {}
    lem = _lemma(trigger)
    found[f"t={lem}"] = 1.0
    found[f"tdep={trigger.dep_}"] = 1.0
    found[f"tpos={trigger.pos_}"] = 1.0
    head = trigger.head
    if head.i != trigger.i:
        found[f"head={_lemma(head)}"] = 1.0
        found[f"head+dep={_lemma(head)}|{trigger.dep_}"] = 1.0
    for child in trigger.children:
        if child.dep_ in ("dobj", "prt", "xcomp", "ccomp", "attr", "acomp", "neg", "aux", "amod", "compound"):
            found[f"c:{child.dep_}={_lemma(child)}"] = 1.0
            found[f"t+{child.dep_}={lem}|{_lemma(child)}"] = 1.0
        elif child.dep_ in ("prep", "agent"):
            found[f"t+prep={lem}|{child.lower_}"] = 1.0
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    found[f"pobj={_lemma(pobj)}"] = 1.0
    for token in sentence:
        if token.pos_ in _CONTENT_POS and not token.is_stop:
            found[f"w={_lemma(token)}"] = found.get(f"w={_lemma(token)}", 0.0) + 0.5
    if rule_code:
        found[f"cameo={rule_code}"] = 1.0
        found[f"root={rule_code[:2]}"] = 1.0
    else:
        found["cameo=none"] = 1.0
    for part in rule.split(">"):
        if part:
            found[f"rule={part}"] = 1.0
    for kind in argument_types:
        found[f"arg={kind}"] = 1.0
    return found


@dataclass(frozen=True)
class Typed:
    """The model's view of one candidate: its best types, most probable first."""

    ranked: tuple[tuple[str, float], ...]

    @property
    def best(self) -> str:
        return self.ranked[0][0]

    @property
    def probability(self) -> float:
        return self.ranked[0][1]


class EventTypeModel:
    def __init__(self, pipeline: Any) -> None:
        self.pipeline = pipeline
        self.classes: list[str] = [str(name) for name in pipeline.classes_]

    def predict(self, rows: list[dict[str, float]]) -> list[Typed]:
        if not rows:
            return []
        result = []
        for probabilities in self.pipeline.predict_proba(rows):
            order = sorted(range(len(self.classes)), key=lambda i: -probabilities[i])
            result.append(Typed(tuple((self.classes[i], float(probabilities[i])) for i in order[:3])))
        return result


@lru_cache(maxsize=1)
def load_model() -> EventTypeModel | None:
    """The shipped model, or None when the package was built without it."""
    import joblib

    resource = resources.files("dateline") / "data" / MODEL_FILE
    if not resource.is_file():
        return None
    with resources.as_file(resource) as path:
        return EventTypeModel(joblib.load(path))
