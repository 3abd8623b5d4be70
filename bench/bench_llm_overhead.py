"""LLM path: the project's overhead per call over a bare `litellm.completion` (goal: under 10 ms).

Run: python bench/bench_llm_overhead.py [runs]

A loopback OpenAI-compatible server in its own process (tests/llmserver.py; it does not share
this process's GIL) answers every request at once with the same valid Script. Per mode
(streamed and not), alternating run by run:

- *bare*: `litellm.completion(...)` with the request the planner sends (same messages,
  response_format, max_tokens), the stream drained and rebuilt (`stream_chunk_builder`),
  then `json.loads` of the answer: the least any caller does;
- *ours*: `generate_script(story, cfg, provider="loopback", cache=False)`: the planner's whole
  path (provider resolution, the watched worker thread, progress events, usage and cost,
  local repair, pydantic validation), no compiler.

Overhead = median(ours) - median(bare) (and the median of the run-by-run differences). The
second table times the answer reader alone on a clean answer and on one it mends (comments,
trailing commas, names for ids, seconds): what local repair costs instead of a re-ask.
"""

from __future__ import annotations

import functools
import json
import sys
import time
from typing import Any

from common import Section, loopback_process, median, print_section, quiet_litellm

GOAL_MS = 10.0
STORY = "two people walk toward each other and shake hands"


def bare_call(lm: Any, url: str, stream: bool) -> Any:
    from stickanim_jupyter.planners.llm import build_messages, response_format

    messages = build_messages(STORY)
    kwargs: dict[str, Any] = dict(
        model="openai/test-model", api_base=url, api_key="sk-bench-0000", messages=messages,
        max_tokens=4096, response_format=response_format(), timeout=60, max_retries=0,
    )  # fmt: skip
    if stream:
        kwargs.update(stream=True, stream_options={"include_usage": True})
    resp = lm.completion(**kwargs)
    if stream:
        resp = lm.stream_chunk_builder(list(resp), messages=messages)
    return json.loads(resp.choices[0].message.content)


def ours_call(cfg: Any) -> Any:
    from stickanim_jupyter.planners import generate_script

    return generate_script(STORY, cfg, provider="loopback", cache=False)[0]


def paired(runs: int, a: Any, b: Any) -> tuple[list[float], list[float]]:
    """Wall ms of a() and b(), alternating (a, b, b, a, ...) so drift hits both alike."""
    ta, tb = [], []
    for i in range(runs):
        for fn, out in ((a, ta), (b, tb)) if i % 2 == 0 else ((b, tb), (a, ta)):
            t0 = time.perf_counter()
            fn()
            out.append((time.perf_counter() - t0) * 1000)
    return ta, tb


def reader_rows(runs: int) -> list[list[Any]]:
    from llmserver import WAVE_SCRIPT

    from stickanim_jupyter.config import ProviderConfig
    from stickanim_jupyter.planners.llm import Answer, Target, parse_answer

    target = Target("t", ProviderConfig(name="t", model="openai/x"), "openai/x")
    clean = json.dumps(WAVE_SCRIPT, ensure_ascii=False)
    broken = json.loads(clean)
    broken["scenes"][0]["actions"][0].update(character="火柴人", duration=2, action="waving")
    mended = "<think>{a wave}</think>\n" + json.dumps(broken, ensure_ascii=False, indent=1).replace(
        '"facing": "front"', '"facing": "front", // comment\n'
    ).replace("}]}]}", "},]},]}")
    rows = []
    for name, text in (("clean answer", clean), ("answer mended locally (5 repairs)", mended)):
        notes: list[str] = []
        parse_answer(Answer(text, "stop"), target, notes)
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            parse_answer(Answer(text, "stop"), target, [])
            times.append((time.perf_counter() - t0) * 1000)
        rows.append([name, len(notes), median(times)])
    return rows


def run(runs: int = 40) -> Section:
    t0 = time.perf_counter()
    lm = quiet_litellm()
    from stickanim_jupyter.config import load_config

    rows, headline = [], {}
    for stream in (False, True):
        with loopback_process(stream=stream) as (url, config):
            cfg = load_config(config)
            bare_fn = functools.partial(bare_call, lm, url, stream)
            ours_fn = functools.partial(ours_call, cfg)
            for _ in range(3):  # warm-up: connections, caches, the first pydantic paths
                bare_fn(), ours_fn()
            bare, ours = paired(runs, bare_fn, ours_fn)
        diffs = [o - b for o, b in zip(ours, bare, strict=True)]
        over = median(ours) - median(bare)
        mode = "streamed" if stream else "not streamed"
        rows.append(
            [mode, median(bare), median(ours), over, median(diffs), "yes" if over < GOAL_MS else "**NO**"]
        )
        headline[mode] = over
    reader = reader_rows(runs)
    return Section(
        title="LLM path: overhead per call over a bare litellm.completion",
        intro=(
            "A loopback server in its own process answers at once with a valid Script. *bare*: "
            "`litellm.completion` with the planner's request, drained, `json.loads`; *ours*: "
            f"`generate_script(..., cache=False)` (no compiler). Medians of {runs} alternating runs; "
            f"goal: overhead under {GOAL_MS:.0f} ms."
        ),
        header=["mode", "bare ms", "ours ms", "overhead ms", "median of paired differences ms", "< 10 ms?"],
        rows=rows,
        extra_tables=[
            (
                "The answer reader alone (`parse_answer`: find the JSON, mend, validate), median ms:",
                ["answer", "repairs noted", "ms"],
                reader,
            )
        ],
        notes=[
            "A re-ask costs a whole second request (prompt and answer tokens, the model's latency); "
            "a local repair costs the reader's time above."
        ],
        headline={"overhead_ms": headline, "within_goal": all(v < GOAL_MS for v in headline.values())},
        seconds=time.perf_counter() - t0,
    )


def main() -> None:
    print_section(run(int(sys.argv[1]) if len(sys.argv) > 1 else 40))


if __name__ == "__main__":
    main()
