"""A real two-node Ray cluster on this machine, and an ingest through it that loses a node.

`ray start --head` and a second `ray start --address` (its own process group, so that killing it
takes its raylet and its workers down at once, as a machine that dies would), each with one CPU.
`dateline ingest --engine ray --address` runs on the cluster; once the second node has taken part,
it is killed with SIGKILL. Ray retries what the dead node held; if the ingest fails anyway, the
ingest is run again, which resumes (`dateline load` skips what is stored). Used by
bench/faults.py (``--ray``) and by tests/engine/test_engine_ray_nodes.py.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        "RAY_USAGE_STATS_ENABLED": "0",
        # A throw-away cluster on loopback: no token to share between its nodes and clients.
        "RAY_AUTH_MODE": "disabled",
        # A dead node is declared dead after a few missed heartbeats, not the default half minute.
        "RAY_health_check_period_ms": "1000",
        "RAY_health_check_failure_threshold": "3",
    }


def _ray() -> str:
    found = shutil.which("ray", path=str(Path(sys.executable).parent))
    if found is None:
        raise RuntimeError("the ray command is not installed (pip install 'dateline[ray]')")
    return found


class Cluster:
    """A head node and one worker node, started with `ray start`, stopped with `ray stop`."""

    def __init__(self, cpus_per_node: int = 1):
        # Ray's sockets live under its temp dir, whose path must stay short.
        self.temp = Path(tempfile.mkdtemp(prefix="rt", dir="/tmp"))
        self.port = _free_port()
        self.address = f"127.0.0.1:{self.port}"
        head = subprocess.run(
            [
                _ray(), "start", "--head", f"--port={self.port}", f"--num-cpus={cpus_per_node}",
                "--include-dashboard=false", f"--temp-dir={self.temp}", "--node-ip-address=127.0.0.1",
                "--disable-usage-stats",
            ],
            capture_output=True, text=True, env=_env(), timeout=180, start_new_session=True,
        )  # fmt: skip
        if head.returncode != 0:
            raise RuntimeError(f"ray start --head failed: {head.stderr[-500:]}")
        self.worker = subprocess.Popen(
            [
                _ray(), "start", f"--address={self.address}", f"--num-cpus={cpus_per_node}",
                "--node-ip-address=127.0.0.1", "--block", "--disable-usage-stats",
                # A resource only this node has, to tell when it has joined.
                "--resources={\"second_node\": 1}",
            ],
            stdout=subprocess.DEVNULL, stderr=(self.temp / "worker.log").open("w"), env=_env(),
            start_new_session=True,
        )  # fmt: skip
        try:
            self._wait_for_nodes(2)
        except BaseException:
            self.stop()
            raise

    def _nodes(self) -> int:
        script = (
            "import ray, sys; ray.init(address=sys.argv[1], logging_level='ERROR'); "
            "print(sum(1 for n in ray.nodes() if n['Alive'])); ray.shutdown()"
        )
        done = subprocess.run(
            [sys.executable, "-c", script, self.address],
            capture_output=True,
            text=True,
            env=_env(),
            timeout=120,
        )
        lines = done.stdout.strip().splitlines()
        return int(lines[-1]) if done.returncode == 0 and lines and lines[-1].isdigit() else 0

    def _wait_for_nodes(self, count: int, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self._nodes() >= count:
                return
            time.sleep(1)
        raise RuntimeError(f"the Ray cluster at {self.address} did not reach {count} nodes")

    def kill_worker_node(self) -> None:
        """SIGKILL to the second node's whole process group: raylet, object store and workers."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait()

    def stop(self) -> None:
        """Kill this cluster's processes only (`ray stop` would stop every Ray on the machine)."""
        self.kill_worker_node()
        mine = str(self.temp)
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                command = (entry / "cmdline").read_bytes().decode("utf-8", "replace")
            except OSError:
                continue
            if mine in command:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(entry.name), signal.SIGKILL)
        shutil.rmtree(self.temp, ignore_errors=True)


def _command(corpus: Path, db: Path, address: str, parts: Path, workers: int) -> list[str]:
    return [
        sys.executable, "-c", "from dateline.cli import main; main()", "ingest", str(corpus),
        "--db", str(db), "--engine", "ray", "--address", address, "--workers", str(workers),
        "--parts", str(parts),
    ]  # fmt: skip


def killed_node_ingest(
    corpus: Path, db: Path, work: Path, *, kill_after: float = 20.0, grace: float = 60.0
) -> tuple[str, int]:
    """Ingest ``corpus`` into ``db`` on a two-node cluster, killing the second node ``kill_after``
    seconds into the run. If the run has not finished ``grace`` seconds after the node's loss (the
    actor pool waits for a node that will not come back), it is stopped and run again on the node
    left, which resumes. Returns (what happened, the final exit status)."""
    work.mkdir(parents=True, exist_ok=True)
    cluster = Cluster()
    try:
        first = subprocess.Popen(
            _command(corpus, db, cluster.address, work / "parts", 2),
            stdout=subprocess.DEVNULL, stderr=(work / "first-run.log").open("w"), env=_env(),
        )  # fmt: skip
        with contextlib.suppress(subprocess.TimeoutExpired):
            first.wait(timeout=kill_after)
        when = "mid-run" if first.poll() is None else "after the run"
        cluster.kill_worker_node()
        try:
            first.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            first.terminate()
            try:
                first.wait(timeout=30)
            except subprocess.TimeoutExpired:
                first.kill()
                first.wait()
        if first.returncode == 0:
            return f"node killed {when}; Ray finished the run on the node left", 0
        outcome = (
            "stalled"
            if first.returncode in (-signal.SIGTERM, -signal.SIGKILL)
            else f"exit {first.returncode}"
        )
        again = subprocess.run(
            _command(corpus, db, cluster.address, work / "parts", 1),
            capture_output=True, text=True, env=_env(), timeout=1800,
        )  # fmt: skip
        return (
            f"node killed {when}; first run {outcome}; rerun on the node left: exit {again.returncode}",
            again.returncode,
        )
    finally:
        if "first" in locals() and first.poll() is None:
            first.kill()
        cluster.stop()


__all__ = ["Cluster", "killed_node_ingest"]
