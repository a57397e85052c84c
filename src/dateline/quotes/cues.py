"""Quote cues: the verbs (and "according to") that tie a quote to its speaker."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from spacy.tokens import Token

from dateline.record import Cue

CUE_VERBS_FILE = "cue_verbs.txt"
REQUEST_VERBS_FILE = "request_verbs.txt"
# Cues only where they stand right beside a quote ("he continued, '...'"); elsewhere they report nothing.
BESIDE_QUOTE_ONLY = frozenset({"continue"})


def _lemma_list(name: str) -> frozenset[str]:
    """A word list from the package data: one lemma a line, ``#`` comments."""
    text = (resources.files("dateline") / "data" / "quotes" / name).read_text(encoding="utf-8")
    lines = (line.split("#", 1)[0].strip().lower() for line in text.splitlines())
    return frozenset(line for line in lines if line)


@lru_cache(maxsize=1)
def request_lemmas() -> frozenset[str]:
    """Verbs whose to-infinitive complement is the content ("urged X to find a compromise")."""
    return _lemma_list(REQUEST_VERBS_FILE)


@lru_cache(maxsize=1)
def cue_lemmas() -> frozenset[str]:
    """Every reporting verb: speech, writing, claims, and the requests."""
    return _lemma_list(CUE_VERBS_FILE) | request_lemmas()


def is_cue_verb(token: Token) -> bool:
    # The small model sometimes tags "said" as an auxiliary; the lemma decides.
    return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in cue_lemmas()


def is_reporting_verb(token: Token) -> bool:
    """A cue that can govern reported speech or a quote from a distance."""
    return is_cue_verb(token) and token.lemma_.lower() not in BESIDE_QUOTE_ONLY


def is_request_verb(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in request_lemmas()


def is_according_to(token: Token) -> bool:
    """``according`` in "according to X"."""
    return (
        token.lower_ == "according" and token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "to"
    )


def according_to_source(token: Token) -> Token | None:
    """The X of "according to X"."""
    to = token.doc[token.i + 1]
    for child in to.children:
        if child.dep_ == "pobj":
            return child
    following = to.i + 1
    return token.doc[following] if following < len(token.doc) and not token.doc[following].is_punct else None


def cue_from(token: Token) -> Cue:
    """The cue phrase of a cue token: the verb with its particle ("pointed out"), or "according to"."""
    last = token
    if is_according_to(token):
        last = token.doc[token.i + 1]
    else:
        for child in token.rights:
            if child.dep_ == "prt" and child.i == token.i + 1:
                last = child
    phrase = token.doc[token.i : last.i + 1]
    return Cue(text=phrase.text, span=(phrase.start_char, phrase.end_char))
