"""Every fault of issue 25 against a clean reference ingest: message, exit status, rows lost or doubled.

A corpus (the samples, plus ``--extra`` generated wire stories so that an ingest writes several
batches) is ingested once into a reference database. Then each fault is made for real (kill -9 of
an ingest and of a server, two ingests at once sharing a syndicated copy, a full disk, a truncated
and a corrupted database, a read-only file and directory, 300 idle sockets under ``ulimit -n
256``, a stopped server, a server stopped by SIGTERM, a killed Ray worker node with ``--ray``),
followed by what a user does next (run the ingest again), and the database is compared with the
reference, table by table: rows missing are *lost*, rows more are *doubled*.

Each fault prints one row: the message the user saw, the exit status (and the one the README
documents), lost and doubled. The exit status is 1 when any row is wrong. The last line is JSON.

    python bench/faults.py [--extra 120] [--ray]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb
import httpx

REPO = Path(__file__).resolve().parents[1]
TABLES = ("articles", "entities", "mentions", "events", "quotes", "quantities")
# The statuses the README documents ("Faults and exit statuses").
HELD_BY_SERVER, HELD, NOT_A_DATABASE, DAMAGED, DISK_FULL, READ_ONLY, SERVER_FAILED = 3, 4, 5, 6, 7, 8, 10
TOWNS = ["Alder", "Birchfield", "Cedarton", "Dunmore", "Elmstead", "Fernhill", "Glenrock", "Hollins"]
ITEMS = ["wheat", "diesel", "cement", "medicine", "fertiliser", "timber", "rice", "steel"]


# Another process holding the file for writing (not a dateline server).
HOLDER = "import sys, time, duckdb; c = duckdb.connect(sys.argv[1]); print('ok', flush=True); time.sleep(120)"


@dataclass
class Outcome:
    fault: str
    message: str
    status: int | None
    expected: int | None
    lost: int
    doubled: int
    seconds: float
    ok: bool


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO / "src"), "PYTHONUNBUFFERED": "1"}


def dateline(*args: str) -> list[str]:
    return [sys.executable, "-c", "from dateline.cli import main; main()", *args]


def run(command: list[str], timeout: float = 600, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, env=_env(), timeout=timeout, **kwargs)


def said(output: str) -> str:
    """The line a user reads about what went wrong (or the last note when nothing did)."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for marker in ("error", "stopped", "note"):
        found = [line for line in lines if line.lower().startswith(marker)]
        if found:
            return found[-1][:240]
    return lines[-1][:240] if lines else ""


def write_corpus(folder: Path, extra: int) -> None:
    """The samples and ``extra`` short wire stories, each different in people, places and numbers."""
    shutil.copytree(REPO / "samples", folder, ignore=shutil.ignore_patterns("*.py", "*.md"))
    for n in range(extra):
        town, item = TOWNS[n % len(TOWNS)], ITEMS[(n // len(TOWNS)) % len(ITEMS)]
        (folder / f"story-{n:04d}.txt").write_text(
            f"{town} council approves {item} depot number {n}\n\n"
            f"{town.upper()} (Wire) — The {town} council on Tuesday approved a depot for {n + 3} "
            f'thousand tons of {item}, the mayor said. "We have waited {n % 9 + 2} years for this," '
            f"the mayor told reporters.\n\nProtesters gathered outside the hall, and police said "
            f"{n % 40 + 5} people were detained. The plan costs {n + 11} million dollars.\n",
            encoding="utf-8",
        )


def table_rows(db: Path) -> dict[str, Any]:
    """Row counts, and the articles by the text they hold: a copy counts under its original's id
    (which input of two became the copy depends on which was stored first)."""
    with duckdb.connect(str(db), read_only=True) as con:
        counts = {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES}  # type: ignore[index]
        texts = Counter(
            row[0] for row in con.execute("SELECT coalesce(duplicate_of, id) FROM articles").fetchall()
        )
        copied = con.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()
        copies = int(copied[0]) if copied else 0
    return {"counts": counts, "ids": texts, "copies": copies}


def compare(db: Path, reference: dict[str, Any]) -> tuple[int, int]:
    """Rows lost and rows doubled against the reference (articles by text, other tables by count)."""
    try:
        found = table_rows(db)
    except duckdb.Error:
        return sum(reference["counts"].values()), 0
    lost = sum((reference["ids"] - found["ids"]).values())
    doubled = sum((found["ids"] - reference["ids"]).values())
    for table in TABLES[1:]:
        difference = found["counts"][table] - reference["counts"][table]
        lost += max(0, -difference)
        doubled += max(0, difference)
    return lost, doubled


def stored(db: Path) -> int:
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])  # type: ignore[index]
    except duckdb.Error:
        return 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """`dateline serve` in a process of its own."""

    def __init__(self, db: Path, *, descriptors: int | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

        def limit() -> None:
            if descriptors:
                resource.setrlimit(resource.RLIMIT_NOFILE, (descriptors, descriptors))

        self.process = subprocess.Popen(
            dateline("serve", "--db", str(db), "--port", str(self.port)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
            preexec_fn=limit,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if httpx.get(f"{self.url}/api/stats", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.3)

    def stop(self) -> tuple[int | None, str]:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            _, log = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, log = self.process.communicate()
        return self.process.returncode, log


class Faults:
    def __init__(self, work: Path, extra: int):
        self.work = work
        self.corpus = work / "corpus"
        write_corpus(self.corpus, extra)
        self.reference_db = work / "reference.duckdb"
        started = time.monotonic()
        done = run(dateline("ingest", str(self.corpus), "--db", str(self.reference_db)))
        if done.returncode != 0:
            raise SystemExit(f"the reference ingest failed: {said(done.stderr)}")
        self.ingest_seconds = time.monotonic() - started
        self.reference = table_rows(self.reference_db)
        self.outcomes: list[Outcome] = []

    def db(self, name: str) -> Path:
        folder = self.work / name
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{name}.duckdb"

    def ingest(self, db: Path, *extra: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        return run(dateline("ingest", str(self.corpus), "--db", str(db), *extra), timeout=timeout)

    def record(
        self,
        fault: str,
        message: str,
        status: int | None,
        expected: int | None,
        lost_doubled: tuple[int, int],
        started: float,
        *,
        also: bool = True,
    ) -> None:
        lost, doubled = lost_doubled
        ok = also and status == expected and lost == 0 and doubled == 0
        outcome = Outcome(
            fault, message, status, expected, lost, doubled, round(time.monotonic() - started, 1), ok
        )
        self.outcomes.append(outcome)
        mark = "ok " if ok else "BAD"
        print(
            f"{mark} {fault:<40} status {status!s:>4} (want {expected!s:>4})  lost {lost:>4}  "
            f"doubled {doubled:>4}  {outcome.seconds:>6.1f} s  {message}",
            flush=True,
        )

    # -- the faults ---------------------------------------------------------------------------

    def kill_ingest(self, fraction: float) -> None:
        started = time.monotonic()
        db = self.db(f"kill-ingest-{int(fraction * 100)}")
        target = max(1, int(self.reference["counts"]["articles"] * fraction))
        child = subprocess.Popen(
            dateline("ingest", str(self.corpus), "--db", str(db)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=_env(),
        )
        while child.poll() is None and stored(db) < target:
            time.sleep(0.05)
        child.kill()
        child.wait()
        partial = stored(db)
        again = self.ingest(db)
        self.record(
            f"kill -9 ingest at {partial} articles",
            f"killed with {partial} stored; rerun: {said(again.stderr) or 'exit ' + str(again.returncode)}",
            again.returncode,
            0,
            compare(db, self.reference),
            started,
        )

    def kill_server(self) -> None:
        started = time.monotonic()
        db = self.db("kill-server")
        # An empty database for the server to hold.
        run(
            [
                sys.executable,
                "-c",
                "import sys; from dateline.store import Store; Store(sys.argv[1]).close()",
                str(db),
            ]
        )
        server = Server(db)
        child = subprocess.Popen(
            dateline("ingest", str(self.corpus), "--db", str(db)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and child.poll() is None:
            try:
                stats = httpx.get(f"{server.url}/api/stats", timeout=5).json()
                if stats["tables"]["articles"] > 0:
                    break
            except (httpx.HTTPError, ValueError, KeyError):
                pass
            time.sleep(0.2)
        server.process.kill()
        server.process.wait()
        _, err = child.communicate(timeout=600)
        self.record(
            "kill -9 server mid-ingest",
            said(err),
            child.returncode,
            0,
            compare(db, self.reference),
            started,
        )

    def concurrent_ingests(self) -> None:
        started = time.monotonic()
        h1, h2 = self.work / "h1", self.work / "h2"
        h1.mkdir()
        h2.mkdir()
        files = sorted(p for p in self.corpus.iterdir() if p.is_file())
        shared = (REPO / "samples" / "mali-roadside-bomb.txt").read_bytes()
        (h1 / "00-shared-a.txt").write_bytes(shared)
        (h2 / "00-shared-b.txt").write_bytes(shared)
        for n, path in enumerate(files):
            if path.name != "mali-roadside-bomb.txt":
                shutil.copy(path, (h1 if n % 2 else h2) / path.name)
        sequential = self.db("sequential")
        for folder in (h1, h2):
            run(dateline("ingest", str(folder), "--db", str(sequential)))
        reference = table_rows(sequential)
        together = self.db("together")
        children = [
            subprocess.Popen(
                dateline("ingest", str(folder), "--db", str(together)),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=_env(),
            )
            for folder in (h1, h2)
        ]
        outputs = [child.communicate(timeout=900) for child in children]
        statuses = {child.returncode for child in children}
        copies = table_rows(together)["copies"]
        # Each run's summary says what it stored; together they stored every article once.
        summaries = [int(out.split("│ stored")[1].split("│")[1]) for out, _ in outputs if "│ stored" in out]
        self.record(
            "two ingests at once sharing a copy",
            f"{copies} copies stored (one after the other: {reference['copies']}); the runs say they "
            f"stored {' + '.join(map(str, summaries))} of {reference['counts']['articles']}",
            max(statuses),
            0,
            compare(together, reference),
            started,
            also=copies == reference["copies"] and sum(summaries) == reference["counts"]["articles"],
        )

    def full_disk(self) -> None:
        started = time.monotonic()
        mount = self.work / "tmpfs"
        mount.mkdir()
        mounted = (
            os.geteuid() == 0
            and run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)]).returncode == 0
        )
        db = mount / "full.duckdb"
        if mounted:
            how = "3 MB tmpfs"
            full = self.ingest(db)
        else:
            how = "RLIMIT_FSIZE 1 MB"
            script = (
                "import resource, signal, sys\n"
                "from dateline.pipeline import clean_article\nfrom dateline.record import RawDoc\n"
                "clean_article(RawDoc(name='warm', text='The council met on Monday, officials said.'))\n"
                "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
                "resource.setrlimit(resource.RLIMIT_FSIZE, (1_000_000, 1_000_000))\n"
                "sys.argv = ['dateline', *sys.argv[1:]]\nfrom dateline.cli import main\nmain()\n"
            )
            full = run([sys.executable, "-c", script, "ingest", str(self.corpus), "--db", str(db)])
        # Space freed: the database moves to a larger disk and the ingest runs again.
        moved = self.db("full-moved")
        for suffix in ("", ".wal"):
            if Path(f"{db}{suffix}").exists():
                shutil.copy(f"{db}{suffix}", f"{moved}{suffix}")
        if mounted:
            run(["umount", str(mount)])
        again = self.ingest(moved)
        self.record(
            f"full disk ({how})",
            said(full.stderr),
            full.returncode,
            DISK_FULL,
            compare(moved, self.reference),
            started,
            also=again.returncode == 0,
        )

    def damaged(self, how: str) -> None:
        started = time.monotonic()
        db = self.db(f"damaged-{how}")
        shutil.copy(self.reference_db, db)
        if how == "truncated":
            os.truncate(db, db.stat().st_size // 2)
        else:
            with duckdb.connect(str(db), read_only=True) as con:
                block, offset = con.execute(
                    "SELECT block_id, block_offset FROM pragma_storage_info('articles') "
                    "WHERE column_name = 'id' AND block_id >= 0 LIMIT 1"
                ).fetchone()  # type: ignore[misc]
                size = con.execute("SELECT block_size FROM pragma_database_size()").fetchone()[0]  # type: ignore[index]
            with db.open("r+b") as handle:
                handle.seek(3 * 4096 + block * size + offset + 64)
                handle.write(b"\xa5" * 16)
        before = db.read_bytes()
        ingest = self.ingest(db)
        check = run(dateline("check", str(db)))
        untouched = db.read_bytes() == before
        self.record(
            f"{how} database: ingest",
            said(ingest.stderr),
            ingest.returncode,
            DAMAGED,
            (0, 0) if untouched else (1, 0),
            started,
            also=check.returncode == DAMAGED,
        )

    def not_a_database(self) -> None:
        started = time.monotonic()
        db = self.db("empty")
        db.write_bytes(b"")
        serve = run(dateline("serve", "--db", str(db), "--port", str(free_port())), timeout=60)
        self.record(
            "empty file: serve",
            said(serve.stderr),
            serve.returncode,
            NOT_A_DATABASE,
            (0, 0) if db.read_bytes() == b"" else (1, 0),
            started,
        )

    def read_only(self, which: str) -> None:
        started = time.monotonic()
        db = self.db(f"read-only-{which}")
        shutil.copy(self.reference_db, db)
        target = db if which == "file" else db.parent
        if os.geteuid() == 0:
            subprocess.run(["chattr", "+i", str(target)], check=True)
        else:
            target.chmod(0o555 if target.is_dir() else 0o444)
        try:
            ingest = self.ingest(db)
            server = Server(db)
            answered = httpx.get(f"{server.url}/api/stats", timeout=10).json()["tables"]["articles"]
            stop_status, _ = server.stop()
        finally:
            if os.geteuid() == 0:
                subprocess.run(["chattr", "-i", str(target)], check=True)
            else:
                target.chmod(0o755 if target.is_dir() else 0o644)
        self.record(
            f"read-only {which}: ingest, then serve",
            said(ingest.stderr),
            ingest.returncode,
            READ_ONLY if os.geteuid() == 0 else 9,
            compare(db, self.reference),
            started,
            also=answered == self.reference["counts"]["articles"] and stop_status == 0,
        )

    def idle_sockets(self) -> None:
        started = time.monotonic()
        db = self.db("idle")
        shutil.copy(self.reference_db, db)
        server = Server(db, descriptors=256)
        sockets = []
        for _ in range(300):
            try:
                sockets.append(socket.create_connection(("127.0.0.1", server.port), timeout=5))
            except OSError:
                break
        waited = time.monotonic()
        answered = False
        while time.monotonic() - waited < 60 and not answered:
            try:
                answered = httpx.get(f"{server.url}/api/stats", timeout=5).status_code == 200
            except httpx.HTTPError:
                time.sleep(0.5)
        seconds = time.monotonic() - waited
        for sock in sockets:
            sock.close()
        status, log = server.stop()
        self.record(
            "300 idle sockets, ulimit -n 256",
            f"{len(sockets)} sockets opened; a client answered after {seconds:.1f} s; log {len(log)} bytes",
            status,
            0,
            compare(db, self.reference),
            started,
            also=answered and "Traceback" not in log and len(log) < 20_000,
        )

    def stopped_server(self) -> None:
        started = time.monotonic()
        db = self.db("stopped")
        shutil.copy(self.reference_db, db)
        with duckdb.connect(str(db)) as con:
            # Half the articles gone, so the ingest has something to write.
            con.execute("DELETE FROM articles WHERE id IN (SELECT id FROM articles ORDER BY id LIMIT 20)")
            for table in TABLES[1:]:
                con.execute(f"DELETE FROM {table} WHERE article_id NOT IN (SELECT id FROM articles)")
        server = Server(db)
        os.kill(server.process.pid, signal.SIGSTOP)
        hung = self.ingest(db, timeout=300)
        os.kill(server.process.pid, signal.SIGCONT)
        again = self.ingest(db)
        status, _ = server.stop()
        self.record(
            "stopped (SIGSTOP) server: ingest",
            said(hung.stderr),
            hung.returncode,
            SERVER_FAILED,
            compare(db, self.reference),
            started,
            also=again.returncode == 0 and status == 0,
        )

    def beside_server(self) -> None:
        started = time.monotonic()
        db = self.db("beside")
        shutil.copy(self.reference_db, db)
        server = Server(db)
        stats = run(dateline("stats", "--db", str(db)), timeout=60)
        status, log = server.stop()
        self.record(
            "stats beside a server; SIGTERM of server",
            said(stats.stderr),
            stats.returncode,
            HELD_BY_SERVER,
            compare(db, self.reference),
            started,
            also=status == 0 and "Traceback" not in log,
        )

    def held(self) -> None:
        started = time.monotonic()
        db = self.db("held")
        shutil.copy(self.reference_db, db)
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(db)],
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        assert holder.stdout is not None
        holder.stdout.readline()
        ingest = self.ingest(db, "--wait", "2")
        holder.kill()
        holder.wait()
        self.record(
            "held by another process (--wait 2)",
            said(ingest.stderr),
            ingest.returncode,
            HELD,
            compare(db, self.reference),
            started,
        )

    def ray_node(self) -> None:
        from ray_cluster import killed_node_ingest  # bench/ray_cluster.py

        started = time.monotonic()
        db = self.db("ray")
        message, status = killed_node_ingest(self.corpus, db, self.work / "ray")
        self.record(
            "Ray: second node killed mid-run", message, status, 0, compare(db, self.reference), started
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--extra", type=int, default=120, help="Generated stories besides the samples.")
    parser.add_argument("--ray", action="store_true", help="Also kill a Ray worker node mid-run (slow).")
    parser.add_argument("--only", default="", help="Comma-separated fault names to run (for a quick look).")
    options = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    with tempfile.TemporaryDirectory(prefix="dateline-faults-") as folder:
        faults = Faults(Path(folder), options.extra)
        print(
            f"reference: {faults.reference['counts']['articles']} articles, {faults.reference['counts']}, "
            f"ingested in {faults.ingest_seconds:.0f} s",
            flush=True,
        )
        plan: list[tuple[str, Callable[[], None]]] = [
            ("kill-ingest", lambda: faults.kill_ingest(0.3)),
            ("kill-ingest", lambda: faults.kill_ingest(0.7)),
            ("kill-server", faults.kill_server),
            ("concurrent", faults.concurrent_ingests),
            ("full-disk", faults.full_disk),
            ("truncated", lambda: faults.damaged("truncated")),
            ("corrupted", lambda: faults.damaged("corrupted")),
            ("empty", faults.not_a_database),
            ("read-only", lambda: faults.read_only("file")),
            ("read-only", lambda: faults.read_only("directory")),
            ("idle", faults.idle_sockets),
            ("stopped", faults.stopped_server),
            ("beside", faults.beside_server),
            ("held", faults.held),
        ]
        if options.ray:
            plan.append(("ray", faults.ray_node))
        wanted = {name for name in options.only.split(",") if name}
        for name, fault in plan:
            if wanted and name not in wanted:
                continue
            try:
                fault()
            except Exception as error:  # a fault the bench could not make is a wrong row, not a crash
                faults.record(
                    name,
                    f"bench error: {type(error).__name__}: {error}",
                    None,
                    0,
                    (0, 0),
                    time.monotonic(),
                    also=False,
                )
        bad = [o.fault for o in faults.outcomes if not o.ok]
        print(
            json.dumps(
                {
                    "benchmark": "faults",
                    "date": time.strftime("%Y-%m-%d"),
                    "articles": faults.reference["counts"]["articles"],
                    "reference_rows": faults.reference["counts"],
                    "faults": [asdict(o) for o in faults.outcomes],
                    "wrong": bad,
                },
                ensure_ascii=False,
            )
        )
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
