"""Name mentions: the model's entities, trimmed and retyped with knowledge, plus what it missed.

The small English model reads "Azerbaijan" as a PERSON, "Caucasus" as an ORG and a title-case
headline as one long name; knowledge of countries, demonyms, regions, organisations and
metonyms puts these right, and finds the ones the model left out altogether.
"""

from __future__ import annotations

from spacy.tokens import Token

from dateline.actors.context import Context, Mention
from dateline.actors.lexicon import (
    FEMALE_HONORIFICS,
    HONORIFICS,
    MALE_HONORIFICS,
    NAMED_LABELS,
    PLACE_LABELS,
    TITLE_HEADS,
    bare,
    is_title_word,
)
from dateline.actors.places import ABBREVIATED_WORDS, geocode, load_gazetteer

_LEADING_WORDS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_MAX_GAZETTEER_TOKENS = 4
_NAME_MISREADS = frozenset({"ORG", "GPE", "NORP", "PRODUCT", "WORK_OF_ART", "FAC"})


def _trim(ctx: Context, start: int, end: int) -> tuple[int, int]:
    """Without leading articles and punctuation, trailing possessives and punctuation."""
    doc = ctx.doc
    while start < end and (doc[start].lower_ in _LEADING_WORDS or doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (
        doc[end - 1].text in _POSSESSIVE or doc[end - 1].is_punct or doc[end - 1].is_space
    ):
        # Keep closing brackets of acronyms like "(PLO)" out; keep "U.S." whole (not punct).
        end -= 1
    return start, end


def _retype(ctx: Context, mention: Mention) -> None:
    """Put the label right where knowledge is sure: countries, demonyms, regions, metonyms."""
    text = ctx.span_text(mention.start, mention.end)
    lookup = ctx.lookup
    metonym = lookup.metonym(text)
    if metonym is not None:
        mention.label = mention.label if mention.label in ("FAC", "ORG") else "FAC"
        mention.code, mention.country, mention.metonymic = metonym.code, metonym.country, True
        return
    country = lookup.country(text)
    if country is not None:
        mention.label = "NORP" if country.demonym else "GPE"
        mention.country = country.code
        return
    region = lookup.region(text)
    if region is not None:
        mention.label = "LOC" if mention.label not in ("GPE", "LOC") else mention.label
        mention.country = region or None
        return
    organization = lookup.organization(text)
    if organization is not None:
        mention.label = "ORG"
        mention.code, mention.country = organization.code, organization.country
        return
    if (
        mention.label != "PERSON"
        and (mention.label or _may_be_full_name(ctx, mention))
        and lookup.office_holder(text)
    ):
        # "Olaf Scholz" read as an ORG, "Antony Blinken" as a FAC, "Theresa May" not read at all.
        mention.label = "PERSON"


def _may_be_full_name(ctx: Context, mention: Mention) -> bool:
    """Two to four capitalised words: worth asking knowledge whether they name an office holder."""
    words = ctx.doc[mention.start : mention.end]
    return 2 <= len(words) <= 4 and all(word.text[:1].isupper() and not word.is_punct for word in words)


def _strip_person_titles(ctx: Context, mention: Mention) -> None:
    """ "President Obama" as one PERSON: the title goes to the role finder, the name stays."""
    doc = ctx.doc
    start = mention.start
    while start < mention.end - 1:
        word = bare(doc[start].text)
        if word in HONORIFICS:
            mention.gender = "m" if word in MALE_HONORIFICS else "f" if word in FEMALE_HONORIFICS else None
        elif not (
            is_title_word(doc[start].text) or doc[start].text in ("-", "‐") or _is_country_word(ctx, start)
        ):
            break
        start += 1
    mention.start = start


def _is_country_word(ctx: Context, index: int) -> bool:
    return ctx.lookup.country(ctx.doc[index].text) is not None


def _split_possessor(ctx: Context, mention: Mention) -> Mention | None:
    """ "Azerbaijan's President Ilham Aliyev" read as one PERSON: split off the possessor."""
    doc = ctx.doc
    for index in range(mention.start + 1, mention.end - 1):
        if doc[index].text in _POSSESSIVE:
            possessor = Mention(mention.start, index, "ORG")
            _retype(ctx, possessor)
            mention.start = index + 1
            return possessor
    return None


def _extend_to_known_organization(ctx: Context, mention: Mention) -> None:
    """The model cut a known organisation's name short ("Islamic" of "the Islamic State", "Law"
    of "Law and Justice", "Supreme Court" of "the Supreme Court of the United States"): take
    the words after it that complete the name, capitalised or linking ones ("of the", "'s")."""
    doc = ctx.doc
    # How far the words that may continue a name reach; most names are followed by none.
    reach = mention.end
    while reach < min(len(doc), mention.end + _MAX_NAME_EXTENSION):
        word = doc[reach]
        if ctx.sentence_of[reach] != ctx.sentence_of[mention.start]:
            break
        if not ((word.text[:1].isupper() and word.is_alpha) or word.lower_ in _NAME_LINKS):
            break
        reach += 1
    for end in range(reach, mention.end, -1):
        last = doc[end - 1]
        if not (last.text[:1].isupper() and last.is_alpha):
            continue
        if ctx.lookup.organization(ctx.span_text(mention.start, end)) is not None:
            mention.end = end
            mention.label = "ORG"
            return


_MAX_NAME_EXTENSION = 6
# Lower-case words and pieces inside organisations' names.
_NAME_LINKS = frozenset({"of", "the", "and", "for", "&", "'s", "’s", "de", "du", "des", "la", "el", "al"})


_SPACED_DASHES = frozenset({"-", "--", "—", "–"})


def _entity_spans(ctx: Context) -> list[tuple[int, int, str]]:
    """The model's named entities, cut at a dash with spaces round it: no name has one, but a
    dateline's agency runs into the name after it ("IRNA - Iran's foreign ministry")."""
    doc = ctx.doc
    spans: list[tuple[int, int, str]] = []
    for ent in doc.ents:
        if ent.label_ not in NAMED_LABELS:
            continue
        start = ent.start
        for index in range(ent.start, ent.end):
            token = doc[index]
            spaced = index > 0 and bool(doc[index - 1].whitespace_) and bool(token.whitespace_)
            if token.text in _SPACED_DASHES and spaced:
                spans.append((start, index, ent.label_))
                start = index + 1
        if start == ent.start or not _group_word(ctx, start, ent.end):
            spans.append((start, ent.end, ent.label_))
    return spans


def _group_word(ctx: Context, start: int, end: int) -> bool:
    """One word that names a kind of actor ("Soldiers", "Police"): a group, not a name."""
    return end - start == 1 and ctx.lookup.agent(ctx.doc[start].lemma_.lower()) is not None


def model_mentions(ctx: Context) -> list[Mention]:
    """The model's named entities, trimmed, with person titles and possessors split off."""
    mentions: list[Mention] = []
    for start, end, label in _entity_spans(ctx):
        start, end = _trim(ctx, start, end)
        if start >= end or not any(char.isupper() or char.isdigit() for char in ctx.span_text(start, end)):
            continue  # a name has a capital letter somewhere ("n't" read as a place has none)
        mention = Mention(start, end, label)
        _extend_to_known_organization(ctx, mention)
        if mention.label == "PERSON" and ctx.lookup.organization(ctx.span_text(start, end)) is not None:
            mention.label = "ORG"  # "Tigray People's Liberation Front": no possessor to split off
        if mention.label == "PERSON":
            possessor = _split_possessor(ctx, mention)
            if possessor is not None:
                mentions.append(possessor)
            _strip_person_titles(ctx, mention)
            if is_title_word(ctx.doc[mention.start].text) and mention.end - mention.start == 1:
                continue
        _retype(ctx, mention)
        _people_read_as_a_name(ctx, mention)
        if mention.label in _NAME_MISREADS and _after_person_title(ctx, mention):
            mention.label = "PERSON"
        mentions.append(mention)
    return mentions


def _people_read_as_a_name(ctx: Context, mention: Mention) -> None:
    """ "Ordinary Kazakhs" read as a person: a plural demonym is a people, and the words before
    it describe them; the mention keeps the demonym, the group finder the rest."""
    if mention.label not in ("PERSON", "ORG") or mention.end - mention.start < 2:
        return
    last = ctx.doc[mention.end - 1]
    if last.tag_ not in ("NNPS", "NNS"):
        return
    match = ctx.lookup.country(last.text)
    if match is not None and match.demonym:
        mention.start, mention.label, mention.country = last.i, "NORP", match.code


def _after_person_title(ctx: Context, mention: Mention) -> bool:
    """ "President Trump" read as an ORG: a name right after a title or an honorific is a person."""
    if mention.country or mention.code or mention.start == 0 or mention.end - mention.start > 3:
        return False
    before = ctx.doc[mention.start - 1]
    word = bare(before.text)
    return before.text[:1].isupper() and (word in HONORIFICS or word in TITLE_HEADS)


def knowledge_mentions(ctx: Context, covered: list[bool]) -> list[Mention]:
    """Countries, demonyms, regions, organisations, metonyms and office holders' full names the
    model did not tag."""
    doc = ctx.doc
    found: list[Mention] = []
    index = 0
    while index < len(doc):
        token = doc[index]
        if covered[index] or not _may_start_name(token):
            index += 1
            continue
        matched = 0
        for length in range(min(_MAX_GAZETTEER_TOKENS, len(doc) - index), 0, -1):
            end = index + length
            if any(covered[index:end]) or ctx.sentence_of[end - 1] != ctx.sentence_of[index]:
                continue
            if doc[end - 1].is_punct and doc[end - 1].text not in (".",):
                continue
            mention = Mention(index, end, "")
            _retype(ctx, mention)
            if mention.label:
                found.append(mention)
                matched = length
                break
        if matched == 0 and ctx.lookup.dictionaries is not None:
            matched = _dictionary_mention(ctx, index, covered, found)
        index += max(matched, 1)
    return found


def _may_start_name(token: Token) -> bool:
    text = token.text
    return bool(text) and text[0].isupper() and not token.is_punct and token.lower_ not in _LEADING_WORDS


def _dictionary_mention(ctx: Context, index: int, covered: list[bool], found: list[Mention]) -> int:
    """A name from the user's actor dictionaries that neither the model nor knowledge found."""
    dictionaries = ctx.lookup.dictionaries
    assert dictionaries is not None
    doc = ctx.doc
    words: list[str] = []
    owners: list[int] = []
    from dateline.actors.dictionary import normalise_words

    for position in range(index, min(index + 8, len(doc))):
        if covered[position] or ctx.sentence_of[position] != ctx.sentence_of[index]:
            break
        for word in normalise_words(doc[position].text):
            words.append(word)
            owners.append(position)
    match = dictionaries.match_actor(words, 0) if words else None
    if match is None:
        return 0
    length, entry = match
    end = owners[length - 1] + 1
    if not doc[end - 1].text[:1].isupper():
        return 0
    mention = Mention(index, end, "ORG", code=entry.code_on(ctx.on))
    if mention.code is None:
        return 0
    found.append(mention)
    return end - index


def without_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Keep the first of overlapping mentions in text order, longer ones first at a tie."""
    ordered = sorted(mentions, key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Mention] = []
    last_end = -1
    for mention in ordered:
        if mention.start >= last_end:
            kept.append(mention)
            last_end = mention.end
    return kept


_DATELINE_SEPARATORS = frozenset({",", "—", "–", "-", "--", "(", ":"})


def dateline_mentions(ctx: Context, covered: list[bool]) -> list[Mention]:
    """Upper-case town names that open a sentence before a comma or a dash, as datelines do
    ("COLUMBUS, Ohio —", "BEIRUT (AP) —"): the model does not read upper-case words as names."""
    doc = ctx.doc
    gazetteer = load_gazetteer()
    found = []
    for sentence in doc.sents:
        end = sentence.start
        while end < sentence.end and end - sentence.start < 5:
            token = doc[end]
            # The model reads such words piecemeal ("ST" a place, "PAUL" an organisation):
            # words it covered belong to the dateline too, and so does the point of "ST.".
            point = token.text == "." and end > sentence.start and doc[end - 1].lower_ in ABBREVIATED_WORDS
            if not (point or (token.is_upper and any(char.isalpha() for char in token.text))):
                break
            end += 1
        if end == sentence.start or end >= len(doc) or doc[end].text not in _DATELINE_SEPARATORS:
            continue
        if all(covered[sentence.start : end]) and doc[sentence.start : end].ents:
            continue  # the model's own reading of the whole dateline stands
        name = doc[sentence.start : end].text
        if len(name) > 2 and gazetteer.knows(name, post_towns=True):
            found.append(Mention(sentence.start, end, "GPE"))
    return found


def collect_name_mentions(ctx: Context) -> list[Mention]:
    mentions = without_overlaps(model_mentions(ctx))
    covered = [False] * len(ctx.doc)
    for mention in mentions:
        for index in range(mention.start, mention.end):
            covered[index] = True
    mentions.extend(knowledge_mentions(ctx, covered))
    mentions.extend(dateline_mentions(ctx, covered))
    mentions = without_overlaps(mentions)
    return _confirm_headline_mentions(ctx, mentions)


def _confirm_headline_mentions(ctx: Context, mentions: list[Mention]) -> list[Mention]:
    """In title-case lines keep only names the rest of the article (or knowledge) confirms.

    An unconfirmed span is not dropped whole: its single tokens that are confirmed names
    ("Putin" in "Putin Sign Declaration Promising Cooperation") stay as mentions.
    """
    if not any(ctx.headline):
        return mentions
    body_texts: dict[str, str] = dict(ctx.known_names)
    for mention in mentions:
        if not ctx.headline[mention.start]:
            text = ctx.span_text(mention.start, mention.end).casefold()
            body_texts.setdefault(text, mention.label)
            if mention.label == "PERSON":
                for position in range(mention.start, mention.end):
                    body_texts.setdefault(ctx.doc[position].text.casefold(), mention.label)
    kept: list[Mention] = []
    for mention in mentions:
        if not ctx.headline[mention.start]:
            kept.append(mention)
            continue
        text = ctx.span_text(mention.start, mention.end).casefold()
        if (
            text in body_texts
            or mention.country
            or mention.code
            or _known_person(ctx, mention.start, mention.end)
            or _named_for_its_kind(ctx, mention)
            or _known_place(ctx, mention)
        ):
            kept.append(mention)
            continue
        for position in range(mention.start, mention.end):
            label = body_texts.get(ctx.doc[position].text.casefold())
            if label is None and _known_person(ctx, position, position + 1):
                label = "PERSON"
            if label is not None and ctx.doc[position].text[:1].isupper():
                kept.append(Mention(position, position + 1, label))
    return kept


def _named_for_its_kind(ctx: Context, mention: Mention) -> bool:
    """A body whose name ends in what it is ("Red Crescent Society", "Minsk Police"): a name
    of that shape is no person a title-case line could invent."""
    return mention.label == "ORG" and ctx.lookup.agent(ctx.doc[mention.end - 1].text.lower()) is not None


def _known_place(ctx: Context, mention: Mention) -> bool:
    """A place name the gazetteer knows ("Moscow" in "Tokayev Meets Putin in Moscow")."""
    if mention.label not in PLACE_LABELS:
        return False
    return geocode(ctx.span_text(mention.start, mention.end)) is not None


def _known_person(ctx: Context, start: int, end: int) -> bool:
    """A name knowledge gives an office on the article's date ("Putin" in a bare headline)."""
    if not all(ctx.doc[position].text[:1].isupper() for position in range(start, end)):
        return False
    return bool(ctx.lookup.leaders(ctx.span_text(start, end), ctx.on))
