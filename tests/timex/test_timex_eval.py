"""bench/eval_timex.py runs on any folder of TimeML files and ends with its JSON figures."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]

TIMEML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>test</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2004-02-07"
functionInDocument="CREATION_TIME">Feb. 7, 2004</TIMEX3></DCT>
<TEXT>
The president <EVENT eid="e1">arrived</EVENT> in Moscow
<TIMEX3 tid="t1" type="DATE" value="2004-02-06">Friday</TIMEX3>
for talks on a <TIMEX3 tid="t2" type="DURATION" value="P15Y">15-year</TIMEX3> oil deal. Output
<TIMEX3 tid="t3" type="DATE" value="2003">last year</TIMEX3> reached a record.
</TEXT>
</TimeML>
"""


@pytest.fixture(scope="module")
def eval_timex() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_timex", REPO / "bench" / "eval_timex.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_timex"] = module
    spec.loader.exec_module(module)
    return module


def test_reads_timeml_offsets_and_creation_time(tmp_path: Path, eval_timex: ModuleType) -> None:
    path = tmp_path / "doc.tml"
    path.write_text(TIMEML, encoding="utf-8")
    document = eval_timex.read_timeml(path)
    assert str(document.creation) == "2004-02-07"
    assert [(document.text[t.start : t.end], t.value) for t in document.timexes] == [
        ("Friday", "2004-02-06"),
        ("15-year", "P15Y"),
        ("last year", "2003"),
    ]


def test_prints_figures_and_json_last(
    tmp_path: Path, eval_timex: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("dateparser", reason="the eval runs dateparser beside us (a dev dependency)")
    (tmp_path / "doc.tml").write_text(TIMEML, encoding="utf-8")
    status = eval_timex.main([str(tmp_path)])
    lines = capsys.readouterr().out.strip().splitlines()
    figures = json.loads(lines[-1])
    assert figures["n"] == 3
    assert figures["accuracy"] == 1.0
    assert figures["recall"] == 1.0
    assert set(figures) >= {
        "accuracy",
        "n",
        "dateparser_accuracy",
        "precision",
        "recall",
        "f1",
        "value_accuracy",
    }
    assert status == 0


def test_timeml_notation_for_decades_and_whole_hours(eval_timex: ModuleType) -> None:
    assert eval_timex.same_value("199X", "199")
    assert eval_timex.same_value("1989-11-06T17:00", "1989-11-06T17")
    assert not eval_timex.same_value(None, "2003")
