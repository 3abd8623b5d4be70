"""Start-up: `%load_ext stickanim_jupyter` and `import stickanim_jupyter`, against `import litellm`.

Run: python bench/bench_startup.py

Each case runs in a fresh interpreter (`python -c`), `runs` times. Two numbers per case:
- in-process: perf_counter around the statement itself (what a user waits for in a cell);
- process: the whole interpreter's wall time minus a bare `python -c pass` (adds the
  interpreter's exit, where litellm costs extra).
`%load_ext` runs in a fresh IPython InteractiveShell (the shell's own start-up is not counted in
the in-process number; it is in the process number, minus the same shell without the load).
The baseline is `import litellm` alone, with the environment our planner sets (no cost-map
download, no .env loading).
"""

from __future__ import annotations

import json
import time

from common import Section, fmt_ratio, median, print_section, run_python

SHELL = "from IPython.core.interactiveshell import InteractiveShell; sh = InteractiveShell.instance()"
PROBE = (
    "import sys, time, json\n{setup}\nt0 = time.perf_counter()\n{stmt}\n"
    "dt = (time.perf_counter() - t0) * 1000\n"
    "print(json.dumps({{'ms': dt, 'litellm': 'litellm' in sys.modules, 'modules': len(sys.modules)}}))\n"
)
# (label, setup, statement, process-time baseline: "bare" python or the IPython "shell")
CASES = [
    ("`import litellm` (baseline)", "", "import litellm", "bare"),
    ("`import stickanim_jupyter`", "", "import stickanim_jupyter", "bare"),
    (
        "`%load_ext stickanim_jupyter` (fresh IPython shell)",
        SHELL,
        "sh.run_line_magic('load_ext', 'stickanim_jupyter')",
        "shell",
    ),
    (
        "`import stickanim_jupyter` + first local `generate()`",
        "",
        "import stickanim_jupyter as s; s.generate('一个人挥手', provider='local', cache=False)",
        "bare",
    ),
]


def measure(setup: str, stmt: str, baseline: str, runs: int) -> tuple[float, float, float, bool]:
    """(median in-process ms, median process ms over the baseline, median baseline ms, litellm
    imported?). Case and baseline runs alternate, and the process time is the median of the
    paired differences, so a machine that slows down mid-run shifts both sides alike."""
    inner, diffs, bases, loaded = [], [], [], False
    for _ in range(runs):
        base_ms, _ = run_python(baseline)
        ms, out = run_python(PROBE.format(setup=setup, stmt=stmt))
        info = json.loads(out.strip().splitlines()[-1])
        inner.append(info["ms"])
        diffs.append(ms - base_ms)
        bases.append(base_ms)
        loaded = loaded or info["litellm"]
    return median(inner), median(diffs), median(bases), loaded


def run(runs: int = 7) -> Section:
    t0 = time.perf_counter()
    baselines = {"bare": "pass", "shell": SHELL}
    results, base_ms = [], {}
    for label, setup, stmt, base in CASES:
        inner, wall, bms, loaded = measure(setup, stmt, baselines[base], runs)
        base_ms[base] = bms
        results.append((label, inner, wall, loaded))
    lit_inner, lit_wall = results[0][1], results[0][2]
    rows = []
    for label, inner, wall, loaded in results:
        rows.append([label, inner, wall, fmt_ratio(lit_inner / inner), "yes" if loaded else "no"])
    by_label = {r[0]: r for r in results}
    load_ext = by_label["`%load_ext stickanim_jupyter` (fresh IPython shell)"]
    imp = by_label["`import stickanim_jupyter`"]
    return Section(
        title="Start-up",
        intro=(
            f"Fresh interpreter per run, median of {runs} runs. *In-process*: the statement alone. "
            "*Process*: whole-interpreter wall time (exit included) minus that of a baseline run "
            f"alternating with it: a bare `python -c pass` ({base_ms['bare']:.0f} ms) or, for `%load_ext`, "
            f"the same IPython shell without the load ({base_ms['shell']:.0f} ms)."
        ),
        header=[
            "what",
            "in-process ms",
            "process ms (over baseline)",
            "import litellm / this (in-process)",
            "litellm imported?",
        ],
        rows=rows,
        notes=[
            "`%load_ext` must not import litellm (docs/architecture.md): the last column checks it in the same run.",
            "The first local `generate()` row includes the compiler's import: a whole animation, offline.",
            "The process column is noisier than the in-process one (interpreter start-up varies by tens "
            "of ms here); the ratios use the in-process times.",
        ],
        headline={
            "load_ext_ms": load_ext[1],
            "import_ms": imp[1],
            "litellm_ms": lit_inner,
            "litellm_process_ms": lit_wall,
            "load_ext_vs_litellm": lit_inner / load_ext[1],
            "import_vs_litellm": lit_inner / imp[1],
        },
        seconds=time.perf_counter() - t0,
    )


def main() -> None:
    print_section(run())


if __name__ == "__main__":
    main()
