"""``dateline evaluate`` and ``dateline train``: score against gold data, retrain with your own."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from dateline.events.training import DATA, NEWS


def evaluate(
    gold: Annotated[
        Path,
        typer.Argument(
            help="a JSONL file of sentence records (plv, PLOVER or CAMEO) or a folder of whole "
            "articles in the articles-dev format (articles/, labels/)"
        ),
    ],
    show: Annotated[int, typer.Option(help="how many misses (and wrong events) to list")] = 20,
    rules_only: Annotated[
        bool, typer.Option("--rules-only", help="switch the learned type model off")
    ] = False,
) -> None:
    """Score dateline against gold sentences or whole articles: P/R/F1 per type and the misses.

    The last line printed is one JSON object with the figures."""
    from dateline.evaluation import articles, sentences

    if gold.is_dir():
        if rules_only:
            typer.echo("--rules-only applies to sentence records only", err=True)
            raise typer.Exit(2)
        status = articles.main([str(gold), "--show", str(show)])
    elif gold.is_file():
        status = sentences.main([str(gold), "--show", str(show), *(["--rules-only"] if rules_only else [])])
    else:
        typer.echo(f"{gold}: no such file or folder", err=True)
        raise typer.Exit(2)
    # The scripts under bench/ exit 1 below the floors of the project's own dev sets; for any
    # other data a score is a result, not a failure.
    raise typer.Exit(2 if status == 2 else 0)


def train(
    out: Annotated[Path, typer.Option("--out", help="where to write the retrained model (.joblib)")],
    add: Annotated[
        list[Path],
        typer.Option(
            "--add",
            help="your own labelled sentences, one JSON object a line: text, type (a PLOVER type, "
            "or NONE for no political event), optional source and target; repeatable",
        ),
    ],
    data: Annotated[
        Path,
        typer.Option(help="the folder holding plv-train.jsonl, the training split the shipped model learns"),
    ] = DATA,
    news: Annotated[Path, typer.Option(help="news texts whose sentences are learned as no relation")] = NEWS,
    report: Annotated[bool, typer.Option(help="print the PLOVER dev and news figures too")] = False,
    limit: Annotated[
        int | None, typer.Option(help="learn only the first N sentences of plv-train (a quick check)")
    ] = None,
) -> None:
    """Retrain the event-type model with your own sentences added; use it with `--model PATH`."""
    from dateline.events import training

    for path in add:
        if not path.is_file():
            typer.echo(f"{path}: no such file", err=True)
            raise typer.Exit(2)
    if out.resolve() == training.OUT.resolve():
        typer.echo("--out must not be the shipped model; name another file", err=True)
        raise typer.Exit(2)
    arguments = ["--data", str(data), "--news", str(news), "--out", str(out)]
    arguments += [item for path in add for item in ("--add", str(path))]
    if not report:
        arguments.append("--no-dev")
    if limit is not None:
        arguments += ["--limit", str(limit)]
    status = training.main(arguments)
    if status:
        raise typer.Exit(status)
    sys.stdout.flush()
