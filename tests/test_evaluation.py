"""Scoring against gold data (dateline.evaluation) and the `evaluate` / `train` commands.

The articles and sentences here are written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dateline.cli import app
from dateline.evaluation.articles import GoldEvent, figures, read_gold, score_article
from dateline.record import Argument, Event, Plover, Record, Trigger
from shared_data import shared_path

runner = CliRunner()

HEADLINE = "Ruritania recalls envoy"
BODY = (
    "Ruritania recalled its ambassador from Borduria on Monday. "
    "The foreign minister accused Borduria of spying. "
    "Rain fell on the capital."
)
TEXT = f"{HEADLINE}\n\n{BODY}"
SENTENCES = [
    HEADLINE,
    "Ruritania recalled its ambassador from Borduria on Monday.",
    "The foreign minister accused Borduria of spying.",
    "Rain fell on the capital.",
]


def _gold_folder(root: Path) -> Path:
    (root / "articles").mkdir(parents=True)
    (root / "labels").mkdir()
    article = {"id": "test:ruritania", "published": "2024-03-04", "text": TEXT, "sentences": SENTENCES}
    (root / "articles" / "ruritania.json").write_text(json.dumps(article), encoding="utf-8")
    coder_a = [
        {
            "article": "test:ruritania",
            "sent": 1,
            "trigger": "recalled",
            "cameo": "161",
            "source": "Ruritania",
        },
        {
            "article": "test:ruritania",
            "sent": 2,
            "trigger": "accused",
            "cameo": "112",
            "source": "foreign minister",
        },
    ]
    coder_b = [
        {
            "article": "test:ruritania",
            "sent": 1,
            "trigger": "recalled",
            "cameo": "161",
            "source": "Ruritania",
        },
        {"article": "test:ruritania", "sent": 2, "trigger": "accused", "cameo": "112", "source": "minister"},
        {"article": "test:ruritania", "sent": 2, "trigger": "spying", "cameo": "111", "negated": True},
    ]
    for name, rows in (("A1.jsonl", coder_a), ("B1.jsonl", coder_b)):
        (root / "labels" / name).write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    return root


def _event(text: str, trigger: str, cameo: str, kind: str, source: str, occurrence: int = 0) -> Event:
    start = text.index(trigger)
    for _ in range(occurrence):
        start = text.index(trigger, start + 1)
    span = (start, start + len(trigger))
    at = text.index(source)
    return Event(
        id=f"e{start}",
        sentence=0,
        trigger=Trigger(trigger, span),
        source=[Argument(None, source, None, (at, at + len(source)))],
        target=[],
        cameo=cameo,
        root=cameo[:2],
        quad_class=3,
        goldstein=-4.0,
        plover=Plover(kind),
    )


def test_gold_articles_keep_each_coders_counting_events(tmp_path: Path) -> None:
    [gold] = read_gold(_gold_folder(tmp_path))
    assert gold.corpus == "test"
    # The negated event is not counted; 161 is SANCTION and 112 ACCUSE in PLOVER.
    assert gold.agreed() == {(1, "SANCTION"), (2, "ACCUSE")}
    assert gold.events["B"][-1] == GoldEvent(2, "ACCUSE", "112", "minister", "accused", False)


def test_an_article_is_scored_by_sentence_type_and_source(tmp_path: Path) -> None:
    [gold] = read_gold(_gold_folder(tmp_path))
    # The headline was cleaned out of the text: offsets map back into ``raw`` as cleaning does.
    text = BODY
    record = Record(id="r", raw=TEXT, text=text, offset_map=[(0, len(HEADLINE) + 2)])
    record.events = [
        _event(text, "recalled", "161", "SANCTION", "Ruritania"),  # right, strict
        _event(text, "accused", "112", "ACCUSE", "Borduria"),  # right type, wrong source
        _event(text, "fell", "190", "ASSAULT", "Rain"),  # a false event in a quiet sentence
    ]
    outcome = score_article(gold, record)
    assert [(event.sentence, event.right, event.strict) for event in outcome.coded] == [
        (1, True, True),
        (2, True, False),
        (3, False, False),
    ]
    result = figures([outcome])
    assert (result.coded, result.right, result.strict) == (3, 2, 1)
    assert result.recall == 1.0
    # Sentences 0 and 3 have no gold event; one false event in two such sentences.
    assert result.quiet_sentences == 2 and result.false_per_1000 == 500.0


def test_evaluate_scores_a_folder_of_whole_articles(tmp_path: Path) -> None:
    folder = _gold_folder(tmp_path / "gold")
    result = runner.invoke(app, ["evaluate", str(folder), "--show", "5"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert summary["articles"] == 1 and summary["agreed"] == 2
    assert 0.0 <= summary["precision"] <= 1.0 and 0.0 <= summary["recall"] <= 1.0


def test_evaluate_scores_sentence_records(tmp_path: Path) -> None:
    gold = tmp_path / "sentences.jsonl"
    rows = [
        {
            "text": "Ruritania expelled two Bordurian diplomats on Friday.",
            "type": "SANCTION",
            "source": "Ruritania",
            "target": "two Bordurian diplomats",
        },
        {
            "text": "The Bordurian army shelled villages near the border, killing four.",
            "type": "ASSAULT",
            "source": "The Bordurian army",
            "target": "villages",
        },
    ]
    gold.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(gold)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert summary["n"] == 2
    assert "per_type_f1" in summary


def test_evaluate_names_a_missing_gold_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["evaluate", str(tmp_path / "nothing.jsonl")])
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_train_on_a_small_slice_writes_a_model_the_commands_use(tmp_path: Path) -> None:
    data = shared_path("eval", "events")
    mine = tmp_path / "mine.jsonl"
    rows = [
        {
            "text": "The Ruritanian navy escorted a Bordurian grain convoy through the strait.",
            "type": "COOPERATE",
            "source": "The Ruritanian navy",
            "target": "a Bordurian grain convoy",
        },
        {"text": "The quarterback threw three touchdown passes against the Bears.", "type": "NONE"},
    ]
    mine.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    model = tmp_path / "model.joblib"
    result = runner.invoke(
        app, ["train", "--add", str(mine), "--out", str(model), "--data", str(data), "--limit", "60"]
    )
    assert result.exit_code == 0, result.output
    assert model.is_file() and model.stat().st_size > 0
    processed = runner.invoke(
        app, ["--model", str(model), "process", "-", "--json"], input="Russia expelled two Polish diplomats."
    )
    assert processed.exit_code == 0, processed.output


def test_train_refuses_to_overwrite_the_shipped_model(tmp_path: Path) -> None:
    from dateline.events.training import OUT

    mine = tmp_path / "mine.jsonl"
    mine.write_text('{"text": "Rain fell.", "type": "NONE"}', encoding="utf-8")
    result = runner.invoke(app, ["train", "--add", str(mine), "--out", str(OUT)])
    assert result.exit_code == 2
