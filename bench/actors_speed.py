"""Speed of the actor stage beside the bare spaCy pipeline, on the same texts, in one run.

The texts are news articles: by default the PolNeAR development articles and the seed article
(any folder of .txt files can be given). Each text is parsed once with ``nlp.pipe`` (timed:
the baseline), then the actor stage runs over every parse (timed). Loading the model, the
knowledge base and the gazetteer happens before either clock starts: they are paid once per
process, not per article.

    python bench/actors_speed.py [DIR] [--repeat N]

Last line JSON: spacy_s, actors_s, ratio, n, words. Exits 1 when the stage adds more than 15%.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from dateline.actors import resolve_entities
from dateline.actors.lookup import lookup_for
from dateline.actors.places import load_gazetteer
from dateline.nlp import load_nlp
from dateline.record import Document, Record, article_id

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DIR = REPO.parent / "shared" / "eval" / "quotes" / "polnear" / "dev" / "text"
SEED = REPO.parent / "shared" / "seed" / "moscow-declaration.txt"
CEILING = 0.15


def read_texts(folder: Path) -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.txt"))]
    if SEED.exists():
        texts.append(SEED.read_text(encoding="utf-8"))
    return [text for text in texts if text.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs of each side")
    args = parser.parse_args(argv)
    texts = read_texts(args.folder)
    if not texts:
        print(f"{args.folder}: no .txt files", file=sys.stderr)
        return 2
    nlp = load_nlp()
    lookup_for(None)
    load_gazetteer()
    # Warm both sides (and the process-wide caches of knowledge answers) on one article.
    warm = Record(id="warm", raw=texts[0], text=texts[0], published="2004-02-07")
    resolve_entities(Document(record=warm, doc=nlp(texts[0])))

    spacy_times, actor_times = [], []
    entities = 0
    for _ in range(max(1, args.repeat)):
        started = time.perf_counter()
        docs = list(nlp.pipe(texts))
        spacy_times.append(time.perf_counter() - started)
        documents = [
            Document(record=Record(id=article_id(text), raw=text, text=text, published="2016-10-01"), doc=doc)
            for text, doc in zip(texts, docs, strict=True)
        ]
        started = time.perf_counter()
        for document in documents:
            resolve_entities(document)
        actor_times.append(time.perf_counter() - started)
        entities = sum(len(document.record.entities) for document in documents)
    spacy_s, actors_s = min(spacy_times), min(actor_times)
    words = sum(len(text.split()) for text in texts)
    ratio = actors_s / spacy_s
    print(f"{len(texts)} articles, {words} words, {entities} entities")
    print(f"spaCy pipeline   {spacy_s:8.3f} s   ({words / spacy_s:,.0f} words/s)")
    print(f"actor stage      {actors_s:8.3f} s   ({ratio:.1%} of spaCy; ceiling {CEILING:.0%})")
    print(
        json.dumps(
            {
                "spacy_s": round(spacy_s, 4),
                "actors_s": round(actors_s, 4),
                "ratio": round(ratio, 4),
                "n": len(texts),
                "words": words,
            }
        )
    )
    return 0 if ratio <= CEILING else 1


if __name__ == "__main__":
    sys.exit(main())
