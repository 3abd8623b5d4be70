"""The public Python API: story in, Animation out."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from os import PathLike
from typing import Any

from .errors import StickanimError
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
    anim = compile_script(script, fps=24 if fps is None else fps, seed=seed)
    meta.elapsed_ms = round((time.perf_counter() - t0) * 1000, 3)
    anim.meta = meta
    return anim


def generate_many(
    stories: Iterable[str], concurrency: int = 8, **generate_kwargs: Any
) -> list[Animation | StickanimError]:
    """generate() for each story on up to `concurrency` threads; results in the order of `stories`.

    A story that fails gives its StickanimError in its place instead of raising, so one bad
    story costs nothing of the others. Anything else (a bug, KeyboardInterrupt) propagates.
    The configuration is loaded once for the whole batch; `generate_kwargs` are generate()'s
    (provider, model, seed, fps, config, cache, progress). LLM providers are I/O-bound: threads
    overlap their latency (see bench/RESULTS.md for the scaling); the local planner holds the GIL.
    """
    items = list(stories)
    if not isinstance(concurrency, int) or isinstance(concurrency, bool) or concurrency < 1:
        raise ValueError(f"concurrency must be a positive integer, not {concurrency!r}")
    if not items:
        return []
    from .config import load_config

    try:
        generate_kwargs["config"] = load_config(generate_kwargs.get("config"))
    except StickanimError as err:  # a broken config file fails every story the same way
        return [err for _ in items]

    def one(story: str) -> Animation | StickanimError:
        try:
            return generate(story, **generate_kwargs)
        except StickanimError as err:
            return err

    if concurrency == 1 or len(items) == 1:
        return [one(story) for story in items]
    with ThreadPoolExecutor(max_workers=min(concurrency, len(items)), thread_name_prefix="stickanim") as pool:
        return list(pool.map(one, items))
