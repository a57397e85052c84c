"""The quotes stage: who said what, quoted or reported, with the evidence in the text.

``extract_quotes(document)`` fills ``document.record.quotes``. Each quote points at its content
(quote marks excluded), its cue ("said", "according to", ...) and its speaker, resolved to an
entity of the actor stage where one is mentioned there (pronouns and "the minister" included).
"""

from __future__ import annotations

from dateline.quotes.cues import cue_from
from dateline.quotes.direct import AttributedQuote, QuoteKind, attribute_quotes
from dateline.quotes.indirect import ReportedClause, reported_clauses
from dateline.quotes.marks import QuotedSpan, QuoteMap, find_quoted_spans
from dateline.quotes.speaker import resolve_speaker
from dateline.record import Document, Quote, Span, child_id

__all__ = ["QuotedSpan", "extract_quotes", "find_quoted_spans"]


def _quote(
    document: Document, span: Span, kind: QuoteKind, attributed: AttributedQuote | ReportedClause
) -> Quote:
    record = document.record
    if isinstance(attributed, ReportedClause):
        cue_token, speaker_token = attributed.cue, attributed.speaker
    else:
        assert attributed.attribution is not None
        cue_token, speaker_token = attributed.attribution.cue, attributed.attribution.speaker
    return Quote(
        id=child_id(record.id, "quote", span, kind),
        span=span,
        text=record.text[span[0] : span[1]],
        kind=kind,
        cue=cue_from(cue_token),
        speaker=resolve_speaker(document, speaker_token),
    )


def _enclosing(clauses: list[ReportedClause], span: Span) -> ReportedClause | None:
    inside = [clause for clause in clauses if clause.span[0] <= span[0] and span[1] <= clause.span[1]]
    return min(inside, key=lambda clause: clause.span[1] - clause.span[0]) if inside else None


def _outermost(clauses: list[ReportedClause]) -> list[ReportedClause]:
    """Reported speech inside reported speech ("X said Y told him ...") is X's account, not Y's words."""
    return [
        clause
        for clause in clauses
        if not any(
            other is not clause and other.span[0] <= clause.cue.idx < other.span[1] for other in clauses
        )
    ]


def extract_quotes(document: Document) -> None:
    """Fill ``document.record.quotes``: direct and partial quotes with a speaker, then reported speech.

    A quote with no cue of its own inside a reported clause ("An ambassador's job, he said,
    should be to "counter lies"") is the words of that clause's speaker.
    """
    quoted_spans = find_quoted_spans(document.record.text)
    clauses = _outermost(reported_clauses(document.doc, QuoteMap(document.record.text, quoted_spans)))
    quotes: list[Quote] = []
    for attributed in attribute_quotes(document.doc, quoted_spans):
        span = attributed.quoted.span
        if attributed.attribution is not None:
            quotes.append(_quote(document, span, attributed.kind, attributed))
        elif (clause := _enclosing(clauses, span)) is not None:
            quotes.append(_quote(document, span, attributed.kind, clause))
    taken = {(quote.span, quote.kind) for quote in quotes}
    for clause in clauses:
        if (clause.span, clause.kind) not in taken:
            taken.add((clause.span, clause.kind))
            quotes.append(_quote(document, clause.span, clause.kind, clause))
    document.record.quotes = sorted(quotes, key=lambda quote: quote.span)
