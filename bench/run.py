"""Run every benchmark and write bench/RESULTS.md.

    python bench/run.py                     # everything (about 5-6 minutes), writes bench/RESULTS.md
    python bench/run.py --only startup llm  # some sections, printed (RESULTS.md untouched)

Sections (each module also runs alone: python bench/bench_<name>.py):
  startup  bench_startup   %load_ext / import stickanim_jupyter against import litellm
  engine   bench_engine    local generate() for every story of tests/stories.yml
  tokens   bench_tokens    Script tokens against per-frame-coordinates JSON tokens
  llm      bench_llm       end to end through LiteLLM at 50 tokens/s: Script against per-frame JSON
  overhead bench_llm_overhead  the planner's overhead per call over a bare litellm.completion
  render   bench_render    draw time per frame in headless Chromium; widget state bytes
  mpl      bench_matplotlib  matplotlib FuncAnimation + to_jshtml() against our widget
  scale    bench_scale     generate_many over 200 stories, 100 ms loopback latency, N = 1, 8, 32
  export   bench_export    bytes and time of every export format
  progress bench_progress  cold call: time to the first visible progress (CLI, notebook kernel)

No network: LLM sections use tests/llmserver.py on 127.0.0.1; Chromium is /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import common
from common import Section, fmt_ratio

SECTIONS = ("startup", "engine", "tokens", "llm", "overhead", "render", "mpl", "scale", "export", "progress")
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
COMMAND = "python bench/run.py"


def run_sections(names: tuple[str, ...]) -> dict[str, Section]:
    common.litellm_env()
    out: dict[str, Section] = {}

    def step(name: str, fn) -> None:  # noqa: ANN001
        if name not in names:
            return
        print(f"[bench] {name}...", file=sys.stderr, flush=True)
        out[name] = fn()
        print(f"[bench] {name}: {out[name].seconds:.0f} s", file=sys.stderr, flush=True)

    import bench_engine
    import bench_export
    import bench_llm
    import bench_llm_overhead
    import bench_matplotlib
    import bench_progress
    import bench_render
    import bench_scale
    import bench_startup
    import bench_tokens

    step("startup", bench_startup.run)
    litellm_ms = out["startup"].headline["litellm_ms"] if "startup" in out else None
    step("engine", lambda: bench_engine.run(litellm_import_ms=litellm_ms))
    step("tokens", bench_tokens.run)
    token_data = out["tokens"].headline.get("data") if "tokens" in out else None
    step("llm", lambda: bench_llm.run(token_data=token_data))
    step("overhead", bench_llm_overhead.run)
    step("render", bench_render.run)
    step("mpl", bench_matplotlib.run)
    step("scale", bench_scale.run)
    step("export", bench_export.run)
    step("progress", bench_progress.run)
    return out


def headline(s: dict[str, Section]) -> list[str]:
    lines = []
    if "startup" in s:
        h = s["startup"].headline
        lines.append(
            f"**Start-up**: `%load_ext stickanim_jupyter` {h['load_ext_ms']:.0f} ms and `import stickanim_jupyter` "
            f"{h['import_ms']:.0f} ms against `import litellm` {h['litellm_ms']:,.0f} ms: "
            f"**{h['load_ext_vs_litellm']:.0f}x** and **{h['import_vs_litellm']:.0f}x** faster (litellm stays unimported)."
        )
    if "engine" in s:
        h = s["engine"].headline
        line = f"**Local generation**: median {h['median_ms']:.1f} ms, max {h['max_ms']:.1f} ms per story (planner + compiler)"
        if "startup" in s:
            line += f", about {s['startup'].headline['litellm_ms'] / h['median_ms']:,.0f}x less than `import litellm` alone"
        lines.append(line + ".")
    if "tokens" in s:
        h = s["tokens"].headline
        ok = "all within" if h["all_within_budget"] else "**NOT all within**"
        lines.append(
            f"**Tokens**: a Script is at most {h['max_script_tokens']} tokens ({ok} the 700 budget); the per-frame "
            f"JSON of the same animation is **{h['ratio_min']:.0f}x-{h['ratio_max']:.0f}x** more "
            f"(median {h['ratio_median']:.0f}x)."
        )
    if "llm" in s:
        h = s["llm"].headline
        lines.append(
            f"**End-to-end at 50 tokens/s** ({h['story']!r}, both streamed through LiteLLM): Script "
            f"{h['script_s']:.1f} s against per-frame JSON {h['frames_s']:.0f} s: **{h['ratio']:.0f}x** faster."
        )
    if "overhead" in s:
        h = s["overhead"].headline
        per_mode = ", ".join(f"{mode} {ms:.1f} ms" for mode, ms in h["overhead_ms"].items())
        lines.append(
            f"**LLM planner overhead** per call over a bare `litellm.completion`: {per_mode} (goal < 10 ms)."
        )
    if "render" in s:
        h = s["render"].headline
        draws = ", ".join(f"{n}: {ms:.2f} ms" for n, ms in h["draw"].items())
        sizes = ", ".join(f"{sec} s: {b / 1024:,.0f} KiB" for sec, b in h["state"].items())
        lines.append(
            f"**Rendering** (headless Chromium, per frame by characters): {draws}. Widget state: {sizes} "
            f"(~{min(h['state_vs_dense'].values()):.2f}x of the dense Animation JSON); 10 s with 3 things: "
            f"{h['state_things'] / 1024:,.0f} KiB ({h['state_things'] / 120_000:.2f}x of the 120 KB budget)."
        )
        if h.get("things_vs_figures"):
            lines[-1] += (
                f" Five things and two bubbles over five figures: {h['things_vs_figures']:.2f}x the figures' draw time."
            )
    if "mpl" in s:
        h = s["mpl"].headline
        lines.append(
            f"**Against matplotlib `to_jshtml()`**: **{h['time_ratio']:.0f}x** less time "
            f"({h['ours_ms']:.0f} ms against {h['mpl_ms']:,.0f} ms) and **{h['bytes_ratio']:.0f}x** fewer "
            f"notebook bytes ({h['ours_bytes'] / 1024:,.0f} KiB against {h['mpl_bytes'] / 1024:,.0f} KiB; "
            f"{h['bytes_ratio_state']:.1f}x with widget state saved)."
        )
    if "scale" in s:
        h = s["scale"].headline
        walls = ", ".join(f"N={n}: {w:.1f} s" for n, w in h["wall"].items())
        ups = ", ".join(f"N={n}: {fmt_ratio(x)}" for n, x in h["speedup"].items() if n != 1)
        lines.append(
            f"**Concurrency** (`generate_many`, 200 stories, 100 ms latency): {walls}; speed-up {ups} "
            "(client-CPU-bound past N=8, see the section)."
        )
    if "progress" in s:
        h = s["progress"].headline
        lines.append(
            f"**Live progress** (cold call): the player and its status line show {h['notebook_first_ms']:.0f} ms "
            f"after running an `%%animate -p <LLM>` cell, which then returns (goal 500 ms); `stickanim generate` "
            f"prints its first progress line {h['cli_first_ms']:.0f} ms after the spawn."
        )
    return [f"- {line}" for line in lines]


def document(sections: dict[str, Section], total_s: float, machine: dict[str, str]) -> str:
    parts = [
        "# Benchmarks",
        "",
        f"Produced by `{COMMAND}` (all sections, {total_s / 60:.1f} min) on {machine['date']}. "
        "Timings are medians of several runs; each table has a ratio against a baseline measured in "
        "the same run. No network: LLM sections talk to a loopback OpenAI-compatible server "
        "(tests/llmserver.py). Regenerate with the same command; do not edit by hand.",
        "",
        "## Machine",
        "",
        f"- CPU: {machine['cpu']}, {machine['cpus']} logical CPUs; memory {machine['memory']}",
        f"- OS: {machine['os']}",
        f"- Python: {machine['python']}",
        f"- Packages: {machine['packages']}",
        f"- Browser: {machine['chromium']} (headless, software rendering)",
        "",
        "## Headline",
        "",
        *headline(sections),
        "",
    ]
    for name in SECTIONS:
        if name in sections:
            parts.append(sections[name].markdown())
    return "\n".join(parts).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", nargs="+", choices=SECTIONS, help="run these sections and print them")
    ap.add_argument(
        "--output", type=Path, help=f"where to write the markdown (default: {RESULTS} for a full run)"
    )
    args = ap.parse_args(argv)
    names = tuple(args.only) if args.only else SECTIONS
    t0 = time.perf_counter()
    sections = run_sections(names)
    text = document(sections, time.perf_counter() - t0, common.machine())
    output = args.output or (RESULTS if not args.only else None)
    if output:
        output.write_text(text, encoding="utf-8")
        print(f"[bench] wrote {output}", file=sys.stderr)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
