"""Quantities: amounts with their unit, the thing measured, the time meant and any hedge.

An amount is found on the surface (a currency sign, a number in digits or words, a scale word,
a unit word); the parse then says what it measures: the noun after "of" ("2.7 million tons of
oil"), the noun it modifies ("a $1.2 billion loan", "5,000 troops"), or else the subject of its
verb ("The level of oil transit ... reached a record high of 2.7 million tons"). Years, dates,
clock times and ordinals are not amounts: the dates stage has already claimed them in
``document.times``, and only its durations ("15-year") come back here as amounts of time.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from dateline.record import Document, Quantity, TimeExpression, child_id
from dateline.timex.lexicon import NUMBER_WORD, digits_for_number_words

from .units import UnitWord, unit_tables, unit_word

_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SCALE_ABBREVIATIONS = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "bn": 1e9, "tn": 1e12}
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?!\d|[.,]\d)"
_WORDS = rf"(?i:{NUMBER_WORD}(?:(?:[\s-]+|[\s-]+and[\s-]+){NUMBER_WORD})*)(?![\w'])"
_A_SCALE = r"(?i:an?(?=\s+(?:thousand|million|billion|trillion)\b))"
_PER_UNITS = {
    "barrel": "bbl",
    "ton": "t",
    "tonne": "t",
    "share": "share",
    "day": "day",
    "year": "year",
    "month": "month",
    "week": "week",
    "hour": "hour",
    "person": "person",
    "head": "person",
    "kilogram": "kg",
    "litre": "l",
    "liter": "l",
    "gallon": "gal",
    "thousand cubic metres": "1000 m3",
    "thousand cubic meters": "1000 m3",
    "cubic metre": "m3",
    "cubic meter": "m3",
}

# Hedges and superlatives just before an amount, longest first; the value is what we report.
_QUALIFIERS: tuple[tuple[str, str], ...] = (
    (r"(?:an?\s+|the\s+)?(?:all-time\s+|new\s+)?record[\s-]+high(?:\s+of)?", "record high"),
    (r"(?:an?\s+|the\s+)?(?:all-time\s+|new\s+)?record[\s-]+low(?:\s+of)?", "record low"),
    (r"(?:an?\s+|the\s+)?(?:all-time\s+|new\s+)?record(?:\s+of)?", "record"),
    (r"no\s+more\s+than|not\s+more\s+than", "no more than"),
    (r"no\s+less\s+than|not\s+less\s+than|no\s+fewer\s+than", "no less than"),
    (r"more\s+than|upwards\s+of|in\s+excess\s+of|well\s+over|just\s+over", "more than"),
    (r"less\s+than|fewer\s+than|just\s+under", "less than"),
    (r"at\s+least|a\s+minimum\s+of", "at least"),
    (r"at\s+most|a\s+maximum\s+of", "at most"),
    (r"up\s+to", "up to"),
    (r"as\s+many\s+as|as\s+much\s+as", "as many as"),
    (r"as\s+few\s+as|as\s+little\s+as", "as few as"),
    (r"an\s+estimated|estimated", "estimated"),
    (r"an\s+average\s+of|on\s+average|average", "average"),
    (r"nearly|almost|close\s+to|just\s+short\s+of", "nearly"),
    (r"about|around|approximately|roughly|some|circa|an?\s+approximate", "about"),
    (r"over|above", "over"),
    (r"under|below", "under"),
)
_QUALIFIER_BEFORE = re.compile(
    r"(?:^|(?<=\W))(?:"
    + "|".join(f"(?P<q{index}>{pattern})" for index, (pattern, _) in enumerate(_QUALIFIERS))
    + r")\s*$",
    re.I,
)
_QUALIFIER_AFTER = re.compile(r"^\s+or\s+(?P<word>more|so|less|fewer)\b", re.I)

# Nouns whose "of" complement is what is measured: "the level of oil transit".
_CONTAINER_NOUNS = frozenset(
    {
        "level",
        "volume",
        "amount",
        "number",
        "total",
        "value",
        "price",
        "rate",
        "share",
        "sum",
        "figure",
        "size",
        "quantity",
        "proportion",
        "percentage",
        "cost",
        "bill",
    }
)
# Verbs that only state or move a level: their subject is the measure on its own.
_LEVEL_VERBS = frozenset(
    {
        "be",
        "reach",
        "rise",
        "fall",
        "stand",
        "total",
        "increase",
        "decrease",
        "grow",
        "drop",
        "climb",
        "decline",
        "jump",
        "amount",
        "exceed",
        "hit",
        "top",
        "double",
        "triple",
        "equal",
        "surge",
        "slip",
        "ease",
        "edge",
        "gain",
        "plunge",
        "soar",
        "tumble",
        "shrink",
        "slump",
        "remain",
        "stay",
        "average",
        "number",
        "cost",
        "range",
        "run",
    }
)
# Nouns that only name a level on the way up from an amount to what it measures.
_LEVEL_NOUNS = frozenset(
    {
        "high",
        "low",
        "record",
        "peak",
        "level",
        "total",
        "average",
        "maximum",
        "minimum",
        "figure",
        "sum",
        "amount",
    }
)
_NOMINAL_RELATIONS = frozenset({"dobj", "nsubj", "nsubjpass", "pobj", "attr", "appos"})
_RELATIVE_PRONOUNS = frozenset({"which", "that", "who", "whom"})
_FRACTION_AFTER = re.compile(r"^[\s-]?(?:halves|half|thirds?|quarters?|fifths?|sixths?|tenths?)\b", re.I)
_NOT_AMOUNT_ENTITIES = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "LAW", "WORK_OF_ART", "EVENT", "NORP", "ORDINAL"}
)
_DEFINITE = frozenset(
    {"the", "these", "those", "both", "its", "their", "his", "her", "our", "your", "my", "all"}
)
_TRAILING_NOISE = re.compile(r"[\s,;:.'\"’”)]+$")


@dataclass(frozen=True)
class _Amount:
    start: int
    end: int
    value: float
    unit: UnitWord | None
    currency: str | None
    spelled: bool  # the number is written in words


def _amount_pattern() -> re.Pattern[str]:
    tables = unit_tables()
    return re.compile(
        rf"(?:(?<![\w$€£¥])(?P<symbol>{tables.symbol_pattern})\s?(?=\d))?"
        rf"(?<![\w.,])(?P<number>{_DIGITS}|{_WORDS}|{_A_SCALE})"
        r"(?:\s*-?\s*(?P<scale>(?i:thousand|million|billion|trillion))\b|(?P<abbreviation>bn|mn|mln|tn|m|k)\b)?"
        rf"(?:[\s-]*(?P<unit>{tables.word_pattern.pattern}))?"
    )


def _number_value(text: str) -> float | None:
    cleaned = text.replace(",", "").strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", cleaned):
        return float(cleaned)
    if re.fullmatch(r"(?i)an?", cleaned):
        return 1.0
    spelled = digits_for_number_words(re.sub(r"\s+", " ", cleaned.lower()))
    return float(spelled) if re.fullmatch(r"\d+", spelled) else None


def _amounts(text: str) -> list[_Amount]:
    found: list[_Amount] = []
    tables = unit_tables()
    for match in _amount_pattern().finditer(text):
        value = _number_value(match["number"])
        if value is None:
            continue
        if match["scale"]:
            value *= _SCALES[match["scale"].lower()]
        elif match["abbreviation"]:
            if not match["symbol"] and match["abbreviation"] in ("m", "k"):
                continue  # "5m" without a currency may be metres; leave it
            value *= _SCALE_ABBREVIATIONS[match["abbreviation"]]
        unit = unit_word(match["unit"]) if match["unit"] else None
        end = match.end("unit") if unit else match.end("abbreviation") if match["abbreviation"] else None
        if end is None:
            end = match.end("scale") if match["scale"] else match.end("number")
        unit, end = _pounds(text, match, unit, end)
        if unit is not None:
            value *= unit.factor
        currency = tables.symbols[match["symbol"]] if match["symbol"] else None
        if unit is not None and unit.kind == "currency":
            currency = unit.unit
        spelled = not re.match(r"\d", match["number"])
        found.append(_Amount(match.start(), end, value, unit, currency, spelled))
    return found


def _pounds(text: str, match: re.Match[str], unit: UnitWord | None, end: int) -> tuple[UnitWord | None, int]:
    """ "pounds" is money after "million" or beside "sterling", a weight otherwise."""
    after = (
        re.match(r"[\s-]*(?P<word>pounds?)\b(?P<sterling>\s+sterling)?", text[end:]) if unit is None else None
    )
    if after is None:
        return unit, end
    money = bool(after["sterling"] or match["scale"] or match["abbreviation"])
    word = UnitWord(after.group(0).strip(), "GBP" if money else "lb", 1.0, "currency" if money else "measure")
    return word, end + after.end()


def _overlaps(start: int, end: int, other: tuple[int, int]) -> bool:
    return start < other[1] and other[0] < end


def _is_claimed_time(amount: _Amount, times: list[TimeExpression]) -> bool:
    """Years, dates and times belong to the dates stage; durations with a number are amounts of time."""
    return any(
        _overlaps(amount.start, amount.end, time.span)
        and (time.granularity != "duration" or "X" in (time.value or ""))
        for time in times
    )


def _not_an_amount(text: str, ents: tuple[Span, ...], amount: _Amount, span: Span) -> bool:
    before, after = text[max(0, amount.start - 2) : amount.start], text[amount.end : amount.end + 2]
    if re.search(r"\d[-/:–]$", before) or re.match(r"^[-/:–]\d", after):
        return True  # a score, a ratio, a clock time, a range's other end
    if re.match(r"^(?:st|nd|rd|th)\b", text[amount.end : amount.end + 3]):
        return True
    if amount.unit is None and _FRACTION_AFTER.match(text[amount.end : amount.end + 10]):
        return True  # "two-thirds of the vote"
    for ent in ents:
        if ent.label_ in _NOT_AMOUNT_ENTITIES and _overlaps(
            amount.start, amount.end, (ent.start_char, ent.end_char)
        ):
            return True
    # "one of the", "no one", "one day"
    return (
        span[0].lower_ == "one"
        and not amount.currency
        and (amount.unit is None or amount.unit.kind == "duration")
    )


def _number_token(span: Span) -> Token:
    numbers = [token for token in span if token.like_num or token.tag_ == "CD"]
    return numbers[-1] if numbers else span[-1]


def _counted_noun(span: Span) -> Token | None:
    """The noun an amount without a unit counts: "5,000 troops", "12 were killed" has none."""
    token = _number_token(span)
    head = token.head
    if (
        token.dep_ in ("nummod", "quantmod", "compound", "amod")
        and head.pos_ in ("NOUN", "PROPN")
        and head.i > token.i
    ):
        return head
    return None


def _casualty_verb(token: Token) -> Token | None:
    tables = unit_tables()
    verb = token.head
    if token.dep_ in ("nsubj", "nsubjpass", "dobj") and verb.lemma_.lower() in tables.people_verbs:
        return verb
    for child in token.children:
        if child.dep_ in ("acl", "relcl", "amod") and child.lemma_.lower() in tables.people_verbs:
            return child
    return None


def _phrase(tokens: list[Token]) -> str:
    """The tokens' text as written, with one space where words between them were left out."""
    ordered = sorted(set(tokens), key=lambda t: t.i)
    parts = []
    for index, token in enumerate(ordered):
        gap = index + 1 < len(ordered) and ordered[index + 1].i != token.i + 1
        parts.append(token.text + " " if gap else token.text_with_ws)
    return _TRAILING_NOISE.sub("", "".join(parts)).strip()


def _without(tokens: list[Token], times: list[TimeExpression]) -> list[Token]:
    """Drop leading determiners and the time phrases ("in 2003") from a measure's tokens."""
    dropped: set[int] = set()
    for token in tokens:
        if any(_overlaps(token.idx, token.idx + len(token), time.span) for time in times):
            dropped.add(token.i)
            if token.head.dep_ == "prep" or token.head.pos_ == "ADP":
                dropped.add(token.head.i)
        if token.dep_ in ("relcl", "appos", "punct") or (token.dep_ == "acl" and token.tag_ != "VB"):
            dropped.update(t.i for t in token.subtree)
    kept = [token for token in sorted(tokens, key=lambda t: t.i) if token.i not in dropped]
    while kept and (kept[0].dep_ in ("det", "poss", "case", "predet") or kept[0].pos_ in ("DET", "PUNCT")):
        kept = kept[1:]
    while kept and kept[-1].pos_ in ("ADP", "CCONJ", "PUNCT", "PART"):
        kept = kept[:-1]
    return kept


def _of_complement(token: Token) -> Token | None:
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            objects = [grandchild for grandchild in child.children if grandchild.dep_ == "pobj"]
            if objects:
                return objects[0]
    return None


def _noun_phrase(head: Token, times: list[TimeExpression], after: int, skip: Span | None = None) -> str:
    """A noun with the words that make it specific, from the amount on: "loan", "oil transit agreement"."""
    tokens = [head]
    for child in head.children:
        if skip is not None and (
            child.i in range(skip.start, skip.end)
            or any(t.i in range(skip.start, skip.end) for t in child.subtree)
        ):
            continue
        modifier = after < child.i < head.i and child.dep_ in ("compound", "amod", "nmod")
        complement = child.i > head.i and child.dep_ == "prep" and child.lower_ in ("of", "in", "for", "on")
        purpose = (
            child.i > head.i and child.dep_ == "acl" and child.tag_ == "VB" and len(list(child.subtree)) <= 8
        )
        if modifier or complement or purpose:
            tokens.extend(child.subtree)
    return _phrase(_without(tokens, times))


def _subject_phrase(verb: Token, times: list[TimeExpression]) -> str | None:
    """The subject of the amount's verb; with the verb when it says what was done ("company lost"),
    alone when the verb only gives the amount ("Inflation rose 5 per cent")."""
    subjects = [child for child in verb.children if child.dep_ in ("nsubj", "nsubjpass")]
    if not subjects:
        if verb.dep_ in ("xcomp", "conj", "advcl") and verb.head.i != verb.i:
            return _subject_phrase(verb.head, times)
        return None
    subject = subjects[0]
    if subject.lower_ in _RELATIVE_PRONOUNS and verb.dep_ == "relcl":
        # "food inflation, which reached 37 per cent": the noun the clause describes
        return _phrase(
            _without([verb.head, *[t for t in verb.head.lefts if t.dep_ in ("compound", "amod")]], times)
        )
    if subject.pos_ == "PRON":
        return None
    tokens = list(subject.subtree)
    if subject.lemma_.lower() in _CONTAINER_NOUNS:
        inner = _of_complement(subject)
        if inner is not None:
            first = min(token.i for token in inner.subtree)
            tokens = [token for token in subject.subtree if token.i >= first]
    phrase = _phrase(_without(tokens, times))
    if not phrase:
        return None
    if verb.lemma_.lower() not in _LEVEL_VERBS and verb.pos_ == "VERB":
        phrase = f"{phrase} {verb.text}"
    return phrase


def _governing_verb(token: Token) -> Token | None:
    current = token
    for _ in range(8):
        if current.pos_ in ("VERB", "AUX") and current.dep_ not in ("amod", "compound"):
            return current
        if current.head.i == current.i:
            return None
        current = current.head
    return None


def _about_noun(noun: Token, times: list[TimeExpression], span: Span) -> str | None:
    """The phrase of a noun an amount hangs from; for a unit noun ("metres of gas"), what it measures."""
    inner = _of_complement(noun) if unit_word(noun.text) else None
    if inner is not None:
        return _phrase(_without(list(inner.subtree), times)) or None
    after = span[-1].i if noun.i > span[-1].i else -1  # left modifiers past the amount only
    return _noun_phrase(noun, times, after, skip=span) or None


def _valued_noun(worth: Token) -> Token | None:
    """What is "worth" an amount: "cargo worth 2 billion euros", however the parser hung it."""
    if worth.head.pos_ in ("NOUN", "PROPN") or worth.head.dep_ in _NOMINAL_RELATIONS:
        return worth.head
    nouns = [child for child in worth.children if child.i < worth.i and child.pos_ in ("NOUN", "PROPN")]
    return nouns[-1] if nouns else None


def _measure(span: Span, times: list[TimeExpression]) -> str | None:
    """The noun phrase the amount is about."""
    last = span[-1]
    inner = _of_complement(last)
    if inner is not None:
        tokens = list(inner.subtree)
        return _phrase(_without(tokens, times)) or None
    number = _number_token(span)
    top = last
    # An amount that modifies a noun: "$1.2 billion loan", "15-year agreement", "5,000 troops".
    for token in (top, number):
        head = token.head
        if (
            head.i > span[-1].i
            and head.pos_ in ("NOUN", "PROPN")
            and token.dep_ in ("nummod", "compound", "amod", "nmod", "quantmod")
        ):
            return _noun_phrase(head, times, span[-1].i) or None
    # Up the tree: a noun on the way is what the amount is about ("a budget of $3 billion", "gas
    # worth EUR 3.5bn") unless it only names a level ("a record high of"); a verb gives its subject.
    current = top
    for _ in range(6):
        head = current.head
        if head.i == current.i:
            return None
        if head.lower_ == "worth":
            valued = _valued_noun(head)
            if valued is not None:
                return _about_noun(valued, times, span)
        if head.i not in range(span.start, span.end):
            # a word in a noun's place is a noun, whatever the tagger said ("moved cargoes worth ...")
            nominal = head.pos_ in ("NOUN", "PROPN") or head.dep_ in _NOMINAL_RELATIONS
            if head.pos_ in ("VERB", "AUX") and not nominal and head.dep_ not in ("amod", "compound"):
                return _subject_phrase(head, times)
            if nominal and head.lemma_.lower() not in _LEVEL_NOUNS:
                return _about_noun(head, times, span)
        current = head
    return None


def _qualifier(text: str, amount: _Amount) -> str | None:
    before = _QUALIFIER_BEFORE.search(text[max(0, amount.start - 40) : amount.start])
    if before:
        for index, (_, name) in enumerate(_QUALIFIERS):
            if before[f"q{index}"]:
                return name
    after = _QUALIFIER_AFTER.match(text[amount.end : amount.end + 20])
    if after:
        return {"more": "at least", "so": "about", "less": "at most", "fewer": "at most"}[
            after["word"].lower()
        ]
    return None


def _per_unit(text: str, amount: _Amount) -> tuple[str, int] | None:
    """A price per something: "$30 a barrel" is USD/bbl."""
    match = re.match(
        r"\s+(?:a|an|per)\s+(?P<per>" + "|".join(sorted(_PER_UNITS, key=len, reverse=True)) + r")\b",
        text[amount.end : amount.end + 40],
        re.I,
    )
    if match is None:
        return None
    return _PER_UNITS[match["per"].lower()], amount.end + match.end()


def _when(document: Document, span: Span, sentence: int) -> str | None:
    """The date the amount refers to: a dated expression of the same clause."""
    verb = _governing_verb(span.root)
    best: tuple[int, int, str] | None = None
    for time in document.times:
        if time.granularity == "duration" or not time.value or not time.value[:1].isdigit():
            continue
        if time.sentence != sentence:
            continue
        time_span = document.doc.char_span(time.span[0], time.span[1], alignment_mode="expand")
        if time_span is None:
            continue
        time_verb = _governing_verb(time_span.root)
        if verb is not None and time_verb is not None and time_verb.i == verb.i:
            rank = 0
        elif (
            verb is not None
            and time_verb is not None
            and (verb in time_verb.ancestors or time_verb in verb.ancestors)
        ):
            rank = 1
        else:
            continue
        distance = min(abs(time.span[0] - span.end_char), abs(span.start_char - time.span[1]))
        if best is None or (rank, distance) < best[:2]:
            best = (rank, distance, time.value)
    return best[2] if best else None


def extract_quantities(document: Document) -> None:
    """Fill ``record.quantities`` with the amounts of the text, in text order."""
    record, doc = document.record, document.doc
    text = record.text
    times = document.times
    ents = tuple(doc.ents)  # spaCy rebuilds Doc.ents on every access
    sentence_starts = [sentence.start_char for sentence in doc.sents]
    quantities: list[Quantity] = []
    for amount in _amounts(text):
        if _is_claimed_time(amount, times):
            continue
        span = doc.char_span(amount.start, amount.end, alignment_mode="expand")
        if span is None or not len(span) or _not_an_amount(text, ents, amount, span):
            continue
        sentence = max(bisect.bisect_right(sentence_starts, amount.start) - 1, 0)
        quantity = _quantity(document, amount, span, sentence)
        if quantity is not None:
            quantities.append(quantity)
    record.quantities = quantities


def _quantity(document: Document, amount: _Amount, span: Span, sentence: int) -> Quantity | None:
    text = document.record.text
    times = document.times
    unit: str | None = amount.currency or (amount.unit.unit if amount.unit else None)
    end = amount.end
    measure: str | None
    if unit is None:
        counted = _counted_noun(span)
        number = _number_token(span)
        befallen = _casualty_verb(counted if counted is not None else number)
        tables = unit_tables()
        if counted is not None and counted.lower_ in tables.people_nouns:
            unit = "people"
            measure = counted.lower_ + (f" {befallen.text}" if befallen is not None else "")
        elif counted is None and befallen is not None:
            unit, measure = "people", befallen.text
        elif counted is not None and not _definite(span) and (not amount.spelled or amount.value >= 2):
            measure = _noun_phrase(counted, times, span[-1].i) or counted.text
        else:
            return None
        if _definite(span) and amount.value < 100:
            return None  # "the two leaders": a reference, not a count
    else:
        per = _per_unit(text, amount) if amount.currency else None
        if per is not None:
            unit, end = f"{unit}/{per[0]}", per[1]
        measure = _measure(span, times)
    if unit == "year" and re.match(r"[\s-]+old\b", text[end : end + 6]):
        measure = f"age of {measure}" if measure else "age"  # "a 74-year-old pensioner"
    start = amount.start
    when = _when(document, span, sentence)
    return Quantity(
        id=child_id(document.record.id, "quantity", (start, end), unit or ""),
        span=(start, end),
        text=text[start:end],
        value=amount.value,
        unit=unit,
        measure=measure,
        when=when,
        qualifier=_qualifier(text, amount),
    )


def _definite(span: Span) -> bool:
    first = span[0]
    previous = first.doc[first.i - 1] if first.i > 0 else None
    return previous is not None and previous.lower_ in _DEFINITE
