"""GenerationOptions: what one generation is asked for, defined and validated once.

Every entry point builds one: generate()/plan()/generate_many() from their keywords, animate(),
the widget's regenerate, the `%%animate` flags and `stickanim generate`. A bad value is a
ValidationError whose one-line message starts with the option's name ("fps must be ...").

Cheap to import: no config, cache or litellm here (they are checked lazily, when given).
"""

from __future__ import annotations

import dataclasses
import numbers
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import ValidationError
from .schema import MAX_FPS, MIN_FPS
from .text import one_line

ProgressCallback = Callable[[dict[str, Any]], None]
DEFAULT_FPS = 24
_SHOWN = 40  # characters of a bad value quoted in an error


@dataclass(frozen=True)
class GenerationOptions:
    """The options of one generation (story -> Script -> Animation).

    provider: a provider name of config.yml (None: the config's llm.provider).
    model: overrides the provider's model (the primary provider only, never a fallback).
    seed: makes the animation reproducible. fps: frames per second (None: 24).
    config: a config.yml path or a loaded Config (None: the usual lookup).
    cache: True (the user cache dir), False or None (bypass), a directory or a ScriptCache.
    """

    provider: str | None = None
    model: str | None = None
    seed: int | None = None
    fps: int | None = None
    config: Any = None  # str | os.PathLike | config.Config | None
    cache: Any = True  # bool | str | os.PathLike | cache.ScriptCache | None

    def __post_init__(self) -> None:
        for name in ("provider", "model"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise ValidationError(f"{name} must be a name (text), not {_shown(value)}")
        if self.seed is not None:
            if isinstance(self.seed, bool) or not isinstance(self.seed, numbers.Integral):
                raise ValidationError(f"seed must be an integer, not {_shown(self.seed)}")
            object.__setattr__(self, "seed", int(self.seed))  # numpy integers too
        fps = self.fps
        if fps is not None and (
            isinstance(fps, bool) or not isinstance(fps, int) or not MIN_FPS <= fps <= MAX_FPS
        ):
            raise ValidationError(f"fps must be an integer from {MIN_FPS} to {MAX_FPS}, not {_shown(fps)}")
        if not _is_config(self.config):
            raise ValidationError(
                f"config must be a path to config.yml or a Config, not {_shown(self.config)}"
            )
        if not _is_cache(self.cache):
            raise ValidationError(
                f"cache must be True, False, a directory or a ScriptCache, not {_shown(self.cache)}"
            )

    @classmethod
    def of(cls, options: GenerationOptions | Mapping[str, Any] | None) -> GenerationOptions:
        """`options` as GenerationOptions; a mapping's keys that are no option are ignored."""
        if isinstance(options, GenerationOptions):
            return options
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in (options or {}).items() if k in names})

    @classmethod
    def from_flags(cls, args: Any, **defaults: Any) -> GenerationOptions:
        """From the command-line flags `stickanim generate` and `%%animate` share (-p, -m, --seed,
        --fps, --no-cache, --config): a flag not given takes its value from `defaults`."""

        def flag(name: str) -> Any:
            value = getattr(args, name, None)
            return defaults.get(name) if value is None or value == "" else value

        return cls(
            provider=flag("provider") or None,
            model=flag("model") or None,
            seed=flag("seed"),
            fps=flag("fps"),
            config=flag("config") or None,
            cache=not getattr(args, "no_cache", False),
        )

    @property
    def frame_rate(self) -> int:
        return DEFAULT_FPS if self.fps is None else self.fps

    def replace(self, **changes: Any) -> GenerationOptions:
        return dataclasses.replace(self, **changes)

    def keywords(self, *, changed_only: bool = False) -> dict[str, Any]:
        """generate()'s keywords for these options (only those that differ from the defaults)."""
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        if changed_only:
            defaults = type(self)()
            out = {k: v for k, v in out.items() if v != getattr(defaults, k)}
        return out


def _shown(value: Any) -> str:
    return one_line(repr(value), _SHOWN)


def _is_config(value: Any) -> bool:
    if value is None or isinstance(value, (str, os.PathLike)):
        return True
    from .config import Config  # only when something else was given

    return isinstance(value, Config)


def _is_cache(value: Any) -> bool:
    if value is None or isinstance(value, (bool, str, os.PathLike)):
        return True
    from .cache import ScriptCache

    return isinstance(value, ScriptCache)
