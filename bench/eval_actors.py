"""Actor coding against the PLOVER gold standard records: country and sector of each actor.

Every record is one news sentence whose event has gold source and target actors, each with the
phrase of the sentence it codes (``actorText``), a country code and maybe a sector. The sentence
goes through the model and the actor stage; the actor phrase is located in the sentence and
coded with :func:`dateline.actors.code_span`. The figures are the share of actors whose country
(the code's first three letters) is the gold's, and, over actors whose gold has a sector, the
share whose sector matches the gold's first three letters ("CVLalb" counts as CVL).

    python bench/eval_actors.py [FILE] [--neutral TSV] [--agents TSV]   # FILE: PLOVER GSR JSONL

A phrase written with an ellipsis ("U.S. ... negotiators") is the stretch from its first to its
last part.

The neutral-sentence test puts each actor of a list written for the project
(``bench/neutral_actors.tsv``: people, parties, agencies, armed groups, cartels and IGOs with
the code they had on 2022-06-01) into one sentence that says nothing about it ("Officials said
on Tuesday that X had met delegates in the capital.", published 2022-06-01), so the code can
only come from knowing the actor. It reports the share with the right country (the first
three letters; IGO, NGO, ... count as one country each), with the right sector (over actors
whose code has one) and with the whole code right. A second list, of groups named by a common
noun ("Kenyan police", "Thai taxi drivers") and of office holders named with their title
("Senate Majority Leader ...", "former Chancellor ..."), ``bench/neutral_agents.tsv``, goes
through the same sentence and is reported the same way.

The last line is JSON: country, sector, n, n_sector (PLOVER), neutral_country, neutral_sector,
neutral_code, neutral_n (named actors), agents_country, agents_sector, agents_code, agents_n
(agents and office holders). Exits 1 when a country accuracy is below its floor (PLOVER 0.85,
neutral 0.75).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dateline.actors import code_span, resolve_entities
from dateline.actors.lookup import NON_STATE_PREFIXES, lookup_for
from dateline.nlp import load_nlp
from dateline.record import Document, Record, article_id

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FILE = REPO.parent / "shared" / "eval" / "events" / "plover-gsr-dev.jsonl"
NEUTRAL_FILE = REPO / "bench" / "neutral_actors.tsv"
AGENTS_FILE = REPO / "bench" / "neutral_agents.tsv"
FLOOR = 0.85
NEUTRAL_FLOOR = 0.75
NEUTRAL_TEMPLATE = "Officials said on Tuesday that {} had met delegates in the capital."
NEUTRAL_DATE = "2022-06-01"
_ELLIPSIS = re.compile(r"\s*\.{2,}\s*|\s*…\s*")


@dataclass
class GoldActor:
    record: str
    side: str
    text: str
    country: str
    sector: str | None


@dataclass
class Outcome:
    gold: GoldActor
    predicted: str | None
    country_ok: bool
    sector_ok: bool | None


def gold_actors(row: dict[str, Any]) -> list[GoldActor]:
    actors = []
    for side in ("source", "target"):
        for item in row.get(side) or []:
            if not isinstance(item, dict) or not item.get("actorText") or not item.get("code"):
                continue
            sector = item.get("sector") or None
            if sector and not sector[:3].isalpha():
                sector = None  # "***": the coders left it open
            actors.append(GoldActor(row.get("id", "?"), side, item["actorText"], item["code"], sector))
    return actors


def locate(text: str, phrase: str) -> tuple[int, int] | None:
    """Where the phrase is in the sentence: exact, then ignoring case and spacing, then by parts."""
    phrase = " ".join(phrase.split())
    for haystack, needle in ((text, phrase), (text.lower(), phrase.lower())):
        found = haystack.find(needle)
        if found >= 0:
            return found, found + len(needle)
    parts = [part for part in _ELLIPSIS.split(phrase) if part.strip()]
    if len(parts) > 1:
        first = text.lower().find(parts[0].lower())
        last = text.lower().find(parts[-1].lower(), max(first, 0))
        if first >= 0 and last >= 0:
            return first, last + len(parts[-1])
    words = [re.escape(word) for word in phrase.split()]
    pattern = re.compile(r"\s+".join(words), re.IGNORECASE) if words else None
    match = pattern.search(text) if pattern else None
    return (match.start(), match.end()) if match else None


def split_code(code: str | None, is_country: Any) -> tuple[str | None, str | None]:
    """(country, first sector) of a CAMEO-style code; a bare sector code has no country."""
    if not code:
        return None, None
    if code[:3] in NON_STATE_PREFIXES or is_country(code[:3]):
        return code[:3], code[3:6] or None
    return None, code[:3]


def evaluate(rows: list[dict[str, Any]]) -> list[Outcome]:
    nlp = load_nlp()
    lookup = lookup_for(None)
    texts = [str(row.get("text") or "") for row in rows]
    outcomes: list[Outcome] = []
    for row, text, doc in zip(rows, texts, nlp.pipe(texts), strict=True):
        record = Record(id=article_id(text), raw=text, text=text, published=row.get("date") or None)
        document = Document(record=record, doc=doc)
        resolve_entities(document)
        for gold in gold_actors(row):
            span = locate(text, gold.text)
            predicted = code_span(document, *span) if span else None
            country, sector = split_code(predicted, lookup.is_country_code)
            sector_ok = None if gold.sector is None else sector == gold.sector[:3]
            outcomes.append(Outcome(gold, predicted, country == gold.country[:3], sector_ok))
    return outcomes


@dataclass
class NeutralOutcome:
    actor: str
    gold: str
    predicted: str | None
    country_ok: bool
    sector_ok: bool | None  # None: the gold code has no sector


def neutral_actors(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if line.strip() and not line.startswith("#"):
            actor, code = line.split("\t")[:2]
            rows.append((actor.strip(), code.strip()))
    return rows


def evaluate_neutral(actors: list[tuple[str, str]]) -> list[NeutralOutcome]:
    """Each actor alone in a neutral sentence: the code must come from knowing it."""
    nlp = load_nlp()
    lookup = lookup_for(None)
    texts = [NEUTRAL_TEMPLATE.format(actor) for actor, _ in actors]
    outcomes = []
    for (actor, gold), text, doc in zip(actors, texts, nlp.pipe(texts), strict=True):
        record = Record(id=article_id(text), raw=text, text=text, published=NEUTRAL_DATE)
        document = Document(record=record, doc=doc)
        resolve_entities(document)
        start = text.index(actor)
        predicted = code_span(document, start, start + len(actor))
        country, sector = split_code(predicted, lookup.is_country_code)
        gold_country, gold_sector = split_code(gold, lookup.is_country_code)
        sector_ok = None if gold_sector is None else sector == gold_sector
        outcomes.append(NeutralOutcome(actor, gold, predicted, country == gold_country, sector_ok))
    return outcomes


@dataclass
class NeutralFigures:
    country: float
    sector: float
    code: float
    n: int


def report_neutral(path: Path, show: int) -> NeutralFigures:
    """Run one neutral-sentence list, print its misses and figures, return the figures."""
    outcomes = evaluate_neutral(neutral_actors(path))
    n = len(outcomes)
    with_sector = [o for o in outcomes if o.sector_ok is not None]
    figures = NeutralFigures(
        country=sum(o.country_ok for o in outcomes) / n if n else 0.0,
        sector=sum(bool(o.sector_ok) for o in with_sector) / len(with_sector) if with_sector else 0.0,
        code=sum(o.predicted == o.gold for o in outcomes) / n if n else 0.0,
        n=n,
    )
    print()
    print(f"neutral sentences ({path.name}, published {NEUTRAL_DATE}): misses")
    for miss in [o for o in outcomes if o.predicted != o.gold][:show]:
        print(f"  {miss.actor[:44]:44} {miss.gold:10} {miss.predicted}")
    print(
        f"actors {n}  country accuracy {figures.country:.3f}   sector accuracy {figures.sector:.3f}"
        f" (of {len(with_sector)})   code accuracy {figures.code:.3f}"
    )
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--show", type=int, default=25, help="how many misses to list")
    parser.add_argument("--neutral", type=Path, default=NEUTRAL_FILE, help="actor list for the neutral test")
    parser.add_argument(
        "--agents", type=Path, default=AGENTS_FILE, help="agents and office holders for the neutral test"
    )
    args = parser.parse_args(argv)
    if not args.file.exists():
        print(f"{args.file}: not found", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in args.file.read_text(encoding="utf-8").splitlines() if line.strip()]
    started = time.perf_counter()
    outcomes = evaluate(rows)
    elapsed = time.perf_counter() - started
    n = len(outcomes)
    with_sector = [o for o in outcomes if o.sector_ok is not None]
    country = sum(o.country_ok for o in outcomes) / n if n else 0.0
    sector = sum(bool(o.sector_ok) for o in with_sector) / len(with_sector) if with_sector else 0.0
    misses = [o for o in outcomes if not o.country_ok or o.sector_ok is False]
    print(f"{'record':32} {'side':6} {'actor text':44} {'gold':10} predicted")
    for outcome in misses[: args.show]:
        gold = outcome.gold
        gold_code = gold.country + (gold.sector or "")
        print(f"{gold.record[:32]:32} {gold.side:6} {gold.text[:44]:44} {gold_code:10} {outcome.predicted}")
    print()
    print(f"records {len(rows)}  actors {n}  with a gold sector {len(with_sector)}  ({elapsed:.1f}s)")
    print(f"country accuracy {country:.3f}   sector accuracy {sector:.3f}   floor {FLOOR:.2f} (country)")
    print(f"neutral floor: country {NEUTRAL_FLOOR:.2f} on the named actors")
    neutral = report_neutral(args.neutral, args.show)
    agents = report_neutral(args.agents, args.show)
    result = {
        "country": round(country, 4),
        "sector": round(sector, 4),
        "n": n,
        "n_sector": len(with_sector),
        "neutral_country": round(neutral.country, 4),
        "neutral_sector": round(neutral.sector, 4),
        "neutral_code": round(neutral.code, 4),
        "neutral_n": neutral.n,
        "agents_country": round(agents.country, 4),
        "agents_sector": round(agents.sector, 4),
        "agents_code": round(agents.code, 4),
        "agents_n": agents.n,
    }
    print(json.dumps(result))
    return 0 if country >= FLOOR and neutral.country >= NEUTRAL_FLOOR else 1


if __name__ == "__main__":
    sys.exit(main())
