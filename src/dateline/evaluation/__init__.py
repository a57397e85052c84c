"""Scoring dateline's output against gold data: whole articles and single sentences.

Not a stage of the pipeline: ``dateline evaluate`` and the scripts under ``bench/`` import it.
"""


def ratio(part: float, whole: float) -> float:
    """``part / whole``, 0 where there is nothing to divide by."""
    return part / whole if whole else 0.0


def f1_score(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
