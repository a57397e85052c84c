"""What every step of the actor stage shares about one article: tokens, sentences, quotes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Span, Token

from dateline.actors.lookup import Lookup
from dateline.record import Document

QUOTE_MARKS = frozenset('"“”«»„')
_HYPHENS = frozenset({"-", "‐"})


def hyphenated_start(token: Token) -> int | None:
    """Where the hyphenated word a token ends begins ("Secretary-General"), or None: the model
    splits such words, and their last piece ("General") is no noun of its own."""
    doc = token.doc
    index = token.i
    while index >= 2 and doc[index - 1].text in _HYPHENS and not doc[index - 1].whitespace_:
        if doc[index - 2].whitespace_:
            break
        index -= 2
    return index if index < token.i else None


@dataclass
class Mention:
    """A stretch of tokens that names or refers to something; ``end`` is exclusive."""

    start: int
    end: int
    label: str
    kind: str = "name"  # name | role | pronoun | group
    country: str | None = None
    code: str | None = None  # a code this very mention carries (organisation, metonym)
    sector: str | None = None
    gender: str | None = None
    metonymic: bool = False
    roles: list[tuple[int, int]] = field(default_factory=list)  # token spans of role phrases
    role_texts: list[str] = field(default_factory=list)
    head: int = -1  # the token that carries the mention's syntax (-1: the last one)
    # A group whose own phrase names where it is ("a court in Bavaria"), placed or not.
    placed: bool = False

    @property
    def head_index(self) -> int:
        return self.head if self.head >= 0 else self.end - 1


@dataclass
class Context:
    """One article's parse with the per-token facts the steps ask about again and again."""

    document: Document
    lookup: Lookup
    on: date | None
    sentence_of: list[int]
    in_quote: list[bool]
    headline: list[bool]
    dateline_country: str | None = None
    # Names the rest of the article uses (casefolded text -> label), when the parse is its title's.
    known_names: dict[str, str] = field(default_factory=dict)

    @property
    def doc(self) -> Doc:
        return self.document.doc

    @property
    def text(self) -> str:
        return self.document.record.text

    def span(self, start: int, end: int) -> Span:
        return self.doc[start:end]

    def chars(self, start: int, end: int) -> tuple[int, int]:
        first: Token = self.doc[start]
        last: Token = self.doc[end - 1]
        return first.idx, last.idx + len(last.text)

    def span_text(self, start: int, end: int) -> str:
        begin, finish = self.chars(start, end)
        return self.text[begin:finish]


def sentence_indexes(doc: Doc) -> list[int]:
    indexes = [0] * len(doc)
    for number, sentence in enumerate(doc.sents):
        for position in range(sentence.start, sentence.end):
            indexes[position] = number
    return indexes


def quoted_tokens(doc: Doc) -> list[bool]:
    """Which tokens lie between quotation marks; a paragraph break closes an open quote."""
    inside = [False] * len(doc)
    open_quote = False
    for token in doc:
        if "\n" in token.text:
            open_quote = False
        if token.text in QUOTE_MARKS:
            if token.text == "“":
                open_quote = True
            elif token.text == "”":
                open_quote = False
            else:
                open_quote = not open_quote
            continue
        inside[token.i] = open_quote
    return inside


def headline_tokens(doc: Doc) -> list[bool]:
    """Tokens of title-case lines inside the text (a headline or cross-head kept by cleaning).

    A line counts when it has at least three words, three in four of its longer words
    capitalised, and no verb in lower case: a sentence full of names still has its verb in
    lower case ("German Foreign Minister Joschka Fischer met ..."), a headline capitalises it
    ("Aliyev and Putin Sign Declaration"), and the model reads it as one long name.
    """
    marks = [False] * len(doc)
    line: list[Token] = []

    def close() -> None:
        words = [token for token in line if token.is_alpha]
        long_words = [token for token in words if len(token.text) > 3]
        if len(words) < 3 or not long_words:
            return
        share = sum(token.text[0].isupper() for token in long_words) / len(long_words)
        lower_verb = any(token.pos_ == "VERB" and token.text.islower() for token in words)
        if share >= 0.75 and not lower_verb:
            for token in line:
                marks[token.i] = True

    for token in doc:
        if "\n" in token.text:
            if line:
                close()
            line = []
            continue
        line.append(token)
    if line:
        close()
    return marks
