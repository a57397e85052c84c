"""Duplicate and overlapping terms in leaders.tsv, and country codes the countries table lacks.

Usage: python bench/check_leaders.py [leaders.tsv]. Prints one line per problem; the last line
is one JSON object with the counts. Exits non-zero when there is any problem.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src" / "dateline" / "data"
FAR_FUTURE = date(9999, 12, 31)


def main(path: Path) -> int:
    with (DATA / "countries.tsv").open(encoding="utf-8") as handle:
        codes = {row["code"] for row in csv.DictReader(handle, delimiter="\t")}
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    terms: dict[tuple[str, str, str], list[tuple[date, date, int]]] = defaultdict(list)
    problems = {"duplicates": 0, "overlaps": 0, "unknown_countries": 0, "bad_codes": 0, "bad_dates": 0}
    for line, row in enumerate(rows, start=2):
        start = date.fromisoformat(row["start"])
        end = date.fromisoformat(row["end"]) if row["end"] else FAR_FUTURE
        if end < start:
            problems["bad_dates"] += 1
            print(f"{line}: ends before it starts: {row['name']}")
        if row["country"] not in codes:
            problems["unknown_countries"] += 1
            print(f"{line}: unknown country {row['country']}: {row['name']}")
        if not row["code"].startswith(row["country"]):
            problems["bad_codes"] += 1
            print(f"{line}: code {row['code']} is not of {row['country']}: {row['name']}")
        key = (row["name"], row["country"], row["office"])
        for other_start, other_end, other_line in terms[key]:
            if (other_start, other_end) == (start, end):
                problems["duplicates"] += 1
                print(f"{line}: same as line {other_line}: {row['name']}")
            elif start < other_end and other_start < end:
                problems["overlaps"] += 1
                print(f"{line}: overlaps line {other_line}: {row['name']}")
        terms[key].append((start, end, line))
    print(json.dumps({**problems, "rows": len(rows)}))
    return 1 if any(problems.values()) else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DATA / "leaders.tsv"))
