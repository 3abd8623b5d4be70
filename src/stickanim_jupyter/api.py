"""The public Python API: story in, Animation out."""

from __future__ import annotations

import time
from collections.abc import Callable
from os import PathLike
from typing import Any

from .schema import Animation, Meta, Script, check_story

ProgressCallback = Callable[[dict[str, Any]], None]


def plan(
    story: str,
    provider: str | None = None,
    model: str | None = None,
    *,
    seed: int | None = None,
    config: str | PathLike | None = None,
    cache: bool = True,
    progress: ProgressCallback | None = None,
) -> tuple[Script, Meta]:
    """Turn a story into a Script with the chosen provider (default: the config's, else local)."""
    text = check_story(story)
    from .config import load_config

    cfg = load_config(config)
    name = provider or cfg.provider
    if name == "local":
        from .planners import local

        return local.plan(text, seed=seed), Meta(provider="local")
    from .planners import llm  # imports litellm lazily, on the first call only

    return llm.generate_script(text, cfg, provider=name, model=model, cache=cache, progress=progress)


def generate(
    story: str,
    provider: str | None = None,
    model: str | None = None,
    seed: int | None = None,
    fps: int | None = None,
    config: str | PathLike | None = None,
    *,
    cache: bool = True,
    progress: ProgressCallback | None = None,
) -> Animation:
    """Story -> Script (planner) -> Animation (compiler). Raises StickanimError subclasses."""
    from .compiler import compile_script

    t0 = time.perf_counter()
    script, meta = plan(story, provider, model, seed=seed, config=config, cache=cache, progress=progress)
    anim = compile_script(script, fps=fps or 24, seed=seed)
    meta.elapsed_ms = round((time.perf_counter() - t0) * 1000, 3)
    anim.meta = meta
    return anim
