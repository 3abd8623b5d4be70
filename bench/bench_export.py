"""Export benchmark: size and time of each format for the two-character handshake story.

Run: python bench/bench_export.py
Prints a markdown table: bytes written and the median of 5 runs of Animation.save (ms), plus
`to_json` as the baseline measured in the same run (the time ratio compares across machines).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

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


def main() -> None:
    anim = load_animation()
    anim.save(Path(tempfile.gettempdir()) / "stickanim-bench-warmup.png")  # Pillow import, fonts
    frames = sum(len(s.frames) for s in anim.scenes)
    print(f"Story: {STORY!r} (local planner): {len(anim.characters)} characters, {len(anim.scenes)} scenes, "
          f"{anim.duration_ms / 1000:.1f} s, {anim.fps} fps, {frames} frames\n")  # fmt: skip
    print("| export | bytes | median ms (of 5) | time / JSON |\n|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        rows = [(label, *measure(anim, ext, opts, Path(tmp))) for label, ext, opts in CASES]
    base = rows[0][2] or 1e-9
    for label, size, ms in rows:
        print(f"| {label} | {size:,} | {ms:.1f} | {ms / base:.0f}x |")


if __name__ == "__main__":
    main()
