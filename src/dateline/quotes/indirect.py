"""Reported speech from the dependency parse: "X said (that) ...", "X told journalists ...",
"..., X added", "according to X, ...". The content is the reported clause.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from dateline.quotes.cues import (
    according_to_source,
    is_according_to,
    is_cue_verb,
    is_reporting_verb,
    is_request_verb,
)
from dateline.quotes.direct import QuoteKind
from dateline.quotes.labels import label_speaker
from dateline.quotes.marks import QuoteMap
from dateline.quotes.speaker import inverted_subject, subject_of
from dateline.record import Span

# A reported clause needs this many words of its own outside quote marks; otherwise it is the
# quote itself ("...," Ivanov said) and the quote stands for it.
MIN_OWN_WORDS = 3
_COMPLEMENTISERS = frozenset({"that", "if", "whether"})


@dataclass
class ReportedClause:
    span: Span
    cue: Token
    speaker: Token
    kind: QuoteKind = "indirect"


def _edges(tokens: list[Token], quotes: QuoteMap) -> Span | None:
    """Character span of ``tokens`` without a leading "that" and the punctuation at either end.

    The marks of a quote that lies wholly inside the clause stay (mixed quotes).
    """
    kept = [token for token in tokens if not token.is_space]
    while kept and (
        (kept[0].is_punct and kept[0].idx not in quotes.by_opening)
        or (kept[0].lower_ == "that" and kept[0].dep_ == "mark")
    ):
        kept = kept[1:]
    while kept and kept[-1].is_punct and kept[-1].text not in "?!":
        closing = quotes.by_closing.get(kept[-1].idx)
        if closing is not None and kept and closing.opening >= kept[0].idx:
            break
        kept = kept[:-1]
    if not kept:
        return None
    start, end = kept[0].idx, kept[-1].idx + len(kept[-1])
    text = quotes.text
    for q in quotes.spans:
        # A quote opened inside the clause closes in it, even when the parser hung the mark elsewhere.
        if q.closing is None or not start <= q.opening < end or q.closing < end:
            continue
        if not text[end : q.closing].strip(",.;: "):
            end = q.closing + (2 if text.startswith("''", q.closing) else 1)
    opening = quotes.by_opening.get(start)
    if opening is not None and (opening.closing is None or opening.closing >= end):
        start = kept[1].idx if len(kept) > 1 else end
    return (start, end) if end > start else None


def _clause_tokens(root: Token, leave_out: Token | None = None) -> list[Token]:
    """``root``'s subtree; without ``leave_out``'s subtree, keeping the side of it that holds words.

    With words on both sides ("The ceasefire, officials said, has held") both are kept.
    """
    tokens = list(root.subtree)
    if leave_out is None:
        return tokens
    excluded = {token.i for token in leave_out.subtree}
    before = [token for token in tokens if token.i < leave_out.left_edge.i]
    after = [token for token in tokens if token.i > leave_out.right_edge.i]
    before_words, after_words = any(t.is_alpha for t in before), any(t.is_alpha for t in after)
    if before_words and after_words:
        return [token for token in tokens if token.i not in excluded]
    return before if before_words else after


def _in_paragraph_of(anchor: Token, tokens: list[Token], text: str) -> list[Token]:
    """The tokens in the anchor's paragraph: a parse that runs over a paragraph break is cut there."""
    start = text.rfind("\n", 0, anchor.idx) + 1
    end = text.find("\n", anchor.idx)
    end = len(text) if end < 0 else end
    return [token for token in tokens if start <= token.idx < end]


def _own_words(tokens: list[Token], quotes: QuoteMap) -> int:
    return sum(
        1
        for token in tokens
        if token.is_alpha and token.lower_ not in _COMPLEMENTISERS and not quotes.inside(token.idx)
    )


def _is_infinitive(verb: Token) -> bool:
    return any(child.dep_ == "aux" and child.lower_ == "to" for child in verb.children)


def _content_tokens(cue: Token) -> list[Token] | None:
    """The reported clause of a cue verb, or None when it reports none."""
    complements = [child for child in cue.children if child.dep_ == "ccomp"]
    if complements:
        following = [child for child in complements if child.i > cue.i]
        return _clause_tokens((following or complements)[0])
    for child in cue.rights:
        if child.dep_ != "xcomp":
            continue
        if not _is_infinitive(child):
            # "said having Trump at the top of the ticket puts ...": a clause the parser took for xcomp.
            return _clause_tokens(child)
        if is_request_verb(cue):
            # "urged Silicon Valley to find a compromise": the addressee and what they were asked.
            objects = [t for t in cue.rights if t.dep_ in ("dobj", "dative") and t.i < child.i]
            start = objects[0].left_edge.i if objects else child.left_edge.i
            return [t for t in cue.doc[start : child.right_edge.i + 1]]
    # "Talks are being held ..., the minister said" and "Mr. Obama, officials said, has become ...":
    # the parser hangs the cue under the reported clause.
    head = cue.head
    if head is cue or head.pos_ not in ("VERB", "AUX") or is_cue_verb(head):
        return None
    if cue.dep_ == "parataxis" or (cue.dep_ in ("ccomp", "advcl") and head.i < cue.i and _set_off(cue)):
        return _clause_tokens(head, cue)
    return None


def _set_off(cue: Token) -> bool:
    """An attribution clause set off by a comma, not a complement ("..., the minister said")."""
    if any(child.dep_ == "mark" for child in cue.children):
        return False
    before = cue.left_edge.i - 1
    return before >= 0 and cue.doc[before].text in (",", "—", "–")


def _is_idiom(cue: Token) -> bool:
    """The idiom "That said, ..." reports nothing."""
    before = cue.doc[cue.i - 1] if cue.i > 0 else None
    return (
        cue.lower_ == "said"
        and before is not None
        and before.lower_ in ("that", "this")
        and before.dep_ == "nsubj"
    )


def _from_cue_verb(cue: Token, quotes: QuoteMap) -> ReportedClause | None:
    if _is_idiom(cue):
        return None
    tokens = _content_tokens(cue)
    if tokens is None:
        return None
    tokens = _in_paragraph_of(cue, tokens, quotes.text)
    speaker = subject_of(cue) or inverted_subject(cue)
    if speaker is None:
        return None
    if any(token.i == speaker.i for token in tokens) or _own_words(tokens, quotes) < MIN_OWN_WORDS:
        return None
    span = _edges(tokens, quotes)
    return ReportedClause(span, cue, speaker) if span else None


def _from_according_to(according: Token, quotes: QuoteMap) -> ReportedClause | None:
    source = according_to_source(according)
    main = according.head
    if source is None or main is according or main.pos_ not in ("VERB", "AUX"):
        return None
    tokens = _in_paragraph_of(according, _clause_tokens(main, according), quotes.text)
    if _own_words(tokens, quotes) < MIN_OWN_WORDS:
        return None
    span = _edges(tokens, quotes)
    return ReportedClause(span, according, source) if span else None


def _from_label(colon: Token, quotes: QuoteMap) -> ReportedClause | None:
    """The rest of the paragraph after a speaker label: "Paul Ryan: FBI decision defies explanation"."""
    speaker = label_speaker(colon)
    if speaker is None:
        return None
    tokens = []
    for token in colon.doc[colon.i + 1 :]:
        if token.is_space and "\n" in token.text:
            break
        tokens.append(token)
    if _own_words(tokens, quotes) < MIN_OWN_WORDS:
        return None
    span = _edges(tokens, quotes)
    # A transcript's "TAPPER: ..." is the speaker's own words.
    kind: QuoteKind = "direct" if speaker.is_upper else "indirect"
    return ReportedClause(span, colon, speaker, kind) if span else None


def reported_clauses(doc: Doc, quotes: QuoteMap) -> list[ReportedClause]:
    """Every reported clause of ``doc`` whose cue lies outside the quoted spans."""
    clauses: list[ReportedClause] = []
    for token in doc:
        if quotes.inside(token.idx):
            continue
        if is_according_to(token):
            clause = _from_according_to(token, quotes)
        elif is_reporting_verb(token):
            clause = _from_cue_verb(token, quotes)
        elif token.text == ":":
            clause = _from_label(token, quotes)
        else:
            continue
        if clause is not None:
            clauses.append(clause)
    return clauses
