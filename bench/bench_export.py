"""Export benchmark: size and time of each format for the two-character handshake story.

Run: python bench/bench_export.py
A markdown table: bytes written and the median of 5 runs of Animation.save (ms), with the JSON
export as the baseline measured in the same run (the time ratio compares across machines).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from common import Section, fmt_ratio, print_section

STORY = "two people walk toward each other and shake hands"
RUNS = 5
# (label, extension, options): the defaults first, then the smaller-GIF options.
CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("JSON", ".json", {}),
    ("GIF (fps = animation's, scale 1)", ".gif", {}),
    ("GIF (fps 12, scale 0.5)", ".gif", {"fps": 12, "scale": 0.5}),
    ("SVG (animated, SMIL)", ".svg", {}),
    ("PNG (poster)", ".png", {}),
    ("HTML (standalone player)", ".html", {}),
]


def load_animation() -> Any:
    from stickanim_jupyter import generate

    return generate(STORY, provider="local", cache=False)


def measure(anim: Any, ext: str, opts: dict[str, Any], folder: Path) -> tuple[int, float]:
    """Bytes written and median wall time (ms) of `RUNS` saves."""
    path = folder / f"out{ext}"
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        anim.save(path, **opts)
        times.append((time.perf_counter() - t0) * 1000)
    return path.stat().st_size, statistics.median(times)


def run() -> Section:
    t0 = time.perf_counter()
    anim = load_animation()
    anim.save(Path(tempfile.gettempdir()) / "stickanim-bench-warmup.png")  # Pillow import, fonts
    frames = sum(len(s.frames) for s in anim.scenes)
    with tempfile.TemporaryDirectory() as tmp:
        data = [(label, *measure(anim, ext, opts, Path(tmp))) for label, ext, opts in CASES]
    base = data[0][2] or 1e-9
    rows = [[label, size, ms, fmt_ratio(ms / base)] for label, size, ms in data]
    return Section(
        title="Exports",
        intro=(
            f"`Animation.save(path)` for {STORY!r} (local planner: {len(anim.characters)} characters, "
            f"{len(anim.scenes)} scene(s), {anim.duration_ms / 1000:.1f} s, {anim.fps} fps, {frames} frames): "
            f"bytes written and median of {RUNS} runs. Baseline: JSON, in the same run."
        ),
        header=["export", "bytes", f"median ms (of {RUNS})", "time / JSON"],
        rows=rows,
        seconds=time.perf_counter() - t0,
    )


def main() -> None:
    print_section(run())


if __name__ == "__main__":
    main()
