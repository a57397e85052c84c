"""Small questions asked of the dependency parse (spaCy's English labels)."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

SPEECH_VERBS = frozenset(
    [
        "say",
        "tell",
        "announce",
        "state",
        "declare",
        "add",
        "report",
        "claim",
        "insist",
        "confirm",
        "note",
        "stress",
        "quote",
        "explain",
        "reiterate",
        "assert",
        "argue",
        "write",
        "comment",
        "predict",
        "acknowledge",
        "indicate",
        "suggest",
        "emphasize",
        "emphasise",
        "reply",
        "respond",
        "remark",
        "disclose",
        "reveal",
        "believe",
        "think",
    ]
)
FUTURE_MODALS = frozenset({"will", "would", "shall", "'ll", "wo"})
POSSIBLE_MODALS = frozenset({"may", "might", "could", "can", "ca"})
OBLIGATION_MODALS = frozenset({"must", "should", "ought"})
NEGATIONS = frozenset({"not", "n't", "never", "no"})

SUBJECT_DEPS = ("nsubj", "csubj")
CIRCUMSTANCE_PREPOSITIONS = frozenset(
    {
        "after",
        "before",
        "since",
        "following",
        "during",
        "despite",
        "amid",
        "amidst",
        "over",
        "because",
        "until",
        "from",
        "like",
        "unlike",
        "than",
        "besides",
        "throughout",
        "within",
        "beyond",
        "as",
    }
)
OBJECT_DEPS = ("dobj", "attr", "oprd")
# How an event word can sit under the word that frames it ("wants to sign", "ready for cooperation").
EMBEDDING_DEPS = ("xcomp", "ccomp", "dobj", "nsubjpass", "acl", "attr", "advcl")


def lemma(token: Token) -> str:
    return token.lemma_.lower() if token.lemma_ else token.lower_


def hyphenated(token: Token) -> str | None:
    """The whole hyphenated word a token ends ("cease-fire" for "fire": the tokenizer splits at
    the hyphen, so the word the patterns name is never one token), or None."""
    doc = token.doc
    start = token.i
    while (
        start >= 2
        and doc[start - 1].text == "-"
        and not doc[start - 1].whitespace_
        and not doc[start - 2].whitespace_
    ):
        start -= 2
    return doc[start : token.i + 1].text.lower() if start < token.i else None


def children(token: Token, *deps: str) -> list[Token]:
    return [child for child in token.children if child.dep_ in deps]


def is_passive(token: Token) -> bool:
    return any(child.dep_ in ("nsubjpass", "auxpass") for child in token.children)


def passive_agents(token: Token) -> list[Token]:
    """The "by" phrase of a passive verb: "was attacked by militiamen"."""
    found = []
    for child in token.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by" and is_passive(token)):
            found.extend(children(child, "pobj"))
    return found


def prep_objects(token: Token, preposition: str) -> list[Token]:
    """Objects of the prepositions ``preposition`` under ``token`` ("with Putin", "according to")."""
    found: list[Token] = []
    for child in token.children:
        if child.dep_ in ("prep", "agent", "dative") and child.lower_ == preposition:
            found.extend(children(child, "pobj", "pcomp"))
    return found


def all_prep_objects(token: Token) -> Iterator[tuple[str, Token]]:
    for child in token.children:
        if child.dep_ in ("prep", "agent", "dative"):
            for grandchild in children(child, "pobj"):
                yield child.lower_, grandchild


def with_conjuncts(token: Token) -> list[Token]:
    return [token, *(conj for conj in token.conjuncts if conj.i > token.i)]


def has_negation(token: Token) -> bool:
    if any(child.dep_ == "neg" for child in token.children):
        return True
    # "is not ready": the negation sits on the copula above the adjective.
    if token.dep_ in ("acomp", "attr") and token.head.pos_ == "AUX":
        return any(child.dep_ == "neg" for child in token.head.children)
    return False


def modal_of(token: Token) -> str | None:
    """The modality its auxiliaries give a verb: "future", "possible", "obligation" or None."""
    heads = [token]
    if token.dep_ in ("acomp", "attr") and token.head.pos_ == "AUX":
        heads.append(token.head)
    for head in heads:
        for child in head.children:
            if child.dep_ != "aux":
                continue
            word = child.lower_
            if word in FUTURE_MODALS:
                return "future"
            if word in POSSIBLE_MODALS:
                return "possible"
            if word in OBLIGATION_MODALS:
                return "obligation"
            if word == "going" or (word == "to" and head.lemma_ == "be"):
                return "future"
        # "is to visit", "is going to visit"
    if token.dep_ == "xcomp" and token.head.lemma_ == "go" and token.head.tag_ == "VBG":
        return "future"
    return None


def speech_governor(token: Token) -> Token | None:
    """The verb of saying whose reported clause holds ``token`` ("Syria says it will ..."), if any."""
    current = token
    while current.head.i != current.i:
        parent = current.head
        if current.dep_ in ("ccomp", "parataxis", "xcomp", "advcl") and parent.lemma_.lower() in SPEECH_VERBS:
            return parent
        current = parent
    return None


def subject_of(token: Token) -> Token | None:
    """The subject a verb, adjective or clause inherits: its own, or its controller's.

    Follows open complements ("Russia wants to participate"), coordination ("is ready ... and
    sees"), participles ("began his visit, meeting with") and relative clauses ("Putin, who said").
    """
    return subject_and_kind(token)[0]


def subject_and_kind(token: Token) -> tuple[Token | None, bool]:
    """:func:`subject_of`, and whether the subject is a thing a relative clause is about
    ("a resolution that aims to tighten sanctions"): such a head acts only if it is an actor."""
    current = token
    for _ in range(8):
        subjects = children(current, *SUBJECT_DEPS)
        if subjects:
            # Two subjects are a misparse, most often of a dateline ("BERLIN -- A court ... has
            # convicted"): the one nearest before the verb is the clause's own.
            before = [subject for subject in subjects if subject.i < current.i]
            subject = before[-1] if before else subjects[0]
            if subject.tag_ in ("WP", "WDT") and current.dep_ == "relcl":
                return current.head, subject.lower_ in ("which", "that")
            return subject, False
        if current.dep_ == "relcl":
            return current.head, False
        if current.dep_ in ("xcomp", "conj", "advcl", "acomp", "pcomp") or (
            current.dep_ == "acl" and current.tag_ == "VBG"
        ):
            current = current.head
            continue
        if current.dep_ == "prep" and current.head.pos_ in ("VERB", "AUX", "ADJ"):
            current = current.head
            continue
        if current.lemma_ in ("quote", "cite", "report") and is_passive(current):
            # "X was quoted as saying": X speaks.
            patients = children(current, "nsubjpass")
            return (patients[0], False) if patients else (None, False)
        return None, False
    return None, False


def clause_head(token: Token) -> Token:
    """The verb whose subject a nominal's event belongs to ("held talks" -> held)."""
    current = token
    for _ in range(4):
        if current.dep_ in ("dobj", "nsubjpass", "attr", "oprd", "dative") and current.head.pos_ in (
            "VERB",
            "AUX",
            "ADJ",
        ):
            return current.head
        if current.dep_ == "pobj" and current.head.dep_ in ("prep", "agent"):
            governor = current.head.head
            # Only a verb's own complement: "department for military cooperation" is no event of
            # "heads", and "after the protests" is a circumstance, not what the subject did.
            if current.head.lower_ in CIRCUMSTANCE_PREPOSITIONS or current.head.tag_ == "VBG":
                return token
            return governor if governor.pos_ in ("VERB", "AUX", "ADJ") else token
        if current.dep_ == "conj":
            current = current.head
            continue
        return token
    return token


def same(a: Token | None, b: Token | None) -> bool:
    """Token identity (spaCy makes a new Token object on every access, so ``is`` cannot tell)."""
    return a is not None and b is not None and a.i == b.i
