"""CAMEO-style actor codes: a country (ISO alpha-3 or IGO, NGO, ...) and sector agents.

A code comes, in this order, from the user's dictionaries, from the words of the text (the
role "Russian Defense Minister" gives RUS + the sector of "Defense Minister"), from the
knowledge base's leaders in office on the article's date ("Putin" alone is RUSGOV in 2004) and
organisations, and for groups of people from the agent noun and its country ("Iranian police"
-> IRNCOP; "protesters" take the country of the place the sentence is about, else of the
article).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence

from spacy.attrs import DEP, POS
from spacy.symbols import NOUN, PROPN
from spacy.tokens import Token

from dateline.actors.context import Context, Mention, hyphenated_start
from dateline.actors.coref import Cluster
from dateline.actors.lexicon import (
    ARGUMENT_DEPS,
    GENERIC_TITLES,
    POLITICAL_NOUNS,
    POLITICAL_VERBS,
    TITLE_HEADS,
    bare,
    is_title_head,
    is_title_word,
)
from dateline.actors.lookup import NON_STATE_PREFIXES, Lookup

MAX_AGENT_WORDS = 4
_LEADING_FUNCTION_WORDS = frozenset({"the", "a", "an", "of", "for", "and", "in"})
_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "poss", "case", "npadvmod"})
# Words a group phrase does not start with ("how black people", "their children", "five").
_NOT_GROUP_WORDS = frozenset({"DET", "NUM", "ADV", "PRON", "SCONJ", "ADP", "PART", "CCONJ", "AUX", "VERB"})
_PLACE_NAME_LABELS = frozenset({"GPE", "LOC", "FAC", "NORP"})
_PLACE_LABELS_ONLY = frozenset({"GPE", "LOC", "FAC"})
_PLACE_PREPOSITIONS = frozenset({"in", "of", "from", "at"})

CountryOf = Callable[[Mention], str | None]
_NOUN_TAGS = frozenset({NOUN, PROPN})


def phrase_country(ctx: Context, start: int, end: int, names: Sequence[Mention] = ()) -> str | None:
    """The first country a phrase names, left to right.

    A name mention inside the phrase speaks for all its words ("Northern Ireland" is GBR, not
    IRL for "Ireland"); other words are read as country names and demonyms, up to three at a
    time; a capital city counts last.
    """
    doc = ctx.doc
    lookup = ctx.lookup
    by_start = {m.start: m for m in names if start <= m.start and m.end <= end}
    index = start
    while index < end:
        mention = by_start.get(index)
        if mention is not None and mention.country:
            return mention.country
        if doc[index].text[:1].isupper():
            for length in range(min(3, end - index), 0, -1):
                if any(position in by_start for position in range(index + 1, index + length)):
                    continue
                match = lookup.country(ctx.span_text(index, index + length))
                if match is not None:
                    return match.code
        index += 1
    for index in range(start, end):
        # Only where the model saw a place: "Nassau County police" is not in the Bahamas.
        capital = lookup.capital_country(doc[index].text) if doc[index].ent_type_ == "GPE" else None
        if capital:
            return capital
    return None


def phrase_sector(ctx: Context, start: int, end: int, names: Sequence[Mention] = ()) -> str | None:
    """The sector of the first agent noun heading part of a span ("Defense Minister" -> MIL).

    Candidates are the span's nouns that do not modify a later word of the span, from left to
    right; each is read with up to four words before it, so that the knowledge base's longest
    known ending decides ("Russian Defense Minister" -> "defense minister").
    """
    doc = ctx.doc
    # The words of place names are not agents ("Bank" in "West Bank" is no business).
    in_place: set[int] = set()
    for mention in names:
        if mention.label in _PLACE_NAME_LABELS and start <= mention.start and mention.end <= end:
            in_place.update(range(mention.start, mention.end))
    for last in range(start, end):
        token = doc[last]
        if last in in_place or (token.pos_ not in ("NOUN", "PROPN") and not is_title_word(token.text)):
            continue
        if token.dep_ in ("compound", "amod") and last < token.head.i < end:
            continue
        first = max(start, last - MAX_AGENT_WORDS)
        while first < last and (doc[first].is_punct or doc[first].lower_ in _LEADING_FUNCTION_WORDS):
            first += 1
        code = agent_code(ctx, first, last)
        if code:
            return code
    return None


def agent_code(ctx: Context, first: int, last: int) -> str | None:
    """The agent code of tokens ``first..last``, also tried with the last word's lemma."""
    if ctx.doc[first].is_punct:
        return None
    text = ctx.span_text(first, last + 1)
    code = ctx.lookup.agent(text)
    if code:
        return code
    lemma = ctx.doc[last].lemma_
    if lemma and lemma.lower() != ctx.doc[last].lower_:
        prefix = ctx.span_text(first, last) + " " if first < last else ""
        return ctx.lookup.agent(prefix + lemma)
    return None


def join_code(country: str | None, sector: str | None) -> str | None:
    if country and sector:
        if len(country) > 3 and sector == "GOV":
            return country  # the officials of an international body are the body ("UN official")
        return country + sector if not sector.startswith(country) else sector
    return country or sector or None


def _left_boundary(token: Token, start: int | None = None) -> int:
    """Where the noun phrase ending in ``token`` (or in the word from ``start``) begins."""
    left = token.i if start is None else start
    for child in sorted((child for child in token.lefts if child.i < left), key=lambda t: -t.i):
        if child.dep_ in _MODIFIER_DEPS and child.right_edge.i >= left - 1:
            left = min(left, child.left_edge.i)
        else:
            break
    return left


def find_groups(
    ctx: Context, taken: Sequence[bool], names: Sequence[Mention], country_of: CountryOf
) -> list[Mention]:
    """Agent phrases that take part in events: "Iranian police", "protesters", "American warplanes"."""
    doc = ctx.doc
    names_at: dict[int, Mention] = {}
    for mention in names:
        for index in range(mention.start, mention.end):
            names_at[index] = mention
    groups: list[Mention] = []
    by_head: dict[int, Mention] = {}
    # Nouns in argument positions, read from the parse's arrays rather than token by token.
    deps = {doc.vocab.strings.add(dep) for dep in ARGUMENT_DEPS}
    rows = doc.to_array([POS, DEP]).tolist()
    nouns = [i for i, (pos, dep) in enumerate(rows) if pos in _NOUN_TAGS and dep in deps and not taken[i]]
    for token in (doc[index] for index in nouns):
        if ctx.headline[token.i] or _refers_back(token):
            continue
        sector = people = None
        word_start = hyphenated_start(token)
        if word_start is not None:
            # "Secretary-General": the whole word is the noun, not its last piece ("General").
            sector = ctx.lookup.agent(ctx.span_text(word_start, token.i + 1))
            if sector is None and is_title_head(doc[word_start].text):
                continue
        word_start = word_start if sector else None
        left = _left_boundary(token, word_start)
        known_head = sector is not None or _people_of(ctx, token) is not None
        if (
            token.pos_ == "PROPN"
            and not known_head
            and not _known_modifiers(ctx, left, word_start or token.i, names_at)
        ):
            continue
        while left < token.i and (doc[left].pos_ in _NOT_GROUP_WORDS or doc[left].is_punct):
            left += 1
        for first in range(left, token.i + 1):
            if sector:
                break
            sector = agent_code(ctx, first, token.i)
        if not sector:
            people = _people_of(ctx, token)
            if people is None:
                continue
            people = people or None
            sector = "CVL"  # "ordinary Kazakhs", "Nigerians": the people of a country
        places = own_places(token, names_at)
        # A people's own name outranks a country taken from a conjoined group ("Palestinians and
        # Israelis"), not one its own words give ("Bosnian Serbs", "Albanians of Serbia").
        country = _group_country(ctx, token, left, names_at, country_of, {} if people else by_head, places)
        country = country or people
        # "A London court", "US authorities", "the Obama administration": the place or the
        # leader keeps its own span (a text span is one entity's), the group is the rest of the
        # phrase and takes its country.
        while left < token.i and left in names_at and _stands_apart(ctx, names_at[left]):
            left += 1
        while left < token.i and (doc[left].is_punct or doc[left].tag_ == "POS"):
            left += 1
        collective = _collective_start(token, left)
        if not any(index in names_at for index in range(collective, token.i)):
            left = collective
        mention = Mention(
            left,
            token.i + 1,
            "GROUP",
            kind="group",
            sector=sector,
            country=country,
            head=token.i,
            placed=bool(places),
        )
        groups.append(mention)
        by_head[token.i] = mention
    return groups


def _known_modifiers(ctx: Context, left: int, head: int, names_at: dict[int, Mention]) -> bool:
    """A proper-noun head ("the Army") only with modifiers knowledge knows: "Shark Tank" is a show."""
    for index in range(left, head):
        token = ctx.doc[index]
        name = names_at.get(index)
        if name is not None and (name.code or name.country):
            continue  # a known body or place: "the United Nations Secretary-General"
        opens = index == 0 or ctx.sentence_of[index] != ctx.sentence_of[index - 1]
        if token.pos_ in ("ADJ", "DET", "NUM") and opens:
            continue  # an adjective that opens the sentence ("Ordinary Kazakhs")
        text = token.text
        if is_title_word(text):
            continue  # "the Russian *Defense* Minister"
        if text[:1].isupper() and ctx.lookup.country(text) is None and ctx.lookup.agent(text) is None:
            return False
    return True


def _people_of(ctx: Context, token: Token) -> str | None:
    """The country whose people a demonym used as a noun names ("Kazakhs", "a Nigerian"); ""
    for a people of no one country ("Kurds", "Shiites": the country comes from elsewhere)."""
    plural = token.tag_ in ("NNS", "NNPS") or token.lower_.endswith("s")
    match = ctx.lookup.country(token.text)
    if match is None or not match.demonym:
        return "" if plural and token.ent_type_ == "NORP" and token.text[:1].isupper() else None
    determined = any(child.dep_ == "det" for child in token.lefts)
    return match.code if plural or determined else None


# Nouns for a number of people that are not what they are ("a *group* of tourists").
_COLLECTIVES = frozenset({"group", "band", "crowd", "party", "delegation", "team", "busload", "convoy"})


def _collective_start(token: Token, left: int) -> int:
    """ "A group of tourists": the group phrase starts at the collective noun, which is what
    the sentence's verb takes as its subject."""
    preposition = token.head
    if (
        token.dep_ != "pobj"
        or preposition.lower_ != "of"
        or preposition.head.lemma_.lower() not in _COLLECTIVES
    ):
        return left
    collective = preposition.head
    start = collective.i
    for child in collective.lefts:
        if child.dep_ in ("amod", "compound", "nummod", "quantmod"):
            start = min(start, child.left_edge.i)
    return start


def _refers_back(token: Token) -> bool:
    """ "The two leaders", "both ministers": people already named, not a new group."""
    if bare(token.lemma_) not in TITLE_HEADS:
        return False
    children = list(token.lefts)
    if any(child.lower_ in ("both", "these", "those") for child in children):
        return True
    if not children and token.tag_ in ("NN", "NNP"):
        return True  # "serve as President": an office, not a group of people
    definite = any(child.lower_ == "the" for child in children)
    if definite and any(child.dep_ == "nummod" for child in children):
        return True
    return definite and not any(child.dep_ in ("amod", "compound") for child in children)


def _stands_apart(ctx: Context, mention: Mention) -> bool:
    """A name at the head of a group phrase that stays an entity of its own: a place or a leader."""
    if mention.label == "ORG" and mention.code:
        return True  # "the United Nations Secretary-General", "Hamas fighters": a known body
    return mention.label in _PLACE_LABELS_ONLY or _leader_country(ctx, mention) is not None


def _leader_country(ctx: Context, mention: Mention) -> str | None:
    """The country of the office holders a name modifying a body stands for ("the Bush
    administration", "Assad regime"): one country for every person of that name, or none."""
    text = ctx.span_text(mention.start, mention.end)
    countries = {leader.country for leader in ctx.lookup.leaders(text, ctx.on)}
    if len(countries) != 1:
        return None
    [country] = countries
    return country if ctx.lookup.is_country_code(country) else None


def own_places(token: Token, names_at: dict[int, Mention]) -> list[Mention]:
    """The places a group's own phrase puts it in ("a court in Bavaria", "police in Lagos")."""
    found = []
    for preposition in token.rights:
        if preposition.dep_ == "prep" and preposition.lower_ in _PLACE_PREPOSITIONS:
            for target in preposition.children:
                mention = names_at.get(target.i)
                if target.dep_ == "pobj" and mention is not None and mention.label in ("GPE", "LOC", "FAC"):
                    found.append(mention)
    return found


def _group_country(
    ctx: Context,
    token: Token,
    left: int,
    names_at: dict[int, Mention],
    country_of: CountryOf,
    by_head: dict[int, Mention],
    places: list[Mention],
) -> str | None:
    country = phrase_country(ctx, left, token.i)
    if country:
        return country
    for index in range(left, token.i):
        mention = names_at.get(index)
        if mention is not None and mention.label in ("GPE", "NORP", "ORG", "LOC"):
            country = country_of(mention) or _leader_country(ctx, mention)
            if country:
                return country
        elif mention is not None and mention.label == "PERSON":
            country = _leader_country(ctx, mention)
            if country:
                return country
    for mention in places:
        country = country_of(mention)
        if country:
            return country
    if token.dep_ == "conj" and token.head.i in by_head:
        return by_head[token.head.i].country
    return None


def is_metonymic_use(ctx: Context, mention: Mention) -> bool:
    """A capital standing for its government: "Moscow warned", "talks with Beijing", "by Tehran".

    It is the subject of a verb of saying or acting politically, the possessor or the object of
    a preposition attached to a political noun or verb ("Moscow's decision", "sanctions against
    Tehran"), or the agent of a passive ("demanded by Moscow").
    """
    head = ctx.doc[mention.head_index]
    governor = head.head
    if head.dep_ == "nsubj":
        return governor.lemma_ in POLITICAL_VERBS
    if head.dep_ == "poss":
        return governor.lemma_ in POLITICAL_NOUNS
    if head.dep_ == "pobj":
        preposition = governor.lower_
        if preposition == "by":
            return governor.head.pos_ in ("VERB", "NOUN")
        if preposition in ("with", "against", "to", "from", "on"):
            return governor.head.lemma_ in POLITICAL_NOUNS or governor.head.lemma_ in POLITICAL_VERBS
    return False


def article_countries(clusters: Sequence[Cluster], dateline_country: str | None) -> list[str]:
    """Countries the article is about, most mentioned first; the dateline's counts once."""
    counts: Counter[str] = Counter()
    order: dict[str, int] = {}
    for cluster in clusters:
        if cluster.label in ("GPE", "NORP") and cluster.country:
            counts[cluster.country] += len(cluster.mentions)
            order.setdefault(cluster.country, cluster.first.start)
    if dateline_country:
        counts[dateline_country] += 1
        order.setdefault(dateline_country, -1)
    return sorted(counts, key=lambda code: (-counts[code], order[code]))


def leader_code(
    ctx: Context, cluster: Cluster, context: Sequence[str], role_sector: str | None = None
) -> tuple[str, str] | None:
    """(code, full name) of the office holder the name stands for, when knowledge is sure.

    A full name is trusted. A surname alone must fit exactly one person in office on the
    article's date, among the article's countries when it names any ("Ivanov" alone could be
    any of several ministers; "Tokayev" in 2022 is only Kazakhstan's president), or, in a dated
    article, be a name only one person in the tables ever bore. Someone who
    held office only before the date keeps the country as an elite (Merkel in 2022: DEUELI);
    someone whose office is still to come is coded by country alone.
    """
    words = cluster.name_words
    if not words:
        return None
    name = cluster.name or " ".join(words)
    surname_only = len(words) == 1
    current = ctx.lookup.leaders(name, ctx.on)
    if current:
        if not surname_only:
            pool = [leader for leader in current if leader.country in context] or current
            return pool[0].code, pool[0].name or name
        pool = [leader for leader in current if leader.country in context] if context else current
        if role_sector and (not context or not pool):
            # "President Obama" in an article about Morocco: the title names the office.
            pool = [leader for leader in current if leader.code[3:6] == role_sector]
        if not pool and ctx.on is not None and len({t.name for t in ctx.lookup.leaders(name, None)}) == 1:
            # In office on the day, and nobody else in the tables ever bore the name: "Putin" in
            # a 2024 article about North Korea is still Putin. Undated, every term counts as
            # current, so a common surname could stand for anyone: not then.
            pool = current
        if pool and len({leader.name for leader in pool}) == 1:
            return pool[0].code, pool[0].name or name
        return None
    if ctx.on is None:
        return None
    if not surname_only:
        former = ctx.lookup.former_office(name, ctx.on)
    else:
        former = ctx.lookup.former_office(name, ctx.on, context) if context else None
        if former is None and role_sector:
            former = ctx.lookup.former_office(name, ctx.on, (), role_sector)
    if former is None:
        return None
    if not ctx.lookup.is_country_code(former.country):
        return former.code, former.name or name  # a former head of an international body
    ended = former.end is not None and former.end < ctx.on
    return (former.country + "ELI" if ended else former.country), former.name or name


def role_code(ctx: Context, cluster: Cluster, names: Sequence[Mention]) -> tuple[str | None, str | None]:
    """(country, sector) from the role phrases written around a person's mentions."""
    country = sector = None
    # Only the names inside a role matter to it: found by bisection, so that an article with
    # thousands of titled mentions costs no pass over all its names per title.
    ordered = sorted(names, key=lambda m: m.start)
    starts = [m.start for m in ordered]
    for mention in sorted(cluster.mentions, key=lambda m: m.start):
        for start, end in mention.roles:
            inside = ordered[bisect_left(starts, start) : bisect_left(starts, end)]
            body = _body_sector(ctx, start, end, inside)
            if country is None:
                country = phrase_country(ctx, start, end, inside) or _body_in(start, end, inside)
            if sector is None:
                sector = body or phrase_sector(ctx, start, end, inside)
            if sector is not None and _former(ctx, start, end):
                sector = "ELI"  # "former Chancellor": an office held before is no office now
    return country, sector


_FORMER_WORDS = frozenset({"former", "ex", "ex-", "retired", "erstwhile"})


def _former(ctx: Context, start: int, end: int) -> bool:
    return any(ctx.doc[index].lower_ in _FORMER_WORDS for index in range(start, end))


def _body_sector(ctx: Context, start: int, end: int, names: Sequence[Mention]) -> str | None:
    """ "president of the United Federation of Teachers": a generic title takes its body's sector."""
    doc = ctx.doc
    head = next((index for index in range(start, end) if is_title_head(doc[index].text)), None)
    if head is None or bare(doc[head].text) not in GENERIC_TITLES:
        return None
    for mention in names:
        if mention.label == "ORG" and head < mention.start and mention.end <= end and mention.code:
            return split_code(mention.code, ctx.lookup)[1]
    # "FBI director", "White House press secretary": the body written before the title.
    before = [m for m in names if m.label in ("ORG", "FAC") and start <= m.start and m.end <= head and m.code]
    if before:
        return split_code(max(before, key=lambda m: m.end).code or "", ctx.lookup)[1]
    return None


def _body_in(start: int, end: int, names: Sequence[Mention]) -> str | None:
    """The code of an international body named in a role ("U.N. Secretary-General" -> IGOUNO)."""
    for mention in names:
        inside = start <= mention.start and mention.end <= end
        if inside and mention.code and mention.code[:3] in NON_STATE_PREFIXES:
            return mention.code
    return None


def split_code(code: str, lookup: Lookup) -> tuple[str | None, str | None]:
    """(country part, first sector) of a code; a non-state actor's whole code is its country part."""
    if lookup.is_country_code(code[:3]):
        return code[:3], code[3:6] or None
    if code[:3] in NON_STATE_PREFIXES:
        return code, None
    return None, code[:3]


def dictionary_code(ctx: Context, cluster: Cluster) -> str | None:
    """The user's dictionaries' code for any name form of the entity (with its title too)."""
    if ctx.lookup.dictionaries is None:
        return None
    tried: set[str] = set()
    for mention in sorted(cluster.mentions, key=lambda m: -(m.end - m.start)):
        if mention.kind != "name":
            continue
        forms = [ctx.span_text(mention.start, mention.end)]
        forms.extend(
            ctx.span_text(start, mention.end) for start, end in mention.roles if end == mention.start
        )
        for form in forms:
            if form in tried:
                continue
            tried.add(form)
            code = ctx.lookup.dictionary_actor(form, ctx.on)
            if code:
                return code
    return None
