"""Whether a coded act is a political event the article reports as having happened.

The rules and the type model say what kind of act a sentence's words name. On whole articles
most such words are no political event: a pitcher "struck out" fourteen, a company "plans to
release" a laptop, "Are you planning to visit?", a candidate who "battled" for the nomination.
CAMEO's conventions (and the labelling guide of the whole-article gold) say which acts count:

- **a political actor acts**: a state, its government, officials, legislators, candidates,
  parties, courts, police, armed forces and armed groups, IGOs, NGOs, organised groups such as
  protesters; a business, a celebrity or "people" only in a relation with a political actor;
- **the act is reported as fact**: not asked about ("Will X attack?"), not a condition ("if X
  invaded"), not a possibility ("could reverse the rules"), not a habit ("routinely accuse");
- **in its political sense**: a campaign "attacking" or "slamming" a rival with words is
  criticism (CAMEO 111), never force; "battled for", "crushed", "captured the nomination" with no
  violence anywhere near are metaphors, no event at all;
- **with a party on the other side** where the act needs one: cooperation named by an everyday
  word ("comes", "talk", "offered") is one only towards someone; a visit is to a place or an
  actor; a release frees people.

These are decisions of the task's definition, written once for every sentence and applied after
the type model has chosen each sentence's events. (A learned detector over the same signals was
measured and not kept: see ``dateline.training.detector`` and docs/history.md.)
"""

from __future__ import annotations

from spacy.tokens import Token

from dateline.events.ontology import Ontology
from dateline.record import Argument, Document, Entity, Event, Plover

# What organised citizens do in politics: unions, farmers, students, doctors or residents who
# protest, strike, demand, mobilise, reject, accuse, threaten or call a protest off.
CIVIC_TYPES = frozenset(
    {"PROTEST", "REQUEST", "MOBILIZE", "ACCUSE", "REJECT", "THREATEN", "CONCEDE", "RETREAT"}
)
CIVIC_SECTORS = frozenset({"LAB", "EDU", "AGR", "HLH", "REL", "REF", "ENV"})
# Sectors whose actors are political by themselves (CAMEO agent codes). Business, media,
# civilians, education, health, religion, refugees and the like act politically only towards
# one of these.
POLITICAL_SECTORS = frozenset(
    {"GOV", "MIL", "JUD", "COP", "PTY", "LEG", "OPP", "REB", "INS", "SEP", "ELI", "SPY", "UAF", "MOD", "RAD"}
    | {"PRO", "HRI", "NGM", "IGO", "NGO"}
)
# CAMEO agent codes that stand alone, with no country before them ("MED", "COP").
SECTOR_CODES = POLITICAL_SECTORS | frozenset(
    {
        "CRM",
        "BUS",
        "MED",
        "CVL",
        "EDU",
        "HLH",
        "AGR",
        "REL",
        "REF",
        "LAB",
        "ENV",
        "SPO",
        "MNC",
        "DEV",
        "JEW",
        "ELI",
    }
)
# An uncoded person whose role names one of these is a political actor ("Senator", "Rep.").
POLITICAL_ROLE_WORDS = frozenset(
    [
        "president",
        "minister",
        "senator",
        "sen.",
        "congressman",
        "congresswoman",
        "representative",
        "rep.",
        "governor",
        "gov.",
        "mayor",
        "lawmaker",
        "legislator",
        "candidate",
        "nominee",
        "secretary",
        "ambassador",
        "envoy",
        "diplomat",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "chairman",
        "chairwoman",
        "leader",
        "premier",
        "chancellor",
        "judge",
        "justice",
        "prosecutor",
        "attorney",
        "general",
        "commander",
        "official",
        "officer",
        "chief",
        "delegate",
        "speaker",
        "councillor",
        "councilor",
        "senator-elect",
        "president-elect",
        "king",
        "queen",
        "prince",
        "emir",
        "sheikh",
    ]
)
# Acts that are political when done to a political actor by nobody named ("was attacked", "were
# arrested", "faced protests"); a cooperative act needs someone to do it.
TYPES_WITHOUT_SOURCE = frozenset({"ASSAULT", "COERCE", "PROTEST", "ACCUSE", "REQUEST", "REJECT", "THREATEN"})
# Adverbs of habit: "candidates routinely accuse the media" reports no act.
HABIT_ADVERBS = frozenset(
    [
        "routinely",
        "usually",
        "typically",
        "often",
        "rarely",
        "seldom",
        "generally",
        "always",
        "commonly",
        "frequently",
        "traditionally",
        "normally",
        "sometimes",
        "occasionally",
        "regularly",
        "habitually",
    ]
)
HYPOTHETICAL_MARKERS = frozenset({"if", "unless", "whether"})
# Words that may name an attack in words as well as in force.
VERBAL_ATTACK_LEMMAS = frozenset(
    [
        "attack",
        "assail",
        "hit",
        "slam",
        "blast",
        "rip",
        "hammer",
        "bash",
        "lash",
        "pummel",
        "pound",
        "savage",
        "target",
        "go",
        "tear",
        "lambaste",
        "skewer",
        "torch",
        "maul",
    ]
)
# Words of a contest that are metaphors wherever no violence is near ("battled for the
# nomination", "crushed his rivals", "captured the state", "fought the battle").
CONTEST_LEMMAS = frozenset(
    [
        "battle",
        "fight",
        "crush",
        "beat",
        "capture",
        "conquer",
        "destroy",
        "defeat",
        "trounce",
        "rout",
        "storm",
        "invade",
        "seize",
        "execute",
        "kill",
        "war",
    ]
)
# Words that put violence in a sentence; with one of them an attack is an attack.
VIOLENCE_WORDS = frozenset(
    [
        "kill",
        "killed",
        "killing",
        "dead",
        "death",
        "deaths",
        "died",
        "wound",
        "wounded",
        "injure",
        "injured",
        "injuring",
        "casualty",
        "casualties",
        "bomb",
        "bombs",
        "bombing",
        "bombed",
        "bomber",
        "missile",
        "missiles",
        "rocket",
        "rockets",
        "shell",
        "shells",
        "shelling",
        "shelled",
        "gun",
        "guns",
        "gunfire",
        "gunmen",
        "gunman",
        "shot",
        "shoot",
        "shooting",
        "shootings",
        "fire",
        "fired",
        "troops",
        "soldier",
        "soldiers",
        "army",
        "military",
        "militia",
        "militias",
        "militant",
        "militants",
        "rebel",
        "rebels",
        "insurgent",
        "insurgents",
        "forces",
        "airstrike",
        "airstrikes",
        "air",
        "strike",
        "drone",
        "drones",
        "tank",
        "tanks",
        "artillery",
        "weapon",
        "weapons",
        "explosive",
        "explosives",
        "grenade",
        "knife",
        "stabbed",
        "stabbing",
        "raid",
        "raids",
        "police",
        "officer",
        "officers",
        "hostage",
        "hostages",
        "terrorist",
        "terrorists",
        "terror",
        "war",
        "wars",
        "invasion",
        "occupied",
        "occupation",
        "combat",
        "fighters",
        "jihadist",
        "jihadists",
        "mortar",
        "mortars",
        "civilians",
        "massacre",
        "assault",
        "rifle",
    ]
)
# Cooperation is between two parties (CAMEO's dyadic convention). Where the act is named by a
# word of everyday use ("comes", "talk", "offered", "worked with", "participated"), only a party
# on the other side makes it one: "no one has offered any information", "the crash comes a day
# after", "people rarely talk about it" are no events.
EVERYDAY_DYADIC_RULES = frozenset({"travel", "talk", "offer", "work-with", "participate", "main-verb"})
DYADIC_TYPES = frozenset({"AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID"})
# Acts whose other party is a person or a place: a visit is to a country, a city or an actor (a
# trip to a hospital is none); a release frees people (a released letter, video or tax return is
# no concession).
VISIT_CODES = frozenset({"042", "043"})
RELEASE_CODES = frozenset({"0841", "0353"})
# Verbs of motion that go "to" people in idiom ("when it comes to the President"): a visit only
# to a place.
MOTION_LEMMAS = frozenset({"come", "go"})
PERSON_TYPES = frozenset({"PERSON", "NORP", "GROUP"})
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
_NO_ENTITY = Entity(id="", name="", type="")
HUMAN_NOUNS = frozenset(
    [
        "prisoner",
        "prisoners",
        "hostage",
        "hostages",
        "detainee",
        "detainees",
        "captive",
        "captives",
        "inmate",
        "inmates",
        "activist",
        "activists",
        "journalist",
        "journalists",
        "dissident",
        "dissidents",
        "soldier",
        "soldiers",
        "sailor",
        "sailors",
        "crew",
        "fisherman",
        "fishermen",
        "son",
        "daughter",
        "wife",
        "husband",
        "man",
        "men",
        "woman",
        "women",
        "people",
        "opponent",
        "opponents",
        "leader",
        "leaders",
        "citizen",
        "citizens",
        "national",
        "nationals",
        "worker",
        "workers",
        "student",
        "students",
        "protester",
        "protesters",
        "president",
        "minister",
        "official",
        "officials",
    ]
)
PHYSICAL_SECTORS = frozenset({"MIL", "REB", "INS", "COP", "SPY", "UAF", "SEP", "CRM"})
ACCUSE_CODE = "111"


def _sector(actor: str) -> str:
    if actor[:3] in SECTOR_CODES:
        return actor[:3]
    return actor[3:6]


def political_argument(argument: Argument, entities: dict[str, Entity], kind: str | None = None) -> bool:
    """A party that is a political actor by itself, or (for ``kind``, a PLOVER type) an organised
    group of citizens doing what such groups do in politics ("farmers demand", "students protest")."""
    entity = entities.get(argument.entity or "")
    if argument.actor:
        sector = _sector(argument.actor)
        if sector == "":
            # A country, or someone known only by country: a state acting, or a person the
            # knowledge base holds (an office holder out of office, a candidate).
            return True
        if sector in POLITICAL_SECTORS:
            return True
        if sector == "CRM" and entity is not None and entity.type == "ORG":
            # A criminal organisation (a cartel, a gang by name), not a robber or a thief.
            return True
        if kind in CIVIC_TYPES and sector in CIVIC_SECTORS and (entity is None or entity.type != "PERSON"):
            return True
    if entity is None:
        return False
    if entity.type == "NORP" and not argument.actor:
        # An uncoded group named by a political word: "Democrats", "Republicans", "Tories".
        return True
    role = (entity.role or "").lower()
    return any(word in POLITICAL_ROLE_WORDS for word in role.replace(",", " ").split())


def _frees_people(token: Token | None) -> bool:
    if token is None:
        return False
    freed = [child for child in token.children if child.dep_ in ("dobj", "nsubjpass")]
    return any(
        word.ent_type_ in ("PERSON", "NORP")
        or word.lemma_.lower() in HUMAN_NOUNS
        or word.lower_ in HUMAN_NOUNS
        for word in freed
    )


def has_counterpart(event: Event, token: Token | None, entities: dict[str, Entity]) -> bool:
    """A cooperative act has a party on the other side where its words alone do not make it one;
    a visit goes to a place or an actor; a release frees people."""
    targets = [entities.get(argument.entity or "") for argument in event.target]
    if event.cameo in VISIT_CODES:
        if token is not None and token.lemma_.lower() in MOTION_LEMMAS:
            return any(entity is not None and entity.type == "GPE" for entity in targets)
        return event.place is not None or any(
            political_argument(argument, entities) or (entity is not None and entity.type == "GPE")
            for argument, entity in zip(event.target, targets, strict=True)
        )
    if event.cameo in RELEASE_CODES:
        return _frees_people(token) or any(
            argument.actor or (entity is not None and entity.type in PERSON_TYPES)
            for argument, entity in zip(event.target, targets, strict=True)
        )
    kind = event.plover.type if event.plover else None
    rule = event.rule.rsplit(">", 1)[-1]
    if kind in DYADIC_TYPES and rule in EVERYDAY_DYADIC_RULES:
        return bool(event.target)
    return True


def political_event(event: Event, entities: dict[str, Entity]) -> bool:
    """Does a political actor act, or is the act done to one in a way that makes it political?"""
    kind = event.plover.type if event.plover else None
    if any(political_argument(argument, entities, kind) for argument in event.source):
        return True
    targets = [
        argument
        for argument in event.target
        # With nobody named as its source, a town is where an act happened, not who suffered it
        # ("burglars raided a shop in Porto").
        if event.source or (entities.get(argument.entity or "") or _NO_ENTITY).type not in PLACE_TYPES
    ]
    if not any(political_argument(argument, entities) for argument in targets):
        return False
    # A named private party in a relation with a political one (a company suing a ministry, an
    # aid body supplying a town) is political; with nobody named, only acts done to someone are.
    return bool(event.source) or kind in TYPES_WITHOUT_SOURCE


def trigger_token(document: Document, event: Event) -> Token | None:
    """The head word of an event's trigger."""
    start, end = event.trigger.span
    span = document.doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    return span.root


def under_condition(token: Token) -> bool:
    """The act sits under a condition or an open question ("if Russia invaded", "whether")."""
    current = token
    for _ in range(8):
        if any(child.dep_ == "mark" and child.lower_ in HYPOTHETICAL_MARKERS for child in current.children):
            return True
        if current.head.i == current.i:
            return False
        current = current.head
    return False


def reported_as_fact(event: Event, token: Token | None) -> bool:
    """Not a question, a condition, a possibility or a plan that is no promise."""
    if event.modality == "possible":
        return False
    if token is None:
        return True
    sentence = token.sent
    if sentence.text.rstrip(" \"'”’)").endswith("?"):
        return False
    if any(child.dep_ == "advmod" and child.lower_ in HABIT_ADVERBS for child in token.children):
        return False
    return not under_condition(token)


def _violent_context(token: Token, event: Event) -> bool:
    words = {word.lower_ for word in token.sent}
    if words & VIOLENCE_WORDS - {token.lower_}:
        return True
    return any(
        argument.actor and _sector(argument.actor) in PHYSICAL_SECTORS
        for argument in event.source + event.target
    )


def political_sense(event: Event, token: Token | None, ontology: Ontology) -> bool:
    """Read force words in their sense: a verbal attack becomes criticism (111); a contest word
    with no violence near is a metaphor and the event is dropped (False)."""
    if event.root not in ("18", "19", "20") or event.negated:
        return True
    if token is None or _violent_context(token, event):
        return True
    lemma = token.lemma_.lower()
    if lemma in VERBAL_ATTACK_LEMMAS:
        entry = ontology.code(ACCUSE_CODE)
        event.cameo, event.root = entry.code, entry.root
        event.quad_class, event.goldstein = entry.quad_class, entry.goldstein
        event.plover = Plover(entry.plover_type, entry.plover_mode) if entry.plover_type else None
        event.rule = f"{event.rule}>verbal-attack"
        return True
    return lemma not in CONTEST_LEMMAS


def screen(document: Document, events: list[Event], ontology: Ontology) -> list[Event]:
    """The events that are political acts reported as fact, force words read in their sense.

    Negated events are judged like the others; statements and appeals (no PLOVER type) pass."""
    entities = {entity.id: entity for entity in document.record.entities}
    kept = []
    for event in events:
        token = trigger_token(document, event)
        if not political_sense(event, token, ontology):
            continue
        if event.plover is not None and not (
            political_event(event, entities)
            and has_counterpart(event, token, entities)
            and reported_as_fact(event, token)
        ):
            continue
        kept.append(event)
    return kept
