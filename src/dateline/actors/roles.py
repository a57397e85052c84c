"""Roles of people from the words around their names.

Three places hold a role in news prose: a title in front of the name ("Russian Defense
Minister Sergey Ivanov", "Azerbaijan's President Ilham Aliyev", "King Hassan of Morocco"), an
apposition after it ("Mario Soares, the Portuguese president,") and a relative clause
("Albert Druzhinin, who heads the ... department" -> "head of the ... department").
"""

from __future__ import annotations

from spacy.tokens import Token

from dateline.actors.context import Context, Mention
from dateline.actors.lexicon import (
    NON_TITLE_POS,
    ROLE_VERB_NOUNS,
    SPEECH_VERBS,
    TITLE_ABBREVIATIONS,
    TITLE_HEADS,
    TITLE_LINKS,
    TITLE_MODIFIERS,
    bare,
    is_title_head,
    is_title_word,
)

MAX_TITLE_TOKENS = 12
MAX_ROLE_TOKENS = 30
_POSSESSIVE = frozenset({"'s", "’s"})
_HYPHENS = frozenset({"-", "‐", "–"})
_TITLE_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})
_NUMERIC_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})
_DETERMINERS = frozenset({"the", "a", "an"})
_RELATIVE_WORDS = frozenset({"who", "whom", "whose", "which", "that"})
_CLAUSE_BREAKS = frozenset({",", ".", ";", ":", "(", ")", '"', "“", "”", "—", "–"})


def _title_token(ctx: Context, index: int, first: int | None, person: list[bool]) -> bool | None:
    """Whether the token may sit in a title; None when it is a title head."""
    doc = ctx.doc
    token = doc[index]
    text = token.text
    word = bare(text)
    if token.is_space or person[index]:
        return False
    if word in TITLE_HEADS:
        return None
    if word in TITLE_MODIFIERS:
        return True
    if text in _HYPHENS:
        return not token.whitespace_ and index > 0 and not doc[index - 1].whitespace_
    if text == "." and index > 0 and bare(doc[index - 1].text) in TITLE_ABBREVIATIONS:
        return True
    if text in _POSSESSIVE:
        return index > 0
    if word in TITLE_LINKS:
        after_capital = first is not None and doc[first].text[:1].isupper()
        return after_capital and index > 0 and is_title_word(doc[index - 1].text)
    if token.pos_ in ("NOUN", "ADJ") and token.dep_ in _TITLE_MODIFIER_DEPS and first is not None:
        # "foreign policy chief": a lower-case modifier of a word further on in the title.
        return first <= token.head.i and token.head.i > index
    return text[:1].isupper() and token.pos_ not in NON_TITLE_POS and token.ent_type_ not in _NUMERIC_ENTS


def title_before(ctx: Context, start: int, person: list[bool]) -> int | None:
    """Where the title in front of the name at ``start`` begins, or None when there is none."""
    doc = ctx.doc
    sentence = ctx.sentence_of[start]
    index, first, heads = start - 1, None, 0
    while index >= 0 and start - index <= MAX_TITLE_TOKENS and ctx.sentence_of[index] == sentence:
        verdict = _title_token(ctx, index, first, person)
        if verdict is False:
            break
        if verdict is None:
            heads += 1
        first = index
        index -= 1
    if first is None or heads == 0:
        return None
    while first < start and (
        doc[first].text in _POSSESSIVE or bare(doc[first].text) in TITLE_LINKS or doc[first].text in _HYPHENS
    ):
        first += 1
    return first if first < start else None


def _root_of(ctx: Context, mention: Mention) -> Token:
    doc = ctx.doc
    for index in range(mention.end - 1, mention.start - 1, -1):
        head = doc[index].head
        if not (mention.start <= head.i < mention.end) or head.i == index:
            return doc[index]
    return doc[mention.end - 1]


def _clip(ctx: Context, start: int, end: int) -> tuple[int, int]:
    """A role phrase without leading articles, cut at the first clause break, not too long."""
    doc = ctx.doc
    while start < end and doc[start].lower_ in _DETERMINERS:
        start += 1
    for index in range(start, end):
        breaks = doc[index].text in _CLAUSE_BREAKS or index - start >= MAX_ROLE_TOKENS
        if breaks or (index > start and doc[index].lower_ in _RELATIVE_WORDS):
            end = index
            break
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return start, end


def apposition_after(ctx: Context, mention: Mention, person: list[bool]) -> tuple[int, int] | None:
    """ ", the Portuguese president," after a name: the role phrase's token span."""
    doc = ctx.doc
    end = mention.end
    if end >= len(doc) - 1 or doc[end].text != ",":
        return None
    root = _root_of(ctx, mention)
    for child in root.rights:
        if child.dep_ == "appos" and child.i > end and not person[child.i] and _role_noun(ctx, child):
            start, stop = _clip(ctx, child.left_edge.i, child.right_edge.i + 1)
            if start < stop and not any(person[start:stop]):
                return start, stop
    return _apposition_by_pattern(ctx, end + 1, person)


def _apposition_by_pattern(ctx: Context, start: int, person: list[bool]) -> tuple[int, int] | None:
    """The same without the parse: [the] title words ending in a title head, then a break."""
    doc = ctx.doc
    index = start
    if index < len(doc) and doc[index].lower_ in _DETERMINERS:
        index += 1
    last_head = None
    while index < len(doc) and index - start <= MAX_TITLE_TOKENS and not person[index]:
        token = doc[index]
        if is_title_head(token.text):
            last_head = index
        elif not (
            is_title_word(token.text)
            or token.text in _POSSESSIVE
            or (token.text[:1].isupper() and token.pos_ not in NON_TITLE_POS)
            or (bare(token.text) in TITLE_LINKS and last_head is not None)
        ):
            break
        index += 1
    if last_head is None or last_head + 1 != index:
        return None
    follower = doc[index] if index < len(doc) else None
    if follower is not None and not (follower.text in (",", ".") or follower.lemma_ in SPEECH_VERBS):
        return None
    clipped = _clip(ctx, start, index)
    return clipped if clipped[0] < clipped[1] else None


def _role_noun(ctx: Context, token: Token) -> bool:
    return is_title_head(token.text) or ctx.lookup.agent(token.lemma_) is not None


def relative_clause_after(ctx: Context, mention: Mention) -> tuple[str, tuple[int, int]] | None:
    """ ", who heads X" -> ("head of", span of X); ", who is the X" -> ("", span of X)."""
    doc = ctx.doc
    end = mention.end
    if end + 2 >= len(doc) or doc[end].text not in (",", "–", "—") or doc[end + 1].lower_ != "who":
        return None
    verb = next(
        (token for token in doc[end + 2 : min(end + 5, len(doc))] if token.pos_ in ("VERB", "AUX")),
        None,
    )
    if verb is None:
        return None
    if verb.lemma_ == "be":
        complement = next((child for child in verb.rights if child.dep_ in ("attr", "acomp")), None)
        if complement is None or not _role_noun(ctx, complement):
            return None
        span = _clip(ctx, complement.left_edge.i, complement.right_edge.i + 1)
        return ("", span) if span[0] < span[1] else None
    noun = ROLE_VERB_NOUNS.get(verb.lemma_)
    if noun is None:
        return None
    target = next((child for child in verb.rights if child.dep_ in ("dobj", "attr")), None)
    if target is not None:
        start, stop = target.left_edge.i, target.right_edge.i + 1
    else:
        start, stop = verb.i + 1, min(verb.i + 1 + MAX_ROLE_TOKENS, len(doc))
    # Keep the article: "head of the ... department" reads as the text does.
    first, last = _clip(ctx, start, stop)
    if first > start and doc[start].lower_ in _DETERMINERS:
        first = start
    return (f"{noun} of", (first, last)) if first < last else None


def _of_phrase_after(ctx: Context, mention: Mention, names_at: dict[int, Mention]) -> Mention | None:
    """ "King Hassan *of Morocco*": the place or body a title belongs to."""
    doc = ctx.doc
    index = mention.end
    if index + 1 >= len(doc) or doc[index].lower_ != "of":
        return None
    following = names_at.get(index + 1) or (
        names_at.get(index + 2) if doc[index + 1].lower_ == "the" else None
    )
    if following is not None and following.label in ("GPE", "ORG", "NORP", "LOC"):
        return following
    return None


def find_roles(ctx: Context, mentions: list[Mention]) -> list[tuple[int, int]]:
    """Give every PERSON mention the roles written around it; return the title zones.

    The zones are the token spans of the titles and role phrases: the model's fragments inside
    them ("Defense" read as an ORG in "Russian Defense Minister") are not entities.
    """
    doc = ctx.doc
    person = [False] * len(doc)
    names_at: dict[int, Mention] = {}
    for mention in mentions:
        names_at[mention.start] = mention
        if mention.label == "PERSON":
            for index in range(mention.start, mention.end):
                person[index] = True
    zones: list[tuple[int, int]] = []
    for mention in mentions:
        if mention.label != "PERSON":
            continue
        texts: list[str] = []
        start = title_before(ctx, mention.start, person)
        if start is not None:
            title = ctx.span_text(start, mention.start).rstrip(" -‐–,")
            mention.roles.append((start, mention.start))
            zones.append((start, mention.start))
            belongs_to = _of_phrase_after(ctx, mention, names_at)
            if belongs_to is not None:
                title = f"{title} of {ctx.span_text(belongs_to.start, belongs_to.end)}"
                mention.roles.append((belongs_to.start, belongs_to.end))
            texts.append(title)
        apposition = apposition_after(ctx, mention, person)
        if apposition is not None:
            mention.roles.append(apposition)
            zones.append(apposition)
            texts.append(ctx.span_text(*apposition))
        clause = relative_clause_after(ctx, mention)
        if clause is not None:
            prefix, span = clause
            mention.roles.append(span)
            zones.append(span)
            phrase = ctx.span_text(*span)
            texts.append(f"{prefix} {phrase}".strip())
        mention.role_texts = texts
    return zones
