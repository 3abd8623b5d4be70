"""Engine benchmark: import cost of the package and local generate() per example story.

Run: python bench/bench_engine.py
Timings are medians of repeated runs; the import cost is reported against `import json`
(a baseline measured in the same run) so numbers compare across machines.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
STORIES = ROOT / "tests" / "stories.yml"


def import_time(module: str, runs: int = 5) -> float:
    """Median wall time (ms) of a fresh interpreter importing `module`, minus a bare start."""

    def once(code: str) -> float:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return (time.perf_counter() - t0) * 1000

    bare = statistics.median(once("pass") for _ in range(runs))
    return statistics.median(once(f"import {module}") for _ in range(runs)) - bare


def generate_times(runs: int = 20) -> list[tuple[str, float, float]]:
    from stickanim_jupyter import generate

    rows = []
    for entry in yaml.safe_load(STORIES.read_text(encoding="utf-8")):
        story = entry["story"]
        if not story.strip():
            continue
        generate(story, provider="local", cache=False)  # warm-up
        samples = []
        for _ in range(runs):
            t0 = time.perf_counter()
            generate(story, provider="local", cache=False)
            samples.append((time.perf_counter() - t0) * 1000)
        rows.append((story, statistics.median(samples), max(samples)))
    return rows


def main() -> None:
    pkg = import_time("stickanim_jupyter")
    base = import_time("json")
    print("| what | median ms |\n|---|---|")
    print(f"| import stickanim_jupyter (over bare python) | {pkg:.1f} |")
    print(f"| import json (baseline) | {base:.1f} |")
    print()
    print("| story | generate() median ms | max ms |\n|---|---|---|")
    rows = generate_times()
    for story, med, worst in rows:
        print(f"| {story} | {med:.2f} | {worst:.2f} |")
    meds = [m for _, m, _ in rows]
    print(f"| **all stories** | {statistics.median(meds):.2f} | {max(w for *_, w in rows):.2f} |")


if __name__ == "__main__":
    main()
