"""Scale: generate_many(stories, concurrency=N) against a loopback LLM server with 100 ms latency.

Run: python bench/bench_scale.py

200 stories (tests/stories.yml's, numbered to be distinct), provider `loopback` (LiteLLM's
real streaming client, cache=False), the server (tests/llmserver.py, in its own process so it
does not share the client's GIL) waiting LATENCY_S before each answer (a valid Script,
streamed in 8 pieces). Wall time of the whole batch for N = 1, 8 and 32 threads,
median of `runs` runs after a warm-up; the baseline is N = 1 in the same run, and the floor
for N = 1 is 200 x 100 ms = 20 s.
"""

from __future__ import annotations

import os
import time

from common import Section, fmt_ratio, loopback_process, median, print_section, quiet_litellm, stories

N_STORIES = 200
LATENCY_S = 0.1
LEVELS = (1, 8, 32)


def batch() -> list[str]:
    base = stories()
    return [f"{base[i % len(base)]} (#{i + 1})" for i in range(N_STORIES)]


def run(runs: int = 3, levels: tuple[int, ...] = LEVELS) -> Section:
    from stickanim_jupyter import generate_many
    from stickanim_jupyter.schema import Animation

    t0 = time.perf_counter()
    quiet_litellm()
    items = batch()
    results: dict[int, list[float]] = {}
    cpu: dict[int, list[float]] = {}
    with loopback_process(delay=LATENCY_S, timeout=30, deadline=60) as (_, config):
        generate_many(items[:8], concurrency=8, provider="loopback", config=config, cache=False)  # warm-up
        for n in levels:
            results[n], cpu[n] = [], []
            for _ in range(runs):
                t1, c1 = time.perf_counter(), time.process_time()
                out = generate_many(items, concurrency=n, provider="loopback", config=config, cache=False)
                results[n].append(time.perf_counter() - t1)
                cpu[n].append(time.process_time() - c1)
                bad = [r for r in out if not isinstance(r, Animation)]
                assert not bad, f"{len(bad)} stories failed, first: {bad[0]}"
                assert all(a.meta.provider == "loopback" and a.meta.attempts == 1 for a in out)
    base = median(results[levels[0]])
    rows = []
    for n in levels:
        m = median(results[n])
        rows.append(
            [
                n,
                m,
                N_STORIES / m,
                fmt_ratio(base / m),
                f"{N_STORIES * LATENCY_S / n:.2f}",
                f"{median(cpu[n]) / N_STORIES * 1000:.0f}",
            ]
        )
    return Section(
        title="Scale: generate_many over 200 stories",
        intro=(
            f'`generate_many(stories, concurrency=N, provider="loopback", cache=False)` over {N_STORIES} '
            f"stories against a loopback server answering after {LATENCY_S * 1000:.0f} ms, through "
            f"LiteLLM's streaming client, validation and the compiler. Median of {runs} runs; baseline "
            "N = 1 in the same run."
        ),
        header=[
            "N (threads)",
            "wall s",
            "stories / s",
            "speed-up vs N = 1",
            "latency floor s (200 x 0.1 / N)",
            "client CPU ms / story",
        ],
        rows=rows,
        notes=[
            "Past the latency floor the client's CPU is the bound: each story costs the client process "
            "the CPU time in the last column, under one GIL, on this machine's "
            f"{os.cpu_count()} CPUs. Profiled, about nine tenths of it is LiteLLM's own per-call work "
            "(streaming wrapper, chunk assembly, logging, cost lookup); our validation and compiling are "
            "the rest.",
        ],
        headline={
            "wall": {n: median(v) for n, v in results.items()},
            "speedup": {n: base / median(v) for n, v in results.items()},
        },
        seconds=time.perf_counter() - t0,
    )


def main() -> None:
    print_section(run())


if __name__ == "__main__":
    main()
