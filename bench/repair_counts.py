"""No false repairs: how many damage repairs the repair stage makes on healthy news.

PolNeAR's article texts and the AEB gold bodies have ordinary commas and dashes, so every dash or
apostrophe repair made on them is a false one. Mojibake fixes are counted too, for information
(PolNeAR holds real mojibake). Exits 1 when any dash or apostrophe repair is made.

    python bench/repair_counts.py [--polnear DIR] [--aeb DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from dateline.clean.repair import APOSTROPHE_S_FOR_TS, DASH_FOR_COMMA, damage_edits, mojibake_edits

SHARED_EVAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval"
DAMAGE_KINDS = (DASH_FOR_COMMA, APOSTROPHE_S_FOR_TS)


def polnear_texts(directory: Path) -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(directory.glob("*/text/*.txt"))]


def aeb_texts(directory: Path) -> list[str]:
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    return [page["articleBody"] for page in truth.values()]


def count_repairs(texts: list[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        for edit in damage_edits(text):
            counts[edit.repair or "?"] += 1
        counts["mojibake"] += len(mojibake_edits(text))
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polnear", type=Path, default=SHARED_EVAL / "quotes" / "polnear")
    parser.add_argument("--aeb", type=Path, default=SHARED_EVAL / "extraction" / "aeb")
    options = parser.parse_args(argv)

    corpora = {"polnear": polnear_texts(options.polnear), "aeb": aeb_texts(options.aeb)}
    header = f"{'corpus':<10}{'texts':>8}{'dash':>8}{'apostr.':>9}{'mojibake':>10}{'seconds':>9}"
    print(header)
    print("-" * len(header))
    total_texts = total_repairs = 0
    for name, texts in corpora.items():
        started = time.perf_counter()
        counts = count_repairs(texts)
        elapsed = time.perf_counter() - started
        print(
            f"{name:<10}{len(texts):>8}{counts[DASH_FOR_COMMA]:>8}{counts[APOSTROPHE_S_FOR_TS]:>9}"
            f"{counts['mojibake']:>10}{elapsed:>9.2f}"
        )
        total_texts += len(texts)
        total_repairs += sum(counts[kind] for kind in DAMAGE_KINDS)
    print(json.dumps({"texts": total_texts, "repairs": total_repairs}))
    return 1 if total_repairs else 0


if __name__ == "__main__":
    sys.exit(main())
