"""The event coder: CAMEO events from the dependency parse, with actors, date, place and evidence.

For each sentence: find the words that name an event (verb patterns, light-verb phrases, nominal
events), climb from each to the words that frame it (intent, refusal, threat, demand, appeal),
recode it through those frames, read negation and modality, then find its source and target
among the actor stage's entities. Every event keeps its trigger span, its sentence and the rule
that fired, so that :func:`dateline.events.explain` can show why it was coded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Span as SentenceSpan
from spacy.tokens import Token

from dateline.events.arguments import PLACE_TYPES, ArgumentFinder, Context
from dateline.events.ontology import MERGED_TYPES, Ontology, load_ontology
from dateline.events.patterns import Pattern, PatternBook, load_patterns
from dateline.events.refine import refine_codes
from dateline.events.syntax import (
    SPEECH_VERBS,
    children,
    clause_head,
    has_negation,
    hyphenated,
    is_passive,
    lemma,
    modal_of,
    passive_agents,
    prep_objects,
    same,
    speech_governor,
    subject_and_kind,
    subject_of,
    with_conjuncts,
)
from dateline.record import Argument, Document, Entity, Event, Place, Plover, Span, Trigger, child_id

COOPERATIVE_ROOTS = frozenset({"03", "04", "05", "06", "07", "08"})
THREAT_ROOTS = frozenset({"14", "16", "17", "18", "19", "20"})
# Events two parties do together: with two coordinated subjects and no target, one becomes the target.
JOINT_ROOTS = frozenset({"03", "04", "05", "06"})
# Taking and releasing people: acts of the state where they happen when nobody is named.
STATE_CUSTODY_CODES = frozenset({"173", "0841"})
REQUEST_NOUNS = frozenset(
    {"request", "demand", "offer", "proposal", "appeal", "call", "plan", "invitation", "bid"}
)
EMBEDDING_PREPOSITIONS = frozenset({"for", "to", "on", "of", "upon", "with", "into", "in"})
SUBORDINATORS = frozenset(
    {
        "after",
        "before",
        "since",
        "because",
        "as",
        "although",
        "though",
        "while",
        "when",
        "until",
        "unless",
        "if",
        "once",
        "whereas",
        "whether",
    }
)
PROMISE_VERBS = frozenset({"offer", "promise", "pledge", "propose", "vow"})
PLACE_PREPOSITIONS = ("in", "at", "near", "to", "into", "on", "outside", "inside", "from")
# Verbs that judge, report or look into an event someone else did: whoever condemns or
# investigates an attack did not carry it out, so a nominal event under one of them takes no
# source from its subject ("Guterres condemned the attack on a church"). Not "defend" or
# "justify", said mostly of one's own acts ("Israel defended its strikes").
_REACTION_WORDS = """condemn denounce criticize criticise deplore decry slam blast blame investigate
probe examine welcome praise hail applaud mourn deny report protest oppose regret lament describe
witness survive recall remember commemorate document question challenge dispute mark"""
REACTION_VERBS = frozenset(_REACTION_WORDS.split())
# Entity labels of words that name a time: no word of one is an event ("on March 4").
DATE_ENTITIES = frozenset({"DATE", "TIME"})
FRAME_MODALITY = {
    "intent": "intent",
    "reject": "refusal",
    "threaten": "threat",
    "demand": "demand",
    "appeal": "appeal",
    "attempt": "attempt",
}

# Prepositions that make a time a deadline or a target, not the day an act happened.
DEADLINE_PREPOSITIONS = frozenset({"by", "before", "until", "till", "through"})

# A date an analyst can put on a calendar (2004-02-06, 2004-02, 2004, or a time on a day); TimeML
# references such as PRESENT_REF or 2004-W06 leave the event on its publication date instead.
_CALENDAR_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?(?:T|$)")


@dataclass
class Match:
    """A word that one pattern matched, with the particle and object the pattern needed."""

    token: Token
    pattern: Pattern
    object: Token | None = None
    particle: Token | None = None
    # A frame word coding alone, with nothing codable under it ("threatened Israel").
    frame_word: bool = False

    def tokens(self) -> list[Token]:
        found = [self.token]
        if self.object is not None:
            found.append(self.object)
        if self.particle is not None:
            found.append(self.particle)
        return found


@dataclass
class Candidate:
    """An event found in a sentence, before it becomes a record :class:`Event`."""

    act: Match
    frames: list[Match] = field(default_factory=list)

    @property
    def outer(self) -> Match:
        return self.frames[-1] if self.frames else self.act

    @property
    def frame_coded(self) -> bool:
        """A frame word gives the code: over the act ("threatened to resume attacks") or standing
        for it ("threatened Israel")."""
        return bool(self.frames) or self.act.frame_word

    def tokens(self) -> list[Token]:
        found = list(self.act.tokens())
        for frame in self.frames:
            found.extend(frame.tokens())
        return found

    def rule(self) -> str:
        return ">".join([*(frame.pattern.rule for frame in reversed(self.frames)), self.act.pattern.rule])


# ------------------------------------------------------------------------------------------------
# matching


def _pos_fits(pattern: Pattern, token: Token) -> bool:
    if pattern.kind == "verb":
        return token.pos_ in ("VERB", "AUX") or (token.pos_ == "ADJ" and token.tag_ == "VBN")
    if pattern.kind == "noun":
        return token.pos_ in ("NOUN", "PROPN")
    return token.pos_ in ("ADJ", "VERB")


def _object_candidates(token: Token) -> list[Token]:
    found: list[Token] = []
    for child in token.children:
        if child.dep_ == "ccomp" and child.pos_ in ("VERB", "AUX"):
            continue  # a clause's verb is its own event ("announced they are boycotting the poll")
        if child.dep_ in ("dobj", "nsubjpass", "attr", "oprd", "dative", "xcomp", "acomp", "ccomp"):
            found.append(child)
        elif child.dep_ in ("prep", "agent"):
            found.extend(children(child, "pobj"))
    if token.dep_ == "acl" and token.head.pos_ in ("NOUN", "PROPN"):
        found.append(token.head)  # "the meeting held with Putin"
    expanded: list[Token] = []
    for item in found:
        for conjunct in with_conjuncts(item):
            expanded.append(conjunct)
            expanded.extend(prep_objects(conjunct, "of"))
    return expanded


def _words(token: Token) -> set[str]:
    words = {lemma(token), token.lower_}
    joined = hyphenated(token)
    if joined:
        words.add(joined)
    for child in token.children:
        if child.dep_ in ("compound", "amod", "nmod"):
            words.update({lemma(child), child.lower_})
    return words


def _particle(token: Token, particle: str) -> Token | None:
    for child in token.children:
        if child.dep_ in ("prt", "prep", "advmod", "agent") and child.lower_ == particle:
            return child
    return None


def _noun_modifier(token: Token, wanted: frozenset[str]) -> Token | None:
    for child in token.children:
        if child.dep_ in ("compound", "amod", "nmod") and (lemma(child) in wanted or child.lower_ in wanted):
            return child
    return None


def match_token(token: Token, book: PatternBook) -> tuple[Match | None, Match | None]:
    """The best event pattern and the best frame pattern for one word (either may be None)."""
    best_act: Match | None = None
    best_frame: Match | None = None
    if token.ent_type_ in DATE_ENTITIES:
        return None, None
    patterns = book.for_lemma(lemma(token))
    joined = hyphenated(token)
    if joined:
        patterns = patterns + book.for_lemma(joined)
    for pattern in patterns:
        if not _pos_fits(pattern, token):
            continue
        particle = None
        if pattern.particle:
            particle = _particle(token, pattern.particle)
            if particle is None:
                continue
        obj = None
        if pattern.objects:
            if pattern.kind == "noun":
                obj = _noun_modifier(token, pattern.objects)
            else:
                obj = next((o for o in _object_candidates(token) if _words(o) & pattern.objects), None)
            if obj is None:
                continue
        match = Match(token, pattern, obj, particle)
        if pattern.frame:
            if best_frame is None or pattern.specificity > best_frame.pattern.specificity:
                best_frame = match
        elif best_act is None or pattern.specificity > best_act.pattern.specificity:
            best_act = match
    if best_act is not None and not best_act.pattern.is_event:
        best_act = None
    return best_act, best_frame


def _as_act(pattern: Pattern) -> Pattern:
    return Pattern(
        rule=pattern.rule,
        kind=pattern.kind,
        lemmas=pattern.lemmas,
        particle=pattern.particle,
        objects=pattern.objects,
        cameo=pattern.cameo,
        frame=None,
        target_slots=pattern.target_slots,
        target_required=pattern.target_required,
        description=pattern.description,
    )


def _governor(token: Token) -> Token | None:
    """The word under which ``token`` is embedded as a complement, if any."""
    if token.dep_ == "conj":
        return _governor(token.head)
    if token.dep_ in ("xcomp", "ccomp", "dobj", "nsubjpass", "acl", "attr", "oprd"):
        return token.head
    if (
        token.dep_ in ("pobj", "pcomp")
        and token.head.dep_ in ("prep", "dative")
        and token.head.lower_ in EMBEDDING_PREPOSITIONS
    ):
        return token.head.head
    return None


def _infinitive(token: Token) -> bool:
    return any(child.dep_ == "aux" and child.lower_ == "to" for child in token.children)


def _is_purpose_or_content(token: Token, acts: set[int], frames: set[int]) -> bool:
    """Whether an event word only says what another event is for or about.

    "blocked roads to press their demands", "opened fire to disperse", "banned them from
    participating", "accused them of violating": the inner clause belongs to the outer event.
    A complement of a frame ("wants to participate") is the framed event itself, not a purpose.
    """
    head = token.head
    if head.i == token.i:
        return False
    if token.dep_ == "conj":
        return _is_purpose_or_content(head, acts, frames)
    infinitive = any(child.dep_ == "aux" and child.lower_ == "to" for child in token.children)
    if token.dep_ == "advcl" and head.i in acts and head.i not in frames:
        return infinitive
    if token.dep_ in ("acl", "relcl") and head.i in acts and head.i not in frames:
        return infinitive
    if token.dep_ == "xcomp" and head.i in acts and head.i not in frames:
        return True
    return token.dep_ == "pcomp" and head.dep_ == "prep" and head.head.i in acts and head.head.i not in frames


def _under(token: Token, top: Token, deps: tuple[str, ...]) -> bool:
    """Whether ``token`` sits in a phrase of one of ``deps`` below ``top`` (or is that phrase)."""
    current = token
    while current.i != top.i and current.head.i != current.i:
        if current.dep_ in deps:
            return True
        current = current.head
    return False


def _is_main_predicate(token: Token) -> bool:
    """The sentence's own statement: its root, a verb coordinated with it, or what a root verb of
    saying reports ("X said Y was attacked")."""
    current = clause_head(token) if token.pos_ in ("NOUN", "PROPN") else token
    if current.dep_ in ("nsubj", "nsubjpass", "csubj"):
        current = current.head
    for _ in range(4):
        if current.dep_ == "ROOT":
            return True
        if current.dep_ == "conj" or (
            current.dep_ in ("ccomp", "xcomp") and current.head.lemma_ in SPEECH_VERBS
        ):
            current = current.head
            continue
        if current.dep_ == "xcomp":
            current = current.head
            continue
        return False
    return False


def _in_background_clause(token: Token) -> bool:
    """Inside an adverbial clause of time, cause, concession or condition ("after X attacked Y")."""
    current = token
    for _ in range(12):
        if current.dep_ == "advcl" and any(
            child.dep_ == "mark" and child.lower_ in SUBORDINATORS for child in current.children
        ):
            return True
        if current.dep_ == "pcomp" and current.head.lower_ in SUBORDINATORS:
            return True
        if current.head.i == current.i:
            return False
        current = current.head
    return False


# ------------------------------------------------------------------------------------------------
# the coder


class SentenceCoder:
    def __init__(self, document: Document, book: PatternBook, ontology: Ontology) -> None:
        self.document = document
        self.book = book
        self.ontology = ontology
        self.context = Context()
        self.finder = ArgumentFinder(document, self.context, _dateline_spans(document))
        self._frame_rules = {pattern.rule for pattern in book.patterns if pattern.frame}

    # -- finding candidates -----------------------------------------------------------------
    def candidates(self, sentence: SentenceSpan) -> list[Candidate]:
        acts: dict[int, Match] = {}
        frames: dict[int, Match] = {}
        for token in sentence:
            act, frame = match_token(token, self.book)
            if act is not None:
                acts[token.i] = act
            if frame is not None:
                frames[token.i] = frame
        consumed = {act.object.i for act in acts.values() if act.object is not None}
        for index in consumed:
            acts.pop(index, None)
            frames.pop(index, None)
        act_indexes, frame_indexes = set(acts), set(frames)
        for index in sorted(act_indexes | frame_indexes):
            if _is_purpose_or_content(sentence.doc[index], act_indexes, frame_indexes):
                acts.pop(index, None)
                frames.pop(index, None)
        # A word framing an event under it is a frame; otherwise its own pattern (if any) codes it.
        embedded_in: dict[int, int] = {}
        for index in list(acts) + list(frames):
            governor = _governor(sentence.doc[index])
            if governor is not None and governor.i in frames and governor.i != index:
                embedded_in[index] = governor.i
        # "sworn to fight" parsed as a purpose clause: the frame's complement when it has no other;
        # otherwise a purpose ("continued their hunger strike to demand ...") that is no event.
        for index in list(acts) + list(frames):
            token = sentence.doc[index]
            if token.dep_ == "advcl" and token.head.i in frames and _infinitive(token):
                if token.head.i in embedded_in.values():
                    acts.pop(index, None)
                    frames.pop(index, None)
                else:
                    embedded_in[index] = token.head.i
        governing = set(embedded_in.values())
        candidates: list[Candidate] = []
        for index in sorted(set(acts) | set(frames)):
            if index in governing:
                continue  # it frames the event under it, which reaches it by climbing
            match = acts.get(index)
            frame = frames.get(index)
            if (
                match is not None
                and frame is not None
                and match.object is not None
                and (lemma(frame.token) in PROMISE_VERBS)
            ):
                # "offered asylum", "pledged aid": the promise of the act, not the act.
                candidates.append(self._climb(match, frames, embedded_in, [frame]))
                continue
            if match is None:
                match = self._frame_as_act(frames[index])
                if match is None:
                    continue
            candidates.append(self._climb(match, frames, embedded_in))
        # A frame over nothing codable ("threatened to resume terrorist activities") codes itself.
        used = {frame.token.i for candidate in candidates for frame in candidate.frames}
        for index in sorted(governing - used):
            own = self._frame_as_act(frames[index])
            if own is not None and index not in used:
                candidate = self._climb(own, frames, embedded_in)
                used |= {frame.token.i for frame in candidate.frames}
                candidates.append(candidate)
        return [c for c in candidates if not _in_background_clause(c.outer.token)]

    @staticmethod
    def _frame_as_act(frame: Match) -> Match | None:
        if not frame.pattern.cameo:
            return None
        return Match(frame.token, _as_act(frame.pattern), frame.object, frame.particle, frame_word=True)

    def _climb(
        self,
        act: Match,
        frames: dict[int, Match],
        embedded_in: dict[int, int],
        first: list[Match] | None = None,
    ) -> Candidate:
        candidate = Candidate(act, list(first or []))
        index = act.token.i
        seen = {index}
        while index in embedded_in and embedded_in[index] not in seen:
            index = embedded_in[index]
            seen.add(index)
            candidate.frames.append(frames[index])
        return candidate

    # -- coding -----------------------------------------------------------------------------
    def code(self, candidate: Candidate) -> tuple[str, str | None, bool]:
        """The CAMEO code, modality and negation of a candidate."""
        act = candidate.act
        assert act.pattern.cameo is not None
        code = self.book.refine(act.pattern.cameo, self._modifier_words(act))
        modality: str | None = None
        for frame in candidate.frames:
            assert frame.pattern.frame is not None
            code = self.book.apply_frame(frame.pattern.frame, code)
            modality = FRAME_MODALITY.get(frame.pattern.frame, modality)
        negated = has_negation(act.token) or any(has_negation(frame.token) for frame in candidate.frames)
        if act.token.pos_ in ("NOUN", "PROPN") and any(c.lower_ == "no" for c in act.token.children):
            negated = True
        outer = candidate.outer.token
        verb = outer if outer.pos_ not in ("NOUN", "PROPN") else clause_head(outer)
        modal = modal_of(verb)
        if negated:
            frames_used = {frame.pattern.frame for frame in candidate.frames}
            if code[:2] in COOPERATIVE_ROOTS and (modal in ("future", "possible") or "intent" in frames_used):
                # "will not accept", "does not want to meet": a refusal, coded as CAMEO's REJECT.
                code = self.book.apply_frame(
                    "reject",
                    code
                    if "intent" not in frames_used
                    else self.book.refine(act.pattern.cameo, self._modifier_words(act)),
                )
                return code, "refusal", False
            return code, modality or (modal if modal != "obligation" else None), True
        if not candidate.frames and modal in ("future", "possible"):
            if code[:2] in COOPERATIVE_ROOTS and code[:2] != "03":
                code = self.book.apply_frame("intent", code)
            elif code[:2] in THREAT_ROOTS:
                code = self.book.apply_frame("threaten", code)
            modality = modal
        if not candidate.frames and modal == "obligation":
            modality = modal
        return code, modality, False

    def _demanders(self, candidate: Candidate) -> list[Argument]:
        """Who says that someone must act: the subject of the verb of saying (or of the clause
        holding the reminder, warning or statement) above the "must" clause."""
        current = candidate.outer.token
        for _ in range(6):
            if current.dep_ in ("ccomp", "acl", "relcl", "advcl", "xcomp") and current.head.i != current.i:
                parent = current.head
                if parent.pos_ in ("NOUN", "PROPN"):
                    parent = clause_head(parent)
                    if parent.pos_ in ("NOUN", "PROPN"):
                        return []
                subject = subject_of(parent)
                if subject is not None:
                    return self.finder.arguments(subject)
                current = parent
                continue
            if current.dep_ == "conj":
                current = current.head
                continue
            return []
        return []

    def _modifier_words(self, match: Match) -> set[str]:
        words: set[str] = set()
        for token in match.tokens():
            words |= _words(token)
            for child in token.children:
                if child.dep_ in ("amod", "compound", "nmod", "dobj", "npadvmod"):
                    words |= _words(child)
                    for conj in child.conjuncts:
                        words |= _words(conj)
                if child.dep_ == "prep":
                    for pobj in children(child, "pobj"):
                        words |= _words(pobj)
                        for of in prep_objects(pobj, "of"):
                            words |= _words(of)
        return words

    # -- arguments --------------------------------------------------------------------------
    def _nominal_source(self, token: Token) -> list[Argument]:
        for child in token.children:
            if child.dep_ == "poss":
                found = self.finder.arguments(child)
                if found:
                    return found
        for child in token.children:
            if child.dep_ in ("compound", "amod", "nmod"):
                found = self.finder.arguments(child)
                if found:
                    return found
        for preposition in ("by", "from"):
            for pobj in prep_objects(token, preposition):
                found = self.finder.arguments(pobj)
                if found:
                    return found
        return []

    def sources(self, candidate: Candidate) -> list[Argument]:
        token = candidate.outer.token
        if token.pos_ in ("NOUN", "PROPN"):
            own = self._nominal_source(token)
            if own:
                return own
        phrase, thing = self._source_phrase(candidate)
        return self.finder.arguments(phrase, strict=thing) if phrase is not None else []

    def _source_phrase(self, candidate: Candidate) -> tuple[Token | None, bool]:
        """The phrase that says who acted: the passive's agent or the clause's subject, and
        whether that subject is a thing a relative clause is about (see subject_and_kind)."""
        token = candidate.outer.token
        if token.pos_ in ("NOUN", "PROPN"):
            head = clause_head(token)
            if same(head, token) or lemma(head) in REACTION_VERBS:
                return None, False
            token = head
        agents = passive_agents(token)
        if agents:
            return agents[0], False
        if is_passive(token):
            return None, False
        return subject_and_kind(token)

    def named_sources(self, candidate: Candidate) -> list[Argument]:
        """Who acted, where it is a named entity with no actor code ("USAID", "Bosnian Serb
        units"): the event still says who did it, with no code to claim more."""
        phrase, thing = self._source_phrase(candidate)
        if phrase is None or thing:
            return []
        named = self.finder.named_argument(phrase)
        return [named] if named is not None else []

    def _slot_arguments(self, match: Match) -> list[Argument]:
        pattern = match.pattern
        allow_place = "place" in pattern.target_slots
        hosts = [match.token]
        if match.object is not None and not same(match.object, match.token):
            hosts.append(match.object)
        hosts.extend(child for child in match.token.children if child.dep_ == "acl")
        if match.token.dep_ == "acl":
            hosts.append(match.token.head)
        hosts.extend(
            child for child in match.token.children if child.dep_ == "dobj" and not same(child, match.object)
        )
        for slot in pattern.target_slots:
            found: list[Argument] = []
            if slot == "dobj":
                for obj in children(match.token, "dobj"):
                    if not same(obj, match.object):
                        found = found or self.finder.arguments(obj, allow_place)
                if not found and match.object is not None and match.token.pos_ != "NOUN":
                    # "vetoed a Security Council resolution", "expelled two Russian diplomats"
                    found = self.finder.modifier_arguments(match.object, allow_place)
                for clause in children(match.token, "ccomp", "xcomp"):
                    # "allowed X to participate": X is the object, parsed as the clause's subject
                    for subject in children(clause, "nsubj"):
                        found = found or self.finder.arguments(subject, allow_place)
            elif slot == "iobj":
                for obj in children(match.token, "dative"):
                    found = self.finder.arguments(obj, allow_place)
            elif slot == "poss":
                host = match.object or match.token
                for obj in children(host, "poss"):
                    found = self.finder.arguments(obj)
            elif slot == "place":
                for host in hosts:
                    for preposition in PLACE_PREPOSITIONS:
                        for pobj in prep_objects(host, preposition):
                            found = found or self.finder.arguments(pobj, allow_place=True)
            else:
                for host in hosts:
                    for pobj in prep_objects(host, slot):
                        found = found or self.finder.arguments(pobj, allow_place)
            if found:
                return found
        return []

    def _unnamed_parties(
        self, candidate: Candidate, targets: list[Argument]
    ) -> tuple[list[Argument], list[Argument], bool]:
        """Who held talks no subject names ("Talks are being held on X between A and B", "the
        meeting with Putin, Aliyev said", "following the meeting with the minister").

        First the actors the clause itself names, then whoever reports the meeting, then the one
        who held the last meeting of the article (the visitor). The bool says it was inferred.
        """
        taken = {argument.entity for argument in targets}
        outer = candidate.outer.token
        trigger = {token.i for token in candidate.tokens()}
        present = self.finder.actors_in([t for t in outer.subtree if t.i not in trigger], taken)
        if present:
            return present[:1], targets or present[1:], False
        governor = speech_governor(outer)
        if governor is not None:
            subject = subject_of(governor)
            reporters = self.finder.arguments(subject) if subject is not None else []
            reporters = [argument for argument in reporters if argument.entity not in taken]
            if reporters:
                return reporters, targets, True
        previous = self.context.last_meeting()
        if previous is not None:
            return [argument for argument in previous.source if argument.entity not in taken], targets, True
        return [], targets, False

    def _country_where(self, token: Token) -> list[Argument]:
        """The country a verb's "in" phrase names, as an actor ("arrested in Rwanda", "in Goma")."""
        for pobj in prep_objects(token, "in"):
            found = self.finder.arguments(pobj, allow_place=True)
            found = [argument for argument in found if argument.actor and len(argument.actor) == 3]
            if found:
                return found[:1]
        return []

    def _own_target(self, candidate: Candidate) -> bool:
        """Whether a nominal event names its own other side ("the meeting with Putin")."""
        return bool(self._slot_arguments(candidate.outer)) or bool(self._slot_arguments(candidate.act))

    def targets(self, candidate: Candidate) -> list[Argument]:
        chain = [candidate.act, *candidate.frames]
        for position in range(len(chain) - 1, 0, -1):
            frame = chain[position]
            if frame.pattern.frame in ("demand", "appeal"):
                found = self._slot_arguments(frame)
                if found:
                    return found
                inner = chain[position - 1].token
                for subject in children(inner, "nsubj"):
                    found = self.finder.arguments(subject)
                    if found:
                        return found
            if frame.pattern.frame == "reject":
                for obj in children(frame.token, "dobj"):
                    if lemma(obj) in REQUEST_NOUNS:
                        found = self._nominal_source(obj)
                        if found:
                            return found
        found = self._slot_arguments(candidate.act)
        if found:
            return found
        for match in chain:
            for patient in children(match.token, "nsubjpass"):
                if not same(patient, candidate.act.object) and not same(patient, candidate.act.token):
                    found = self.finder.arguments(patient, allow_place="place" in match.pattern.target_slots)
                    if found:
                        return found
        for frame in candidate.frames:
            found = self._slot_arguments(frame)
            if found:
                return found
        if candidate.act.pattern.rule in self._frame_rules:
            # "demanded that Hamas renounce ...", "threatened to resume attacks in Israel"
            for clause in children(candidate.act.token, "ccomp", "xcomp"):
                for subject in children(clause, "nsubj"):
                    found = self.finder.arguments(subject)
                    if found:
                        return found
        return []

    def fallback_targets(self, candidate: Candidate, sources: list[Argument]) -> list[Argument]:
        """For a conflictual event with no target in its slots, the first other actor the act's own
        phrase names ("threatened to launch an offensive in its war with Iraq")."""
        taken = {argument.entity for argument in sources}
        token = candidate.act.token
        inside = [t for t in token.subtree if not _under(t, token, ("relcl", "appos", "nsubj", "nsubjpass"))]
        matched = candidate.act.object
        if matched is not None and not same(matched, token):
            # The object the rule matched is part of the act ("deployed troops to the border with
            # Ukraine"): the troops are what was deployed, not whom it was against.
            phrase = {t.i for t in matched.subtree if t.i <= matched.i}
            inside = [t for t in inside if t.i not in phrase]
        found = self.finder.actors_in(inside, taken)
        if not found:
            places = [
                argument
                for t in inside
                if t.dep_ == "pobj" and (argument := self.finder.place_argument(t)) is not None
            ]
            found = [argument for argument in places if argument.actor not in {a.actor for a in sources}]
        return found[:1]

    # -- building the event -----------------------------------------------------------------
    def build(
        self, candidate: Candidate, sentence: SentenceSpan, sentence_index: int, named_only_ok: bool = True
    ) -> Event | None:
        code, modality, negated = self.code(candidate)
        if code not in self.ontology:
            return None
        sources = self.sources(candidate)
        targets = self.targets(candidate)
        if modality == "obligation":
            # "Russia said that Sudan must return the helicopter": Russia demands it of Sudan.
            demanders = self._demanders(candidate)
            if demanders and {a.entity for a in demanders}.isdisjoint({a.entity for a in sources}):
                code = self.book.apply_frame("demand", code)
                sources, targets, modality = demanders, sources or targets, "demand"
        confidence = 0.5
        # Nobody acts on themselves: drop a target that is a source (same entity or same code).
        source_entities = {argument.entity for argument in sources}
        source_codes = {argument.actor for argument in sources}
        targets = [a for a in targets if a.entity not in source_entities and a.actor not in source_codes]
        if not targets and len({argument.actor for argument in sources}) > 1 and code[:2] in JOINT_ROOTS:
            sources, targets = sources[:1], sources[1:]
        root = code[:2]
        # Who acted, where it is named with no actor code ("USAID", "Acme Mining").
        named = self.named_sources(candidate) if not sources else []
        joint = root == "04" or code in ("057", "030", "0871")
        if not sources and joint and not named:
            # (A subject named with no code still held the talks: "The ONLF declared a ceasefire
            # in Somalia" is not Somalia's.)
            sources, targets, inferred = self._unnamed_parties(candidate, targets)
            confidence -= 0.15 if inferred else 0.0
        if not sources and code in STATE_CUSTODY_CODES and is_passive(candidate.act.token):
            # "was arrested in Rwanda", "were released in Libya": with nobody named, the state
            # where it happened holds people.
            sources = self._country_where(candidate.act.token)
            confidence -= 0.15 if sources else 0.0
        if not targets and sources and int(root) >= 10 and not children(candidate.act.token, "nsubjpass"):
            # (A passive's subject is its target, coded or not: "the activist was arrested in
            # Rwanda for collaborating with rebels" is not done to the rebels.)
            targets = self.fallback_targets(candidate, sources)
            confidence -= 0.1 if targets else 0.0
        if sources and not targets and root in COOPERATIVE_ROOTS and root != "04":
            counterpart = self.finder.counterpart(
                candidate.act.token, {a.actor[:3] for a in sources if a.actor}
            )
            if counterpart is not None:
                targets = [counterpart]
                confidence -= 0.15
        if not sources and not targets:
            # Who acted may be named with no code ("Acme Mining has agreed to ..."): the model
            # decides whether that is an event (see is_named_only), never the rules alone.
            sources = named if named_only_ok else []
            if not sources:
                return None
        outer = candidate.outer.token
        if (
            outer.pos_ in ("NOUN", "PROPN")
            and same(clause_head(outer), outer)
            and not self._own_target(candidate)
        ):
            return None  # "after a demonstration", "since the invasion": a mention, not the event told
        if not sources and not _is_main_predicate(outer):
            return None  # "where 28 people were killed": background with nobody doing it
        if candidate.act.pattern.target_required and not targets:
            return None
        tokens = sorted(candidate.tokens(), key=lambda token: token.i)
        span: Span = (tokens[0].idx, tokens[-1].idx + len(tokens[-1].text))
        record = self.document.record
        entry = self.ontology.code(code)
        date_value, date_text, date_kind = self._date(candidate, sentence)
        confidence += 0.2 if sources else 0.0
        confidence += 0.15 if targets else 0.0
        confidence += 0.1 if candidate.act.pattern.specificity > 1 else 0.0
        # Only now: an uncoded source names who acted but is no reason to keep an event.
        sources = sources or named
        return Event(
            id=child_id(record.id, "event", span, code),
            sentence=sentence_index,
            trigger=Trigger(record.text[span[0] : span[1]], span),
            source=sources,
            target=targets,
            cameo=code,
            root=entry.root,
            quad_class=entry.quad_class,
            goldstein=entry.goldstein,
            plover=Plover(entry.plover_type, entry.plover_mode) if entry.plover_type else None,
            date=date_value,
            date_text=date_text,
            date_kind=date_kind,  # type: ignore[arg-type]
            place=self._place(candidate, sentence, sources, targets),
            negated=negated,
            modality=modality,
            confidence=round(max(0.05, min(confidence, 0.99)), 2),
            rule=candidate.rule(),
        )

    def _date(
        self, candidate: Candidate, sentence: SentenceSpan
    ) -> tuple[str | None, str | None, str | None]:
        outer = candidate.outer.token
        head = outer if outer.pos_ not in ("NOUN", "PROPN") else clause_head(outer)
        subtree = (
            min(token.idx for token in head.subtree),
            max(token.idx + len(token.text) for token in head.subtree),
        )
        usable = [
            time
            for time in self.document.times
            if time.value
            and time.granularity in ("day", "month", "year", "time")
            and _CALENDAR_DATE.match(time.value)
            and sentence.start_char <= time.span[0] < sentence.end_char
        ]
        usable = [time for time in usable if not self._is_deadline(time.span)]
        inside = [time for time in usable if subtree[0] <= time.span[0] < subtree[1]]
        daily = [time for time in usable if time.granularity in ("day", "time")]
        chosen = (inside or daily)[0] if (inside or daily) else None
        if chosen is not None and chosen.value:
            value = chosen.value[:10] if chosen.granularity == "time" else chosen.value
            return value, chosen.text, "text"
        published = self.document.record.published
        if published:
            return published[:10], None, "published"
        return None, None, None

    def _is_deadline(self, span: Span) -> bool:
        """A time that bounds or aims, not one that dates: "to $10 billion by 2026", "before the
        November election", "until March", "ahead of the summit"."""
        words = self.document.doc.char_span(span[0], span[1], alignment_mode="expand")
        if words is None or not len(words):
            return False
        root = words.root
        # "the November election": the time names its phrase's head.
        while root.dep_ in ("compound", "amod", "nmod", "nummod", "poss") and root.head.i != root.i:
            root = root.head
        if root.dep_ != "pobj":
            return False
        preposition = root.head
        if preposition.lower_ == "of" and preposition.head.lower_ == "ahead":
            return True
        return preposition.lower_ in DEADLINE_PREPOSITIONS

    def _place(
        self, candidate: Candidate, sentence: SentenceSpan, sources: list[Argument], targets: list[Argument]
    ) -> Place | None:
        entities = {entity.id: entity for entity in self.document.record.entities}
        for argument in targets:
            entity = entities.get(argument.entity or "")
            if entity is not None and entity.place is not None and not entity.actor:
                return _copy_place(entity)
        used = {argument.entity for argument in [*sources, *targets]}
        outer = candidate.outer.token
        scope = outer.subtree if outer.pos_ not in ("NOUN", "PROPN") else clause_head(outer).subtree
        located: list[Entity] = []
        for token in scope:
            if token.dep_ == "pobj" and token.head.lower_ in ("in", "at", "near", "outside", "inside"):
                entity = self.document.entity_at(token.idx, token.idx + len(token.text))
                if (
                    entity is not None
                    and entity.type in PLACE_TYPES
                    and entity.id not in used
                    and entity.place
                ):
                    located.append(entity)
        if located:
            return _copy_place(located[0])
        named: list[Entity] = []  # places the sentence names, its parties' countries among them
        for entity in self.document.record.entities:
            if entity.type not in PLACE_TYPES or entity.place is None:
                continue
            in_sentence = any(sentence.start_char <= m[0] < sentence.end_char for m in entity.mentions)
            in_dateline = any(_overlaps(m, span) for m in entity.mentions for span in self.finder.excluded)
            if not in_sentence or in_dateline:
                continue
            if entity.id not in used and not entity.actor:
                return _copy_place(entity)
            named.append(entity)
        dateline = _dateline_place(self.document)
        # The dateline is where the reporter was: the event's place only when the sentence names
        # or implies no other country ("fighting between Kyrgyzstan and Tajikistan" datelined New
        # York happened in Central Asia).
        if dateline is None or dateline.country is None:
            return dateline
        home = dateline.country
        if named and all(entity.place is not None and entity.place.country != home for entity in named):
            return _copy_place(named[0])
        countries = {argument.actor[:3] for argument in [*sources, *targets] if argument.actor}
        if countries and home not in countries:
            return None
        return dateline


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _copy_place(entity: Entity) -> Place:
    if entity.place is not None:
        return Place(
            entity.place.name,
            entity.place.lat,
            entity.place.lon,
            entity.place.country,
            entity.place.geonames_id,
            entity.place.precision,
        )
    return Place(entity.name, country=entity.country)


# A dateline left in a paragraph's opening: an upper-case place (or a title-case one a date
# follows), maybe its region, date and agency, and a dash or colon ("BERLIN --", "ALGIERS,
# Algeria -", "ADDIS ABABA, May 15 (Xinhua) --", "Tehran, March 15, IRNA -", "KABUL (Pajhwok) :").
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_WRITTEN_DATELINE = re.compile(
    r"(?:^|\n)[ \t]*("
    # "MOSCOW", "LIMA, Peru", or a town in title case where a date follows ("Tehran, March 15")
    r"(?:[A-Z][A-Z.'\- ]{2,30}[A-Z.](?:, ?[A-Z][A-Za-z.' ]{1,30}?)?"
    r"|[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}(?=, " + _MONTH + r" \d))"
    r"(?:, " + _MONTH + r" \d{1,2})?"  # ", May 15"
    r"(?:, ?[A-Z][A-Za-z]{1,15}(?= ?(?:—|–|--|-|:)))?"  # ", IRNA"
    r"(?: ?\([^)\n]{1,40}\))?)"  # "(AP)"
    r" ?(?:—|–|--| -(?= )|:(?= ))"
)


def _dateline_spans(document: Document) -> list[Span]:
    """Where a dateline stands in the text: the record's ("MOSCOW (Combined Sources)–") at its
    head, and those left at the opening of a paragraph of raw text. Its place acts in nothing."""
    text = document.record.text
    places = [
        mention[0]
        for entity in document.record.entities
        if entity.place is not None or entity.type in PLACE_TYPES
        for mention in entity.mentions
    ]
    # A place's name, not an organisation's ("NATO - the alliance ...").
    written = [match.span(1) for match in _WRITTEN_DATELINE.finditer(text) if match.start(1) in places]
    return written + [span for span in _record_dateline_span(document) if span not in written]


def _record_dateline_span(document: Document) -> list[Span]:
    dateline = document.record.dateline
    if dateline is None or not dateline.place:
        return []
    text = document.record.text
    # Only a dateline left at the head of the text counts; the same name later is the place itself.
    match = re.match(r"\s*(" + re.escape(dateline.place) + r")\b", text, flags=re.IGNORECASE)
    if match is None:
        return []
    end = match.end()
    tail = re.match(r"[^\n.]{0,80}?(?:—|–|--| - |:)", text[end:])
    if tail is not None:
        end += tail.end()
    return [(match.start(1), end)]


def _dateline_place(document: Document) -> Place | None:
    dateline = document.record.dateline
    if dateline is None or not dateline.place:
        return None
    name = dateline.place
    try:
        from dateline import actors

        geocode = getattr(actors, "geocode", None)
    except ImportError:  # pragma: no cover - the actor stage is part of the package
        geocode = None
    if geocode is not None:
        found = geocode(name)
        if isinstance(found, Place):
            return found
    for entity in document.record.entities:
        if entity.name.lower() == name.lower() and entity.place is not None:
            return _copy_place(entity)
    return Place(name)


# The code a type gets when the model overrules the rule's code: the type's broadest CAMEO code.
DEFAULT_CODE = {
    "AGREE": "03",
    "CONSULT": "04",
    "SUPPORT": "05",
    "COOPERATE": "06",
    "AID": "07",
    "YIELD": "08",
    "ACCUSE": "09",
    "REQUEST": "10",
    "REJECT": "12",
    "THREATEN": "13",
    "PROTEST": "14",
    "MOBILIZE": "15",
    "SANCTION": "16",
    "COERCE": "17",
    "ASSAULT": "18",
}
MAIN_VERB_RULE = "main-verb"


def is_named_only(event: Event) -> bool:
    """An event whose only party is a source named with no actor code: only the model keeps it."""
    return not event.target and all(argument.actor is None for argument in event.source)


def training_type(event: Event) -> str | None:
    if event.plover is None:
        return None
    return MERGED_TYPES.get(event.plover.type, event.plover.type)


def _main_verb(sentence: SentenceSpan) -> Token | None:
    root = sentence.root
    if root.pos_ in ("VERB", "AUX") and lemma(root) in SPEECH_VERBS:
        for clause in children(root, "ccomp"):
            return clause
    return root if root.pos_ in ("VERB", "AUX", "NOUN") else None


@dataclass
class Coded:
    """An event as the rules (or the main-verb fallback) built it, with the model's features."""

    event: Event
    features: dict[str, float]
    fallback: bool
    # The rule's act is under no frame ("deployed troops", not "offered to send troops").
    unframed: bool = False
    # See Candidate.frame_coded.
    frame_coded: bool = False


def code_candidates(document: Document) -> list[Coded]:
    """Every sentence's rule events, and its main verb's frame where no rule fired, before typing."""
    from dateline.events.model import features

    coder = SentenceCoder(document, load_patterns(), load_ontology())
    entities = {entity.id: entity for entity in document.record.entities}
    found: list[Coded] = []

    def argument_types(event: Event) -> tuple[str, ...]:
        kinds = []
        for side, arguments in (("s", event.source), ("t", event.target)):
            for argument in arguments[:1]:
                entity = entities.get(argument.entity or "")
                if argument.actor is None:
                    kinds.append(f"{side}:uncoded")
                    continue
                kinds.append(f"{side}:{entity.type if entity else 'none'}")
                kinds.append(f"{side}:{argument.actor[3:6] or 'ctry'}")
        return tuple(kinds)

    for sentence_index, sentence in enumerate(document.doc.sents):
        built = 0
        for candidate in coder.candidates(sentence):
            event = coder.build(candidate, sentence, sentence_index)
            if event is None:
                continue
            built += 1
            row = features(sentence, candidate.act.token, event.cameo, event.rule, argument_types(event))
            found.append(Coded(event, row, False, not candidate.frames, candidate.frame_coded))
            if not event.negated:
                coder.context.events.append(event)
        if built:
            continue
        verb = _main_verb(sentence)
        if verb is None:
            continue
        pattern = Pattern(
            rule=MAIN_VERB_RULE,
            kind="verb" if verb.pos_ != "NOUN" else "noun",
            lemmas=frozenset({lemma(verb)}),
            particle=None,
            objects=frozenset(),
            cameo="03",
            frame=None,
            target_slots=("dobj", "with", "to", "against", "on", "from", "for", "of", "into"),
            target_required=False,
            description="the sentence's main verb, typed by the model",
        )
        event = coder.build(Candidate(Match(verb, pattern)), sentence, sentence_index, named_only_ok=False)
        if event is None:
            continue
        row = features(sentence, verb, None, MAIN_VERB_RULE, argument_types(event))
        found.append(Coded(event, row, True))
    return found


def _retype(event: Event, kind: str, ranked: tuple[tuple[str, float], ...], ontology: Ontology) -> None:
    if training_type(event) != kind:
        code = DEFAULT_CODE[kind]
        entry = ontology.code(code)
        event.cameo, event.root = code, entry.root
        event.quad_class, event.goldstein = entry.quad_class, entry.goldstein
        event.plover = Plover(entry.plover_type, entry.plover_mode) if entry.plover_type else None
    event.confidence = round(max(0.05, min(ranked[0][1], 0.99)), 2)
    # The model's ranking leads the rule path, so the path's last part stays the rule that fired.
    event.rule = (
        "model:" + ",".join(f"{name}={probability:.2f}" for name, probability in ranked) + ">" + event.rule
    )


def note_ranking(event: Event, ranked: tuple[tuple[str, float], ...]) -> None:
    """Keep the model's ranking on an event whose rule type stands, so that explain shows it."""
    event.rule = "model:" + ",".join(f"{name}={p:.2f}" for name, p in ranked) + ">" + event.rule


def extract_events(document: Document, use_model: bool = True) -> None:
    """Code every sentence's events into ``document.record.events`` (replacing what was there)."""
    from dateline.events.model import CandidateView, choose, load_model, sentence_features
    from dateline.events.reported import screen

    coded = code_candidates(document)
    model = load_model() if use_model else None

    ontology = load_ontology()
    kept: list[Event] = []
    if model is None:
        kept = [item.event for item in coded if not item.fallback and not is_named_only(item.event)]
    else:
        sentences = list(document.doc.sents)
        by_sentence: dict[int, list[Coded]] = {}
        for item in coded:
            if item.event.negated:
                # A negated event is reported as the rules coded it ("did not attack").
                if not item.fallback and not is_named_only(item.event):
                    kept.append(item.event)
                continue
            by_sentence.setdefault(item.event.sentence, []).append(item)
        groups = list(by_sentence.items())
        sentence_rows = [sentence_features(sentences[i], [c.features for c in items]) for i, items in groups]
        sentence_typed = model.predict_sentences(sentence_rows)
        candidate_typed = model.predict([item.features for _, items in groups for item in items])
        offset = 0
        for (_, items), typed_sentence in zip(groups, sentence_typed, strict=True):
            typed = candidate_typed[offset : offset + len(items)]
            offset += len(items)
            views = [
                CandidateView.of(
                    item.fallback,
                    training_type(item.event),
                    is_named_only(item.event),
                    item.unframed,
                    item.frame_coded,
                    model.rare_types,
                )
                for item in items
            ]
            for choice in choose(typed_sentence, views, typed):
                event = items[choice.index].event
                if choice.kind is None:
                    note_ranking(event, choice.ranked)
                else:
                    _retype(event, choice.kind, choice.ranked, ontology)
                kept.append(event)
        position = {id(item.event): index for index, item in enumerate(coded)}
        kept.sort(key=lambda event: position[id(event)])
    kept = screen(document, kept, ontology)
    refine_codes(document, kept)
    events: list[Event] = []
    seen: set[tuple[int, str, tuple[str | None, ...], tuple[str | None, ...]]] = set()
    for event in kept:
        key = (
            event.sentence,
            event.cameo,
            tuple(a.actor for a in event.source),
            tuple(a.actor for a in event.target),
        )
        if key in seen:
            continue
        seen.add(key)
        events.append(event)
    document.record.events = events
