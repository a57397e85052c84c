"""Mentions to entities within one article: names, role back-references and pronouns.

People cluster by their name words: a surname alone joins the nearest earlier person it
belongs to ("Ivanov" -> "Sergey Ivanov"), a full name later upgrades an earlier surname-only
cluster. Other names cluster by what knowledge says they are (a country code, an
organisation code) or by their text; acronyms join the name they abbreviate. "The minister"
joins the nearest earlier person whose role fits, and a subject pronoun ("he said") the
nearest earlier compatible person, speakers and subjects first.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Token

from dateline.actors.context import Context, Mention, hyphenated_start
from dateline.actors.lexicon import (
    FEMALE_PRONOUNS,
    HONORIFICS,
    MALE_PRONOUNS,
    SPEECH_VERBS,
    TITLE_HEADS,
    bare,
    is_title_word,
)
from dateline.actors.places import load_gazetteer
from dateline.record import Place

PRONOUN_WINDOW_SENTENCES = 3
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "in", "on", "de", "du", "des", "la", "le", "al"})


def word_key(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.replace("’", "'"))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


@dataclass
class Cluster:
    """One entity in the making: its mentions and what they say about it."""

    label: str
    key: tuple[str, ...]
    mentions: list[Mention] = field(default_factory=list)
    name: str = ""
    name_words: tuple[str, ...] = ()
    aliases: set[str] = field(default_factory=set)
    roles: list[str] = field(default_factory=list)
    role_words: set[str] = field(default_factory=set)
    gender: str | None = None
    code: str | None = None
    country: str | None = None
    metonymic: bool = False
    place: Place | None = None

    @property
    def first(self) -> Mention:
        return min(self.mentions, key=lambda m: m.start)

    def add(self, mention: Mention) -> None:
        self.mentions.append(mention)
        if mention.gender and not self.gender:
            self.gender = mention.gender
        if mention.code and not self.code:
            self.code = mention.code
        if mention.country and not self.country:
            self.country = mention.country
        self.metonymic = self.metonymic or mention.metonymic

    def mentions_before(self, index: int) -> int:
        return sum(1 for m in self.mentions if m.start < index)

    def last_before(self, index: int) -> int:
        """The start of this entity's last mention before token ``index`` (-1 if none)."""
        return max((m.start for m in self.mentions if m.start < index), default=-1)


def person_words(ctx: Context, mention: Mention) -> tuple[str, ...]:
    """The name's words for matching: no honorifics, no punctuation, accents folded."""
    words = []
    for token in ctx.doc[mention.start : mention.end]:
        if (token.is_punct and token.text not in (".",)) or token.is_space:
            continue
        if bare(token.text) in HONORIFICS:
            continue
        words.append(word_key(token.text.rstrip(".")) if len(token.text) > 2 else word_key(token.text))
    return tuple(word for word in words if word)


def _compatible(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether one name is a shortening of the other ("Vladimir Putin" / "Vladimir V. Putin")."""
    if not short or not long or short[-1] != long[-1]:
        return False
    remaining = list(long[:-1])
    for word in short[:-1]:
        if word in remaining:
            remaining = remaining[remaining.index(word) + 1 :]
        elif len(word) <= 2 and any(other.startswith(word[0]) for other in remaining):
            continue
        else:
            return False
    return True


class PersonClusters:
    """Clusters of person mentions, built in text order."""

    def __init__(self) -> None:
        self.clusters: list[Cluster] = []
        self._by_word: dict[str, list[Cluster]] = {}

    def _index(self, cluster: Cluster) -> None:
        for word in cluster.name_words:
            bucket = self._by_word.setdefault(word, [])
            if cluster not in bucket:
                bucket.append(cluster)

    def _new(self, words: tuple[str, ...], mention: Mention) -> Cluster:
        cluster = self.open(words)
        cluster.add(mention)
        return cluster

    def open(self, words: tuple[str, ...]) -> Cluster:
        """A new person, for the caller to give its first mention."""
        cluster = Cluster("PERSON", ("PERSON", *words), name_words=words)
        self.clusters.append(cluster)
        self._index(cluster)
        return cluster

    def find(self, words: tuple[str, ...], before: int) -> Cluster | None:
        """The cluster a name belongs to: the same or a compatible name, the nearest first."""
        if not words:
            return None
        candidates = self._by_word.get(words[-1], [])
        if len(words) == 1:
            # A single word: a surname first, else a given name.
            candidates = [c for c in candidates if c.name_words[-1] == words[0]] or candidates
        else:
            candidates = [
                c
                for c in candidates
                if _compatible(words, c.name_words)
                or _compatible(c.name_words, words)
                or (len(c.name_words) == 1 and c.name_words[0] == words[-1])
            ]
        candidates = [c for c in candidates if c.last_before(before) >= 0] or candidates
        if not candidates:
            return None
        if len(words) == 1:
            # "Clinton" after Hillary and Chelsea Clinton: the one the article talks about most.
            return max(candidates, key=lambda c: (c.mentions_before(before), c.last_before(before)))
        return max(candidates, key=lambda c: (c.last_before(before), len(c.name_words)))

    def add(self, words: tuple[str, ...], mention: Mention) -> Cluster:
        cluster = self.find(words, mention.start)
        if cluster is None:
            return self._new(words, mention)
        cluster.add(mention)
        if len(words) > len(cluster.name_words):
            cluster.name_words = words
            cluster.key = ("PERSON", *words)
            self._index(cluster)
        return cluster

    def with_surname(self, word: str) -> Cluster | None:
        candidates = [c for c in self._by_word.get(word, []) if c.name_words[-1] == word]
        return candidates[0] if len(candidates) == 1 else None


def cluster_people(ctx: Context, mentions: list[Mention]) -> PersonClusters:
    people = PersonClusters()
    for mention in sorted(mentions, key=lambda m: m.start):
        if mention.label == "PERSON":
            people.add(person_words(ctx, mention), mention)
    return people


def _acronym(words: list[str]) -> str:
    return "".join(word[0] for word in words if word and word.lower() not in _ACRONYM_SKIP).upper()


def cluster_names(ctx: Context, mentions: list[Mention], people: PersonClusters) -> list[Cluster]:
    """Clusters of the other names; single words that are known surnames join the person."""
    by_key: dict[tuple[str, ...], Cluster] = {}
    aliases: dict[str, Cluster] = {}
    org_clusters: list[Cluster] = []
    doc = ctx.doc
    for mention in sorted(mentions, key=lambda m: m.start):
        if mention.label == "PERSON":
            continue
        text = ctx.span_text(mention.start, mention.end)
        if not (mention.country or mention.code):
            person = _person_named(ctx, mention, text, people)
            if person is not None:
                mention.label = "PERSON"
                person.add(mention)
                continue
        key = _name_key(ctx, mention, text)
        cluster = by_key.get(key) or aliases.get(text) or _org_suffix_match(ctx, mention, org_clusters)
        if cluster is None:
            cluster = Cluster(mention.label, key)
            by_key[key] = cluster
            if mention.label == "ORG":
                org_clusters.append(cluster)
        cluster.add(mention)
        if mention.label == "ORG":
            words = [token.text for token in doc[mention.start : mention.end] if token.is_alpha]
            if len(words) >= 2:
                aliases.setdefault(_acronym(words), cluster)
            explicit = _bracketed_acronym(ctx, mention)
            if explicit:
                aliases.setdefault(explicit, cluster)
    clusters = list(by_key.values())
    for cluster in clusters:
        labels = Counter(m.label for m in cluster.mentions)
        cluster.label = max(labels, key=lambda label: (labels[label], -_first_with(cluster, label)))
    return clusters


def _first_with(cluster: Cluster, label: str) -> int:
    return min(m.start for m in cluster.mentions if m.label == label)


def _person_named(ctx: Context, mention: Mention, text: str, people: PersonClusters) -> Cluster | None:
    """A person the model also tagged otherwise: a known surname alone, or the same full name."""
    if mention.end - mention.start == 1:
        found = people.with_surname(word_key(text))
        if found is None and _office_holder_surname(ctx, text):
            # "Erdogan has accused Gulen": the model took a leader's surname for a place.
            return people.open((word_key(text),))
        return found
    words = person_words(ctx, mention)
    found = people.find(words, mention.start) if len(words) >= 2 else None
    if found is None or not (found.name_words == words or _compatible(words, found.name_words)):
        return None
    return found


def _office_holder_surname(ctx: Context, text: str) -> bool:
    """A single word that is the surname of one office holder in the knowledge base (in office on
    the article's date, when it has one) and no country or town of the gazetteer."""
    if not text[:1].isupper() or ctx.lookup.country(text) is not None:
        return False
    holders = {leader.name for leader in ctx.lookup.leaders(text, ctx.on)}
    if len(holders) != 1:
        return False
    return not load_gazetteer().knows(text, post_towns=True)


def _name_key(ctx: Context, mention: Mention, text: str) -> tuple[str, ...]:
    """What makes two mentions one entity: a country, a code, else the words of the name.

    The label is not part of the key (the model calls "the Kremlin" a FAC once and an ORG
    the next time); a cluster takes the label most of its mentions have.
    """
    if mention.metonymic and mention.label == "GPE":
        return ("GOVERNMENT", mention.country or text)
    if mention.metonymic:
        return ("METONYM", mention.code or text)
    if mention.label in ("GPE", "NORP") and mention.country and ctx.lookup.country(text) is not None:
        return (mention.label, mention.country)
    if mention.label == "ORG" and mention.code:
        # Bodies sharing a code are still several ("the PAN and the PRD" are both MEXPTY):
        # a body the knowledge base knows is one entity under all its names.
        known = ctx.lookup.organization(text)
        if known is not None and known.code == mention.code and known.name:
            return ("ORG", mention.code, known.name)
        return ("ORG", mention.code)
    return ("NAME", " ".join(word_key(word) for word in text.split()))


def _bracketed_acronym(ctx: Context, mention: Mention) -> str | None:
    """ "Palestine Liberation Organization (PLO)": the acronym written right after the name."""
    doc = ctx.doc
    index = mention.end
    if index + 2 < len(doc) and doc[index].text == "(" and doc[index + 2].text == ")":
        candidate = doc[index + 1].text
        if candidate.isupper() and 2 <= len(candidate) <= 8:
            return candidate
    return None


def _org_suffix_match(ctx: Context, mention: Mention, clusters: list[Cluster]) -> Cluster | None:
    """ "the Defense Ministry" after "the Russian Defense Ministry": the same body."""
    if mention.label != "ORG":
        return None
    words = tuple(word_key(token.text) for token in ctx.doc[mention.start : mention.end])
    for cluster in reversed(clusters):
        full = tuple(word_key(token.text) for token in ctx.doc[cluster.first.start : cluster.first.end])
        if len(full) > len(words) and full[-len(words) :] == words:
            prefix = ctx.doc[cluster.first.start : cluster.first.end - len(words)].text
            if ctx.lookup.country(prefix) is not None:
                return cluster
    return None


def _role_words(cluster: Cluster) -> set[str]:
    words: set[str] = set()
    for role in cluster.roles:
        for word in role.replace("-", " ").replace("’s", " ").replace("'s", " ").split():
            words.add(bare(word))
    return words


def link_role_references(
    ctx: Context, people: list[Cluster], taken: list[bool]
) -> list[tuple[Mention, Cluster]]:
    """ "The minister", "the Defense Minister": definite singular role nouns -> earlier people."""
    doc = ctx.doc
    for cluster in people:
        cluster.role_words = _role_words(cluster)
    linked: list[tuple[Mention, Cluster]] = []
    starts = {m.start for cluster in people for m in cluster.mentions}
    for token in doc:
        if taken[token.i] or bare(token.text) not in TITLE_HEADS or token.tag_ in ("NNS", "NNPS"):
            continue
        if token.pos_ not in ("NOUN", "PROPN") or token.i + 1 in starts:
            continue
        determiner = next((child for child in token.lefts if child.dep_ == "det"), None)
        if determiner is None or determiner.lower_ not in ("the", "this", "that"):
            continue
        start = hyphenated_start(token) or token.i
        for child in sorted((child for child in token.lefts if child.i < start), key=lambda t: -t.i):
            if child.dep_ in ("compound", "amod") and child.i == start - 1:
                start = child.i
            else:
                break
        modifiers = {
            bare(doc[index].text) for index in range(start, token.i) if is_title_word(doc[index].text)
        }
        wanted = modifiers | {bare(token.text)}
        candidates = [
            cluster for cluster in people if wanted <= cluster.role_words and cluster.last_before(start) >= 0
        ]
        if not candidates:
            continue
        cluster = max(candidates, key=lambda c: c.last_before(start))
        mention = Mention(start, token.i + 1, "PERSON", kind="role", head=token.i)
        cluster.add(mention)
        linked.append((mention, cluster))
        for index in range(start, token.i + 1):
            taken[index] = True
    return linked


def link_pronouns(ctx: Context, people: list[Cluster]) -> None:
    """ "He said": subject pronouns outside quotes -> the nearest compatible earlier person."""
    doc = ctx.doc
    timeline: list[tuple[int, Mention, Cluster]] = sorted(
        ((m.start, m, c) for c in people for m in c.mentions), key=lambda item: item[0]
    )
    if not timeline:
        return
    position = 0
    seen: list[tuple[int, Mention, Cluster]] = []
    for token in doc:
        while position < len(timeline) and timeline[position][0] < token.i:
            seen.append(timeline[position])
            position += 1
        word = token.lower_
        if word not in MALE_PRONOUNS and word not in FEMALE_PRONOUNS:
            continue
        if token.dep_ not in _SUBJECT_DEPS or ctx.in_quote[token.i]:
            continue
        gender = "m" if word in MALE_PRONOUNS else "f"
        antecedent = _antecedent(ctx, token, seen, gender)
        if antecedent is not None:
            mention = Mention(token.i, token.i + 1, "PERSON", kind="pronoun", gender=gender)
            antecedent.add(mention)
            if antecedent.gender is None:
                antecedent.gender = gender
            seen.append((token.i, mention, antecedent))


def _antecedent(
    ctx: Context, pronoun: Token, seen: list[tuple[int, Mention, Cluster]], gender: str
) -> Cluster | None:
    sentence = ctx.sentence_of[pronoun.i]
    by_sentence: dict[int, list[tuple[Mention, Cluster]]] = {}
    for start, mention, cluster in reversed(seen):
        distance = sentence - ctx.sentence_of[start]
        if distance > PRONOUN_WINDOW_SENTENCES:
            break
        if cluster.gender not in (None, gender) or ctx.in_quote[start]:
            continue
        by_sentence.setdefault(distance, []).append((mention, cluster))
    for distance in range(PRONOUN_WINDOW_SENTENCES + 1):
        candidates = by_sentence.get(distance)
        if not candidates:
            continue
        for mention, cluster in candidates:
            head = ctx.doc[mention.head_index]
            if head.dep_ in _SUBJECT_DEPS or head.head.lemma_ in SPEECH_VERBS:
                return cluster
        return candidates[0][1]
    return None
