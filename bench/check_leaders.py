"""Checks the office-holder tables (leaders.tsv, officials.tsv, us_politics.tsv, ...) as the
knowledge base reads them: as one table.

Usage: python bench/check_leaders.py [TABLE.tsv ...]. Without arguments, every table the
knowledge base loads (``LEADER_TABLES``). Prints one line per problem; the last line is one JSON
object with the counts. Exits non-zero when there is any problem.

A problem is a row of the wrong shape, a date that is no ISO date or an end before the start, a
country the countries table lacks (international bodies carry their own code, "IGOUNO"), a code
that is not the country followed by known sectors, an office nobody reads, the same term twice,
two terms of one person in one office that overlap (handover days may touch), or a party
leadership that would hide a ministry or other office of the same person: the knowledge base
takes the best-ranked office held on the day, and a party leader ranks above a minister, so a
party leadership is written down without the days its holder was a minister (or a speaker, a
judge...), which then code the person. An ordinary seat in parliament is no such office.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from dateline.actors.knowledge import LEADER_TABLES, OFFICE_RANK

DATA = Path(__file__).resolve().parents[1] / "src" / "dateline" / "data"
COLUMNS = ("name", "aliases", "country", "office", "title", "code", "start", "end")
FAR_FUTURE = date(9999, 12, 31)
NON_STATE = ("IGO", "NGO")
# Sectors an office holder can carry (CAMEO): government, military, intelligence, police,
# legislature, judiciary, opposition, party, elite (a former office holder running again), rebels.
SECTORS = frozenset({"GOV", "MIL", "SPY", "COP", "LEG", "JUD", "OPP", "PTY", "ELI", "REB"})
# Offices of domestic politics; the ranked ones (heads of state, ministers...) are in OFFICE_RANK.
DOMESTIC_OFFICES = frozenset(
    {"legislator", "speaker", "governor", "mayor", "judge", "cabinet", "candidate", "opposition_leader"}
)
PROBLEMS = (
    "malformed",
    "bad_dates",
    "unknown_countries",
    "bad_codes",
    "unknown_offices",
    "duplicates",
    "overlaps",
    "hidden_offices",
)
# Offices a party leadership may overlap: the party role is the better code for them.
_UNDER_PARTY = frozenset({"legislator", "candidate"})
_UNRANKED = len(OFFICE_RANK)


def _country_codes() -> set[str]:
    with (DATA / "countries.tsv").open(encoding="utf-8") as handle:
        return {row["code"] for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)}


def _code_problem(code: str, country: str) -> str | None:
    if country.startswith(NON_STATE):
        return None if code.startswith(country) else f"code {code} is not of {country}"
    if not code.startswith(country):
        return f"code {code} is not of {country}"
    rest = code[len(country) :]
    sectors = [rest[i : i + 3] for i in range(0, len(rest), 3)]
    unknown = [sector for sector in sectors if sector not in SECTORS]
    return f"code {code} has an unknown sector {unknown[0]}" if unknown else None


def _day(field: str) -> date | None:
    try:
        return date.fromisoformat(field)
    except ValueError:
        return None


def check(paths: Sequence[Path]) -> tuple[dict[str, int], list[str]]:
    """(counts by kind of problem and of rows, one message per problem) over the tables as one."""
    countries = _country_codes()
    offices = set(OFFICE_RANK) | DOMESTIC_OFFICES
    counts = dict.fromkeys(PROBLEMS, 0)
    messages: list[str] = []
    terms: dict[tuple[str, str, str], list[tuple[date, date, str]]] = defaultdict(list)
    people: dict[tuple[str, str], list[tuple[str, str, date, date, str]]] = defaultdict(list)
    rows = 0

    def problem(kind: str, where: str, text: str) -> None:
        counts[kind] += 1
        messages.append(f"{where}: {text}")

    for path in paths:
        with path.open(encoding="utf-8") as handle:
            reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(reader, None)
            if tuple(header or ()) != COLUMNS:
                problem("malformed", f"{path.name}:1", f"columns are not {', '.join(COLUMNS)}")
                continue
            for line, fields in enumerate(reader, start=2):
                rows += 1
                where = f"{path.name}:{line}"
                if len(fields) != len(COLUMNS) or not fields[0].strip() or not fields[6].strip():
                    problem("malformed", where, f"{len(fields)} fields, or no name or start: {fields[:1]}")
                    continue
                row = dict(zip(COLUMNS, (field.strip() for field in fields), strict=True))
                name = row["name"]
                start, end = _day(row["start"]), _day(row["end"]) if row["end"] else FAR_FUTURE
                if start is None or end is None:
                    problem("bad_dates", where, f"not an ISO date: {row['start']!r} / {row['end']!r}: {name}")
                    continue
                if end < start:
                    problem("bad_dates", where, f"ends before it starts: {name}")
                country = row["country"]
                if country not in countries and not country.startswith(NON_STATE):
                    problem("unknown_countries", where, f"unknown country {country}: {name}")
                code_problem = _code_problem(row["code"], country)
                if code_problem:
                    problem("bad_codes", where, f"{code_problem}: {name}")
                if row["office"] not in offices:
                    problem("unknown_offices", where, f"unknown office {row['office']!r}: {name}")
                key = (name, country, row["office"])
                for other_start, other_end, other_where in terms[key]:
                    if (other_start, other_end) == (start, end):
                        problem("duplicates", where, f"same term as {other_where}: {name}")
                    elif start < other_end and other_start < end:
                        problem("overlaps", where, f"overlaps {other_where}: {name}")
                terms[key].append((start, end, where))
                people[(name, country)].append((row["office"], row["code"], start, end, where))
    for (name, _), held in people.items():
        for office, code, start, end, where in held:
            if office != "party_leader":
                continue
            for other_office, other_code, other_start, other_end, other_where in held:
                hidden = other_code != code and other_office not in _UNDER_PARTY
                outranked = OFFICE_RANK.get(other_office, _UNRANKED) > OFFICE_RANK["party_leader"]
                if hidden and outranked and start < other_end and other_start < end:
                    problem(
                        "hidden_offices",
                        where,
                        f"party leadership hides {other_office} at {other_where}: {name}",
                    )
    return {**counts, "rows": rows}, messages


def main(arguments: Sequence[str]) -> int:
    paths = [Path(argument) for argument in arguments] or [DATA / f"{table}.tsv" for table in LEADER_TABLES]
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        print(f"check_leaders: no such table: {missing[0]}")
        return 2
    counts, messages = check(paths)
    for message in messages:
        print(message)
    print(json.dumps(counts))
    return 1 if any(counts[kind] for kind in PROBLEMS) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
