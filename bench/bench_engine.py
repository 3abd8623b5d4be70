"""Engine benchmark: local generate() (planner + compiler) for every story of tests/stories.yml.

Run: python bench/bench_engine.py

Per story: the median and the max of `runs` calls after one warm-up, with the number of
frames. The baseline measured in the same run is the serialization of the same Animation to
JSON (`Animation.to_json()`), which any consumer of the result pays anyway; bench/run.py
also sets the times against `import litellm` from the start-up section.
"""

from __future__ import annotations

import statistics
import time

from common import Section, fmt_ratio, median, print_section, run_python, stories, time_ms


def import_time(module: str, runs: int = 5) -> float:
    """Median wall time (ms) of a fresh interpreter importing `module`, minus a bare start."""
    bare = median([run_python("pass")[0] for _ in range(runs)])
    return median([run_python(f"import {module}")[0] for _ in range(runs)]) - bare


def generate_times(runs: int = 20) -> list[dict]:
    """One row per story: median and max ms of generate(provider="local"), frames, JSON ms."""
    from stickanim_jupyter import generate

    rows = []
    for story in stories():
        samples = time_ms(lambda s=story: generate(s, provider="local", cache=False), runs)
        anim = generate(story, provider="local", cache=False)
        json_ms = median(time_ms(anim.to_json, runs))
        frames = sum(len(s.frames) for s in anim.scenes)
        rows.append(
            {
                "story": story,
                "median": median(samples),
                "max": max(samples),
                "frames": frames,
                "characters": len(anim.characters),
                "duration_s": anim.duration_ms / 1000,
                "json_ms": json_ms,
            }
        )
    return rows


def run(runs: int = 20, litellm_import_ms: float | None = None) -> Section:
    t0 = time.perf_counter()
    data = generate_times(runs)
    rows = []
    for r in data:
        row = [
            r["story"],
            r["characters"],
            f"{r['duration_s']:.1f}",
            r["frames"],
            f"{r['median']:.2f}",
            f"{r['max']:.2f}",
            fmt_ratio(r["median"] / r["json_ms"]),
        ]
        if litellm_import_ms:
            row.append(fmt_ratio(litellm_import_ms / r["median"]))
        rows.append(row)
    meds = [r["median"] for r in data]
    worst = max(r["max"] for r in data)
    total = [
        "**all stories**",
        "",
        "",
        sum(r["frames"] for r in data),
        f"**{statistics.median(meds):.2f}**",
        f"**{worst:.2f}**",
        fmt_ratio(statistics.median(meds) / statistics.median(r["json_ms"] for r in data)),
    ]
    if litellm_import_ms:
        total.append(fmt_ratio(litellm_import_ms / statistics.median(meds)))
    rows.append(total)
    header = ["story", "chars", "s", "frames", "median ms", "max ms", "vs to_json()"]
    if litellm_import_ms:
        header.append("import litellm / this")
    return Section(
        title="Local generation",
        intro=(
            f'`generate(story, provider="local", cache=False)` for every story of tests/stories.yml '
            f"(planner + compiler at 24 fps): median and max of {runs} runs after a warm-up. Baseline: "
            "`Animation.to_json()` of the same animation, in the same run"
            + (", and `import litellm` (start-up section)." if litellm_import_ms else ".")
        ),
        header=header,
        rows=rows,
        headline={"median_ms": statistics.median(meds), "max_ms": worst},
        seconds=time.perf_counter() - t0,
    )


def main() -> None:
    print_section(run())


if __name__ == "__main__":
    main()
