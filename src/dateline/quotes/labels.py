"""Speaker labels: "Paul Ryan: FBI decision defies explanation" in headlines, "TAPPER: ..." in transcripts.

A paragraph that opens with a name and a colon attributes what follows to that name. The name
must be a person or organisation for the parser (so "Update:", "Q:", "Editor's note:" are not
speakers), or, in a transcript, a speaker's name in capitals.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

MAX_LABEL_TOKENS = 10
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "NORP"})
# Capitalised labels that are not speakers.
NOT_SPEAKERS = frozenset(
    {
        "Q",
        "A",
        "UPDATE",
        "CORRECTION",
        "NOTE",
        "BYLINE",
        "VIDEO",
        "WATCH",
        "READ",
        "RELATED",
        "PHOTO",
        "BREAKING",
    }
)


def _is_paragraph_start(doc: Doc, index: int) -> bool:
    return index == 0 or "\n" in doc[index - 1].text_with_ws


def _transcript_speaker(label: list[Token]) -> Token | None:
    words = [token for token in label if not token.is_punct]
    capitals = 1 <= len(words) <= 3 and all(token.is_upper and token.is_alpha for token in words)
    if capitals and words[-1].text not in NOT_SPEAKERS and len(words[-1]) > 1:
        return words[-1]
    return None


def label_speaker(colon: Token) -> Token | None:
    """The speaker named before ``colon`` when the colon ends a label opening its paragraph."""
    if colon.text != ":":
        return None
    doc = colon.doc
    start = colon.i
    while start > 0 and colon.i - start < MAX_LABEL_TOKENS and not _is_paragraph_start(doc, start):
        start -= 1
    if not _is_paragraph_start(doc, start) or start == colon.i:
        return None
    label = [token for token in doc[start : colon.i] if not token.is_quote]
    transcript = _transcript_speaker(label)
    if transcript is not None:
        return transcript
    # Headlines: "CNN President On Trump:", "Obama To Asians Worried About U.S. Election:".
    first_preposition = next((token.i for token in label if token.pos_ == "ADP"), colon.i)
    for entity in doc.ents:
        opens_label = start <= entity.start <= start + 3 and entity.end <= first_preposition
        if opens_label and entity.label_ in SPEAKER_LABELS:
            head = entity.root
            # "CNN President": the person the organisation's name qualifies.
            while head.dep_ == "compound" and head.i < head.head.i < colon.i:
                head = head.head
            return head
    return None
