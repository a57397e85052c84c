"""What builds the shipped models (``make model``, ``dateline train``): never part of the stage order.

Reads gold and training data (``../shared/eval/``, the team's own sentences under ``training/data/``,
a user's own labelled sentences) and writes artifacts into ``dateline/data/`` or a path the user names.
"""
