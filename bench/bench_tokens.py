"""Tokens: a Script against the per-frame-coordinates JSON of the same animation.

Run: python bench/bench_tokens.py
For each example story, the Script (compact JSON, as an LLM would write it) and the
Animation's frames (the per-frame coordinates an LLM would otherwise have to write) are
counted with LiteLLM's token counter (gpt-4o-mini's tokenizer).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
MODEL = "gpt-4o-mini"


def per_frame_json(anim) -> str:
    """The frames alone, as an LLM would have to emit them (joint names kept)."""
    return json.dumps([[f.poses for f in s.frames] for s in anim.scenes], separators=(",", ":"))


def main() -> None:
    for var in ("LITELLM_LOCAL_MODEL_COST_MAP", "LITELLM_LOCAL_ANTHROPIC_BETA_HEADERS"):
        os.environ.setdefault(var, "True")
    import litellm

    from stickanim_jupyter import generate

    stories = yaml.safe_load((ROOT / "tests" / "stories.yml").read_text(encoding="utf-8"))
    print("| story | Script tokens | per-frame JSON tokens | ratio |\n|---|---|---|---|")
    for entry in stories:
        if not entry["story"].strip():
            continue
        anim = generate(entry["story"], provider="local", cache=False)
        script = anim.script.model_dump_json(exclude_defaults=True)
        st = litellm.token_counter(model=MODEL, text=script)
        ft = litellm.token_counter(model=MODEL, text=per_frame_json(anim))
        print(f"| {entry['story']} | {st} | {ft} | {ft / st:.0f}x |")


if __name__ == "__main__":
    main()
