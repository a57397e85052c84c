"""Which way a time expression points: the tense of the verb that governs it in the parse."""

from __future__ import annotations

from spacy.tokens import Span, Token

from dateline.timex.normalize import Tense

_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo", "ll"})
# Verbs whose infinitive complement lies ahead of them: "plans to visit on Friday".
_FORWARD_HEADS = frozenset(
    {
        "plan",
        "expect",
        "schedule",
        "due",
        "set",
        "intend",
        "hope",
        "aim",
        "prepare",
        "want",
        "agree",
        "promise",
        "pledge",
        "vow",
        "threaten",
        "seek",
        "decide",
        "propose",
        "likely",
        "go",
        "ready",
        "need",
        "wish",
        "offer",
        "be",
    }
)
_PAST_PREPOSITIONS = frozenset({"since", "ago"})
_MAX_CLIMB = 8


def governing_verb(token: Token) -> Token | None:
    """The nearest verb above ``token`` in the dependency tree (the token itself if it is one)."""
    current = token
    for _ in range(_MAX_CLIMB):
        if current.pos_ in ("VERB", "AUX") and current.dep_ not in ("amod", "compound"):
            return current
        if current.head.i == current.i:
            return None
        current = current.head
    return None


def verb_tense(verb: Token, depth: int = 0) -> Tense:
    auxiliaries = [child for child in verb.children if child.dep_ in ("aux", "auxpass")]
    words = {aux.lower_ for aux in auxiliaries}
    if words & _FUTURE_AUX:
        return "future"
    if "would" in words or "could" in words or "might" in words:
        return "present"
    if "to" in words and verb.tag_ == "VB":
        head = verb.head
        if head.i != verb.i and depth < 3:
            if head.lemma_.lower() in _FORWARD_HEADS and head.lemma_.lower() != "be":
                # "was scheduled to expire Friday": ahead of a past moment, either side of now
                return "present" if verb_tense(head, depth + 1) == "past" else "future"
            if head.lemma_.lower() == "be" and verb.dep_ == "xcomp" and head.tag_ in ("VBZ", "VBP"):
                return "future"  # "is to visit": an arrangement ahead
            return verb_tense(head, depth + 1)
        return "present"
    if "going" in words:
        return "future"
    if verb.lower_ == "going" and any(child.dep_ == "xcomp" for child in verb.children):
        return "future"
    if any("Past" in aux.morph.get("Tense", []) and aux.tag_ != "VBN" for aux in auxiliaries):
        return "past"
    if verb.tag_ == "VBD":
        return "past"
    if verb.tag_ == "VBN":
        if words & {"has", "have", "'ve", "had"} or not words:
            return "past"
        return "present"
    if verb.tag_ in ("VBG", "VBN", "VB") and verb.dep_ in ("advcl", "xcomp", "conj", "ccomp", "acl", "relcl"):
        head = verb.head
        if head.i != verb.i and depth < 3:
            return verb_tense(head, depth + 1)
    if verb.tag_ in ("VBZ", "VBP") or words & {"is", "are", "am", "'s", "'re"}:
        return "present"
    return "past"


def expression_tense(span: Span) -> Tense:
    """The tense that decides an underspecified expression's direction; news defaults to the past."""
    before = span.doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.lower_ in _PAST_PREPOSITIONS:
        return "past"
    if before is not None and before.lower_ in ("until", "till", "through"):
        return "present"  # a deadline: "extended the offer until Nov. 9" may lie either side of now
    if _under_schedule_word(span):
        return "present"
    verb = governing_verb(span.root)
    return verb_tense(verb) if verb is not None else "past"


# Words that set a date as a deadline or a schedule, which a past-tense sentence often puts
# either side of the publication ("declared a dividend payable Dec. 7", "was due Friday"):
# under them the nearest reading wins.
_SCHEDULE_WORDS = frozenset(
    {
        "payable",
        "due",
        "effective",
        "scheduled",
        "slated",
        "expected",
        "planned",
        "deadline",
        "through",
        "until",
        "till",
        "expire",
        "starting",
        "beginning",
        "record",
    }
)


def _under_schedule_word(span: Span) -> bool:
    current = span.root
    for _ in range(3):
        head = current.head
        if head.i == current.i or (head.pos_ in ("VERB", "AUX") and head.lemma_ != "expire"):
            return False
        current = head
        if current.lemma_.lower() in _SCHEDULE_WORDS or current.lower_ in _SCHEDULE_WORDS:
            return True
    return False
