"""Why an event was coded: its sentence with trigger and arguments marked, and the rules that fired."""

from __future__ import annotations

import re

from spacy.tokens import Token

from dateline.events.ontology import load_ontology
from dateline.events.patterns import load_patterns
from dateline.record import Argument, Event, Record, Span

YIELD_PARTS = {"CONCEDE": "YIELD", "RETREAT": "YIELD"}
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+|\n\s*\n")


def _sentence_bounds(text: str, spans: list[Span]) -> Span:
    """The sentence(s) around the event's spans, read back from the text."""
    start = min(span[0] for span in spans)
    end = max(span[1] for span in spans)
    left = 0
    for found in _SENTENCE_END.finditer(text, 0, start):
        left = found.end()
    right_match = _SENTENCE_END.search(text, end)
    right = right_match.start() + 1 if right_match else len(text)
    return left, min(right, len(text))


def _marked(text: str, bounds: Span, marks: list[tuple[Span, str]]) -> str:
    """The sentence with each mark inserted: [TRIGGER:...], <SRC:...>, <TGT:...>."""
    inserts: list[tuple[int, int, str]] = []
    for (start, end), label in marks:
        if start < bounds[0] or end > bounds[1] or start >= end:
            continue
        opening, closing = ("[", "]") if label == "TRIGGER" else ("<", ">")
        inserts.append((start, 1, f"{opening}{label}:"))
        inserts.append((end, 0, closing))
    inserts.sort(key=lambda item: (item[0], item[1]))
    pieces: list[str] = []
    position = bounds[0]
    for offset, _, piece in inserts:
        pieces.append(text[position:offset])
        pieces.append(piece)
        position = offset
    pieces.append(text[position : bounds[1]])
    return "".join(pieces).strip()


def _model_line(typed: str, event: Event) -> str:
    """The model's top types as the coder recorded them ("model AID 0.81 SUPPORT 0.10 ...")."""
    pairs = [item.split("=") for item in typed.removeprefix("model:").split(",")]
    line = "  model (learned event type, top 3): " + ", ".join(" ".join(pair) for pair in pairs)
    own = event.plover.type if event.plover else None
    if pairs and pairs[0][0] != YIELD_PARTS.get(own or "", own):
        line += " (below the model's floor: the rule's code stands)"
    return line


def _rule_lines(event: Event) -> list[str]:
    book = load_patterns()
    lines = []
    for part in event.rule.split(">"):
        if part.startswith("model:"):
            lines.append(_model_line(part, event))
            continue
        if part == "main-verb":
            lines.append("  rule main-verb: no rule fired; the main verb with its subject and objects")
            continue
        pattern = book.rule(part)
        if pattern is None:
            lines.append(f"  rule {part}")
            continue
        what = f"frame {pattern.frame}" if pattern.frame else f"CAMEO {pattern.cameo}"
        words = "|".join(sorted(pattern.lemmas))
        lines.append(f"  rule {part}: {pattern.description} ({pattern.kind} {words}; {what})")
    return lines


def _path(argument: Token, trigger: Token) -> str:
    """The dependency path from an argument's head word to the trigger: "Moscow ←pobj– to ←prep–
    visit" reads "Moscow is the pobj of to, which is the prep of visit"."""
    above_trigger = [trigger, *trigger.ancestors]
    positions = {token.i: position for position, token in enumerate(above_trigger)}
    up: list[Token] = [argument]
    while up[-1].i not in positions and up[-1].head.i != up[-1].i:
        up.append(up[-1].head)
    if up[-1].i not in positions:
        return "not joined to the trigger in the parse"
    pieces = [argument.text]
    for token in up[:-1]:
        pieces.append(f"←{token.dep_}– {token.head.text}")
    down = above_trigger[: positions[up[-1].i]]
    for token in reversed(down):
        pieces.append(f"–{token.dep_}→ {token.text}")
    return " ".join(pieces) if len(pieces) > 1 else f"{argument.text} (the trigger itself)"


def _argument_lines(record: Record, event: Event, bounds: Span) -> list[str]:
    """How the parse reaches each argument from the trigger (the sentence parsed again)."""
    from dateline.nlp import load_nlp

    arguments = [("source", a) for a in event.source] + [("target", a) for a in event.target]
    if not arguments:
        return []
    doc = load_nlp()(record.text[bounds[0] : bounds[1]])

    def head(span: Span) -> Token | None:
        found = doc.char_span(span[0] - bounds[0], span[1] - bounds[0], alignment_mode="expand")
        return found.root if found is not None and len(found) else None

    trigger = head(event.trigger.span)
    lines = []
    for side, argument in arguments:
        inside = bounds[0] <= argument.span[0] and argument.span[1] <= bounds[1]
        word = head(argument.span) if inside else None
        if trigger is None or word is None:
            how = "outside the trigger's sentence: taken from the article's context"
        else:
            how = _path(word, trigger)
        lines.append(f"  {side} {argument.name}: {how}")
    return lines


def explain(record: Record, event: Event) -> str:
    """A readable account of one event: the marked sentence, the code and the rule(s) behind it."""
    marks: list[tuple[Span, str]] = [(event.trigger.span, "TRIGGER")]
    marks.extend((argument.span, "SRC") for argument in event.source)
    marks.extend((argument.span, "TGT") for argument in event.target)
    # The trigger's sentence; an argument found in an earlier sentence is named below, not marked.
    bounds = _sentence_bounds(record.text, [event.trigger.span])
    ontology = load_ontology()
    name = ontology.code(event.cameo).name if event.cameo in ontology else "unknown code"
    plover = (
        f", PLOVER {event.plover.type}" + (f"/{event.plover.mode}" if event.plover.mode else "")
        if event.plover
        else ""
    )

    def actors(arguments: list[Argument]) -> str:
        return ", ".join(f"{argument.name} ({argument.actor or 'no code'})" for argument in arguments) or "-"

    date_text = f": {event.date_text}" if event.date_text else ""
    flags = []
    if event.negated:
        flags.append("negated")
    if event.modality:
        flags.append(f"modality {event.modality}")
    lines = [
        f"event {event.id} (sentence {event.sentence}, confidence {event.confidence:.2f})",
        _marked(record.text, bounds, marks),
        f"CAMEO {event.cameo} {name} (root {event.root}, QuadClass {event.quad_class}, "
        f"Goldstein {event.goldstein:g}{plover})",
        f"source: {actors(event.source)}; target: {actors(event.target)}",
        f"date: {event.date or '-'} ({event.date_kind or 'none'}{date_text}); "
        f"place: {event.place.name if event.place else '-'}" + (f"; {', '.join(flags)}" if flags else ""),
        *_rule_lines(event),
        *_argument_lines(record, event, bounds),
    ]
    return "\n".join(lines)
