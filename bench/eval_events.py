"""Event coding against gold sentences (PLOVER, plv or CAMEO records): see
:mod:`dateline.evaluation.sentences`, which ``dateline evaluate`` runs too.

    python bench/eval_events.py [FILE] [--show N] [--cv] [--rules-only]
"""

from __future__ import annotations

import sys

from dateline.evaluation.sentences import main

if __name__ == "__main__":
    sys.exit(main())
