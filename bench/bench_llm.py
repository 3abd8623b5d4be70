"""LLM path, end to end: story -> Animation through LiteLLM against a loopback server that
streams at a fixed 50 tokens/s, answering with the Script, against the same server answering
with the per-frame-coordinates JSON of the same animation.

Run: python bench/bench_llm.py

The server (tests/llmserver.py) streams the answer one token per SSE event (tokens from the
tokenizer litellm.token_counter uses), each event leaving when its token is "generated" at
RATE tokens/s. Prefill and network latency are not simulated (the same for both answers).

- Script: `generate(story, provider="loopback", cache=False)`, the real path: LiteLLM's
  streaming client, our validation, then the local compiler. Every story, once each (the
  time is dominated by the server's fixed pacing), plus `runs` runs of the comparison story.
- Per-frame JSON: `litellm.completion(..., stream=True)` drained and `json.loads`-ed, the least
  a per-frame design must do (no validation, no re-ask). Streamed for real, once, for the story
  with the fewest per-frame tokens only (about a minute and a half at 50 tokens/s); every
  other story's per-frame time follows from its token count in the tokens section.
- litellm's import (~2.5 s) is paid once before timing, in both cases.
"""

from __future__ import annotations

import json
import time
from typing import Any

from bench_tokens import MODEL, per_frame_json, script_json
from common import Section, fmt_ratio, loopback_provider, median, print_section, quiet_litellm, stories

RATE = 50.0  # tokens per second


def token_pieces(text: str) -> tuple[list[str], list[int]]:
    """`text` split at token boundaries as a stream would deliver it: (pieces, tokens per piece).

    A token that ends inside a multi-byte character is grouped with the next ones until the
    bytes decode; the token count of each piece keeps the pacing exact.
    """
    quiet_litellm()  # points tiktoken at LiteLLM's bundled (offline) encodings
    import tiktoken
    from litellm.utils import _select_tokenizer

    enc = _select_tokenizer(MODEL)["tokenizer"]
    if not isinstance(enc, tiktoken.Encoding):  # pragma: no cover - litellm changed its mind
        enc = tiktoken.get_encoding("cl100k_base")
    pieces, counts, pending, n = [], [], b"", 0
    for tok in enc.encode(text):
        pending += enc.decode_single_token_bytes(tok)
        n += 1
        try:
            piece = pending.decode("utf-8")
        except UnicodeDecodeError:
            continue
        pieces.append(piece)
        counts.append(n)
        pending, n = b"", 0
    if pending:
        pieces.append(pending.decode("utf-8", "replace"))
        counts.append(n)
    assert "".join(pieces) == text
    return pieces, counts


def paced_reply(text: str) -> Any:
    from llmserver import Reply

    pieces, counts = token_pieces(text)
    usage = {"prompt_tokens": 0, "completion_tokens": sum(counts), "total_tokens": sum(counts)}
    return Reply(content=text, pieces=pieces, piece_tokens=counts, tokens_per_s=RATE, usage=usage)


def script_e2e(story: str, reply: Any, server: Any, config: Any) -> tuple[float, Any]:
    from stickanim_jupyter import generate

    server.queue(reply)
    t0 = time.perf_counter()
    anim = generate(story, provider="loopback", config=config, cache=False)
    return (time.perf_counter() - t0) * 1000, anim


def per_frame_e2e(text: str, server: Any) -> float:
    """Stream the per-frame JSON through LiteLLM and parse it; ms."""
    lm = quiet_litellm()
    server.queue(paced_reply(text))
    messages = [{"role": "user", "content": "per-frame coordinates, please"}]
    t0 = time.perf_counter()
    stream = lm.completion(
        model="openai/test-model",
        api_base=server.url,
        api_key="sk-no-key-needed-0000",
        messages=messages,
        stream=True,
        max_tokens=100_000,
        timeout=600,
        max_retries=0,
    )
    chunks = list(stream)
    resp = lm.stream_chunk_builder(chunks, messages=messages)
    frames = json.loads(resp.choices[0].message.content)
    elapsed = (time.perf_counter() - t0) * 1000
    assert json.dumps(frames, separators=(",", ":")) == text, "the per-frame JSON did not arrive intact"
    return elapsed


def run(runs: int = 3, token_data: list[dict] | None = None) -> Section:
    """token_data: bench_tokens' rows (reused when given, to count tokens once)."""
    t0 = time.perf_counter()
    if token_data is None:
        from bench_tokens import token_rows

        token_data = token_rows()
    by_story = {r["story"]: r for r in token_data}
    quiet_litellm()
    rows, script_ms = [], {}
    with loopback_provider() as (server, config):
        script_e2e(
            stories()[0], paced_reply(script_json(by_story[stories()[0]]["anim"])), server, config
        )  # warm-up
        for story in stories():
            r = by_story[story]
            ms, anim = script_e2e(story, paced_reply(script_json(r["anim"])), server, config)
            assert anim.script == r["anim"].script, "the loopback Script did not come through intact"
            script_ms[story] = ms
        pick = min(token_data, key=lambda r: r["frames"])
        chosen = pick["story"]
        script_runs = [
            script_e2e(chosen, paced_reply(script_json(pick["anim"])), server, config)[0] for _ in range(runs)
        ]
        frames_ms = per_frame_e2e(per_frame_json(pick["anim"]), server)
    for story in stories():
        r = by_story[story]
        rows.append(
            [
                story,
                r["script"],
                script_ms[story] / 1000,
                r["frames"],
                r["frames"] / RATE,
                fmt_ratio(r["frames"] / RATE / (script_ms[story] / 1000)),
            ]
        )
    s_med = median(script_runs)
    ratio = frames_ms / s_med
    return Section(
        title="LLM path: end-to-end time at 50 tokens/s",
        intro=(
            f"A loopback OpenAI-compatible server streams one token per event at {RATE:.0f} tokens/s. "
            '*Script*: `generate(story, provider="loopback", cache=False)` through LiteLLM\'s streaming '
            "client, validation and the local compiler, measured for every story. *Per-frame JSON*: "
            "the same server streaming the animation's per-frame coordinates (integer-rounded, joint "
            "names), the time it takes to stream it at the same rate; the last column is that "
            "divided by the measured Script time."
        ),
        header=[
            "story",
            "Script tokens",
            "Script: measured s",
            "per-frame tokens",
            "per-frame: stream time at 50 tok/s, s",
            "per-frame / Script",
        ],
        rows=rows,
        extra_tables=[
            (
                f"Both streamed for real through LiteLLM, for the story with the fewest per-frame tokens "
                f"({chosen!r}; Script: median of {runs} runs; per-frame: one run, it takes "
                f"{frames_ms / 1000:.0f} s):",
                ["answer", "tokens", "end-to-end s", "vs Script"],
                [
                    ["Script -> compile -> Animation", pick["script"], s_med / 1000, "1.00x"],
                    ["per-frame JSON -> json.loads", pick["frames"], frames_ms / 1000, fmt_ratio(ratio)],
                ],
            )
        ],
        notes=[
            "Per-frame rows other than the streamed one are token count / 50 tokens/s: the measured "
            f"run shows the client adds {(frames_ms / 1000 - pick['frames'] / RATE):+.1f} s to that "
            f"over {pick['frames']:,} tokens, so the figure is a floor.",
            "A real per-frame answer would also need validation, and most would exceed a provider's "
            "max_tokens (often 4k-16k output tokens), forcing several requests.",
        ],
        headline={
            "story": chosen,
            "script_s": s_med / 1000,
            "frames_s": frames_ms / 1000,
            "ratio": ratio,
            "script_tokens": pick["script"],
            "frame_tokens": pick["frames"],
        },
        seconds=time.perf_counter() - t0,
    )


def main() -> None:
    print_section(run())


if __name__ == "__main__":
    main()
