"""Attributing quoted text: which cue and speaker a quote belongs to, and whether it is partial.

A quote's speaker is found, in order of trust, in the attribution right after its closing mark
(``"...," Ivanov said.``, ``"...," according to X``), in the attribution right before its
opening mark (``X said: "..."``, ``He added, "..."``), or up the parse from the quoted words to
the verb that governs them (``described terrorism as "the plague ..."``). A quote with none of
these inherits the speaker of the quote it continues (``"...," he said. "..."``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Literal

from spacy.tokens import Doc, Token

from dateline.quotes.cues import according_to_source, is_according_to, is_cue_verb, is_reporting_verb
from dateline.quotes.labels import label_speaker
from dateline.quotes.marks import QUOTE_MARKS, QuotedSpan
from dateline.quotes.speaker import following_noun, inverted_subject, subject_of

QuoteKind = Literal["direct", "partial", "indirect"]
SENTENCE_STOPS = frozenset({".", "!", "?", ";"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})
# Words allowed between a closing mark and the cue besides the speaker ("he also said").
_FILLER_DEPS = frozenset({"advmod", "aux", "neg", "punct", "cc"})
MAX_FRAME_TOKENS = 30
MAX_BEFORE_GAP = 15


@dataclass
class Attribution:
    """Evidence tying a quote to a speaker: the cue token, the speaker token, where the evidence ends."""

    cue: Token
    speaker: Token
    end: int
    how: Literal["after", "before", "parse", "continued"]


@dataclass
class AttributedQuote:
    quoted: QuotedSpan
    kind: QuoteKind
    attribution: Attribution | None


def _token_at(doc: Doc, position: int) -> Token | None:
    span = doc.char_span(position, position + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _inside(token: Token, quoted: QuotedSpan) -> bool:
    return quoted.start <= token.idx < quoted.end


def _is_newline(token: Token) -> bool:
    return token.is_space and "\n" in token.text


def after_frame(doc: Doc, quoted: QuotedSpan, openings: set[int]) -> list[Token]:
    """The tokens after the closing mark up to the end of the sentence, a new quote or the paragraph."""
    if quoted.closing is None:
        return []
    mark = _token_at(doc, quoted.closing)
    if mark is None:
        return []
    frame: list[Token] = []
    for token in doc[mark.i + 1 : mark.i + 1 + MAX_FRAME_TOKENS]:
        if token.text in SENTENCE_STOPS or _is_newline(token) or token.idx in openings:
            break
        frame.append(token)
    return frame


def before_frame(doc: Doc, quoted: QuotedSpan, closings: set[int]) -> list[Token]:
    """The tokens before the opening mark back to the sentence start, an earlier quote or the paragraph.

    A paragraph that ends with a colon introduces the quote opening the next one.
    """
    mark = _token_at(doc, quoted.opening)
    if mark is None:
        return []
    frame: list[Token] = []
    index = mark.i - 1
    while index >= 0 and len(frame) < MAX_FRAME_TOKENS:
        token = doc[index]
        if _is_newline(token):
            if frame or index == 0 or doc[index - 1].text != ":":
                break
        elif token.text in SENTENCE_STOPS or any(
            token.idx + offset in closings for offset in range(len(token))
        ):
            # A closing mark may sit inside a token ("''", "spots’").
            break
        else:
            frame.append(token)
        index -= 1
    frame.reverse()
    return frame


def _speaker_for(cue: Token) -> Token | None:
    return subject_of(cue) or inverted_subject(cue) or following_noun(cue)


def attribution_after(frame: list[Token], quoted: QuotedSpan) -> Attribution | None:
    """``"...," Ivanov said`` / ``"...," said Ivanov`` / ``"...," according to X``."""
    if not frame:
        return None
    members = {token.i for token in frame}
    for position, token in enumerate(frame):
        if is_according_to(token):
            source = according_to_source(token)
            if source is not None and source.i in members:
                return Attribution(token, source, frame[-1].idx + len(frame[-1]), "after")
            return None
        if not is_cue_verb(token):
            continue
        speaker = _speaker_for(token)
        if speaker is None or _inside(speaker, quoted) or speaker.i not in members:
            return None
        allowed = {t.i for t in speaker.subtree}
        leading = frame[:position]
        if all(t.i in allowed or t.dep_ in _FILLER_DEPS or t.is_quote for t in leading):
            return Attribution(token, speaker, frame[-1].idx + len(frame[-1]), "after")
        return None
    return None


def attribution_before(frame: list[Token], quoted: QuotedSpan) -> Attribution | None:
    """``X said: "..."``, ``He added, "..."``, ``X told reporters that "..."``, ``according to X, "..."``.

    The cue is the last one before the opening mark whose clause holds everything up to the mark.
    """
    for position in range(len(frame) - 1, -1, -1):
        token = frame[position]
        gap = frame[position + 1 :]
        if len(gap) > MAX_BEFORE_GAP:
            break
        if is_according_to(token):
            source = according_to_source(token)
            if source is None:
                return None
            return Attribution(token, source, quoted.opening, "before")
        if not is_cue_verb(token):
            continue
        speaker = _speaker_for(token)
        if speaker is None or _inside(speaker, quoted):
            continue
        governed = {t.i for t in token.subtree}
        if all(t.i in governed or t.is_punct for t in gap):
            return Attribution(token, speaker, quoted.opening, "before")
    # No cue verb: a speaker label, "Senator Mark Olsen: '...'".
    if frame and frame[-1].text == ":":
        speaker = label_speaker(frame[-1])
        if speaker is not None:
            return Attribution(frame[-1], speaker, quoted.opening, "before")
    return None


def _same_paragraph(text: str, token: Token, quoted: QuotedSpan) -> bool:
    """The parser sometimes runs a sentence over a paragraph break; a cue never reaches across one."""
    between = text[quoted.end : token.idx] if token.idx >= quoted.end else text[token.idx : quoted.opening]
    return "\n" not in between


def _names(speaker: Token, quoted: QuotedSpan) -> bool:
    """The quote is part of the speaker's own phrase: the "Northern Lights" star."""
    return speaker.left_edge.idx <= quoted.start and quoted.end <= speaker.right_edge.idx + len(
        speaker.right_edge
    )


def attribution_by_parse(doc: Doc, quoted: QuotedSpan, text: str) -> Attribution | None:
    """The nearest cue verb governing the quoted words: ``described terrorism as "the plague ..."``."""
    tokens = list(doc.char_span(quoted.start, quoted.end, alignment_mode="expand") or [])
    roots = [token for token in tokens if not _inside(token.head, quoted) or token.head is token]
    for root in roots:
        head = root.head
        while head is not head.head and _inside(head, quoted):
            head = head.head
        steps = 0
        while steps < 8:
            if not _inside(head, quoted) and is_reporting_verb(head) and _same_paragraph(text, head, quoted):
                speaker = _speaker_for(head)
                if speaker is not None and not _inside(speaker, quoted) and not _names(speaker, quoted):
                    return Attribution(head, speaker, quoted.end, "parse")
            if head is head.head:
                break
            head, steps = head.head, steps + 1
    return None


def opens_sentence(text: str, quoted: QuotedSpan) -> bool:
    """Whether the quote begins where a sentence may begin: paragraph start, after . ? ! : or ","."""
    paragraph_start = text.rfind("\n", 0, quoted.opening) + 1
    before = text[paragraph_start : quoted.opening].rstrip()
    return not before or before[-1] in ".?!:," or before[-1] in QUOTE_MARKS


def is_sentence_like(doc: Doc, quoted: QuotedSpan) -> bool:
    """The quote holds a clause of its own: a subject and its verb both inside the marks."""
    for token in doc.char_span(quoted.start, quoted.end, alignment_mode="expand") or []:
        if token.dep_ in SUBJECT_DEPS and _inside(token.head, quoted) and token.head.pos_ in ("VERB", "AUX"):
            return True
    return False


def _title_case(tokens: list[Token]) -> bool:
    words = [token for token in tokens if token.is_alpha]
    content = [token for token in words if not token.is_stop] or words
    return bool(words) and all(token.is_title or token.is_upper for token in content)


def is_title(doc: Doc, quoted: QuotedSpan, text: str) -> bool:
    """A short quoted name in title case ("Trainwreck", "Silent Night."): a title, not words said.

    In a headline set in title case the test says nothing, so there it never holds.
    """
    inside = list(doc.char_span(quoted.start, quoted.end, alignment_mode="expand") or [])
    if (
        text[quoted.end - 1] in "!?"
        or not inside
        or sum(token.is_alpha for token in inside) > 6
        or not _title_case(inside)
    ):
        return False
    sentence = inside[0].sent
    around = [token for token in sentence if not quoted.start <= token.idx < quoted.end]
    return not _title_case(around)


def quote_kind(doc: Doc, quoted: QuotedSpan, text: str) -> QuoteKind:
    return "direct" if opens_sentence(text, quoted) or is_sentence_like(doc, quoted) else "partial"


def _only_punctuation(text: str) -> bool:
    return all(not character.isalnum() for character in text)


def _inherit(quotes: list[AttributedQuote], text: str) -> None:
    """Quotes without a cue take the attribution of the quote they continue.

    Forwards also across paragraphs: a quote paragraph after ``"...," she said.`` is hers.
    """
    for previous, current in itertools.pairwise(quotes):
        if current.attribution is None and previous.attribution is not None and current.kind == "direct":
            gap_start = max(previous.attribution.end, previous.quoted.closing or previous.quoted.end)
            if _only_punctuation(text[gap_start + 1 : current.quoted.opening]):
                current.attribution = replace(previous.attribution, how="continued")
    # Backwards only within a paragraph: ``"...." "...," he said.``
    for current, following in zip(quotes[-2::-1], quotes[:0:-1], strict=False):
        if current.attribution is None and following.attribution is not None and current.kind == "direct":
            gap = text[(current.quoted.closing or current.quoted.end) + 1 : following.quoted.opening]
            if following.attribution.how == "after" and _only_punctuation(gap) and "\n" not in gap:
                current.attribution = replace(following.attribution, how="continued")


def attribute_quotes(doc: Doc, quoted_spans: list[QuotedSpan]) -> list[AttributedQuote]:
    """Every quoted span with its kind and attribution (None where no speaker was found)."""
    text = doc.text  # spaCy rebuilds Doc.text on every access
    openings = {quoted.opening for quoted in quoted_spans}
    closings = {quoted.closing for quoted in quoted_spans if quoted.closing is not None}
    found: list[AttributedQuote] = []
    for quoted in quoted_spans:
        kind = quote_kind(doc, quoted, text)
        after = after_frame(doc, quoted, openings)
        before = before_frame(doc, quoted, closings)
        if not opens_sentence(text, quoted):
            attribution = (
                attribution_by_parse(doc, quoted, text)
                or attribution_after(after, quoted)
                or attribution_before(before, quoted)
            )
        else:
            attribution = (
                attribution_after(after, quoted)
                or attribution_before(before, quoted)
                or attribution_by_parse(doc, quoted, text)
            )
        if (
            kind == "partial"
            and is_title(doc, quoted, text)
            and (attribution is None or attribution.how != "parse")
        ):
            # A title beside a verb ("the "Avatar" star posted"); one the verb governs is what was said
            # ("a man yelled "Stay there!"", "called his opponent "Senator Cruz"").
            continue
        found.append(AttributedQuote(quoted, kind, attribution))
    _inherit(found, text)
    return found
