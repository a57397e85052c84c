"""Sources and targets: from a phrase of the parse to actor-coded entities of the actor stage.

An argument is an entity with an actor code. A place alone is never an actor (the dateline
"MOSCOW" must not act), except as the target of an event that happens *to* a place, such as a
visit ("visit to Moscow") or a shelling, where the place stands for its country. Pronouns are
resolved the simple way: "we" inside a quote is its speaker, "it" in a reported clause is the one
who reports it, otherwise the nearest earlier actor of the right kind.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Token

from dateline.events.syntax import children, speech_governor, subject_of
from dateline.record import Argument, Document, Entity, Event, Quote, Span

FIRST_PERSON = frozenset({"we", "us", "our", "ours", "ourselves", "i", "me", "my"})
PERSONAL = frozenset({"he", "him", "his", "she", "her", "himself", "herself"})
NON_PERSONAL = frozenset({"it", "its", "they", "them", "their", "itself", "themselves"})
PLURAL = frozenset({"they", "them", "their", "themselves"})
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
PERSON_TYPES = frozenset({"PERSON"})
COLLECTIVE_NOUNS = frozenset(
    {
        "leader",
        "side",
        "country",
        "president",
        "minister",
        "party",
        "delegation",
        "nation",
        "government",
        "head",
    }
)
COUNTRY_NOUNS = frozenset({"country", "nation", "state", "republic"})
# Modifiers and complements an actor can hide in: "Russian Defense Minister", "a group of diplomats".
NP_MODIFIER_DEPS = ("compound", "amod", "poss", "nmod", "appos", "npadvmod")


@dataclass
class Context:
    """What the coder remembers of the article so far: the events it coded, in order."""

    events: list[Event] = field(default_factory=list)

    def last_with_both(self) -> Event | None:
        for event in reversed(self.events):
            if event.source and event.target:
                return event
        return None

    def last_meeting(self) -> Event | None:
        """The last meeting or visit with both sides known: whose talks a bare "the meeting" is."""
        for event in reversed(self.events):
            if event.root == "04" and event.source and event.target:
                return event
        return None


class ArgumentFinder:
    """Turns tokens into :class:`Argument` lists for one document."""

    def __init__(self, document: Document, context: Context, excluded: list[Span]) -> None:
        self.document = document
        self.context = context
        self.excluded = excluded
        self.quotes: list[Quote] = list(document.record.quotes)
        # Where each sentence starts, in order: read once, since walking ``doc.sents`` is costly.
        self.sentence_starts: list[int] = [sentence.start_char for sentence in document.doc.sents]

    def _earlier_sentence_starts(self, token: Token) -> list[int]:
        """The starts of the sentences up to and including ``token``'s."""
        return self.sentence_starts[: bisect_right(self.sentence_starts, token.idx)]

    # entities -------------------------------------------------------------------------------
    def _entity(self, token: Token) -> tuple[Entity, Span] | None:
        start, end = token.idx, token.idx + len(token.text)
        if any(span[0] < end and start < span[1] for span in self.excluded):
            return None
        entity = self.document.entity_at(start, end)
        if entity is None:
            return None
        for mention in entity.mentions:
            if mention[0] < end and start < mention[1]:
                return entity, (mention[0], mention[1])
        return entity, (start, end)

    @staticmethod
    def _place_country(entity: Entity) -> str | None:
        if entity.place is not None and entity.place.country:
            return entity.place.country
        return entity.country

    def _as_argument(self, token: Token, allow_place: bool) -> Argument | None:
        found = self._entity(token)
        if found is None:
            return None
        entity, span = found
        if entity.actor:
            return Argument(entity.id, entity.name, entity.actor, span)
        if allow_place and entity.type in PLACE_TYPES:
            country = self._place_country(entity)
            if country:
                return Argument(entity.id, entity.name, country, span)
        return None

    # pronouns -------------------------------------------------------------------------------
    def _is_pronoun(self, token: Token) -> bool:
        """A pronoun, not a name spelt like one: "US" the country is an entity, "us" is not."""
        if token.pos_ != "PRON" and token.lower_ not in FIRST_PERSON | PERSONAL | NON_PERSONAL:
            return False
        return token.text.islower() or token.text.istitle() or self._entity(token) is None

    def _quote_at(self, token: Token) -> Quote | None:
        for quote in self.quotes:
            if quote.span[0] <= token.idx < quote.span[1]:
                return quote
        return None

    def _speaker(self, token: Token) -> Argument | None:
        quote = self._quote_at(token)
        if quote is not None and quote.speaker is not None and quote.speaker.actor:
            speaker = quote.speaker
            return Argument(speaker.entity, speaker.name, speaker.actor, speaker.span)
        governor = speech_governor(token)
        if governor is not None:
            subject = subject_of(governor)
            if subject is not None and not (subject.lower_ in FIRST_PERSON and self._is_pronoun(subject)):
                return self._noun_phrase(subject, allow_place=False, depth=1)
        return None

    def _antecedent(self, token: Token, person: bool) -> Argument | None:
        """The nearest actor mentioned before ``token`` (same or previous two sentences)."""
        earlier = self._earlier_sentence_starts(token)
        window_start = earlier[-3] if len(earlier) >= 3 else 0
        best: tuple[int, Argument] | None = None
        for entity in self.document.record.entities:
            if not entity.actor or (entity.type in PERSON_TYPES) != person:
                continue
            for mention in entity.mentions:
                if window_start <= mention[0] and mention[1] <= token.idx:
                    if any(span[0] < mention[1] and mention[0] < span[1] for span in self.excluded):
                        continue
                    if best is None or mention[0] > best[0]:
                        best = (mention[0], Argument(entity.id, entity.name, entity.actor, mention))
        return best[1] if best else None

    def _pronoun(self, token: Token) -> Argument | None:
        """The actor a pronoun stands for, with the pronoun itself as the evidence span."""
        found = self._pronoun_referent(token)
        if found is None:
            return None
        return Argument(found.entity, found.name, found.actor, (token.idx, token.idx + len(token.text)))

    def _pronoun_referent(self, token: Token) -> Argument | None:
        word = token.lower_
        if word in FIRST_PERSON:
            return self._speaker(token)
        found = self._entity(token)
        if found is not None and found[0].actor:
            return Argument(found[0].id, found[0].name, found[0].actor, found[1])
        governor = speech_governor(token)
        if governor is None and word in PLURAL:
            # "their determination": the two sides of the last event that had two.
            event = self.context.last_with_both()
            if event is not None:
                return None if not event.source else event.source[0]
        if governor is not None:
            subject = subject_of(governor)
            if subject is not None and subject.i != token.i and subject.pos_ != "PRON":
                argument = self._noun_phrase(subject, allow_place=False, depth=1)
                if argument is not None:
                    return argument
        return self._antecedent(token, person=word in PERSONAL)

    # noun phrases ---------------------------------------------------------------------------
    def _collective(self, token: Token) -> list[Argument]:
        """ "The two leaders", "both sides": the participants of the last event with two sides."""
        if token.lemma_.lower() not in COLLECTIVE_NOUNS or token.tag_ not in ("NNS", "NNPS"):
            return []
        determiners = {child.lower_ for child in token.children if child.dep_ in ("nummod", "det", "predet")}
        if not determiners & {"two", "both", "the"}:
            return []
        event = self.context.last_with_both()
        if event is None:
            return []
        phrase = list(token.subtree)
        span = (phrase[0].idx, phrase[-1].idx + len(phrase[-1].text))
        return [Argument(arg.entity, arg.name, arg.actor, span) for arg in [*event.source, *event.target]]

    def _noun_phrase(self, token: Token, allow_place: bool, depth: int = 0) -> Argument | None:
        if self._is_pronoun(token):
            return self._pronoun(token)
        argument = self._as_argument(token, allow_place)
        if argument is not None:
            return argument
        if depth > 2:
            return None
        possessors = children(token, "poss")
        if possessors and token.lemma_.lower() in COUNTRY_NOUNS and self._is_pronoun(possessors[0]):
            # "our country" is the speaker's, "his country" its referent's ("Putin said his
            # country will not lift the ban"): the country, not the person.
            owner = self._pronoun_referent(possessors[0])
            if owner is not None and owner.actor:
                span = (token.idx, token.idx + len(token))
                return Argument(owner.entity, owner.name, owner.actor[:3], span)
        for child in token.children:
            if child.dep_ in NP_MODIFIER_DEPS and child.pos_ != "PRON":
                argument = self._noun_phrase(child, allow_place, depth + 1)
                if argument is not None:
                    return argument
        for child in token.children:
            # "a bombing by the Islamic State group": the agent of a nominal act names who acted.
            if child.dep_ in ("prep", "agent") and child.lower_ in ("of", "from", "in", "by"):
                for grandchild in children(child, "pobj"):
                    argument = self._noun_phrase(grandchild, allow_place and child.lower_ != "of", depth + 1)
                    if argument is not None:
                        return argument
        return None

    def named_argument(self, token: Token, depth: int = 0) -> Argument | None:
        """The entity a phrase names, with its code or none (not a place, not a pronoun): its
        head, or a name that modifies it ("Bosnian Serb units"); for a pronoun under a verb of
        saying, the named one who says it ("Northwind Shipping said it will not end the strike")."""
        if self._is_pronoun(token):
            governor = speech_governor(token)
            subject = subject_of(governor) if governor is not None else None
            if subject is None or subject.i == token.i or self._is_pronoun(subject) or depth:
                return None
            named = self.named_argument(subject, depth + 1)
            if named is None:
                return None
            return Argument(named.entity, named.name, named.actor, (token.idx, token.idx + len(token.text)))
        found = self._entity(token)
        if found is not None and found[0].type not in PLACE_TYPES:
            entity, span = found
            return Argument(entity.id, entity.name, entity.actor, span)
        if depth < 2:
            # "Bush administration officials": the name may modify a modifier.
            for child in token.children:
                if child.dep_ in NP_MODIFIER_DEPS and child.pos_ != "PRON":
                    named = self.named_argument(child, depth + 1)
                    if named is not None:
                        return named
        return None

    def arguments(self, token: Token, allow_place: bool = False, strict: bool = False) -> list[Argument]:
        """The actors a phrase headed by ``token`` names, its coordinated phrases included.

        ``strict``: only the head itself, not actors named inside its phrase (for "the resolution
        that ...", where the resolution is not the U.N. that adopted it).
        """
        if strict:
            heads = [self._as_argument(head, allow_place) for head in [token, *token.conjuncts]]
            return [argument for argument in heads if argument is not None]
        collective = self._collective(token)
        if collective:
            return collective
        found: list[Argument] = []
        for head in [token, *(conj for conj in token.conjuncts if conj.i > token.i)]:
            argument = self._noun_phrase(head, allow_place)
            if argument is not None and all(
                argument.entity != other.entity or argument.entity is None for other in found
            ):
                found.append(argument)
                found.extend(self._each_country_of(head, argument, found))
        return found

    def _each_country_of(self, head: Token, first: Argument, taken: list[Argument]) -> list[Argument]:
        """The other countries' bodies of a plural phrase that names several ("the foreign
        ministers of Armenia and Azerbaijan": AZEGOV beside the ARMGOV the group was coded)."""
        if head.tag_ not in ("NNS", "NNPS") or first.actor is None or len(first.actor) < 3:
            return []
        sector = first.actor[3:]
        codes = {argument.actor for argument in taken}
        extra: list[Argument] = []
        for preposition in children(head, "prep"):
            if preposition.lower_ != "of":
                continue
            for pobj in children(preposition, "pobj"):
                for country in pobj.conjuncts:
                    named = self._as_argument(country, allow_place=True)
                    if named is None or named.actor is None or len(named.actor) != 3:
                        continue
                    code = named.actor + sector
                    if code not in codes:
                        codes.add(code)
                        extra.append(Argument(named.entity, named.name, code, named.span))
        return extra

    def modifier_arguments(self, token: Token, allow_place: bool = False) -> list[Argument]:
        """Actors named inside a phrase but not by its head ("a Security Council resolution")."""
        for child in token.children:
            if child.dep_ in ("poss", "compound", "amod", "nmod") and child.pos_ != "PRON":
                found = self.arguments(child, allow_place)
                if found:
                    return found
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "by", "from"):
                for grandchild in children(child, "pobj"):
                    found = self.arguments(grandchild, allow_place)
                    if found:
                        return found
        return []

    def place_argument(self, token: Token) -> Argument | None:
        """A located place standing for its country (the target of a shelling, a curfew)."""
        found = self._entity(token)
        if found is None or found[0].type not in PLACE_TYPES or found[0].actor:
            return None
        country = self._place_country(found[0])
        return Argument(found[0].id, found[0].name, country, found[1]) if country else None

    def actors_in(self, tokens: list[Token], exclude: set[str | None]) -> list[Argument]:
        """Every distinct actor named in ``tokens``, in text order (for agentless joint events)."""
        found: list[Argument] = []
        seen: set[str | None] = set(exclude)
        for token in tokens:
            argument = self._as_argument(token, allow_place=False)
            if argument is not None and argument.entity not in seen:
                seen.add(argument.entity)
                found.append(argument)
        return found

    def counterpart(self, token: Token, source_countries: set[str]) -> Argument | None:
        """The nearest earlier actor of another country (the other side of the talks)."""
        earlier = self._earlier_sentence_starts(token)
        window_start = earlier[-3] if len(earlier) >= 3 else 0
        sentence_start = earlier[-1] if earlier else 0
        best: tuple[int, Argument] | None = None
        for entity in self.document.record.entities:
            if not entity.actor or entity.actor[:3] in source_countries:
                continue
            for mention in entity.mentions:
                if window_start <= mention[0] and mention[1] <= sentence_start:
                    if any(span[0] < mention[1] and mention[0] < span[1] for span in self.excluded):
                        continue
                    if best is None or mention[0] > best[0]:
                        best = (mention[0], Argument(entity.id, entity.name, entity.actor, mention))
        return best[1] if best else None
