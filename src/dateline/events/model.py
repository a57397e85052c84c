"""The learned event-type model: two scikit-learn classifiers over the rule coder's candidates.

The rules find the trigger and the parse finds who did what to whom. Two logistic regressions
then decide what the sentence reports:

- the *sentence* model reads every candidate of a sentence at once (their triggers, frames,
  argument types, the rules' CAMEO proposals) and the sentence's words, and gives the PLOVER
  type of the relation the sentence reports, or ``NONE`` (learned from news sentences: no
  relation);
- the *candidate* model reads one candidate and gives its PLOVER type or ``NONE``: a candidate
  that is not the sentence's relation (a background event, a purpose, a rule that misfired).

:func:`choose` puts the two together: the sentence's type (the sentence model's view blended with
the likeliest candidate's) goes to the candidate that fits it best, and another candidate of the
same sentence is kept only when the candidate model is sure it is an event of its own. The
artifact (``data/event_model.joblib``) is built by ``make model`` (``python -m
dateline.events.training``) from the PLV training split and loaded once per process.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from spacy.tokens import Span as SentenceSpan
from spacy.tokens import Token

from dateline.events.syntax import SPEECH_VERBS

MODEL_FILE = "event_model.joblib"
NONE = "NONE"
# Below this sentence-model probability a rule's own type stands.
KEEP_RULE_BELOW = 0.35
# Where the sentence model finds no relation at least this likely (NONE: it learned what news
# sentences without one look like), a rule's own type stands and nothing else is kept.
NO_RELATION_MIN = 0.5
# A main-verb candidate (no rule fired) becomes an event only at this probability or above (of
# the blended view; chosen by CV on plv-train, where 0.35 to 0.42 score alike).
FALLBACK_MIN = 0.4
# A statement or appeal (CAMEO roots 01, 02: no PLOVER type) takes the sentence's type above this.
STATEMENT_MIN = 0.5
# A rule event whose only party is a source with no actor code needs this much.
NAMED_ONLY_MIN = 0.4
# Types a frame word names whatever it frames: a threat or a refusal of an attack is no attack.
# (A demand's REQUEST and an intent's AGREE were measured too: there the model does better, CV
# -0.007.)
FRAME_NAMED_TYPES = frozenset({"THREATEN", "REJECT"})
# A type with fewer training sentences than this is one the model cannot learn well.
RARE_TYPE_SENTENCES = 20
# A second candidate of a sentence stays only when the candidate model is this sure of its type.
SECONDARY_MIN = 0.9
SENTENCE_WORD_WEIGHT = 0.3
# How much the likeliest candidate's view weighs against the sentence model's in a sentence's
# type (chosen by cross-validation on plv-train: 0.5 to 0.7 score alike, F1 +0.005 over 0).
CANDIDATE_WEIGHT = 0.5
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
    # A verb of saying only reports the act ("has granted asylum, an official said"); as a
    # feature it taught the model plv-train's habit of reported intentions being AGREE.
    if head.i != trigger.i and _lemma(head) not in SPEECH_VERBS:
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


def sentence_features(sentence: SentenceSpan, candidate_rows: list[dict[str, float]]) -> dict[str, float]:
    """What the sentence model reads: every candidate's features at once, and the sentence's words."""
    found: dict[str, float] = {}
    for row in candidate_rows:
        for name, value in row.items():
            if value > found.get(name, 0.0):
                found[name] = value
    for token in sentence:
        if any(character.isalpha() for character in token.text):
            found[f"u={token.lower_}"] = SENTENCE_WORD_WEIGHT
    return found


@dataclass(frozen=True)
class Typed:
    """The model's view of a sentence or a candidate: its best PLOVER types, most probable first."""

    ranked: tuple[tuple[str, float], ...]
    # Every class, NONE included, most probable first.
    full: tuple[tuple[str, float], ...] = ()

    @property
    def best(self) -> str:
        return self.full[0][0] if self.full else self.ranked[0][0]

    @property
    def probability(self) -> float:
        return self.full[0][1] if self.full else self.ranked[0][1]


@dataclass(frozen=True)
class CandidateView:
    """What :func:`choose` needs to know of a candidate besides the model's view of it."""

    fallback: bool
    rule_type: str | None
    # Its only party is a source named with no actor code ("Acme Mining agreed to ...").
    named_only: bool = False
    # A rule of a type too rare in the training data to learn, under no frame ("deployed troops",
    # "demonstrated", not "offered to send troops"), or a threat or refusal a frame word names
    # ("threatened to resume terrorist activities" is no assault): its type stands.
    trusted: bool = False

    @classmethod
    def of(
        cls,
        fallback: bool,
        rule_type: str | None,
        named_only: bool,
        unframed: bool,
        frame_coded: bool,
        rare_types: frozenset[str],
    ) -> CandidateView:
        """A candidate's view, with whether its rule is trusted decided in one place for the coder
        and the cross-validation (``unframed``: the act is told as done, under no frame;
        ``frame_coded``: a frame word gives the code)."""
        rare = unframed and rule_type in rare_types
        named_by_frame = frame_coded and rule_type in FRAME_NAMED_TYPES
        trusted = not fallback and (rare or named_by_frame)
        return cls(fallback, rule_type, named_only, trusted)


@dataclass(frozen=True)
class Choice:
    """A candidate that becomes an event: its type (None: the rule's code stands) and ranking."""

    index: int
    kind: str | None
    ranked: tuple[tuple[str, float], ...]


def _probability(typed: Typed, kind: str) -> float:
    return next((p for name, p in typed.full if name == kind), 0.0)


def blend(sentence: Typed, typed: list[Typed]) -> Typed:
    """The sentence's view with each type's probability mixed with the most any candidate gives it.

    The candidate model reads one trigger's frame on its own, where the sentence model sees every
    candidate's merged; NONE stays the sentence model's, the one that learned relation-free news.
    """
    if not typed or not sentence.full:
        return sentence
    mixed: dict[str, float] = {}
    for kind, probability in sentence.full:
        if kind == NONE:
            mixed[kind] = probability
        else:
            best = max(_probability(view, kind) for view in typed)
            mixed[kind] = (1 - CANDIDATE_WEIGHT) * probability + CANDIDATE_WEIGHT * best
    total = sum(mixed.values())
    full = tuple(sorted(((kind, p / total) for kind, p in mixed.items()), key=lambda item: -item[1]))
    return Typed(tuple(item for item in full if item[0] != NONE)[:3], full)


def choose(sentence: Typed, candidates: list[CandidateView], typed: list[Typed]) -> list[Choice]:
    """The events one sentence's candidates give, as the coder and the cross-validation both use it.

    The sentence's type (its view blended with the candidates', :func:`blend`) goes to the
    candidate the candidate model finds likeliest to be of that type (a main-verb fallback, a
    statement or an event whose only party has no actor code only when the sentence model is
    fairly sure); a rule's own type stands where the sentence model is unsure, and where it
    finds the sentence likely to report no relation at all (then no fallback or uncoded-only
    candidate is kept either). Every other candidate is kept only when
    the candidate model is sure it is an event of a type of its own, or when the rule coded it
    with the sentence's type (never one whose only party has no code); a statement or appeal
    (no PLOVER type) that is not the sentence's relation keeps its code.
    """
    if not candidates:
        return []
    sentence = blend(sentence, typed)
    kind, probability = sentence.ranked[0]
    chosen = max(range(len(candidates)), key=lambda i: _probability(typed[i], kind))
    found: list[Choice] = []
    main = candidates[chosen]
    no_relation = _probability(sentence, NONE) >= NO_RELATION_MIN
    if main.fallback or main.named_only:
        if not no_relation and probability >= (FALLBACK_MIN if main.fallback else NAMED_ONLY_MIN):
            found.append(Choice(chosen, kind, sentence.ranked))
    elif no_relation or main.trusted:
        found.append(Choice(chosen, None, sentence.ranked))
    elif probability >= (STATEMENT_MIN if main.rule_type is None else KEEP_RULE_BELOW):
        found.append(Choice(chosen, kind, sentence.ranked))
    else:
        found.append(Choice(chosen, None, sentence.ranked))
    for index, candidate in enumerate(candidates):
        if index == chosen or candidate.fallback or candidate.named_only:
            continue
        own = typed[index]
        if own.best != NONE and own.probability >= SECONDARY_MIN:
            found.append(Choice(index, own.best, own.ranked))
        elif candidate.rule_type in (None, kind):
            # A statement keeps its code, and so does another event of the sentence's own type
            # ("began his visit ..., meeting with ...").
            found.append(Choice(index, None, own.ranked))
    return found


class EventTypeModel:
    """The sentence model and the candidate model, as the artifact holds them."""

    def __init__(
        self, sentence_pipeline: Any, candidate_pipeline: Any, rare_types: frozenset[str] = frozenset()
    ) -> None:
        self.sentence_pipeline = sentence_pipeline
        self.candidate_pipeline = candidate_pipeline
        # Types with fewer than RARE_TYPE_SENTENCES training sentences.
        self.rare_types = rare_types

    @staticmethod
    def _typed(pipeline: Any, rows: list[dict[str, float]]) -> list[Typed]:
        if not rows:
            return []
        classes = [str(name) for name in pipeline.classes_]
        result = []
        for probabilities in pipeline.predict_proba(rows):
            order = sorted(range(len(classes)), key=lambda i: -probabilities[i])
            full = tuple((classes[i], float(probabilities[i])) for i in order)
            ranked = tuple(item for item in full if item[0] != NONE)[:3]
            result.append(Typed(ranked, full))
        return result

    @property
    def classes(self) -> list[str]:
        """The PLOVER types the model knows (PLV's: YIELD covers CONCEDE and RETREAT)."""
        return [str(name) for name in self.sentence_pipeline.classes_ if name != NONE]

    def predict_sentences(self, rows: list[dict[str, float]]) -> list[Typed]:
        return self._typed(self.sentence_pipeline, rows)

    def predict(self, rows: list[dict[str, float]]) -> list[Typed]:
        return self._typed(self.candidate_pipeline, rows)


# A model trained by the user (``dateline train``), used in place of the shipped one; the CLI's
# ``--model PATH`` sets it, so that worker processes started for an ingest read it too.
MODEL_ENVIRONMENT = "DATELINE_EVENT_MODEL"


@lru_cache(maxsize=1)
def load_model() -> EventTypeModel | None:
    """The user's model (``$DATELINE_EVENT_MODEL``), else the shipped one, or None when the
    package was built without it."""
    import joblib

    chosen = os.environ.get(MODEL_ENVIRONMENT)
    if chosen:
        artifact = joblib.load(Path(chosen))
    else:
        resource = resources.files("dateline") / "data" / MODEL_FILE
        if not resource.is_file():
            return None
        with resources.as_file(resource) as path:
            artifact = joblib.load(path)
    return EventTypeModel(
        artifact["sentence"], artifact["candidate"], frozenset(artifact.get("rare_types", ()))
    )
