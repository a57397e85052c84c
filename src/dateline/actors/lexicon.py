"""Closed word lists the actor stage reads: titles, honorifics, pronouns and political verbs.

These are grammar, not knowledge of the world (which lives in ``data/*.tsv``): they say which
words build a title in front of a name, which verbs make "Moscow" stand for its government,
and which nouns a role back-reference ("the minister") may be headed by.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Nouns that head a title or an appositive role ("Defense *Minister* Sergey Ivanov",
# "Mario Soares, the Portuguese *president*"). Abbreviations are listed without their period.
TITLE_HEADS = _words(
    """
    president vice-president minister premier chancellor king queen prince princess emir amir sheikh
    sultan shah monarch ruler dictator general colonel major captain lieutenant admiral marshal
    brigadier sergeant corporal commander commandant chief secretary secretary-general spokesman
    spokeswoman spokesperson ambassador envoy diplomat consul governor mayor senator congressman
    congresswoman representative lawmaker legislator mp deputy speaker leader chairman chairwoman
    chairperson chair head director director-general official judge justice prosecutor attorney
    counsel officer ayatollah cardinal pope bishop archbishop rabbi imam cleric mufti patriarch ceo
    executive founder editor correspondent reporter analyst professor economist negotiator mediator
    adviser advisor aide commissioner coordinator rapporteur activist dissident businessman
    businesswoman tycoon oligarch warlord candidate nominee delegate inspector superintendent
    administrator ombudsman treasurer chieftain gen lt col maj capt sgt adm gov sen rep cmdr brig
    pres supt insp
    """
)

# Titles that say a person leads or speaks for a body, not what the body does: such a role
# takes the sector of the body it names ("president of the teachers' union" -> LAB/EDU).
GENERIC_TITLES = _words(
    """
    president chairman chairwoman chairperson chair head director leader spokesman spokeswoman
    spokesperson chief secretary executive member official founder coordinator manager
    representative director-general secretary-general
    """
)

# Nouns for a body of people that say nothing of what it does: such a body takes the sector of
# the agent word before it ("paramilitary *organization*", "rebel *group*").
GENERIC_BODIES = _words(
    """
    organization organisation group force movement unit association network wing squad body
    faction outfit coalition nominee
    """
)

# Heads that take the sector of an agent word modifying them ("police *chief*" COP, "Senate
# Majority *Leader*" LEG, "army *spokesman*" MIL); alone they keep their own sector.
GENERIC_AGENT_HEADS = GENERIC_TITLES | GENERIC_BODIES

# Words that modify a title head without being one ("*Prime* Minister", "*Foreign* Minister",
# "*former* President", "Minister *of* Defense").
TITLE_MODIFIERS = _words(
    """
    prime vice deputy first second acting interim caretaker former ex outgoing incoming foreign
    defense defence interior finance energy oil trade economy economic justice health education
    agriculture transport culture environment labor labour home state national security intelligence
    army military police senior top assistant associate executive managing opposition rebel supreme
    high grand crown general attorney chief secretary affairs internal external emergency
    emergencies industry communications information tourism science technology sports youth housing
    development planning water resources natural atomic nuclear presidential parliamentary party
    ruling regional federal provincial district armed forces force staff joint naval air navy marine
    special permanent commerce fisheries mines petroleum treasury budget social welfare human rights
    public works religious cooperation integration european international relations lieutenant major
    rear brigadier field
    """
)

# Function words allowed inside a title between capitalised words ("Minister *of* Defense").
TITLE_LINKS = frozenset({"of", "for", "and", "&"})

# Stripped from names; they say nothing about office. Mr and Mrs/Ms also give gender.
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "madame", "monsieur", "herr"})
MALE_HONORIFICS = frozenset({"mr", "sir", "monsieur", "herr"})
FEMALE_HONORIFICS = frozenset({"mrs", "ms", "miss", "dame", "madame"})

MALE_PRONOUNS = frozenset({"he"})
FEMALE_PRONOUNS = frozenset({"she"})

# Verbs that make a capital city stand for its government when it is their subject
# ("Moscow warned", "Beijing accused", "Jakarta forced", "Washington imposed").
POLITICAL_VERBS = _words(
    """
    say tell announce state declare claim insist deny reject accept warn threaten accuse blame
    condemn criticize criticise denounce protest demand urge call ask appeal propose offer agree
    refuse decide approve veto welcome praise recognize recognise expel recall impose lift
    sanction respond reply retaliate vow pledge promise sign ratify order want seek hope plan
    intend negotiate mediate support back oppose endorse invite summon suspend cut halt resume
    ban allow permit block maintain argue acknowledge admit confirm dismiss label brand describe
    regard consider view believe force send deploy withdraw pull arrest detain release free
    launch attack strike bomb invade occupy supply sell buy export import pay lend give grant
    provide deliver help aid fund finance close establish sever break restore normalize
    normalise mobilize mobilise arm train punish pressure push press insist object complain
    apologize apologise condole congratulate thank assure guarantee deter contain isolate
    boycott extradite deport annex meet fulfil fulfill honour honor keep respect violate breach
    comply
    """
)

# Nouns that make a capital stand for its government as their possessor or prepositional
# object ("Moscow's decision", "talks with Beijing", "sanctions against Tehran").
POLITICAL_NOUNS = _words(
    """
    talk talks relation relations tie ties negotiation negotiations agreement deal treaty
    dispute conflict pressure sanction sanctions demand request appeal protest admission
    recognition support criticism warning message letter decision position policy stance
    response reaction refusal proposal offer plan claim accusation threat ultimatum cooperation
    rapprochement war dialogue contact contacts pact accord alliance partnership rift row
    tension tensions confrontation standoff complaint apology condolences approval veto
    consent objection opposition backing assistance aid loan
    """
)

# Title abbreviations, read as the word for agent lookups ("Lt. Gen." -> lieutenant general).
TITLE_ABBREVIATIONS = {
    "gen": "general",
    "lt": "lieutenant",
    "col": "colonel",
    "maj": "major",
    "capt": "captain",
    "sgt": "sergeant",
    "adm": "admiral",
    "gov": "governor",
    "sen": "senator",
    "rep": "lawmaker",  # a member of a lower house
    "pres": "president",
    "brig": "brigadier",
    "cmdr": "commander",
    "cpl": "corporal",
    "supt": "superintendent",
    "insp": "inspector",
}

# Verbs of a relative clause that give a role ("who *heads* the ministry" -> head of).
ROLE_VERB_NOUNS = {
    "head": "head",
    "lead": "leader",
    "chair": "chair",
    "run": "head",
    "command": "commander",
    "direct": "director",
    "manage": "manager",
    "govern": "governor",
    "rule": "ruler",
    "represent": "representative",
    "oversee": "head",
}

# Verbs whose subject is a speaker (pronoun antecedents prefer speakers and subjects).
SPEECH_VERBS = _words(
    """
    say tell add note stress explain announce state declare claim insist deny warn ask reply
    """
)

# Tokens that never start or join a title when capitalised (they begin sentences).
NON_TITLE_POS = frozenset({"DET", "CCONJ", "SCONJ", "ADP", "PRON", "ADV", "VERB", "AUX", "PART", "NUM"})

NAMED_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})

# Parse roles an agent noun takes when it is an event's participant, not a modifier.
ARGUMENT_DEPS = frozenset(
    {"nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos", "attr", "agent", "ROOT", "dative", "oprd"}
)


def bare(word: str) -> str:
    """A word for list lookups: lower case, no trailing period, curly apostrophes made straight."""
    return word.lower().rstrip(".").replace("’", "'")


def is_title_head(word: str) -> bool:
    return bare(word) in TITLE_HEADS


def is_title_word(word: str) -> bool:
    lowered = bare(word)
    return lowered in TITLE_HEADS or lowered in TITLE_MODIFIERS
