"""extract_quotes on sentences written for these tests: each quote style, each speaker position,
reported speech, and speakers named by pronoun or role (through the actor stage)."""

from __future__ import annotations

import pytest

from dateline.actors import resolve_entities
from dateline.nlp import load_nlp
from dateline.quotes import extract_quotes
from dateline.record import Document, Quote, Record, article_id


def quotes_of(text: str, actors: bool = True) -> list[Quote]:
    record = Record(id=article_id(text), raw=text, text=text, published="2004-02-07")
    document = Document(record=record, doc=load_nlp()(text))
    if actors:
        resolve_entities(document)
    extract_quotes(document)
    return record.quotes


def only(quotes: list[Quote], starts: str) -> Quote:
    found = [quote for quote in quotes if quote.text.startswith(starts)]
    assert len(found) == 1, [(quote.kind, quote.text) for quote in quotes]
    return found[0]


def speaker_name(quote: Quote) -> str:
    assert quote.speaker is not None
    return quote.speaker.name


def test_speaker_after_the_quote() -> None:
    text = '"We signed the agreement this morning," Foreign Minister Elmar Mammadyarov said.'
    quote = only(quotes_of(text), "We signed")
    assert quote.kind == "direct"
    assert quote.text == "We signed the agreement this morning"
    assert quote.cue is not None and quote.cue.text == "said"
    assert "Mammadyarov" in speaker_name(quote)
    assert text[quote.span[0] : quote.span[1]] == quote.text


def test_inverted_speaker_after_the_quote() -> None:
    text = '"The border will stay open," said Anna Kowalska, a spokeswoman for the interior ministry.'
    quote = only(quotes_of(text), "The border")
    assert quote.kind == "direct"
    assert "Kowalska" in speaker_name(quote)


def test_speaker_before_the_quote_with_a_colon() -> None:
    text = 'Prime Minister Jan Novak told parliament: "The budget will be balanced by next year."'
    quote = only(quotes_of(text), "The budget")
    assert quote.kind == "direct"
    assert quote.cue is not None and quote.cue.text == "told"
    assert "Novak" in speaker_name(quote)


def test_speaker_inside_an_interrupted_quote() -> None:
    text = '"We have no choice," Governor Maria Santos said, "but to close the schools until March."'
    quotes = quotes_of(text)
    first, second = only(quotes, "We have"), only(quotes, "but to close")
    assert first.cue == second.cue
    assert "Santos" in speaker_name(first) and "Santos" in speaker_name(second)


def test_according_to_after_a_quote() -> None:
    text = (
        '"The army is ready to help on any scale," according to General Pavel Orlov, '
        "who leads the ministry's department for cooperation."
    )
    quote = only(quotes_of(text), "The army")
    assert quote.kind == "direct"
    assert quote.cue is not None and quote.cue.text == "according to"
    assert "Orlov" in speaker_name(quote)


def test_partial_quote_inside_the_reporters_sentence() -> None:
    text = "Chancellor Karl Weber, who has described the deficit as “a burden on our children,” will resign."
    quote = only(quotes_of(text), "a burden")
    assert quote.kind == "partial"
    assert quote.cue is not None and quote.cue.text == "described"
    assert "Weber" in speaker_name(quote)


def test_single_quotes_as_quote_marks() -> None:
    text = "‘We will not give up the port,’ the admiral said at the ceremony."
    quote = only(quotes_of(text), "We will not")
    assert quote.kind == "direct"
    assert quote.cue is not None and quote.cue.text == "said"


def test_a_quote_over_several_paragraphs_is_one_quote() -> None:
    text = (
        "Mayor Lena Fischer spoke after the vote.\n\n"
        "“We will rebuild every school.\n\n"
        "“And we will do it before the winter,” she said."
    )
    quote = only(quotes_of(text), "We will rebuild")
    assert quote.kind == "direct"
    assert quote.text.endswith("before the winter")
    assert "Fischer" in speaker_name(quote)


def test_a_quote_after_the_attributed_one_keeps_its_speaker() -> None:
    text = '"The talks went well," Ambassador Tomas Berg said. "We meet again in April."'
    quotes = quotes_of(text)
    assert only(quotes, "We meet again").cue == only(quotes, "The talks").cue


def test_pronoun_speaker_resolves_to_the_person() -> None:
    text = (
        "Russian Energy Minister Igor Petrov met his Azerbaijani colleague on Friday. "
        '"Russia is ready to compromise on the tariff," he said.'
    )
    quote = only(quotes_of(text), "Russia is ready")
    assert speaker_name(quote) == "Igor Petrov"
    assert quote.speaker is not None and quote.speaker.entity is not None


def test_role_speaker_resolves_to_the_person() -> None:
    text = (
        "Energy Minister Igor Petrov arrived in Baku on Friday. "
        '"We expect a deal within a month," the minister said.'
    )
    quote = only(quotes_of(text), "We expect")
    assert speaker_name(quote) == "Igor Petrov"


def test_without_an_entity_the_speaker_is_the_phrase() -> None:
    text = '"The water is not safe to drink," the local doctor said.'
    quote = only(quotes_of(text, actors=False), "The water")
    assert quote.speaker is not None
    assert quote.speaker.entity is None
    assert quote.speaker.name == "the local doctor"
    assert text[quote.speaker.span[0] : quote.speaker.span[1]] == "the local doctor"


@pytest.mark.parametrize(
    ("text", "content", "cue", "speaker"),
    [
        (
            "President Anna Lind said that the troops would leave by June.",
            "the troops would leave by June",
            "said",
            "Lind",
        ),
        (
            "President Anna Lind said the troops would leave by June.",
            "the troops would leave by June",
            "said",
            "Lind",
        ),
        (
            "Interior Minister Omar Haddad told journalists the curfew would be lifted on Sunday.",
            "the curfew would be lifted on Sunday",
            "told",
            "Haddad",
        ),
        (
            "The curfew will be lifted on Sunday, Interior Minister Omar Haddad told journalists.",
            "The curfew will be lifted on Sunday",
            "told",
            "Haddad",
        ),
        (
            "Minister Omar Haddad added that the border crossings would reopen within a week.",
            "the border crossings would reopen within a week",
            "added",
            "Haddad",
        ),
        (
            "The border crossings will reopen within a week, Minister Omar Haddad added.",
            "The border crossings will reopen within a week",
            "added",
            "Haddad",
        ),
        (
            "According to the police, the attackers fled across the river.",
            "the attackers fled across the river",
            "according to",
            "police",
        ),
        (
            "The attackers fled across the river, according to local officials.",
            "The attackers fled across the river",
            "according to",
            "officials",
        ),
        (
            "The ceasefire, officials said, has held since Tuesday.",
            "The ceasefire, officials said, has held since Tuesday",
            "said",
            "officials",
        ),
    ],
)
def test_indirect_speech(text: str, content: str, cue: str, speaker: str) -> None:
    quotes = [quote for quote in quotes_of(text) if quote.kind == "indirect"]
    assert len(quotes) == 1, [(quote.kind, quote.text) for quote in quotes]
    quote = quotes[0]
    assert quote.text == content
    assert quote.cue is not None and quote.cue.text.lower() == cue
    assert speaker in speaker_name(quote)


def test_reported_speech_after_a_pronoun_uses_the_person() -> None:
    text = "Mayor Lena Fischer visited the flooded district. She said the dams would be rebuilt."
    quote = only(quotes_of(text), "the dams")
    assert quote.kind == "indirect"
    assert speaker_name(quote) == "Lena Fischer"


def test_quoted_titles_and_scare_quotes_are_not_quotes() -> None:
    text = "The film “Northern Lights” opened on Friday. The so-called “reform” stalled in committee."
    assert quotes_of(text) == []


def test_a_cue_inside_a_quote_is_the_speakers_own_word() -> None:
    text = '"I said we would win, and we did," the coach told reporters.'
    quotes = quotes_of(text)
    assert [quote.kind for quote in quotes] == ["direct"]
    assert quotes[0].cue is not None and quotes[0].cue.text == "told"


def test_speaker_label_opening_a_paragraph() -> None:
    text = "Senator Mark Olsen: ‘We Will Not Fund The Wall.’\n\nThe senator spoke in Denver."
    quote = only(quotes_of(text), "We Will Not")
    assert "Olsen" in speaker_name(quote)


def test_quote_ids_are_stable_and_distinct() -> None:
    text = '"We are ready," the envoy said. "So are we," the general replied.'
    first, second = quotes_of(text), quotes_of(text)
    assert [quote.id for quote in first] == [quote.id for quote in second]
    assert len({quote.id for quote in first}) == len(first) == 2


def test_a_request_reports_what_was_asked() -> None:
    text = "Foreign Minister Omar Haddad urged the rebels to lay down their arms before Sunday."
    quote = only(quotes_of(text), "the rebels to lay down")
    assert quote.kind == "indirect"
    assert quote.cue is not None and quote.cue.text == "urged"
    assert "Haddad" in speaker_name(quote)


def test_that_said_is_not_speech() -> None:
    text = "That said, the talks will resume in Geneva next month."
    assert quotes_of(text) == []


def test_reported_speech_inside_reported_speech_is_the_outer_speakers_account() -> None:
    text = "Senator Ruth Adler said the minister had told her that the army would withdraw."
    quotes = quotes_of(text)
    assert len(quotes) == 1
    assert quotes[0].cue is not None and quotes[0].cue.text == "said"
    assert "Adler" in speaker_name(quotes[0])


def test_a_quote_inside_a_parenthetical_report_is_the_speakers() -> None:
    text = 'An envoy\'s job, the ambassador said, should be to "counter lies with facts."'
    quotes = quotes_of(text, actors=False)
    partial = only(quotes, "counter lies")
    assert partial.kind == "partial"
    assert partial.speaker is not None and partial.speaker.name == "the ambassador"


def test_a_quoted_title_beside_a_verb_is_not_a_quote() -> None:
    text = "After the premiere, the “Northern Lights” star posted a long message on her page."
    assert [quote.text for quote in quotes_of(text) if quote.kind != "indirect"] == []


def test_a_cue_in_the_next_paragraph_does_not_claim_a_quote() -> None:
    text = (
        '"We won the lottery," Canova said. "There is a donor base."\n\nSanders, who sent pleas, said little.'
    )
    quote = only(quotes_of(text, actors=False), "There is a donor base")
    assert quote.speaker is not None and quote.speaker.name == "Canova"
