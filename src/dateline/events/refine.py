"""CAMEO below the root: the finest code of an event's PLOVER type that its sentence supports.

When the learned model types an event and overrules the rule, the event first gets the type's
broadest CAMEO code; a rule's code may also be a generic one ("040 Consult, not specified
below"). This step chooses again, among the codes that map to the same type only (so the type
never changes): first the finest code along the rule path (the act's own code and what its
frames made of it) when it has that type, then, below that, the code whose cue words
(``data/cameo_cues.tsv``) the trigger and its phrase carry best. Cue words on the trigger count
twice; a code of four digits adds its parent's score, so "pledged economic aid" reaches 0331
through 033. Codes built by a frame (``cameo_frames.tsv``: intent over 071 gives 0331) take the
cues of the act they are built from, so those tables are not written twice.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Token

from dateline.events.ontology import MERGED_TYPES, Ontology, load_ontology
from dateline.events.patterns import PatternBook, load_patterns
from dateline.record import Document, Event, Plover, child_id

# A clause opened by one of these only sets the scene ("after warplanes crossed the line").
SCENE_MARKERS = frozenset({"after", "before", "since", "because", "as", "while", "when", "although", "if"})

Cue = frozenset[str]
TRIGGER_WEIGHT = 2.0
NEAR_WEIGHT = 1.5  # a word right under the trigger: its object, a modifier, a preposition's object


def is_generic(code: str) -> bool:
    """A root or a "not specified below" code (x0): what a type keeps when nothing finer fits."""
    return len(code) == 2 or (len(code) == 3 and code.endswith("0"))


def _merged(kind: str | None) -> str | None:
    return MERGED_TYPES.get(kind, kind) if kind else None


@dataclass(frozen=True)
class Evidence:
    """The words an event's code is chosen from, each with how much it speaks for the act: the
    trigger's own words most, the words right under the trigger more than those deeper down."""

    weights: dict[str, float]

    def weight(self, cue: Cue) -> float:
        """A cue counts when all its words are there, as much as its best-placed word."""
        if not all(word in self.weights for word in cue):
            return 0.0
        return max(self.weights[word] for word in cue)


class CueBook:
    """Every code's cue words, its own and those of the acts its frames build it from."""

    def __init__(self, ontology: Ontology, own: dict[str, list[Cue]], book: PatternBook) -> None:
        self.ontology = ontology
        self.order = {item.code: position for position, item in enumerate(ontology.codes())}
        self._cues: dict[str, list[Cue]] = {code: list(cues) for code, cues in own.items()}
        # What a frame makes of each act, as the coder applies it (the longest listed prefix wins).
        for frame in book.frames:
            for act, act_cues in own.items():
                result = book.apply_frame(frame, act)
                if result != act and result in ontology and not is_generic(result):
                    self._cues.setdefault(result, []).extend(act_cues)

    def cues(self, code: str) -> list[Cue]:
        return self._cues.get(code, [])

    def score(self, code: str, evidence: Evidence) -> float:
        """The weight of the code's cues found, its parent's included for a code of four digits
        (each cue counted once: "pledged economic aid" is 0331 through 033's "aid")."""
        cues = set(self.cues(code))
        if len(code) == 4 and not is_generic(code[:3]):
            cues |= set(self.cues(code[:3]))
        return sum(evidence.weight(cue) for cue in cues)

    def finest(self, start: str, family: list[str], evidence: Evidence, minimum: float = 1.0) -> str:
        """The best-supported code of ``family`` (all finer than ``start``), else ``start``.

        A code needs a cue of its own weighing ``minimum`` or more; ties go to the finer code, then
        to the codebook's order."""
        best, best_key = start, (0.0, 0, 0)
        for code in family:
            if max((evidence.weight(cue) for cue in self.cues(code)), default=0.0) < minimum:
                continue
            key = (self.score(code, evidence), len(code), -self.order.get(code, 0))
            if key > best_key:
                best, best_key = code, key
        return best

    def family(self, start: str, types: set[str], anywhere: bool) -> list[str]:
        """The codes finer than ``start`` with one of ``types``: under its root when it is generic,
        under itself otherwise, or of those types anywhere in the book when ``anywhere``."""
        found = []
        for item in self.ontology.codes():
            code = item.code
            if code == start or is_generic(code) or item.plover_type not in types:
                continue
            under = code.startswith(start[:2]) if is_generic(start) else code.startswith(start)
            if anywhere or (under and len(code) > len(start)):
                found.append(code)
        return found


def _read_cues() -> dict[str, list[Cue]]:
    text = resources.files("dateline").joinpath("data", "cameo_cues.tsv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    found: dict[str, list[Cue]] = {}
    for row in csv.DictReader(lines, delimiter="\t"):
        cues = [
            frozenset(word.strip().lower() for word in cue.split("+") if word.strip())
            for cue in row["cues"].split("|")
            if cue.strip()
        ]
        found[row["code"].strip()] = cues
    return found


@lru_cache(maxsize=1)
def load_cues() -> CueBook:
    return CueBook(load_ontology(), _read_cues(), load_patterns())


def _token_words(token: Token) -> set[str]:
    return {token.lemma_.lower(), token.lower_} if token.lemma_ else {token.lower_}


def _scene_clause(token: Token) -> bool:
    return token.dep_ == "advcl" and any(
        child.dep_ == "mark" and child.lower_ in SCENE_MARKERS for child in token.children
    )


def evidence(doc: Doc, event: Event) -> Evidence | None:
    """The trigger's words, and the words of the phrase its outermost word heads (scene-setting
    clauses left out), weighted by how close they stand to the trigger."""
    span = doc.char_span(event.trigger.span[0], event.trigger.span[1], alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    weights: dict[str, float] = {}

    def add(token: Token, weight: float) -> None:
        for word in _token_words(token):
            weights[word] = max(weights.get(word, 0.0), weight)

    inside = {token.i for token in span}
    pending = [(span.root, 0)]
    while pending:
        token, depth = pending.pop()
        if not token.is_punct:
            add(token, TRIGGER_WEIGHT if token.i in inside else NEAR_WEIGHT if depth <= 1 else 1.0)
        pending.extend(
            (child, depth if child.i in inside else depth + 1)
            for child in token.children
            if not _scene_clause(child)
        )
    return Evidence(weights)


def _model_best(rule: str) -> str | None:
    """The model's most probable type, where the coder recorded its ranking on the rule path."""
    first = rule.split(">")[0]
    if not first.startswith("model:"):
        return None
    return first.removeprefix("model:").split(",")[0].split("=")[0] or None


def rule_codes(event: Event, book: PatternBook) -> list[str]:
    """The codes along the event's rule path: the act's own, then what each frame made of it."""
    parts = [part for part in event.rule.split(">") if part and not part.startswith("model:")]
    if not parts:
        return []
    act = book.rule(parts[-1])
    if act is None or not act.cameo:
        return []
    code = act.cameo
    found = [code]
    for part in reversed(parts[:-1]):
        frame = book.rule(part)
        if frame is None:
            continue
        if frame.frame:
            code = book.apply_frame(frame.frame, code)
            found.append(code)
        elif frame.cameo:
            found.append(frame.cameo)
    return found


def finest_code(event: Event, found: Evidence | None, cues: CueBook, book: PatternBook) -> str:
    """The finest code of the event's own PLOVER type its rule path and its words support."""
    ontology = cues.ontology
    code = event.cameo
    if code not in ontology or ontology.code(code).plover_type is None:
        return code  # statements and appeals (roots 01, 02) have no PLOVER type to stay within
    kind = ontology.code(code).plover_type
    assert kind is not None
    minimum = 1.0
    if len(code) == 2:
        # The type's broadest code, as an overruling model leaves it: a code of the same (merged)
        # type along the rule path is finer; below it, any code of the type may be chosen.
        merged = _merged(kind)
        types = {item.plover_type for item in ontology.codes() if item.plover_type} & (
            {kind} | {name for name, into in MERGED_TYPES.items() if into == merged}
        )
        along = [
            candidate
            for candidate in rule_codes(event, book)
            if candidate in ontology and _merged(ontology.code(candidate).plover_type) == merged
        ]
        if along:
            start = max(along, key=len)
            types = {ontology.code(start).plover_type or kind}
            family = cues.family(start, types, anywhere=False)
        else:
            # Any code of the type may be chosen, so a cue must stand on the trigger or right under it.
            start, family, minimum = code, cues.family(code, types, anywhere=True), NEAR_WEIGHT
    else:
        # The model types CONCEDE and RETREAT as one (YIELD): where it typed an event that the rule
        # left generic ("080 Yield, not specified below"), either half fits.
        typed = is_generic(code) and _model_best(event.rule) == _merged(kind)
        merged_kinds = {name for name, into in MERGED_TYPES.items() if into == _merged(kind)}
        start, family = code, cues.family(code, {kind} | (merged_kinds if typed else set()), anywhere=False)
    if found is None or not family:
        return start
    return cues.finest(start, family, found, minimum)


def refine_codes(document: Document, events: list[Event]) -> None:
    """Give each event the finest code of its PLOVER type that its sentence supports."""
    cues, book, ontology = load_cues(), load_patterns(), load_ontology()
    record = document.record
    for event in events:
        if event.cameo not in ontology or ontology.code(event.cameo).plover_type is None:
            continue
        code = finest_code(event, evidence(document.doc, event), cues, book)
        if code == event.cameo:
            continue
        entry = ontology.code(code)
        event.cameo, event.root = code, entry.root
        event.quad_class, event.goldstein = entry.quad_class, entry.goldstein
        event.plover = Plover(entry.plover_type, entry.plover_mode) if entry.plover_type else None
        event.id = child_id(record.id, "event", event.trigger.span, code)
