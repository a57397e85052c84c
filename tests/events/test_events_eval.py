"""dateline.evaluation.sentences (bench/eval_events.py) tells its three input formats apart line
by line, scores each in its own terms (YIELD merged for plv only, source phrase or source
country, CAMEO root and exact code) and ends with one JSON line, exiting non-zero below its floor."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from dateline.record import Argument, Event, Plover, Trigger

REPO = Path(__file__).resolve().parents[2]

PLOVER_ROW = {
    "id": "written-plover-1",
    "event": "DEMAND",
    "text": "Chile demanded that Bolivia withdraw its troops from the border.",
    "source": [{"actorText": "Chile", "code": "CHL"}],
    "target": [{"actorText": "Bolivia", "code": "BOL"}],
}
PLV_ROW = {
    "id": "written-plv-1",
    "text": "The army pulled its last units out of the northern province on Sunday.",
    "source": "The army",
    "target": "the northern province",
    "type": "YIELD",
}
CAMEO_ROW = {
    "id": "written-cameo-1",
    "text": "Peru's congress accused the former minister of taking bribes.",
    "source": "Peru's congress",
    "cameo": "1121",
}


@pytest.fixture(scope="module")
def eval_events() -> ModuleType:
    # The scoring lives in the package (``dateline evaluate`` runs it); bench/eval_events.py wraps it.
    from dateline.evaluation import sentences

    return sentences


def _event(cameo: str, kind: str, text: str, source: str, negated: bool = False) -> Event:
    at = text.index(source)
    return Event(
        id="e",
        sentence=0,
        trigger=Trigger("x", (0, 1)),
        source=[Argument("ent", source, "CHLGOV", (at, at + len(source)))],
        target=[],
        cameo=cameo,
        root=cameo[:2],
        quad_class=1,
        goldstein=0.0,
        plover=Plover(kind),
        negated=negated,
    )


def test_formats_are_told_apart_line_by_line(eval_events: ModuleType) -> None:
    assert eval_events.detect_format(PLOVER_ROW) == "plover"
    assert eval_events.detect_format(PLV_ROW) == "plv"
    assert eval_events.detect_format(CAMEO_ROW) == "cameo"
    assert eval_events.detect_format({"text": "x", "code": 173}) == "cameo"
    with pytest.raises(ValueError, match="keys"):
        eval_events.detect_format({"text": "no gold here"})


def test_gold_read_in_each_format(eval_events: ModuleType) -> None:
    plover = eval_events.read_gold(PLOVER_ROW)
    assert (plover.type, plover.merge_yield, plover.source_countries) == ("REQUEST", False, {"CHL"})
    plv = eval_events.read_gold(PLV_ROW)
    assert (plv.type, plv.merge_yield, plv.source_phrase) == ("YIELD", True, "The army")
    cameo = eval_events.read_gold(CAMEO_ROW)
    assert (cameo.type, cameo.cameo, cameo.merge_yield) == ("ACCUSE", "1121", False)
    with pytest.raises(ValueError, match="unknown CAMEO code"):
        eval_events.read_gold({"text": "x", "cameo": "999"})


def test_yield_is_merged_for_plv_rows_only(eval_events: ModuleType) -> None:
    plv = eval_events.read_gold(PLV_ROW)
    retreat = _event("0874", "RETREAT", plv.text, "The army")
    outcome = eval_events.score(plv, [retreat])
    assert outcome.predicted == {"YIELD"} and outcome.source_ok is True
    cameo = eval_events.read_gold({"text": plv.text, "cameo": "080"})  # gold CONCEDE
    assert eval_events.score(cameo, [retreat]).predicted == {"RETREAT"}


def test_source_phrase_country_and_codes(eval_events: ModuleType) -> None:
    gold = eval_events.read_gold(CAMEO_ROW)
    wrong_source = _event("112", "ACCUSE", gold.text, "the former minister")
    outcome = eval_events.score(gold, [wrong_source])
    assert (outcome.source_ok, outcome.root_ok, outcome.code_ok) == (False, True, False)
    right = _event("1121", "ACCUSE", gold.text, "Peru's congress")
    outcome = eval_events.score(gold, [right])
    assert (outcome.source_ok, outcome.root_ok, outcome.code_ok) == (True, True, True)
    negated = _event("1121", "ACCUSE", gold.text, "Peru's congress", negated=True)
    outcome = eval_events.score(gold, [negated])
    assert outcome.predicted == set() and outcome.code_ok is False

    plover = eval_events.read_gold(PLOVER_ROW)
    demand = _event("1056", "REQUEST", plover.text, "Chile")  # its actor is CHLGOV
    outcome = eval_events.score(plover, [demand])
    assert outcome.source_ok is True and outcome.target_ok is False and outcome.root_ok is None


def test_figures_per_type_and_confusion(eval_events: ModuleType) -> None:
    gold = eval_events.read_gold(CAMEO_ROW)
    hit = eval_events.score(gold, [_event("1121", "ACCUSE", gold.text, "Peru's congress")])
    extra = eval_events.score(
        gold,
        [
            _event("111", "ACCUSE", gold.text, "Peru's congress"),
            _event("173", "COERCE", gold.text, "Peru's congress"),
        ],
    )
    miss = eval_events.score(gold, [])
    result = eval_events.figures([hit, extra, miss])
    assert result.per_type["ACCUSE"] == (2, 3, 2)
    assert result.per_type["COERCE"] == (0, 0, 1)
    assert result.precision == pytest.approx(2 / 3) and result.recall == pytest.approx(2 / 3)
    assert result.confusion["ACCUSE"]["(none)"] == 1 and result.confusion["ACCUSE"]["COERCE"] == 1


def test_runs_mixed_file_and_ends_with_json(
    eval_events: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mixed.jsonl"
    rows = [PLOVER_ROW, PLV_ROW, CAMEO_ROW]
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    status = eval_events.main([str(path), "--show", "0"])
    lines = capsys.readouterr().out.strip().splitlines()
    figures = json.loads(lines[-1])
    assert figures["n"] == 3 and figures["n_cameo"] == 1 and figures["n_source"] == 1
    assert set(figures) >= {"f1", "strict_recall", "root_rate", "exact_code_rate", "per_type_f1"}
    assert any(line.startswith("confusion") for line in lines)
    assert status == (0 if figures["f1"] >= 0.65 and figures["source_country"] >= 0.75 else 1)


def test_exits_non_zero_below_the_floor(
    eval_events: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "quiet.jsonl"
    row = {"id": "q", "text": "The weather was mild for most of the week.", "type": "ASSAULT"}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert eval_events.main([str(path), "--show", "0"]) == 1
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["f1"] == 0.0
