"""Every fault of issue 25 made for the test, each answered in one line naming the file and the
cause, with its own exit status, and nothing lost.

Statuses: 3 held by a dateline server, 4 held by another process, 5 not a database, 6 damaged,
7 disk full, 8 read-only, 9 permission denied, 10 the server holding the file failed.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import httpx
import pytest
from typer.testing import CliRunner

from dateline.cli import app
from dateline.engine.local import IngestRun
from dateline.pipeline import Pipeline
from dateline.store import open_store
from dateline.store.faults import DatabaseFault, Fault, check_before_writing

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
TABLES = ("articles", "entities", "mentions", "events", "quotes", "quantities")
IS_ROOT = os.geteuid() == 0


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO / "src")}


def _dateline(*args: str) -> list[str]:
    return [sys.executable, "-c", "from dateline.cli import main; main()", *args]


def _rows(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES}  # type: ignore[index]


def _one_line(output: str) -> str:
    """The error line of a command's output; it must be the only line mentioning an error."""
    lines = [line for line in output.splitlines() if "error" in line.lower()]
    assert len(lines) == 1, output
    assert "Traceback" not in output, output
    return lines[0]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean database of three sample articles."""
    folder = tmp_path_factory.mktemp("in")
    for name in ("mali-roadside-bomb.txt", "japan-missile-statement.txt", "brazil-nigeria-visit.txt"):
        shutil.copy(SAMPLES / name, folder / name)
    db = tmp_path_factory.mktemp("ref") / "ref.duckdb"
    with open_store(db) as store:
        IngestRun(store=store, analyser=Pipeline()).run([folder])
    return db


@pytest.fixture
def copy(reference: Path, tmp_path: Path) -> Path:
    target = tmp_path / "c.duckdb"
    shutil.copy(reference, target)
    return target


def _truncate(db: Path) -> None:
    os.truncate(db, db.stat().st_size // 2)


def _corrupt(db: Path, table: str = "articles", column: str = "text") -> None:
    """16 bytes of noise inside the block that holds the column's data."""
    with duckdb.connect(str(db), read_only=True) as con:
        block, offset = con.execute(
            "SELECT block_id, block_offset FROM pragma_storage_info(?) WHERE column_name = ? "
            "AND block_id >= 0 LIMIT 1",
            [table, column],
        ).fetchone()  # type: ignore[misc]
        size = con.execute("SELECT block_size FROM pragma_database_size()").fetchone()[0]  # type: ignore[index]
    with db.open("r+b") as handle:
        handle.seek(3 * 4096 + block * size + offset + 64)
        handle.write(b"\xa5" * 16)


# -- not a database, damaged ---------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"hello, this is not a database\n" * 50])
@pytest.mark.parametrize(
    "command",
    [
        ["stats"],
        ["show", "abc"],
        ["export", "--format", "gdelt"],
        ["ingest", str(SAMPLES / "mali-roadside-bomb.txt")],
    ],
    ids=["stats", "show", "export", "ingest"],
)
def test_a_file_that_is_no_database_is_said_so_at_once(
    tmp_path: Path, content: bytes, command: list[str]
) -> None:
    db = tmp_path / "e.duckdb"
    db.write_bytes(content)
    started = time.monotonic()
    result = CliRunner().invoke(app, [*command, "--db", str(db)])
    assert result.exit_code == Fault.NOT_A_DATABASE.status, result.output
    line = _one_line(result.output)
    assert str(db) in line and "not a dateline database" in line
    assert time.monotonic() - started < 5
    assert db.read_bytes() == content, "the file must not be touched"


@pytest.mark.parametrize(
    "command",
    [["stats"], ["export", "--format", "gdelt"], ["ingest", str(SAMPLES / "mali-roadside-bomb.txt")]],
    ids=["stats", "export", "ingest"],
)
def test_a_truncated_database_is_damaged_and_never_opened_for_writing(copy: Path, command: list[str]) -> None:
    _truncate(copy)
    before = copy.read_bytes()
    result = CliRunner().invoke(app, [*command, "--db", str(copy)])
    assert result.exit_code == Fault.DAMAGED.status, result.output
    assert "damaged" in _one_line(result.output)
    assert copy.read_bytes() == before
    assert not Path(f"{copy}.wal").exists()


def test_ingest_refuses_a_database_with_a_corrupt_block(copy: Path) -> None:
    _corrupt(copy, "articles", "id")
    before = copy.read_bytes()
    result = CliRunner().invoke(app, ["ingest", str(SAMPLES / "mali-roadside-bomb.txt"), "--db", str(copy)])
    assert result.exit_code == Fault.DAMAGED.status, result.output
    assert "checksum" in _one_line(result.output)
    assert copy.read_bytes() == before


def test_check_finds_a_corrupt_block_and_salvages_the_rest(
    copy: Path, reference: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    whole = runner.invoke(app, ["check", str(reference)])
    assert whole.exit_code == 0, whole.output
    _corrupt(copy, "events", "cameo")
    damaged = runner.invoke(app, ["check", str(copy), "--salvage", str(tmp_path / "s.duckdb"), "--json"])
    assert damaged.exit_code == Fault.DAMAGED.status, damaged.output
    salvaged = _rows(tmp_path / "s.duckdb")
    reference_rows = _rows(reference)
    # The events' block is lost; the articles and everything in other blocks come through.
    assert salvaged["articles"] == reference_rows["articles"]
    assert salvaged["events"] < reference_rows["events"]
    assert salvaged["quotes"] == reference_rows["quotes"]


def test_check_reports_orphans_and_missing_originals(copy: Path) -> None:
    with duckdb.connect(str(copy)) as con:
        victim = con.execute("SELECT article_id FROM events LIMIT 1").fetchone()[0]  # type: ignore[index]
        con.execute("DELETE FROM articles WHERE id = ?", [victim])
    result = CliRunner().invoke(app, ["check", str(copy)])
    assert result.exit_code == Fault.DAMAGED.status
    assert "whose article is not stored" in result.output


def test_a_served_database_with_a_corrupt_block_answers_that_page_with_the_cause(copy: Path) -> None:
    from fastapi.testclient import TestClient

    from dateline.web import create_app

    with duckdb.connect(str(copy), read_only=True) as con:
        article = con.execute("SELECT id FROM articles LIMIT 1").fetchone()[0]  # type: ignore[index]
    # Each table has blocks of its own: the article page reads the quantities, the lists do not.
    _corrupt(copy, "quantities", "text")
    with TestClient(create_app(copy)) as client:
        page = client.get(f"/api/articles/{article}")
        assert page.status_code == 500
        assert page.json()["fault"] == "DAMAGED" and "checksum" in page.json()["detail"]
        assert "dateline check" in page.json()["detail"]
        html = client.get(f"/articles/{article}")
        assert html.status_code == 500 and "checksum" in html.text
        # Pages that do not read the damaged block still answer.
        assert client.get("/api/events").status_code == 200
        assert client.get("/api/quotes").status_code == 200


# -- disk full, read-only, permission -------------------------------------------------------------

FULL_DISK = r"""
import resource, signal, sys
from dateline.pipeline import clean_article
from dateline.record import RawDoc
# Language identification unpacks its model to a temporary file: done before the limit.
clean_article(RawDoc(name="warm", text="The council met on Monday in the capital, officials said."))
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
sys.argv = ["dateline", *sys.argv[2:]]
from dateline.cli import main
main()
"""


@pytest.mark.parametrize("limit", [400_000, 1_000_000])
def test_a_full_disk_is_named_and_what_was_stored_is_kept(
    tmp_path: Path, reference: Path, limit: int
) -> None:
    db = tmp_path / "full.duckdb"
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("mali-roadside-bomb.txt", "japan-missile-statement.txt", "brazil-nigeria-visit.txt"):
        shutil.copy(SAMPLES / name, inputs / name)
    command = [sys.executable, "-c", FULL_DISK, str(limit), "ingest", str(inputs), "--db", str(db)]
    full = subprocess.run(command, capture_output=True, text=True, env=_env(), timeout=300)
    assert full.returncode == Fault.DISK_FULL.status, full.stderr
    line = _one_line(full.stderr)
    assert "disk full" in line and str(db) in line and "File too large" in line
    # Space freed: the rerun finishes, and the database is the reference, row for row.
    again = subprocess.run(
        _dateline("ingest", str(inputs), "--db", str(db)),
        capture_output=True,
        text=True,
        env=_env(),
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    assert _rows(db) == _rows(reference)


@pytest.fixture
def immutable() -> Iterator[list[Path]]:
    """Paths made immutable (chattr +i) for a test, made mutable again after it."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed: cannot make a file read-only for root")
    made: list[Path] = []
    yield made
    for path in made:
        subprocess.run(["chattr", "-i", str(path)], check=False)


def _make_immutable(path: Path, made: list[Path]) -> None:
    if IS_ROOT:
        result = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
        if result.returncode != 0:
            pytest.skip(f"chattr +i is not allowed here: {result.stderr.strip()}")
        made.append(path)
    else:
        path.chmod(0o555 if path.is_dir() else 0o444)


@pytest.mark.parametrize("which", ["file", "directory"])
def test_a_read_only_file_or_directory_is_named_and_served_read_only(
    copy: Path, immutable: list[Path], which: str
) -> None:
    from fastapi.testclient import TestClient

    from dateline.web import create_app

    _make_immutable(copy if which == "file" else copy.parent, immutable)
    before = copy.read_bytes()
    result = CliRunner().invoke(app, ["ingest", str(SAMPLES / "mali-roadside-bomb.txt"), "--db", str(copy)])
    expected = Fault.READ_ONLY if IS_ROOT else Fault.PERMISSION
    assert result.exit_code == expected.status, result.output
    assert str(copy) in _one_line(result.output)
    with TestClient(create_app(copy, read_only=True)) as client:
        assert client.get("/api/stats").json()["tables"]["articles"] == 3
    assert copy.read_bytes() == before
    assert sorted(p.name for p in copy.parent.iterdir()) == ["c.duckdb"]


def test_permission_denied_is_its_own_fault(tmp_path: Path, reference: Path) -> None:
    if IS_ROOT:
        # Root passes every permission check; the test runs its command as nobody instead.
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: cannot run a command as another user")
        folder = Path(tempfile.mkdtemp(dir="/tmp"))
        folder.chmod(0o755)
    else:
        folder = tmp_path
    try:
        db = folder / "p.duckdb"
        shutil.copy(reference, db)
        db.chmod(0o600 if IS_ROOT else 0o000)
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if IS_ROOT else []
        result = subprocess.run(
            [*prefix, *_dateline("stats", "--db", str(db))],
            capture_output=True,
            text=True,
            env=_env(),
            timeout=120,
        )
        if IS_ROOT and "No module named" in result.stderr:
            pytest.skip("the test environment is not readable by nobody")
        assert result.returncode == Fault.PERMISSION.status, result.stderr
        assert "permission denied" in _one_line(result.stderr).lower()
    finally:
        if IS_ROOT:
            shutil.rmtree(folder, ignore_errors=True)


def test_check_before_writing_names_each_cause(tmp_path: Path) -> None:
    (tmp_path / "dir.duckdb").mkdir()
    with pytest.raises(DatabaseFault) as caught:
        check_before_writing(tmp_path / "dir.duckdb")
    assert caught.value.fault is Fault.NOT_A_DATABASE
    with pytest.raises(DatabaseFault) as caught:
        check_before_writing(tmp_path / "missing" / "x.duckdb")
    assert caught.value.fault is Fault.MISSING and caught.value.status == 2
    check_before_writing(tmp_path / "new.duckdb")  # a new file in a writable folder is fine
    assert not (tmp_path / "new.duckdb").exists()


# -- held by a server, by another process; a server stopped or hung ------------------------------

HOLDER = r"""
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(60)
"""


def test_a_file_held_by_another_process_is_said_at_once_and_refused_after_the_wait(copy: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(copy)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        started = time.monotonic()
        stats = subprocess.run(
            _dateline("stats", "--db", str(copy)), capture_output=True, text=True, env=_env(), timeout=60
        )
        assert stats.returncode == Fault.HELD.status, stats.stderr
        assert "held by another process" in _one_line(stats.stderr)
        assert time.monotonic() - started < 15
        ingest = subprocess.run(
            _dateline("ingest", str(SAMPLES / "mali-roadside-bomb.txt"), "--db", str(copy), "--wait", "1"),
            capture_output=True, text=True, env=_env(), timeout=120,
        )  # fmt: skip
        assert ingest.returncode == Fault.HELD.status, ingest.stderr
        assert "--wait" in _one_line(ingest.stderr)
    finally:
        holder.kill()
        holder.wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(copy: Path) -> Iterator[tuple[subprocess.Popen[str], str, Path]]:
    port = _free_port()
    process = subprocess.Popen(
        _dateline("serve", "--db", str(copy), "--port", str(port)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256)),
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/stats", timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    yield process, url, copy
    if process.poll() is None:
        os.kill(process.pid, signal.SIGCONT)
        process.kill()
        process.wait()


def test_reads_beside_a_server_are_refused_at_once_and_sigterm_exits_0(
    server: tuple[subprocess.Popen[str], str, Path],
) -> None:
    process, url, db = server
    started = time.monotonic()
    stats = subprocess.run(
        _dateline("stats", "--db", str(db)), capture_output=True, text=True, env=_env(), timeout=60
    )
    assert stats.returncode == Fault.HELD_BY_SERVER.status, stats.stderr
    assert url in _one_line(stats.stderr)
    assert time.monotonic() - started < 10
    process.send_signal(signal.SIGTERM)
    _, log = process.communicate(timeout=30)
    assert process.returncode == 0, log
    assert "Traceback" not in log


def test_idle_and_half_sent_connections_are_closed_and_clients_get_in(
    server: tuple[subprocess.Popen[str], str, Path],
) -> None:
    process, url, _ = server
    port = int(url.rsplit(":", 1)[1])
    # More idle sockets than the server has descriptors (ulimit -n 256 in the fixture).
    # A request that stops half-way through its headers, sent first, so that it is served.
    half = socket.create_connection(("127.0.0.1", port))
    half.sendall(b"GET /api/stats HTTP/1.1\r\nHost: x\r\n")
    idle = []
    for _ in range(300):
        try:
            idle.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        except OSError:
            break
    try:
        deadline = time.monotonic() + 40
        answered = False
        while time.monotonic() < deadline and not answered:
            try:
                answered = httpx.get(f"{url}/api/stats", timeout=5).status_code == 200
            except httpx.HTTPError:
                time.sleep(0.5)
        assert answered, "a client got no answer while idle sockets held the server"
        half.settimeout(30)
        # Closed by the server: an empty read, or a reset when bytes were left unread.
        with contextlib.suppress(ConnectionResetError):
            assert half.recv(100) == b"", "a half-sent request must be closed by the server"
        # A client fault on the writer endpoint is a 400 and one log line, not a traceback.
        token = __import__("json").loads(Path(f"{server[2]}.server.json").read_text())["token"]
        bad = httpx.post(f"{url}/_writer/write", content=b"{not json", headers={"X-Dateline-Token": token})
        assert bad.status_code == 400
    finally:
        for sock in [*idle, half]:
            sock.close()
    process.send_signal(signal.SIGTERM)
    _, log = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "Traceback" not in log and len(log) < 20_000, log[-2000:]


def test_a_hung_server_stops_the_ingest_in_seconds_with_the_cause(
    server: tuple[subprocess.Popen[str], str, Path], tmp_path: Path
) -> None:
    process, _, db = server
    os.kill(process.pid, signal.SIGSTOP)
    started = time.monotonic()
    ingest = subprocess.run(
        _dateline("ingest", str(SAMPLES / "mali-roadside-bomb.txt"), "--db", str(db)),
        capture_output=True, text=True, env=_env(), timeout=120,
    )  # fmt: skip
    assert ingest.returncode == Fault.SERVER_FAILED.status, ingest.stderr
    assert "does not answer" in _one_line(ingest.stderr)
    assert time.monotonic() - started < 40


def test_a_fault_the_server_meets_reaches_the_ingest_with_its_status(copy: Path) -> None:
    from fastapi.testclient import TestClient

    from dateline.record import Record, article_id
    from dateline.store.shared import RemoteStore, ServerInfo
    from dateline.web import create_app

    text = "Ministers met in Geneva on Monday."
    record = Record(id=article_id(text), raw=text, text=text, source="g.txt")
    served = create_app(copy, read_only=True)
    with TestClient(served, client=("127.0.0.1", 50000), raise_server_exceptions=False) as client:
        token = client.app.state.writer_token  # type: ignore[attr-defined]
        answer = client.post(
            "/_writer/write",
            json={"records": [record.to_dict()], "minhashes": {}},
            headers={"X-Dateline-Token": token},
        )
    assert answer.json()["fault"] == "READ_ONLY"
    remote = RemoteStore(ServerInfo("http://127.0.0.1:9", os.getpid(), token, str(copy)))
    with pytest.raises(DatabaseFault) as caught:
        remote._answer("/write", httpx.Response(answer.status_code, content=answer.content))
    assert caught.value.fault is Fault.READ_ONLY and caught.value.status == 8


def test_sigterm_stops_an_ingest_cleanly_with_status_0(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "tests" / "engine"))
    from test_engine_ingest import write_corpus

    write_corpus(tmp_path / "in", 300)
    db = tmp_path / "t.duckdb"
    ingest = subprocess.Popen(
        _dateline("ingest", str(tmp_path / "in"), "--db", str(db)),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(),
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not db.exists():
        time.sleep(0.2)
    time.sleep(3)
    ingest.send_signal(signal.SIGTERM)
    _, err = ingest.communicate(timeout=120)
    assert ingest.returncode == 0, err
    assert "stopped (SIGTERM) after storing" in err
    stored = int(err.split("after storing ")[1].split()[0])
    assert _rows(db)["articles"] == stored


def test_a_server_that_hangs_mid_batch_is_given_up_in_seconds_with_progress_said(tmp_path: Path) -> None:
    import http.server
    import threading

    from dateline.record import Record, article_id
    from dateline.store.shared import PING_EVERY, PINGS_MISSED, RemoteStore, ServerInfo

    hang = threading.Event()
    release = threading.Event()

    class Hanging(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # the ping: answered until the server "hangs"
            if hang.is_set():
                release.wait(60)
                return
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def do_POST(self) -> None:  # the batch write never returns
            self.rfile.read(int(self.headers["Content-Length"]))
            release.wait(60)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hanging)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    notes: list[str] = []
    remote = RemoteStore(
        ServerInfo(f"http://127.0.0.1:{server.server_port}", os.getpid(), "t", str(tmp_path / "x.duckdb")),
        on_note=notes.append,
    )
    text = "Ministers met in Geneva on Monday."
    threading.Timer(2 * PING_EVERY + 1, hang.set).start()
    started = time.monotonic()
    try:
        with pytest.raises(DatabaseFault) as caught:
            remote.admit([Record(id=article_id(text), raw=text, text=text, source="g.txt")])
    finally:
        release.set()
        server.shutdown()
    assert caught.value.fault is Fault.SERVER_FAILED and "stopped answering" in caught.value.reason
    assert any("still writing" in note for note in notes), notes
    assert time.monotonic() - started < 2 * PING_EVERY + 1 + (PINGS_MISSED + 1) * (PING_EVERY + 3)
