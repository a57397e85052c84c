"""Reported speech from the dependency parse: "X said (that) ...", "X told journalists ...",
"..., X added", "according to X, ...". The content is the reported clause.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from dateline.quotes.cues import according_to_source, is_according_to, is_cue_verb
from dateline.quotes.marks import QUOTE_MARKS
from dateline.quotes.speaker import inverted_subject, subject_of
from dateline.record import Span

# A reported clause needs this many words of its own outside quote marks; otherwise it is the
# quote itself ("...," Ivanov said) and the quote stands for it.
MIN_OWN_WORDS = 3
_COMPLEMENTISERS = frozenset({"that", "if", "whether"})
_EDGE_PUNCTUATION = ",;:–—-" + QUOTE_MARKS


@dataclass
class ReportedClause:
    span: Span
    cue: Token
    speaker: Token


def _edges(tokens: list[Token]) -> Span | None:
    """Character span of ``tokens`` without punctuation and blanks at either end."""
    kept = [token for token in tokens if not token.is_space]
    while kept and (kept[0].is_punct or kept[0].text in _EDGE_PUNCTUATION):
        kept = kept[1:]
    while kept and (kept[-1].text in _EDGE_PUNCTUATION or kept[-1].is_space):
        kept = kept[:-1]
    if not kept:
        return None
    return kept[0].idx, kept[-1].idx + len(kept[-1])


def _clause_tokens(root: Token, leave_out: Token | None = None) -> list[Token]:
    """``root``'s subtree; without ``leave_out``'s subtree, keeping the side of it that holds the clause."""
    tokens = list(root.subtree)
    if leave_out is None:
        return tokens
    excluded = {token.i for token in leave_out.subtree}
    before = [token for token in tokens if token.i < leave_out.left_edge.i]
    after = [token for token in tokens if token.i > leave_out.right_edge.i]
    kept = [token for token in tokens if token.i not in excluded]
    if before and after:
        return kept
    return before or after


def _own_words(tokens: list[Token], quoted: list[Span]) -> int:
    return sum(
        1
        for token in tokens
        if token.is_alpha
        and token.lower_ not in _COMPLEMENTISERS
        and not any(start <= token.idx < end for start, end in quoted)
    )


def _in_quote(token: Token, quoted: list[Span]) -> bool:
    return any(start <= token.idx < end for start, end in quoted)


def _content_root(cue: Token) -> tuple[Token, Token | None] | None:
    """The root of the reported clause and what to leave out of its subtree."""
    complements = [child for child in cue.children if child.dep_ == "ccomp"]
    if complements:
        return complements[-1] if complements[-1].i > cue.i else complements[0], None
    # "Talks are being held ..., the minister said" parsed with the cue under the main clause.
    if (
        cue.dep_ in ("parataxis", "ccomp", "advcl")
        and cue.head.i < cue.i
        and cue.head.pos_ in ("VERB", "AUX")
    ):
        return cue.head, cue
    return None


def _from_cue_verb(cue: Token, quoted: list[Span]) -> ReportedClause | None:
    found = _content_root(cue)
    if found is None:
        return None
    root, leave_out = found
    speaker = subject_of(cue) or inverted_subject(cue)
    if speaker is None:
        return None
    tokens = _clause_tokens(root, leave_out)
    if any(token.i == speaker.i for token in tokens) or _own_words(tokens, quoted) < MIN_OWN_WORDS:
        return None
    span = _edges(tokens)
    return ReportedClause(span, cue, speaker) if span else None


def _from_according_to(according: Token, quoted: list[Span]) -> ReportedClause | None:
    source = according_to_source(according)
    main = according.head
    if source is None or main is according or main.pos_ not in ("VERB", "AUX"):
        return None
    tokens = _clause_tokens(main, according)
    if _own_words(tokens, quoted) < MIN_OWN_WORDS:
        return None
    span = _edges(tokens)
    return ReportedClause(span, according, source) if span else None


def reported_clauses(doc: Doc, quoted: list[Span]) -> list[ReportedClause]:
    """Every reported clause of ``doc`` whose cue lies outside the quoted spans."""
    clauses: list[ReportedClause] = []
    for token in doc:
        if _in_quote(token, quoted):
            continue
        if is_according_to(token):
            clause = _from_according_to(token, quoted)
        elif is_cue_verb(token):
            clause = _from_cue_verb(token, quoted)
        else:
            continue
        if clause is not None:
            clauses.append(clause)
    return clauses
