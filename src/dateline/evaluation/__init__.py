"""Scoring dateline's output against gold data: whole articles and single sentences.

Not a stage of the pipeline: ``dateline evaluate`` and the scripts under ``bench/`` import it.
"""
