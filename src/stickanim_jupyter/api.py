"""The public Python API: story in, Animation out.

generate() and plan() take keywords; generate_with() and plan_with() take the GenerationOptions
every other entry point (the magic, the CLI, the widget) builds.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from os import PathLike
from typing import TYPE_CHECKING, Any

from .errors import StickanimError
from .options import GenerationOptions, ProgressCallback
from .schema import Animation, Meta, Script, check_story

if TYPE_CHECKING:
    from .config import Config


def plan(
    story: str,
    provider: str | None = None,
    model: str | None = None,
    *,
    seed: int | None = None,
    config: str | PathLike | Config | None = None,
    cache: bool = True,
    progress: ProgressCallback | None = None,
) -> tuple[Script, Meta]:
    """Turn a story into a Script with the chosen provider (default: the config's, else local)."""
    options = GenerationOptions(provider=provider, model=model, seed=seed, config=config, cache=cache)
    return plan_with(story, options, progress)


def plan_with(
    story: str, options: GenerationOptions, progress: ProgressCallback | None = None
) -> tuple[Script, Meta]:
    """plan() with its options as one object: the provider, then the config's fallbacks."""
    text = check_story(story)
    from .config import load_config
    from .planners import plan_with_fallbacks  # litellm loads on the first LLM request only

    return plan_with_fallbacks(text, options, load_config(options.config), progress)


def generate(
    story: str,
    provider: str | None = None,
    model: str | None = None,
    seed: int | None = None,
    fps: int | None = None,
    config: str | PathLike | Config | None = None,
    *,
    cache: bool = True,
    progress: ProgressCallback | None = None,
) -> Animation:
    """Story -> Script (planner) -> Animation (compiler). Raises StickanimError subclasses."""
    options = GenerationOptions(
        provider=provider, model=model, seed=seed, fps=fps, config=config, cache=cache
    )
    return generate_with(story, options, progress)


def generate_with(
    story: str, options: GenerationOptions, progress: ProgressCallback | None = None
) -> Animation:
    """generate() with its options as one object."""
    from .compiler import compile_script

    t0 = time.perf_counter()
    script, meta = plan_with(story, options, progress)
    anim = compile_script(script, fps=options.frame_rate, seed=options.seed)
    meta.elapsed_ms = round((time.perf_counter() - t0) * 1000, 3)
    meta.notes = list(dict.fromkeys([*script.notes, *meta.notes]))  # the Script's own, then the planner's
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

    progress = generate_kwargs.pop("progress", None)
    try:  # bad options or a broken config file fail every story the same way
        options = GenerationOptions(**generate_kwargs)
        options = options.replace(config=load_config(options.config))
    except StickanimError as err:
        return [err for _ in items]

    def one(story: str) -> Animation | StickanimError:
        try:
            return generate_with(story, options, progress)
        except StickanimError as err:
            return err

    if concurrency == 1 or len(items) == 1:
        return [one(story) for story in items]
    with ThreadPoolExecutor(max_workers=min(concurrency, len(items)), thread_name_prefix="stickanim") as pool:
        return list(pool.map(one, items))
