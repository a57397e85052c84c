"""The actor stage: from the parse to entities that know who they are.

Steps, each over the whole article once: name mentions (model + knowledge, headline lines
checked), roles around person names, clusters of mentions (names, role back-references,
pronouns), groups of people named by agent nouns, actor codes, places.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from spacy.attrs import LOWER
from spacy.tokens import Span, Token

from dateline.actors.codes import (
    article_countries,
    dictionary_code,
    find_groups,
    is_metonymic_use,
    join_code,
    leader_code,
    phrase_country,
    phrase_sector,
    role_code,
    split_code,
)
from dateline.actors.context import (
    Context,
    Mention,
    headline_tokens,
    quoted_tokens,
    sentence_indexes,
)
from dateline.actors.coref import (
    Cluster,
    cluster_names,
    cluster_people,
    link_pronouns,
    link_role_references,
    word_key,
)
from dateline.actors.dictionary import ActorDictionary
from dateline.actors.knowledge import load_knowledge
from dateline.actors.lexicon import GENERIC_BODIES, PLACE_LABELS, bare, is_title_word
from dateline.actors.lookup import NON_STATE_PREFIXES, Lookup, lookup_for
from dateline.actors.mentions import collect_name_mentions
from dateline.actors.places import (
    DIRECTIONS,
    Vicinity,
    demonym_place,
    distance_km,
    geocode,
    is_country_name,
    load_gazetteer,
    read_places,
    reading_states,
    region_demonym_place,
    us_state_code,
)
from dateline.actors.roles import find_roles
from dateline.record import Document, Entity, Place, Record, child_id

Point = Vicinity
_NOWHERE = Place("", None, None, None, None)


@lru_cache(maxsize=1 << 14)
def _geocode_cached(
    name: str, context: tuple[str, ...], states: tuple[str, ...], near: Point | None
) -> Place | None:
    return geocode(name, context, context_states=states, near=near)


def _place(
    name: str, context: Sequence[str], states: Sequence[str] = (), near: Point | None = None
) -> Place | None:
    place = _geocode_cached(name, tuple(context[:3]), tuple(sorted(states)), near)
    if place is None:
        return None
    return Place(place.name, place.lat, place.lon, place.country, place.geonames_id, place.precision)


def _article_states(ctx: Context, clusters: Sequence[Cluster]) -> tuple[list[str], dict[str, str]]:
    """Postal codes of the US states the article names, which place its towns; apart, the place
    names that are a state or a country ("Georgia"), by the postal code they would add."""
    codes = []
    doubtful: dict[str, str] = {}
    knowledge = load_knowledge()
    for cluster in clusters:
        if cluster.label in PLACE_LABELS:
            after = _state_after(ctx, cluster)
            if after:
                # "Bethel, Vt.": the state written beside a town is a state of the story.
                codes.append(after)
        if cluster.label in PLACE_LABELS or cluster.label == "ORG":
            full = name = _fullest_text(ctx, cluster)
            words = name.split()
            if words and words[-1].strip(".,").lower() in _STREET_WORDS:
                continue  # "Washington Drive" is no sign of Washington state
            if len(words) > 1 and words[0].lower() in DIRECTIONS:
                name = " ".join(words[1:])  # "Northeast Georgia"
            for word_count in (2, 1):
                part = " ".join(name.split()[:word_count])
                code = us_state_code(part)
                if code:
                    # "Georgia" may be the country, "Washington" the capital: a state of
                    # the story only if the first reading takes them for states.
                    namesake = is_country_name(part, knowledge) or knowledge.country_of_capital(part)
                    if cluster.label != "ORG" and "." not in part and namesake:
                        doubtful[full] = code
                    else:
                        codes.append(code)
                    break
    return list(dict.fromkeys(codes)), doubtful


def _state_after(ctx: Context, cluster: Cluster) -> str | None:
    """The US state written after a comma behind one of the cluster's mentions, as in "Paris, Texas"."""
    doc = ctx.document.doc
    for mention in cluster.mentions:
        if mention.end + 1 < len(doc) and doc[mention.end].text == ",":
            for count in (2, 1):
                if mention.end + 1 + count <= len(doc):
                    code = us_state_code(doc[mention.end + 1 : mention.end + 1 + count].text)
                    if code and (not _state_is_country_name(code) or _has_town_in(ctx, mention, code)):
                        # "TBILISI, Georgia" names the country: Tbilisi is no town of the state.
                        return code
    return None


def _state_is_country_name(code: str) -> bool:
    state = load_gazetteer().us_states.get(code)
    return state is not None and is_country_name(state.name, load_knowledge())


def _has_town_in(ctx: Context, mention: Mention, state: str) -> bool:
    town = ctx.span_text(mention.start, mention.end)
    return any(c.country == "USA" and c.admin1 == state for c in load_gazetteer().candidates(town))


def _demonym_group_place(cluster: Cluster) -> Place | None:
    """The country a demonym among a group's modifiers names ("Turkish troops" -> Turkey, "the
    new Israeli government" -> Israel, "South Ossetian fighters" -> South Ossetia,
    "Georgian-controlled villages" -> Georgia), or a people's own name ("Palestinians", "ordinary
    Kazakhs")."""
    words = cluster.name.split()
    if not words:
        return None
    for start in range(len(words) - 1):
        for count in (2, 1):
            if start + count < len(words) and words[start][:1].isupper():
                part = " ".join(words[start : start + count])
                place = demonym_place(part)
                if place is not None and place.country == cluster.country:
                    return place
                place = region_demonym_place(part)
                if place is not None and place.country in (cluster.country, None):
                    return place
    for candidate in (words[0].split("-")[0], words[-1]):
        place = demonym_place(candidate)
        if place is not None and place.country == cluster.country:
            return place
        # A people of a state or region ("Ohioans", "Gazans"): the region, whatever the group's code.
        place = region_demonym_place(candidate)
        if place is not None and cluster.country in (None, place.country):
            return place
    return None


def _opening_demonym_place(name: str, country: str | None) -> Place | None:
    """The country or region the first words of a body's name name as an adjective ("Russian
    Foreign Ministry"), when it agrees with the body's country."""
    words = name.split()
    for count in (2, 1):
        if len(words) > count:
            part = " ".join(words[:count])
            place = demonym_place(part) or region_demonym_place(part)
            if place is not None and (country is None or place.country in (country, None)):
                return place
    return None


def _near(place: Place, near: Point | None) -> bool:
    if near is None or place.lat is None or place.lon is None:
        return False
    return distance_km(near[0], near[1], place.lat, place.lon) <= _AREA_KM


def _trusted_place(
    place: Place | None, context: Sequence[str], states: Sequence[str], near: Point | None = None
) -> bool:
    """Whether a place found inside another kind of name is likely what the name refers to."""
    if place is None or place.lat is None:
        return False
    return (
        place.precision in (1, 2)
        or place.country in context[:3]
        or (bool(states) and place.country == "USA" and (near is None or _near(place, near)))
        or _near(place, near)
    )


def _place_in_name(
    name: str, context: Sequence[str], states: Sequence[str], near: Point | None = None
) -> Place | None:
    """The place that opens an organisation's or facility's name ("Mansfield Police Department"),
    or that ends it after "of" ("University of Alexandria")."""
    words = name.split()
    gazetteer = load_gazetteer()
    knowledge = load_knowledge()
    parts = [" ".join(words[:count]) for count in range(min(len(words) - 1, 3), 0, -1)]
    if words and "-" in words[0].strip("-"):
        # "Fargo-Moorhead", and a US politician's party and town ("D-Charleston").
        pieces = [piece for piece in words[0].split("-") if len(piece) > 1]
        parts = [*pieces, *parts]
    lowered = [word.lower() for word in words]
    if "of" in lowered[1:-1]:
        tail = words[len(lowered) - lowered[::-1].index("of") :]
        if tail and tail[0].lower() == "the":
            tail = tail[1:]
        parts.extend(" ".join(tail[:count]) for count in range(min(len(tail), 3), 0, -1))
    for part in parts:
        if part.lower() in _INSTITUTION_WORDS or part.lower() in _NAME_OPENERS:
            continue  # "University of ...": the town called University is not meant
        known = gazetteer.knows(part) or (len(part) > 2 and is_country_name(part, knowledge))
        if not part[:1].isupper() or not known:
            continue
        place = _place(part, context, states, near)
        if _trusted_place(place, context, states, near):
            return place
    return None


# Last words of a name that make it a town's body, not a person ("Alexandria Police").
_INSTITUTION_WORDS = frozenset(
    {
        "police", "fire", "sheriff", "county", "parish", "city", "school", "schools", "court",
        "department", "office", "hospital", "library", "council", "commission", "board", "district",
        "authority", "township", "village", "commonwealth", "college", "university", "club",
    }
)  # fmt: skip
# Words that open bodies' names and are also the names of small towns ("Law", "Union").
_NAME_OPENERS = frozenset(
    {
        "law", "national", "state", "united", "union", "first", "public", "general", "community",
        "international", "royal", "federal", "central", "american", "grand", "new", "north",
        "south", "east", "west", "saint", "st", "friends", "mission", "progress", "liberty",
    }
)  # fmt: skip
# Last words of a facility's name that make a town's name in it a person's ("Washington Drive").
_STREET_WORDS = frozenset(
    {
        "street", "st", "road", "rd", "drive", "dr", "avenue", "ave", "lane", "ln", "boulevard",
        "blvd", "way", "court", "ct", "place", "circle", "highway", "pike", "park", "square",
    }
)  # fmt: skip

# Nouns after a name that make it a family's ("the Kennedy clan", "the Bush family").
_FAMILY_WORDS = frozenset(
    {"clan", "family", "families", "dynasty", "brothers", "sisters", "siblings", "household"}
)
# Nouns a name modifies as the place of a famous event or agreement ("the Paris climate talks"):
# such a name is the famous place, whatever small namesake the article's area has.
_EVENT_NOUNS = frozenset(
    {
        "talk", "talks", "agreement", "accord", "accords", "summit", "conference", "treaty",
        "protocol", "convention", "negotiations", "attack", "attacks", "bombing", "bombings",
        "massacre", "olympics", "games", "process", "deal", "pact", "declaration", "peace",
    }
)  # fmt: skip
# Words of a sentence that make a name typed ORG a team or a firm, not its town ("Chelsea beat
# Arsenal", "shares of Ford").
_TEAM_OR_FIRM_WORDS = frozenset(
    {
        "team", "club", "fan", "coach", "striker", "midfielder", "goalkeeper", "match", "league",
        "cup", "season", "beat", "defeat", "draw", "share", "stock", "investor", "carmaker",
        "automaker", "company", "firm", "brand", "retailer", "profit", "earnings", "revenue",
        "quarter", "ceo", "product", "customer",
    }
)  # fmt: skip
# First words of places named like a person ("Fort Scott", "Lake Charles", "Port Arthur").
_PLACE_OPENERS = frozenset(
    {"fort", "ft", "lake", "mount", "mt", "port", "cape", "glen", "san", "santa", "la", "el", "los", "las"}
)
# Titles after which "of Kentucky", "from Ohio" name a politician's state, not the story's.
_CONSTITUENCY_TITLES = frozenset(
    {
        "senator", "sen", "sen.", "governor", "gov", "gov.", "representative", "rep", "rep.",
        "congressman", "congresswoman", "lawmaker", "legislator", "delegate", "democrat",
        "republican",
    }
)  # fmt: skip


def _family_name(ctx: Context, cluster: Cluster) -> bool:
    """Whether every mention names a family ("the Kennedy clan"), not a place."""
    doc = ctx.doc
    return all(m.end < len(doc) and doc[m.end].lower_ in _FAMILY_WORDS for m in cluster.mentions)


def _constituency(ctx: Context, cluster: Cluster) -> bool:
    """Whether every mention is a politician's state ("Mitch McConnell of Kentucky", "a senator
    from Ohio"): where the politician sits for, not where the story is."""
    doc = ctx.doc
    for mention in cluster.mentions:
        before = mention.start - 1
        if before < 1 or doc[before].lower_ not in ("of", "from"):
            return False
        # The title before "of", or before the politician's name ("Senator Mitch McConnell of"):
        # "Gregory Smith, 42, of Swansea" is where a man lives, which is the story's area.
        index = before - 1
        while index > 0 and doc[index].ent_type_ == "PERSON" and before - index <= 4:
            index -= 1
        if doc[index].lower_ not in _CONSTITUENCY_TITLES:
            return False
    return True


def _names_event(ctx: Context, cluster: Cluster) -> bool:
    """Whether a mention modifies the noun of a famous event or agreement ("the Paris climate
    talks", "the Oslo accords")."""
    doc = ctx.doc
    for mention in cluster.mentions:
        last = doc[mention.end - 1]
        modifies = last.dep_ in ("compound", "nmod", "amod") and last.head.i >= mention.end
        if modifies and (last.head.lower_ in _EVENT_NOUNS or last.head.lemma_.lower() in _EVENT_NOUNS):
            return True
    return False


def _surnames(ctx: Context, clusters: Sequence[Cluster]) -> frozenset[str]:
    """The last words of the article's full names of people, however the model typed them
    ("Keith Lamont Scott" typed ORG): the same word alone is the person, not a town."""
    found = set()
    for cluster in clusters:
        if cluster.label in ("GPE", "LOC", "NORP"):
            continue
        for mention in cluster.mentions:
            if mention.kind != "name" or not 2 <= mention.end - mention.start <= 4:
                continue
            tokens = ctx.doc[mention.start : mention.end]
            first = tokens[0]
            person = cluster.label == "PERSON" or (
                all(t.is_alpha and t.text[:1].isupper() for t in tokens)
                and first.ent_type_ in ("PERSON", "ORG")
            )
            if not person or first.lower_ in _INSTITUTION_WORDS or first.lower_ in _NAME_OPENERS:
                continue
            whole = ctx.span_text(mention.start, mention.end)
            if first.lower_ in _PLACE_OPENERS or load_gazetteer().knows(whole) or is_title_word(first.text):
                continue  # "Fort Scott", "Lake Charles", "Mount Vernon": the whole is a place
            found.add(tokens[-1].lower_)
    return frozenset(found)


def _person_surname(ctx: Context, cluster: Cluster, surnames: frozenset[str]) -> bool:
    """Whether a one-word name is the surname of a person the article names in full, and no
    mention of it is written where places are ("in Scott") or before a state ("Scott, La.")."""
    name = _only_name(ctx, cluster)
    if name is None or " " in name or name.lower() not in surnames:
        return False
    return not _used_after_locative(ctx, cluster) and not _state_after(ctx, cluster)


def _used_after_locative(ctx: Context, cluster: Cluster) -> bool:
    doc = ctx.doc
    return any(m.start > 0 and doc[m.start - 1].lower_ in _LOCATIVES for m in cluster.mentions)


def _team_or_firm(ctx: Context, cluster: Cluster) -> bool:
    """Whether a one-word name typed ORG ("Chelsea", "Ford") stands in sentences about a team or
    a firm, never where places are; longer names keep the town they open ("Texas Department
    of Transportation")."""
    if cluster.label != "ORG":
        return False
    name = _only_name(ctx, cluster)
    if name is None or " " in name or _used_as_place(ctx, cluster):
        return False
    doc = ctx.doc
    for mention in cluster.mentions:
        sentence = doc[mention.start].sent
        if not any(
            t.lemma_.lower() in _TEAM_OR_FIRM_WORDS or t.lower_ in _TEAM_OR_FIRM_WORDS for t in sentence
        ):
            return False
    return True


def _no_place(ctx: Context, cluster: Cluster, surnames: frozenset[str]) -> bool:
    """Whether the name is used as something other than a place: a family, a person, a team or firm."""
    return (
        _family_name(ctx, cluster) or _person_surname(ctx, cluster, surnames) or _team_or_firm(ctx, cluster)
    )


# A place is "in the article's area" within this distance of the middle of its other places.
_AREA_KM = 300.0


def _article_area(
    ctx: Context, clusters: Sequence[Cluster], context: Sequence[str], states: Sequence[str]
) -> tuple[str | None, Point | None, dict[str, Place]]:
    """The country most of the article's places lie in, and its area: the middle of its towns
    and states, with the points a first reading of all its place names together chose.

    Local news rarely names its own country, and its towns' namesakes abroad ("Alexandria",
    "Athens") are larger than the towns meant; the article's other places tell which is meant.
    """
    names: list[tuple[str, str | None]] = []
    knowledge = load_knowledge()
    gazetteer = load_gazetteer()
    for cluster in clusters:
        county = _county_in_list(ctx, cluster)
        if county is not None:
            names.append((county, None))
        elif cluster.label in ("GPE", "LOC"):
            names.append((_fullest_text(ctx, cluster), _state_after(ctx, cluster)))
        elif cluster.label in ("ORG", "FAC"):
            part = _town_of_body(_fullest_text(ctx, cluster))
            if part is not None:
                names.append((part, None))
        elif cluster.label == "NORP" and not cluster.country:
            # Not a people: an upper-case dateline the model typed NORP ("HAMILTON —").
            text = _fullest_text(ctx, cluster)
            if text.isupper() and knowledge.country(text) is None and gazetteer.knows(text):
                names.append((text, None))
    dateline = ctx.document.record.dateline
    if dateline is not None and dateline.place:
        names.append((dateline.place, None))
    chosen = read_places(names, context[:3], states)
    counts: dict[str, float] = {}
    points: list[tuple[str, float, float]] = []
    for place in chosen.values():
        if place.lat is None or place.lon is None or not place.country:
            continue
        # Each name counts once: a much-repeated ambiguous town ("Athens") must not outvote
        # the several counties around it. A country's name counts half: a town or county
        # says where the story is; a country named once ("Lebanon" beside "Boone County") may
        # be a namesake town the first reading could not settle.
        counts[place.country] = counts.get(place.country, 0.0) + (0.5 if place.precision == 1 else 1.0)
        if place.precision != 1:
            points.append((place.country, place.lat, place.lon))
    if not counts:
        return None, None, chosen
    country = max(counts, key=counts.__getitem__)
    inside = [(lat, lon) for code, lat, lon in points if code == country]
    if not inside:
        return country, None, chosen
    lats = sorted(lat for lat, _ in inside)
    lons = sorted(lon for _, lon in inside)
    placed = [place for place in chosen.values() if place.lat is not None and place.lon is not None]
    anchors = tuple(sorted({(round(p.lat, 3), round(p.lon, 3)) for p in placed}))  # type: ignore[arg-type]
    return country, Vicinity(round(lats[len(lats) // 2], 1), round(lons[len(lons) // 2], 1), anchors), chosen


def _town_of_body(name: str) -> str | None:
    """The town or county a name typed ORG or FAC is, or belongs to ("Huntsville", "Athens Police
    Department", "Rapides Parish Fire District"): the model types many towns ORG."""
    gazetteer = load_gazetteer()
    words = name.split()
    if not words or not name[:1].isupper():
        return None
    lowered = [word.lower() for word in words]
    for suffix in ("county", "parish"):
        if suffix in lowered[1:]:
            return " ".join(words[: lowered.index(suffix) + 1])
    if "of" in lowered[1:-1] and lowered[0] in _INSTITUTION_WORDS | {"state", "town", "village"}:
        # "City of Paris", "State of Ohio": the place the body governs.
        tail = " ".join(words[lowered.index("of") + 1 :])
        return tail if tail[:1].isupper() and gazetteer.knows(tail) else None
    if lowered[0] in _NAME_OPENERS or lowered[0] in _INSTITUTION_WORDS:
        return None
    if len(words) == 1:
        return name if gazetteer.knows(name) else None
    if lowered[-1] not in _INSTITUTION_WORDS:
        return None
    for count in range(min(len(words) - 1, 2), 0, -1):
        part = " ".join(words[:count])
        if gazetteer.knows(part):
            return part
    return None


# Words after which a lone capitalised name is where something is, not who does it.
_LOCATIVES = frozenset({"in", "at", "near", "from", "outside", "around", "across", "downtown", "to"})


def _used_as_place(ctx: Context, cluster: Cluster) -> bool:
    """Whether a mention sits where places do: after "in", "near", "from"..., or modifying a
    common noun ("Alexandria woman", "Roselle police": where they are from)."""
    doc = ctx.document.doc
    for mention in cluster.mentions:
        if mention.start > 0 and doc[mention.start - 1].lower_ in _LOCATIVES:
            return True
        last = doc[mention.end - 1]
        if last.dep_ == "compound" and last.head.pos_ == "NOUN":
            return True
    return False


def _only_name(ctx: Context, cluster: Cluster) -> str | None:
    """The one way the article writes a cluster's name (capitals aside), or None when it writes
    it several ways."""
    texts = {ctx.span_text(m.start, m.end) for m in cluster.mentions if m.kind == "name"}
    if len({text.casefold() for text in texts}) != 1:
        return None
    # A dateline in capitals ("MANSFIELD —") is the same name as the "Mansfield" of the text.
    return min(texts, key=lambda text: (text.isupper(), text))


def _towns_typed_people(ctx: Context, people: list[Cluster]) -> list[Cluster]:
    """People whose one name is a known place written where places are ("an Alexandria man",
    "in Brandon"), as GPE clusters for the first reading: spaCy sm types many towns PERSON,
    and the article's other places need them in view."""
    gazetteer = load_gazetteer()
    found = []
    for cluster in people:
        if cluster.roles:
            continue
        name = _only_name(ctx, cluster)
        if name is None:
            continue
        if len(name.split()) == 1 and gazetteer.knows(name) and _used_as_place(ctx, cluster):
            found.append(Cluster(label="GPE", key=cluster.key, mentions=cluster.mentions, name=name))
    return found


# Words before a capitalised name that make it where someone or something is.
_PLACE_PREPOSITIONS = frozenset({"in", "near", "from", "outside"})
# Capitalised words after those that are no places ("in May", "in Christ", "from Monday").
_NOT_PLACE_WORDS = frozenset(
    {
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday", "christ", "god", "heaven", "english", "spanish",
        "french", "congress", "parliament", "court", "church", "state", "city", "county",
    }
)  # fmt: skip


def _missed_places(ctx: Context, taken: list[bool], clusters: Sequence[Cluster]) -> list[Cluster]:
    """Towns the model did not mark, written where places are: "in Lindsay", "from Hounslow",
    "John Nale of Chattanooga", "Jeremy Watson, 30, of Ten Mile". Only names the gazetteer
    knows as a GeoNames town, country, state or region; a mention of a name already found
    joins its entity."""
    doc = ctx.doc
    gazetteer = load_gazetteer()
    by_key = {
        word_key(c.name or ctx.span_text(c.first.start, c.first.end)): c
        for c in clusters
        if c.mentions and c.label in PLACE_LABELS
    }
    found: dict[str, Cluster] = {}
    for index in range(len(doc) - 1):
        word = doc[index].lower_
        person_of = (
            word == "of"
            and index > 0
            and (doc[index - 1].ent_type_ == "PERSON" or doc[index - 1].text == ",")
        )
        if word not in _PLACE_PREPOSITIONS and not person_of:
            continue
        end = index + 1
        while end < len(doc) and end - index <= 3 and doc[end].text[:1].isupper() and doc[end].is_alpha:
            end += 1
        start = index + 1
        if end == start or any(taken[start:end]) or (end < len(doc) and doc[end].text[:1].isupper()):
            continue
        if doc[start].lower_ in _NOT_PLACE_WORDS or any(
            t.pos_ not in ("PROPN", "NOUN") for t in doc[start:end]
        ):
            continue
        text = ctx.span_text(start, end)
        if len(text) < 3 or not gazetteer.knows(text) or is_title_word(text):
            continue
        mention = Mention(start, end, "GPE")
        key = word_key(text)
        cluster = by_key.get(key) or found.get(key)
        if cluster is None:
            cluster = found[key] = Cluster("GPE", ("GPE", key), name=text)
        cluster.add(mention)
        for position in range(start, end):
            taken[position] = True
    return list(found.values())


def _place_people_named_as_places(
    ctx: Context,
    people: list[Cluster],
    context: Sequence[str],
    states: Sequence[str],
    near: Point | None = None,
) -> None:
    """One-word "people" that are towns of the article's country: spaCy sm often types towns PERSON."""
    gazetteer = load_gazetteer()
    for cluster in people:
        if cluster.code:
            continue
        name = _only_name(ctx, cluster)
        if name is None:
            continue
        if not gazetteer.knows(name):
            continue
        several_words = len(name.split()) > 1
        place = _place(name, context, states, near)
        trusted = _trusted_place(place, context, states, near) or (
            _used_as_place(ctx, cluster) and place is not None
        )
        if several_words and place is not None and place.precision == 1:
            trusted = False  # "Rethinking Egypt", "Chad Smith" typed PERSON
        if trusted and not cluster.roles:
            cluster.label = "GPE"
            cluster.name = name
            cluster.place = place
            cluster.country = cluster.country or (place.country if place else None)


def dateline_country(record: Record) -> str | None:
    if record.dateline is None or not record.dateline.place:
        return None
    place = _place(record.dateline.place, ())
    return place.country if place else None


def _drop_zone_fragments(
    ctx: Context, mentions: list[Mention], zones: list[tuple[int, int]]
) -> list[Mention]:
    """Names inside titles and role phrases that are only parts of them ("Russian", "Defense")."""
    inside = [False] * len(ctx.doc)
    for start, end in zones:
        for index in range(start, end):
            inside[index] = True
    kept = []
    for mention in mentions:
        if inside[mention.start] and mention.label != "PERSON":
            fragment = mention.label == "NORP" or all(
                is_title_word(token.text) for token in ctx.doc[mention.start : mention.end]
            )
            if fragment and not mention.code:
                continue
        kept.append(mention)
    return kept


def _mark_capital_metonyms(ctx: Context, mentions: list[Mention]) -> None:
    for mention in mentions:
        if mention.label != "GPE" or mention.country:
            continue
        capital_of = ctx.lookup.capital_country(ctx.span_text(mention.start, mention.end))
        if capital_of and is_metonymic_use(ctx, mention):
            mention.metonymic = True
            mention.country = capital_of


def _person_name(ctx: Context, cluster: Cluster) -> str:
    from dateline.actors.coref import person_words

    for mention in sorted(cluster.mentions, key=lambda m: m.start):
        if mention.kind == "name" and person_words(ctx, mention) == cluster.name_words:
            return ctx.span_text(mention.start, mention.end)
    return " ".join(word.title() for word in cluster.name_words)


def _fullest_text(ctx: Context, cluster: Cluster) -> str:
    texts = [ctx.span_text(m.start, m.end) for m in cluster.mentions if m.kind in ("name", "group")]
    if not texts:
        return ctx.span_text(cluster.first.start, cluster.first.end)
    return max(texts, key=lambda text: (len(text), -texts.index(text)))


def _headline_full_name(ctx: Context, surname: str) -> str | None:
    """A given name the headline writes before a surname the body uses alone."""
    title = ctx.document.record.title or ""
    words = title.replace("’s", " ").replace("'s", " ").split()
    body = ctx.text
    for index in range(1, len(words)):
        if word_key(words[index].strip(",:;")) != surname:
            continue
        given = words[index - 1].strip(",:;")
        if not given[:1].isupper() or is_title_word(given) or ctx.lookup.country(given) is not None:
            continue
        if f" {given.lower()} " in f" {body.lower()} " and given not in body:
            continue
        return f"{given} {words[index].strip(',:;')}"
    return None


def _actor_countries(
    ctx: Context,
    place_context: Sequence[str],
    others: Sequence[Cluster],
    people: Sequence[Cluster],
    groups: Sequence[Mention],
) -> list[str]:
    """The countries the article's actors most likely belong to, most mentioned first: its
    places and peoples, its known bodies ("the Nigerian Interior Ministry") and the people
    knowledge knows by their full name, whatever the date ("Mitch McConnell": USA). A story about
    a country's politicians is about that country even when it names no place of it, and names
    of foreign places ("the British Medical Journal") must not outvote its twenty mentions of
    Donald Trump. Places are read with the place context alone; this one is for actors."""
    counts: Counter[str] = Counter({country: 1 for country in place_context})
    for cluster in others:
        if cluster.country and (cluster.label in ("GPE", "NORP", "ORG")):
            counts[cluster.country] += len(cluster.mentions)
    for group in groups:
        if group.country and ctx.lookup.is_country_code(group.country):
            counts[group.country] += 1  # "the Russian Defense Minister"
    for cluster in people:
        if len(cluster.name_words) < 2:
            continue
        terms = ctx.lookup.leaders(_person_name(ctx, cluster), None)
        found = {term.country for term in terms if ctx.lookup.is_country_code(term.country)}
        if len(found) == 1:
            counts[found.pop()] += len(cluster.mentions)
    order = {country: index for index, country in enumerate([*place_context, *counts])}
    return sorted(counts, key=lambda country: (-counts[country], order[country]))


def _name_people(ctx: Context, people: list[Cluster], context: Sequence[str], names: list[Mention]) -> None:
    for cluster in people:
        cluster.name = _person_name(ctx, cluster)
        if len(cluster.name_words) == 1:
            fuller = _headline_full_name(ctx, cluster.name_words[0])
            if fuller:
                cluster.name = fuller
        cluster.code = dictionary_code(ctx, cluster)
        country, sector = role_code(ctx, cluster, names)
        known = leader_code(ctx, cluster, context, sector)
        if known is not None and len(cluster.name_words) == 1:
            cluster.name = known[1]
        in_office = known is not None and len(known[0]) > 3 and not known[0].endswith("ELI")
        if (
            cluster.code is None
            and in_office
            and known is not None
            and (not country or known[0].startswith(country))
        ):
            # Knowledge of the office held on the day outranks the words of a title: "Attorney
            # General Loretta Lynch" is a cabinet member, "Senator X" running for president a
            # legislator; one actor, one code in the article.
            cluster.code = known[0]
        if cluster.code is None:
            if country and country[:3] in NON_STATE_PREFIXES:
                cluster.code = country
            elif country and sector:
                cluster.code = join_code(country, sector)
            elif known is not None and (country is None or known[0].startswith(country)):
                # Out of office on the date (country alone, or ELI): the title written in the
                # article ("President Obama") says more about the role than the old term does.
                out_of_office = len(known[0]) == 3 or known[0].endswith("ELI")
                cluster.code = join_code(known[0][:3], sector) if out_of_office and sector else known[0]
            else:
                cluster.code = join_code(country, sector)
        if cluster.code is not None and cluster.code == sector and context:
            # A title with no country ("Senate Majority Leader", "Judge"): the article's country.
            country = context[0]
            cluster.code = join_code(country, sector)
        cluster.country = country if country and ctx.lookup.is_country_code(country) else None


def _code_names(
    ctx: Context,
    clusters: list[Cluster],
    context: Sequence[str],
    names: list[Mention],
    states: Sequence[str] = (),
    near: Point | None = None,
    surnames: frozenset[str] = frozenset(),
    actor_context: Sequence[str] = (),
) -> None:
    lookup = ctx.lookup
    for cluster in clusters:
        cluster.name = _fullest_text(ctx, cluster)
        from_dictionary = dictionary_code(ctx, cluster)
        if cluster.metonymic and cluster.label == "GPE":
            cluster.code = join_code(cluster.country, "GOV")
        elif from_dictionary:
            cluster.code = from_dictionary
        elif cluster.label in ("GPE", "NORP") and cluster.country:
            cluster.code = cluster.country
        elif cluster.label == "ORG" and not cluster.code:
            first = max(
                (m for m in cluster.mentions if m.kind == "name"), key=lambda m: m.end - m.start, default=None
            )
            if first is not None:
                country = (
                    phrase_country(ctx, first.start, first.end)
                    or cluster.country
                    or _possessor_country(ctx, first, names)
                )
                sector = phrase_sector(ctx, first.start, first.end)
                if sector and not country and actor_context and sector not in NON_STATE_PREFIXES:
                    country = actor_context[0]  # "the Senate", "the Supreme Court": the article's country's
                cluster.code = join_code(country, sector) if sector else None
                cluster.country = cluster.country or country
        if cluster.label in PLACE_LABELS:
            named_state = _state_after(ctx, cluster)
            if named_state:
                # "Paris, Texas": the state written beside the town settles it.
                # The first reading kept only that state's towns: its choice (a village the
                # towns list lacks) is in the area's anchors.
                cluster.place = _place(cluster.name, ["USA"], [named_state], near)
            else:
                cluster.place = _place(cluster.name, context, states, near)
            on_street = cluster.name.split()[-1].strip(".,").lower() in _STREET_WORDS
            if cluster.place is None and not on_street:
                # "Henderson County Jail", "Boone County Courthouse" typed GPE: the county's.
                cluster.place = _place_in_name(cluster.name, context, states, near)
            if cluster.place is None:
                cluster.place = _feature_place(cluster.name, near)
        county = _county_in_list(ctx, cluster)
        if county is not None and (cluster.place is None or cluster.place.precision != 2):
            # "Walton and Oconee counties": each name is a county, whatever its type.
            cluster.place = _place(county, context, states, near) or cluster.place
        if cluster.label == "NORP" and cluster.country:
            # "Turkish troops" are about Turkey: the adjective is a toponym of its country.
            place = demonym_place(cluster.name)
            cluster.place = place if place is not None and place.country == cluster.country else None
        if cluster.label == "NORP" and cluster.place is None:
            # "Ohioans", "South Ossetian", "Gazans": people of a state or region.
            place = region_demonym_place(cluster.name)
            if place is not None and (not cluster.country or place.country in (cluster.country, None)):
                cluster.place = place
        if cluster.place is None and cluster.label in ("ORG", "FAC", "NORP") and not cluster.code:
            cluster.place = _named_place(cluster.name, context, states, near, _used_as_place(ctx, cluster))
        street = cluster.name.split()[-1].strip(".,").lower() in _STREET_WORDS
        if cluster.place is None and cluster.label in ("ORG", "FAC") and not street:
            cluster.place = _place_in_name(cluster.name, context, states, near)
        if cluster.place is None and cluster.label == "ORG":
            # "Georgian Interior Ministry", "Lebanese Army": the country its opening adjective names.
            cluster.place = _opening_demonym_place(cluster.name, cluster.country)
        if _no_place(ctx, cluster, surnames):
            if cluster.place is not None and cluster.country == cluster.place.country:
                cluster.country = None
            cluster.place = None
        elif cluster.place is not None and cluster.label in PLACE_LABELS and _names_event(ctx, cluster):
            # "The Paris climate talks": the famous place, read without the article's area.
            cluster.place = _place(cluster.name, context) or cluster.place
        if cluster.place is not None and not cluster.country:
            cluster.country = cluster.place.country
        if cluster.code and not cluster.country and lookup.is_country_code(cluster.code[:3]):
            cluster.country = cluster.code[:3]


# Last words of names of natural and public features the gazetteer lacks (rivers, lakes, parks).
_FEATURE_WORDS = frozenset(
    {
        "river", "creek", "lake", "lakes", "bay", "island", "islands", "park", "valley", "reservoir",
        "harbor", "harbour", "mountain", "mountains", "falls", "springs", "beach", "pond", "canyon",
    }
)  # fmt: skip


def _feature_place(name: str, near: Point | None) -> Place | None:
    """A river, lake or park the gazetteer lacks, in a local story: at the middle of the story's
    area, as a region (precision 5): where it is roughly, which is what a map of events needs."""
    words = name.split()
    if near is None or len(words) < 2 or not name[:1].isupper():
        return None
    if words[-1].lower() not in _FEATURE_WORDS and words[0].lower() not in ("lake", "mount", "river"):
        return None
    return Place(name, near[0], near[1], None, None, 5)


def _county_in_list(ctx: Context, cluster: Cluster) -> str | None:
    """ "<name> County" when a mention stands in a list of names closed by "counties" ("Walton and
    Oconee counties", "Otter Tail, Swift and Wilkin counties")."""
    doc = ctx.doc
    for mention in cluster.mentions:
        index = mention.end
        while index < len(doc) and index < mention.end + 12:
            token = doc[index]
            if token.lower_ in ("counties", "parishes"):
                text = ctx.span_text(mention.start, mention.end)
                suffix = "County" if token.lower_ == "counties" else "Parish"
                return text if text.split()[-1] in ("County", "Parish") else f"{text} {suffix}"
            if not (token.text in (",", "and", "or") or token.text[:1].isupper()):
                break
            index += 1
    return None


def _named_place(
    name: str, context: Sequence[str], states: Sequence[str], near: Point | None, used_as_place: bool = False
) -> Place | None:
    """The place a name typed as something else is, when it is a town of the article's area
    ("Rolling Meadows", "DuPage" typed ORG, "Pewaukee" typed NORP)."""
    if not load_gazetteer().knows(name) and name.split()[-1].lower() not in ("county", "parish"):
        return None
    place = _place(name, context, states, near)
    if place is None or place.precision == 1:
        return None
    if not (used_as_place or _trusted_place(place, context, states, near)):
        return None
    return place


def _possessor_country(ctx: Context, mention: Mention, names: list[Mention]) -> str | None:
    """ "Israel's Cabinet", "Serbian parliament": the country written just before a body's name."""
    doc = ctx.doc
    index = mention.start - 1
    if index >= 0 and doc[index].text in ("'s", "’s"):
        index -= 1
    if index < 0:
        return None
    for other in names:
        if other.start <= index < other.end and other is not mention:
            return other.country
    match = ctx.lookup.country(doc[index].text)
    return match.code if match is not None else None


def _sentence_place_country(
    ctx: Context, index: int, names: list[Mention], context: Sequence[str]
) -> str | None:
    sentence = ctx.sentence_of[index]
    for mention in names:
        if ctx.sentence_of[mention.start] == sentence and mention.label in ("GPE", "LOC", "FAC"):
            country = mention.country
            if not country:
                place = _place(ctx.span_text(mention.start, mention.end), context)
                country = place.country if place else None
            if country:
                return country
    return None


def _group_clusters(
    ctx: Context, groups: list[Mention], names: list[Mention], context: Sequence[str]
) -> list[Cluster]:
    """Groups cluster by their words ("Iranian police" twice is one group); a bare definite
    head ("the court") joins the latest group with that head, as a back-reference."""
    doc = ctx.doc
    clusters: dict[tuple[str, ...], Cluster] = {}
    latest_by_head: dict[tuple[str, str], Cluster] = {}
    latest_by_sector: dict[str, str] = {}
    for group in sorted(groups, key=lambda m: m.start):
        head_token = doc[group.head_index]
        definite = any(child.lower_ in ("the", "this", "these") for child in head_token.lefts)
        if not group.country and definite and group.sector in latest_by_sector:
            # "Israeli troops ... the army said": the army of the troops named before.
            group.country = latest_by_sector[group.sector]
        if not group.country and group.placed:
            # A group that says where it is, in a place we cannot place, takes no other
            # nationality of the sentence (the court "in Bavaria" is not Iranian for the Iranian
            # it convicted); the dateline's country is still where the story happens.
            group.country = ctx.dateline_country
        elif not group.country:
            group.country = (
                _sentence_place_country(ctx, group.head_index, names, context)
                or ctx.dateline_country
                or (context[0] if context else None)
            )
        if group.country and group.sector:
            latest_by_sector[group.sector] = group.country
        head = head_token.lemma_.lower()
        words = [token.lower_ for token in doc[group.start : group.head_index]] + [head]
        cluster = None
        if group.start == group.head_index and definite:
            cluster = latest_by_head.get((head, group.country or ""))
        if cluster is None:
            key = ("GROUP", " ".join(words), group.country or "")
            cluster = clusters.get(key)
            if cluster is None:
                cluster = clusters[key] = Cluster("GROUP", key)
        cluster.add(group)
        latest_by_head[(head, group.country or "")] = cluster
        if cluster.code is None:
            cluster.code = join_code(group.country, group.sector)
    for cluster in clusters.values():
        cluster.name = _fullest_text(ctx, cluster)
        code = dictionary_code(ctx, cluster)
        if code:
            cluster.code = code
    return list(clusters.values())


def _entity(ctx: Context, cluster: Cluster) -> Entity:
    spans = sorted({ctx.chars(m.start, m.end) for m in cluster.mentions})
    record = ctx.document.record
    country = cluster.country
    if cluster.code and ctx.lookup.is_country_code(cluster.code[:3]) and cluster.label not in PLACE_LABELS:
        country = cluster.code[:3]
    roles = list(
        dict.fromkeys(text for m in sorted(cluster.mentions, key=lambda m: m.start) for text in m.role_texts)
    )
    return Entity(
        id=child_id(record.id, "entity", spans[0], cluster.name),
        name=cluster.name,
        type=cluster.label,
        role=", ".join(roles) if roles else None,
        actor=cluster.code,
        country=country,
        place=cluster.place,
        mentions=spans,
    )


def _without_overlaps_of(clusters: list[Cluster], spans: list[Mention]) -> list[Cluster]:
    """Names the model found inside a role back-reference ("Defense" in "the Defense Minister")."""
    if not spans:
        return clusters
    kept = []
    for cluster in clusters:
        cluster.mentions = [
            m for m in cluster.mentions if not any(m.start < s.end and s.start < m.end for s in spans)
        ]
        if cluster.mentions:
            kept.append(cluster)
    return kept


def _without_group_fragments(ctx: Context, clusters: list[Cluster], groups: list[Mention]) -> list[Cluster]:
    """A demonym inside a group phrase ("Iranian" in "Iranian police") is part of the group, and
    a demonym that is the group's own head ("Marines") is the group: one span, one entity. So is
    a title word the model took for a name ("Defense" in "the Russian Defense Minister")."""
    inside: set[int] = set()
    for group in groups:
        inside.update(range(group.start, group.end))
    kept = []
    for cluster in clusters:
        if cluster.label == "NORP" or (cluster.label != "PERSON" and not cluster.code):
            cluster.mentions = [
                m
                for m in cluster.mentions
                if m.start not in inside or (cluster.label != "NORP" and not _title_words_only(ctx, m))
            ]
            if not cluster.mentions:
                continue
        kept.append(cluster)
    return kept


def _name_groups(ctx: Context, clusters: list[Cluster], groups: list[Mention]) -> None:
    """An unknown organisation named inside a group phrase headed by a word for a body ("the
    rebel *XYZ* force", "the Islamist *Ansar* group") is that group: it takes the group's code
    and keeps its span. Not before a trade ("Alexandria police"): there the name is a town."""
    bodies = [g for g in groups if bare(ctx.doc[g.head_index].lemma_) in GENERIC_BODIES]
    if not bodies:
        return
    for cluster in clusters:
        if cluster.label != "ORG" or cluster.code:
            continue
        for mention in cluster.mentions:
            group = next((g for g in bodies if g.start <= mention.start and mention.end <= g.end), None)
            if group is not None and group.end > mention.end:
                cluster.code = join_code(group.country, group.sector)
                cluster.country = cluster.country or group.country
                break


def _title_words_only(ctx: Context, mention: Mention) -> bool:
    return all(is_title_word(token.text) for token in ctx.doc[mention.start : mention.end])


def analyse(
    document: Document,
    lookup: Lookup,
    known_names: dict[str, str] | None = None,
    countries: Sequence[str] = (),
) -> tuple[Context, list[Cluster]]:
    """Every entity of the article as a cluster of mentions with its name, role and codes.

    When ``document`` is the article's headline, ``known_names`` are the names the body uses
    and ``countries`` the countries it is about.
    """
    doc = document.doc
    record = document.record
    ctx = Context(
        document=document,
        lookup=lookup,
        on=record.published_date(),
        sentence_of=sentence_indexes(doc),
        in_quote=quoted_tokens(doc),
        headline=headline_tokens(doc),
        dateline_country=dateline_country(record),
        known_names=known_names or {},
    )
    names = collect_name_mentions(ctx)
    zones = find_roles(ctx, names)
    names = _drop_zone_fragments(ctx, names, zones)
    _mark_capital_metonyms(ctx, names)
    people = cluster_people(ctx, names)
    others = cluster_names(ctx, names, people)
    for cluster in people.clusters:
        cluster.roles = list(
            dict.fromkeys(
                text for m in sorted(cluster.mentions, key=lambda m: m.start) for text in m.role_texts
            )
        )
    taken = [False] * len(doc)
    for mention in names:
        for index in range(mention.start, mention.end):
            taken[index] = mention.label != "NORP" or taken[index]
    for start, end in zones:
        for index in range(start, end):
            taken[index] = True
    references = link_role_references(ctx, people.clusters, taken)
    others = _without_overlaps_of(others, [mention for mention, _ in references])
    link_pronouns(ctx, people.clusters)
    context = article_countries(others, ctx.dateline_country)
    context += [country for country in countries if country not in context]

    def country_of(mention: Mention) -> str | None:
        if mention.country:
            return mention.country
        if mention.code and mention.code[:3] in NON_STATE_PREFIXES:
            return mention.code
        if mention.label in PLACE_LABELS:
            place = _place(ctx.span_text(mention.start, mention.end), context)
            return place.country if place else None
        return None

    for mention in names:
        if mention.label in PLACE_LABELS and not mention.country:
            mention.country = country_of(mention)
    groups = find_groups(ctx, taken, names, country_of)
    others = _without_group_fragments(ctx, others, groups)
    _name_groups(ctx, others, groups)
    for group in groups:
        for index in range(group.start, group.end):
            taken[index] = True
    others += _missed_places(ctx, taken, others)
    surnames = _surnames(ctx, people.clusters + others)
    # Names that say nothing of where the story is: no place at all (a family, a person, a team),
    # a politician's state, the famous place of an event.
    local = [
        c
        for c in others
        if not (_no_place(ctx, c, surnames) or _constituency(ctx, c) or _names_event(ctx, c))
    ]
    states, doubtful = _article_states(ctx, local)
    readable = local + _towns_typed_people(ctx, people.clusters)
    area_country, near, chosen = _article_area(ctx, readable, context, states)
    # "Georgia" is a state of the article only if the first reading took it for one.
    read_as_states = [
        code for name, code in doubtful.items() if (chosen.get(name) or _NOWHERE).country == "USA"
    ]
    implied = [code for code in reading_states(chosen) if code not in states]
    if read_as_states or implied:
        states = list(dict.fromkeys([*states, *read_as_states, *implied]))
        area_country, near, _ = _article_area(ctx, readable, context, states)
    if area_country and area_country not in context[:3]:
        context = [*context[:2], area_country, *context[2:]]
    actor_context = _actor_countries(ctx, context, others, people.clusters, groups)
    _code_names(ctx, others, context, names, states, near, surnames, actor_context)
    for cluster in others:
        if cluster.label == "ORG":
            for mention in cluster.mentions:
                mention.code = mention.code or cluster.code
                mention.country = mention.country or cluster.country
    _name_people(ctx, people.clusters, actor_context, names)
    _place_people_named_as_places(
        ctx, [c for c in people.clusters if not _no_place(ctx, c, surnames)], context, states, near
    )
    for cluster in people.clusters:
        words = cluster.name.split()
        institution = len(words) > 1 and words[-1].strip(".,").lower() in _INSTITUTION_WORDS
        if cluster.place is None and not cluster.code and not cluster.roles and institution:
            # "Rapides Parish Fire", "Alexandria Police": the model's people that are bodies of a town.
            cluster.place = _place_in_name(cluster.name, context, states, near)
    group_clusters = _group_clusters(ctx, groups, names, actor_context)
    for cluster in group_clusters:
        if cluster.place is None and cluster.name:
            cluster.place = _demonym_group_place(cluster)
        if cluster.place is None and cluster.name:
            cluster.place = _place_in_name(cluster.name, context, states, near)
    clusters = sorted(
        _one_entity_per_span(people.clusters + others + group_clusters), key=lambda c: c.first.start
    )
    _link_plural_references(ctx, clusters, taken)
    return ctx, clusters


# Plural nouns that refer back to actors named before ("the two countries"), by the kind of
# actor they take: states, people, or any actor.
_PLURAL_REFERENCES = {
    "country": "state",
    "nation": "state",
    "government": "state",
    "capital": "state",
    "neighbour": "state",
    "neighbor": "state",
    "leader": "person",
    "president": "person",
    "minister": "person",
    "premier": "person",
    "side": "any",
    "party": "any",
}
_PLURAL_FORMS = frozenset(
    {"countries", "nations", "governments", "capitals", "neighbours", "neighbors", "leaders"}
    | {"presidents", "ministers", "premiers", "sides", "parties"}
)
_HOW_MANY = {"two": 2, "both": 2, "three": 3, "four": 4}


def _link_plural_references(ctx: Context, clusters: list[Cluster], taken: Sequence[bool]) -> None:
    """ "The two countries agreed": the phrase is a mention of each of the parties named before
    it, most recent first, when the article names exactly enough of them of the right kind."""
    doc = ctx.doc
    # The few tokens spelt like a plural reference, found in the parse's array: walking every
    # token of the article as an object costs more than the rest of this step.
    forms = {doc.vocab.strings.add(form) for form in _PLURAL_FORMS}
    for index in [i for i, lower in enumerate(doc.to_array(LOWER).tolist()) if lower in forms]:
        token = doc[index]
        kind = _PLURAL_REFERENCES.get(token.lemma_.lower())
        if kind is None or token.tag_ not in ("NNS", "NNPS") or taken[token.i]:
            continue
        counts = [_HOW_MANY[child.lower_] for child in token.lefts if child.lower_ in _HOW_MANY]
        if len(counts) != 1:
            continue
        start = min(token.left_edge.i, token.i)
        if any(doc[index].pos_ in ("ADJ", "PROPN") for index in range(start, token.i)):
            continue  # "the two Koreas' leaders", "both western countries": not plain back-references
        latest: dict[str, tuple[int, Cluster]] = {}
        for cluster in clusters:
            last = cluster.last_before(start)
            if last < 0 or ctx.sentence_of[last] < ctx.sentence_of[token.i] - 2:
                continue
            party = _party_of(ctx, cluster, kind)
            if party is not None and (party not in latest or latest[party][0] < last):
                latest[party] = (last, cluster)
        if len(latest) < counts[0]:
            continue
        chosen = sorted(latest.values(), key=lambda item: -item[0])[: counts[0]]
        for _, cluster in sorted(chosen, key=lambda item: item[1].first.start):
            cluster.mentions.append(Mention(start, token.i + 1, cluster.label, kind="role", head=token.i))


def _party_of(ctx: Context, cluster: Cluster, kind: str) -> str | None:
    """What makes a cluster one party of a plural reference (its country, its code), if it is one."""
    code = cluster.code
    if not code:
        return None
    if kind == "state":
        state = cluster.label in ("GPE", "NORP") or cluster.metonymic
        return code[:3] if state and ctx.lookup.is_country_code(code[:3]) else None
    if kind == "person":
        return code + " ".join(cluster.name_words) if cluster.label == "PERSON" else None
    return code


def _one_entity_per_span(clusters: list[Cluster]) -> list[Cluster]:
    """A stretch of text belongs to one entity, the first in priority order (people, names,
    groups); an entity's id hashes its first span, so this also keeps ids unique."""
    claimed: set[int] = set()  # token positions: no pass over all earlier spans per mention
    kept = []
    for cluster in clusters:
        mentions = [m for m in cluster.mentions if claimed.isdisjoint(range(m.start, m.end))]
        if not mentions:
            continue
        cluster.mentions = mentions
        for mention in mentions:
            claimed.update(range(mention.start, mention.end))
        kept.append(cluster)
    return kept


def resolve_entities(document: Document, dictionaries: ActorDictionary | None = None) -> None:
    """Fill ``document.record.entities``: names, types, roles, actor codes, places, mentions.

    ``dictionaries`` are the user's PETRARCH/Phoenix actor and agent files
    (:func:`dateline.actors.dictionary.load_actor_dictionaries`); their codes take precedence
    over the built-in knowledge. The article's publication date selects date-limited codes.
    """
    lookup = lookup_for(dictionaries)
    entities: list[Entity] = []
    known_names: dict[str, str] = {}
    if document.record.text.strip() and len(document.doc) > 0:
        ctx, clusters = analyse(document, lookup)
        entities = [_entity(ctx, cluster) for cluster in clusters]
        known_names = _names_used(ctx, clusters)
    if document.title_doc is not None and len(document.title_doc) > 0:
        entities += _title_entities(document, lookup, entities, known_names)
    document.record.entities = entities


def _names_used(ctx: Context, clusters: list[Cluster]) -> dict[str, str]:
    """The article's names (and the words of its people's names), to confirm the headline's."""
    names: dict[str, str] = {}
    for cluster in clusters:
        for mention in cluster.mentions:
            if mention.kind != "name":
                continue
            names.setdefault(ctx.span_text(mention.start, mention.end).casefold(), cluster.label)
            if cluster.label == "PERSON":
                for position in range(mention.start, mention.end):
                    names.setdefault(ctx.doc[position].text.casefold(), cluster.label)
    return names


def _title_entities(
    document: Document, lookup: Lookup, body: list[Entity], known_names: dict[str, str]
) -> list[Entity]:
    """The headline's entities: mentions of a body entity join it (as ``title_mentions``, offsets
    into the title); the others are entities of their own, known from the headline only."""
    record = document.record
    assert document.title_doc is not None
    title = record.title or ""
    heading = Record(
        id=record.id, raw=title, text=title, title=None, published=record.published, dateline=record.dateline
    )
    counts = Counter(entity.country for entity in body for _ in entity.mentions if entity.country)
    countries = [country for country, _ in counts.most_common()]
    ctx, clusters = analyse(Document(record=heading, doc=document.title_doc), lookup, known_names, countries)
    own: list[Entity] = []
    for cluster in clusters:
        found = _entity(ctx, cluster)
        same = _same_entity(found, body)
        if same is not None:
            same.title_mentions = sorted({*same.title_mentions, *found.mentions})
            continue
        found.id = child_id(record.id, "title entity", found.mentions[0], found.name)
        found.title_mentions, found.mentions = found.mentions, []
        own.append(found)
    return own


def _words(name: str) -> set[str]:
    return {word_key(word) for word in name.replace("’s", " ").replace("'s", " ").split()} - {""}


def _same_entity(title_entity: Entity, body: list[Entity]) -> Entity | None:
    """The body entity a headline mention names: the same name, or (people) part of the name
    ("Putin" for "Vladimir Putin"), of a compatible type; the most mentioned one at a tie."""
    words = _words(title_entity.name)
    if not words:
        return None
    candidates = []
    for entity in body:
        body_words = _words(entity.name)
        same_type = entity.type == title_entity.type
        # The model may type one name two ways ("Kremlin": ORG in a sentence, FAC in a headline).
        same_code = entity.actor is not None and entity.actor == title_entity.actor
        same_name = body_words == words and (same_type or same_code)
        part_of_name = same_type and entity.type == "PERSON" and words <= body_words
        if same_name or part_of_name:
            candidates.append(entity)
    return max(candidates, key=lambda entity: len(entity.mentions), default=None)


_HOLDER_TYPES = frozenset({"PERSON", "ORG", "FAC"})
_MODIFIER_DEPS = frozenset({"compound", "amod", "poss", "nmod", "case", "det", "nummod"})


def _span_head(span: Span) -> Token:
    """The word a phrase is about: its rightmost noun that does not modify another word in it."""
    heads = [
        token for token in span if not (span.start <= token.head.i < span.end) or token.head.i == token.i
    ]
    nouns = [
        token
        for token in heads
        if token.pos_ in ("NOUN", "PROPN", "PRON") and token.dep_ not in _MODIFIER_DEPS
    ]
    if nouns:
        return nouns[-1]
    nouns = [token for token in span if token.pos_ in ("NOUN", "PROPN")]
    return nouns[-1] if nouns else span.root


def code_span(
    document: Document, start: int, end: int, dictionaries: ActorDictionary | None = None
) -> str | None:
    """The actor code of the text between characters ``start`` and ``end`` of the record.

    Runs after :func:`resolve_entities`. When the phrase's head word is a mention of a person,
    an organisation or a metonym, that entity's code is the phrase's ("President Obama" -> the
    code of Obama). Otherwise the phrase is coded from its own words: a country (a country name
    or demonym, or a place or body named in it) and the sector of its agent noun ("South Korean
    army" -> KORMIL), falling back on the entity the head belongs to.
    """
    doc = document.doc
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    head = _span_head(span)
    holder = _tightest_holder(document, head.idx, head.idx + len(head.text), span.start_char, span.end_char)
    if holder is not None and holder.actor and holder.type in _HOLDER_TYPES:
        return holder.actor
    lookup = lookup_for(dictionaries)
    ctx = Context(
        document=document,
        lookup=lookup,
        on=document.record.published_date(),
        sentence_of=sentence_indexes(doc),
        in_quote=[False] * len(doc),
        headline=[False] * len(doc),
    )
    inside = _entity_mentions(document, span)
    sector = phrase_sector(ctx, span.start, span.end, inside)
    country = phrase_country(ctx, span.start, span.end, inside)
    if holder is not None and holder.actor:
        held_country, held_sector = split_code(holder.actor, lookup)
        country = country or held_country
        sector = sector or held_sector
    if country is None:
        country = next((m.code for m in inside if m.code and not lookup.is_country_code(m.code[:3])), None)
    return join_code(country, sector)


def _tightest_holder(
    document: Document, start: int, end: int, outer_start: int, outer_end: int
) -> Entity | None:
    best: tuple[int, int, Entity] | None = None
    for entity in document.record.entities:
        for m_start, m_end in entity.mentions:
            if m_start <= start and end <= m_end:
                slack = abs(m_start - outer_start) + abs(m_end - outer_end)
                rank = (slack, _ARGUMENT_PRIORITY.get(entity.type, 5))
                if best is None or rank < best[:2]:
                    best = (*rank, entity)
    return best[2] if best else None


def _entity_mentions(document: Document, span: Span) -> list[Mention]:
    """The entities' mentions inside a span, as token mentions carrying country and code."""
    found = []
    for entity in document.record.entities:
        for m_start, m_end in entity.mentions:
            if span.start_char <= m_start and m_end <= span.end_char:
                tokens = document.doc.char_span(m_start, m_end, alignment_mode="expand")
                if tokens is not None and len(tokens):
                    found.append(
                        Mention(
                            tokens.start, tokens.end, entity.type, country=entity.country, code=entity.actor
                        )
                    )
    return sorted(found, key=lambda m: m.start)


_ARGUMENT_PRIORITY = {"PERSON": 0, "GROUP": 1, "ORG": 1, "FAC": 2, "GPE": 3, "NORP": 3, "LOC": 4}
