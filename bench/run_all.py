"""Run every evaluation under bench/ on its development data and print one table of the figures.

Each evaluation prints its own table and, as its last line, one JSON object of figures; it exits
non-zero below the floor its issue names. This script runs them one after the other, keeps the last
line of each, and exits non-zero when any fell below its floor.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
# Quality evaluations; the speed benchmarks (ingest_speed.py, throughput.py) are run on their own.
EVALUATIONS = [*sorted(BENCH.glob("eval_*.py")), BENCH / "repair_counts.py"]


def run(script: Path) -> tuple[int, dict[str, object]]:
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    try:
        figures = json.loads(lines[-1]) if lines else {}
    except json.JSONDecodeError:
        figures = {}
    if not figures:
        figures = {"error": (result.stderr.strip().splitlines() or ["no output"])[-1]}
    return result.returncode, figures


def main() -> int:
    failed = []
    rows = []
    for script in EVALUATIONS:
        if not script.exists():
            continue
        print(f"running {script.name} ...", file=sys.stderr, flush=True)
        status, figures = run(script)
        if status != 0:
            failed.append(script.name)
        shown = ", ".join(
            f"{key}={value:.3f}" if isinstance(value, float) else f"{key}={value}"
            for key, value in figures.items()
        )
        verdict = "ok" if status == 0 else "ERROR" if "error" in figures else "BELOW FLOOR"
        rows.append((script.name, verdict, shown))
    width = max(len(name) for name, _, _ in rows)
    print(f"{'evaluation':<{width}}  {'status':<11}  figures")
    for name, verdict, shown in rows:
        print(f"{name:<{width}}  {verdict:<11}  {shown}")
    print(json.dumps({"evaluations": len(rows), "failed": failed}))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
