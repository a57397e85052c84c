"""Political events in whole articles, against two blind coders: the figure an analyst sees.

Every article of the gold folder (default ``../shared/eval/events/articles-dev/``) goes through the
whole pipeline as ``dateline process`` would take it (its text: headline, blank line, body; its
publication date where the gold gives one). Scoring is that of :mod:`dateline.evaluation.articles`:
precision against either coder (strict: the source too), recall of the events both coders listed
and of their union, false events per 1,000 sentences without any gold event; then the same per
corpus (the part of the article id before ``:``) and per PLOVER type, and the wrong and the missed
events with their sentences.

    python bench/eval_article_events.py [FOLDER] [--show N] [--limit N]

The last line is one JSON object. Exits 1 below the issue's floors (precision 0.70, agreed recall
0.60, at most 15 false events per 1,000 event-free sentences).
"""

from __future__ import annotations

import sys

from dateline.evaluation.articles import main

if __name__ == "__main__":
    sys.exit(main())
