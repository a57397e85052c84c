"""Issue 12, "Done when": a directory of what crawls really hold is ingested whole, nothing lost.

Symlink loop, a link to the parent, an unreadable subdirectory, a text with a stray NUL byte, a
page nested deeper than libxml2 builds, and 50 one-sentence English items in JSONL.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from dateline.engine.local import IngestRun
from dateline.store import open_store

SENTENCES = (
    "Kenyan police arrested twelve protesters in Nairobi on Friday.",
    "Punjab government imposed blockades in Lahore, Rawalpindi, Multan and Faisalabad.",
    "Chilean miners went on strike at the Escondida copper mine on Monday.",
    "The mayor of Lyon met union leaders to discuss the tram drivers' pay.",
    "Turkish jets struck targets near Qandil in northern Iraq overnight.",
    "Brazil's central bank raised its benchmark rate by half a point.",
    "Protesters in Dhaka demanded the resignation of the election commission.",
    "Ghana and Togo signed an agreement on cross-border trade in Accra.",
    "Indonesian rescuers pulled survivors from a collapsed school in Cianjur.",
    "Peru's congress voted to remove President Vizcarra from office.",
    "Ukrainian forces retook the village of Klishchiivka near Bakhmut.",
    "Japan lodged a protest with Beijing over ships near the Senkaku islands.",
    "The Nigerian army said it killed 20 militants in Borno state.",
    "Mexican troops seized two tonnes of cocaine at the port of Manzanillo.",
    "Sudanese paramilitaries shelled a market in Omdurman on Sunday.",
    "Polish farmers blocked roads near the Ukrainian border crossing at Dorohusk.",
    "Iran's foreign minister visited Muscat for talks with Omani officials.",
    "Colombian rebels freed three soldiers held since March in Cauca.",
    "Thai police fired tear gas at demonstrators outside parliament in Bangkok.",
    "South African unions called a national strike over electricity prices.",
    "Israel and Egypt agreed to reopen the Rafah crossing for aid trucks.",
    "The Philippine coast guard accused Chinese vessels of ramming a supply boat.",
    "Ethiopian and Eritrean officials met in Addis Ababa to discuss the border.",
    "German prosecutors charged four men with planning an attack in Munich.",
    "Venezuela expelled the Spanish ambassador after disputed elections.",
    "Armenian and Azerbaijani troops exchanged fire along the border at Sotk.",
    "Saudi Arabia pledged two billion dollars to rebuild Yemen's power grid.",
    "Malian soldiers and Wagner fighters clashed with rebels near Kidal.",
    "Argentina's president vetoed a bill raising university budgets.",
    "Somali forces recaptured the town of Harardhere from al-Shabaab.",
    "Vietnam's prime minister hosted the Australian trade minister in Hanoi.",
    "Haitian gangs attacked a police station in Port-au-Prince on Thursday.",
    "The European Union fined Meta over its handling of user data.",
    "Pakistani and Afghan border guards exchanged fire at Torkham.",
    "Kazakh authorities detained an opposition activist in Almaty.",
    "Serbia recalled its ambassador from Montenegro over the census dispute.",
    "Rwandan troops crossed into eastern Congo near Goma, officials said.",
    "Greek firefighters battled wildfires north of Athens for a third day.",
    "Bolivian miners marched on La Paz demanding lower fuel prices.",
    "Myanmar's junta extended the state of emergency by six months.",
    "Cuban authorities released two hundred prisoners after Vatican talks.",
    "Nepal and India agreed to build a new power line across the border.",
    "Libyan militias clashed in Tripoli, killing at least eight people.",
    "The Moroccan king pardoned journalists jailed for their reporting.",
    "Tunisian police dispersed migrants camped outside the UN office in Tunis.",
    "Sri Lanka asked the IMF for more time to repay its loans.",
    "Hungarian lawmakers approved Sweden's entry into NATO on Monday.",
    "Bangladesh and Myanmar discussed the return of Rohingya refugees.",
    "Zimbabwe's opposition leader was arrested at a rally in Harare.",
    "Canadian police charged two men over the murder of a Sikh leader.",
)
NUL_TEXT = (
    "ADEN (Reuters) - Yemeni government forces repelled a Houthi attack on\x00 the city of Marib on "
    "Saturday, a military spokesman said, adding that dozens of fighters were killed."
)
NESTED_TEXT = (
    "KABUL (Reuters) - Taliban fighters attacked a police checkpoint in Kandahar province on "
    "Tuesday, killing four officers, officials said."
)


def _crawl(root: Path) -> Path:
    crawl = root / "crawl"
    (crawl / "locked").mkdir(parents=True)
    (crawl / "locked" / "hidden.txt").write_text("Never read.", encoding="utf-8")
    (crawl / "loop").symlink_to("loop")
    (crawl / "parent").symlink_to("..")
    (crawl / "nul.txt").write_bytes(NUL_TEXT.encode("utf-8"))
    (crawl / "deep.html").write_text(
        f"<html><head><title>Checkpoint attack</title></head><body>{'<div>' * 20000}<p>{NESTED_TEXT}</p>"
        f"{'</div>' * 20000}</body></html>",
        encoding="utf-8",
    )
    with open(crawl / "wire.jsonl", "w", encoding="utf-8") as feed:
        for sentence in SENTENCES:
            feed.write(json.dumps({"text": sentence, "published": "2024-05-14"}) + "\n")
    return crawl


def test_a_bad_crawl_is_ingested_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    crawl = _crawl(tmp_path)
    locked = crawl / "locked"
    os.chmod(locked, 0)
    if os.access(locked, os.R_OK):
        # Root reads a directory whatever its mode: refuse the listing as the kernel would.
        real_scandir = os.scandir

        def scandir(path: object) -> object:
            if Path(str(path)) == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "scandir", scandir)
    problems: list[tuple[str, str]] = []
    try:
        with open_store(tmp_path / "crawl.duckdb") as store:
            run = IngestRun(store, on_problem=lambda name, reason: problems.append((name, reason)))
            summary = run.run([crawl])
            articles = store.query("SELECT source, text, language, language_reason, repairs FROM articles")
    finally:
        os.chmod(locked, 0o755)
    reported = {Path(name).name: reason for name, reason in problems}
    assert set(reported) == {"loop", "parent", "locked"}
    assert "symbolic links" in reported["loop"] and "link loop" in reported["parent"]
    assert "Permission denied" in reported["locked"]
    assert summary.exit_status == 1
    by_source = {Path(row["source"]).name: row for row in articles}
    wire = [row for name, row in by_source.items() if name.startswith("wire.jsonl:")]
    assert len(wire) == 50 and summary.not_english == 0
    assert all(row["language"] == "en" for row in wire)
    assert summary.analysed == len(articles) == 52
    nul = by_source["nul.txt"]
    assert "\x00" not in nul["text"] and "attack on the city of Marib" in nul["text"]
    assert [repair["kind"] for repair in nul["repairs"]] == ["control_character"]
    assert NESTED_TEXT.split(" - ", 1)[1][:40] in by_source["deep.html"]["text"]
