"""Tokens: a Script against the per-frame-coordinates JSON of the same animation.

Run: python bench/bench_tokens.py

For each example story, the local planner's Script (compact JSON without default values, as
an LLM would write it) and the Animation's frames (the per-frame coordinates an LLM would
otherwise have to write) are counted with LiteLLM's token counter (`litellm.token_counter`,
gpt-4o-mini's tokenizer as LiteLLM picks it). The per-frame JSON keeps the joint names and
rounds coordinates to whole stage units, the cheapest form that still draws the same
animation (the full-precision floats of the Animation are counted too). A Script must stay
within SCRIPT_TOKEN_BUDGET tokens.
"""

from __future__ import annotations

import json
import time
from typing import Any

from common import TOKENIZER_MODEL, Section, fmt_ratio, print_section, quiet_litellm, stories

MODEL = TOKENIZER_MODEL
SCRIPT_TOKEN_BUDGET = 700


def script_json(anim: Any) -> str:
    """The Script as an LLM would emit it: compact, without fields left at their defaults."""
    return anim.script.model_dump_json(exclude_defaults=True)


def per_frame_json(anim: Any, digits: int | None = 0) -> str:
    """The frames alone, as an LLM would have to emit them (joint names kept).

    digits=0: coordinates rounded to integers (the default, the cheapest form); None: the
    Animation's own floats.
    """
    if digits is None:
        return json.dumps([[f.poses for f in s.frames] for s in anim.scenes], separators=(",", ":"))

    def r(v: float) -> float | int:
        return round(v) if digits == 0 else round(v, digits)

    scenes = [
        [
            {c: {j: [r(x), r(y)] for j, (x, y) in pose.items()} for c, pose in f.poses.items()}
            for f in s.frames
        ]
        for s in anim.scenes
    ]
    return json.dumps(scenes, separators=(",", ":"))


def count(text: str) -> int:
    return int(quiet_litellm().token_counter(model=MODEL, text=text))


def token_rows() -> list[dict]:
    from stickanim_jupyter import generate

    rows = []
    for story in stories():
        anim = generate(story, provider="local", cache=False)
        st = count(script_json(anim))
        ft = count(per_frame_json(anim))
        full = count(per_frame_json(anim, None))
        rows.append(
            {
                "story": story,
                "script": st,
                "frames": ft,
                "frames_full": full,
                "n_frames": sum(len(s.frames) for s in anim.scenes),
                "anim": anim,
            }
        )
    return rows


def run() -> Section:
    t0 = time.perf_counter()
    data = token_rows()
    rows = [
        [
            r["story"],
            r["n_frames"],
            r["script"],
            "yes" if r["script"] <= SCRIPT_TOKEN_BUDGET else "**NO**",
            r["frames"],
            fmt_ratio(r["frames"] / r["script"]),
            r["frames_full"],
        ]
        for r in data
    ]
    ratios = sorted(r["frames"] / r["script"] for r in data)
    worst = max(r["script"] for r in data)
    return Section(
        title="LLM path: tokens",
        intro=(
            f'`litellm.token_counter(model="{MODEL}")` of the Script (compact JSON, defaults omitted) '
            "against the per-frame-coordinates JSON of the same animation (24 fps, joint names, "
            "coordinates rounded to integers; the last column keeps the Animation's floats). Budget: "
            f"a Script <= {SCRIPT_TOKEN_BUDGET} tokens."
        ),
        header=[
            "story",
            "frames",
            "Script tokens",
            f"<= {SCRIPT_TOKEN_BUDGET}?",
            "per-frame JSON tokens",
            "per-frame / Script",
            "per-frame tokens, float coords",
        ],
        rows=rows,
        headline={
            "max_script_tokens": worst,
            "all_within_budget": worst <= SCRIPT_TOKEN_BUDGET,
            "ratio_min": ratios[0],
            "ratio_median": ratios[len(ratios) // 2],
            "ratio_max": ratios[-1],
            "data": data,
        },
        seconds=time.perf_counter() - t0,
    )


def main() -> None:
    print_section(run())


if __name__ == "__main__":
    main()
