"""Who said it: the speaker of a cue verb, resolved to an entity of the actor stage."""

from __future__ import annotations

from spacy.tokens import Token

from dateline.record import Document, Span, Speaker

_SPEAKER_DEPS = ("nsubj",)
RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})
# Left dependents that belong to a speaker's name phrase ("Russian Energy Minister Igor Yusufov").
_PHRASE_DEPS = frozenset({"det", "amod", "compound", "poss", "nmod", "nummod", "case", "punct", "quantmod"})
_TIME_ENTITIES = frozenset({"DATE", "TIME"})
_PHRASE_OPENING_PUNCTUATION = frozenset({",", ";", ":", "–", "—", "-", "("})
# Words after an inverted cue that are not its speaker ("said Tuesday", "said in a statement").
_NOT_SPEAKER_POS = frozenset({"ADP", "PUNCT", "SCONJ", "CCONJ", "PART", "ADV", "VERB", "AUX", "NUM"})


def subject_of(verb: Token) -> Token | None:
    """The speaker token of a cue verb: its subject, through conjoined and relative clauses."""
    subjects = [child for child in verb.children if child.dep_ in _SPEAKER_DEPS]
    # A relative pronoun beside a real subject is a misparse ("companies that the EU says ...").
    named = [child for child in subjects if child.lower_ not in RELATIVE_PRONOUNS]
    if named:
        return named[0]
    if subjects:
        return verb.head if verb.dep_ == "relcl" else None
    participle = verb.tag_ in ("VBG", "VBN")
    if verb.dep_ == "acl" and participle and verb.head.head is not verb.head:
        # "Trump fired back a response saying ...": the speaker is the subject of the clause.
        return subject_of(verb.head.head) if verb.head.head.pos_ in ("VERB", "AUX") else None
    if verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("PROPN", "NOUN", "PRON"):
        # "Putin, who has described terrorism as ..." with "who" attached elsewhere; "A poll found".
        return verb.head
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb:
        return subject_of(verb.head)
    if verb.dep_ == "pcomp" and verb.head.head.pos_ in ("VERB", "AUX"):
        # "She followed that by saying, ...".
        return subject_of(verb.head.head)
    return None


def inverted_subject(verb: Token) -> Token | None:
    """The speaker right after the cue in "..., said Ivanov" when the parser did not make it the subject."""
    for child in verb.rights:
        named = child.pos_ in ("PROPN", "NOUN", "PRON") and child.ent_type_ not in _TIME_ENTITIES
        if named and child.dep_ in ("dobj", "attr", "appos", "dative", "nsubj", "oprd"):
            return child
        if child.pos_ not in _NOT_SPEAKER_POS:
            break
    return None


def following_noun(verb: Token, reach: int = 4) -> Token | None:
    """The head of the noun phrase right after the cue ("said Edward Leamer, an economist ...").

    The parser sometimes hangs an inverted speaker on the next clause instead of the cue.
    """
    for token in verb.doc[verb.i + 1 : verb.i + 1 + reach]:
        if token.pos_ in ("PROPN", "NOUN", "PRON") and token.ent_type_ not in _TIME_ENTITIES:
            while token.dep_ == "compound" and token.head.i > token.i:
                token = token.head
            return token
        if token.pos_ not in ("DET", "ADJ"):
            return None
    return None


def speaker_phrase(head: Token) -> Span:
    """Character span of the speaker's name phrase: the head noun and its left modifiers."""
    first = head.i
    for child in head.lefts:
        if child.dep_ in _PHRASE_DEPS and not child.is_quote:
            first = min(first, child.left_edge.i)
    while first < head.i and head.doc[first].text in _PHRASE_OPENING_PUNCTUATION:
        first += 1
    phrase = head.doc[first : head.i + 1]
    return phrase.start_char, phrase.end_char


def resolve_speaker(document: Document, head: Token) -> Speaker:
    """The entity behind the speaker token, or the phrase itself when the actor stage knows none.

    The actor stage's mentions include pronouns and role back-references ("he", "the minister"),
    so asking for the entity at the head token resolves those to the person.
    """
    span = speaker_phrase(head)
    entity = document.entity_at(head.idx, head.idx + len(head))
    if entity is not None:
        return Speaker(entity=entity.id, name=entity.name, role=entity.role, actor=entity.actor, span=span)
    name = document.record.text[span[0] : span[1]]
    return Speaker(entity=None, name=name, role=None, actor=None, span=span)
