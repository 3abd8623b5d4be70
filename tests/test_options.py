"""GenerationOptions (one definition of a generation's options), the Planner lookup and Meta's fields."""

from __future__ import annotations

import argparse

import pytest

from stickanim_jupyter import generate, generate_many
from stickanim_jupyter.config import Config, ProviderConfig, load_config
from stickanim_jupyter.errors import ConfigError, ValidationError
from stickanim_jupyter.options import GenerationOptions
from stickanim_jupyter.planners import LocalPlanner, planner_for
from stickanim_jupyter.schema import Meta


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"seed": "x"}, "seed must be an integer, not 'x'"),
        ({"seed": True}, "seed must be an integer, not True"),
        ({"fps": 0}, "fps must be an integer from 1 to 60, not 0"),
        ({"fps": 24.0}, "fps must be an integer from 1 to 60, not 24.0"),
        ({"provider": 3}, "provider must be a name"),
        ({"config": 3}, "config must be a path"),
        ({"cache": "x" * 500, "fps": 5}, None),  # a directory: fine
    ],
)
def test_bad_options_are_one_line_validation_errors(options: dict, message: str | None) -> None:
    if message is None:
        GenerationOptions(**options)
        return
    with pytest.raises(ValidationError) as info:
        GenerationOptions(**options)
    assert str(info.value).startswith(message) and "\n" not in str(info.value)


def test_generate_refuses_a_bad_seed_before_planning() -> None:
    with pytest.raises(ValidationError, match="^seed must be an integer, not 'x'$"):
        generate("a person waves", seed="x")
    with pytest.raises(ValidationError, match="^fps must be an integer from 1 to 60, not 0$"):
        generate("a person waves", fps=0)
    errors = generate_many(["a", "b"], fps=0)
    assert [str(e) for e in errors] == ["fps must be an integer from 1 to 60, not 0"] * 2


def test_numpy_like_integers_are_seeds() -> None:
    class Integral(int):
        pass

    assert type(GenerationOptions(seed=Integral(3)).seed) is int


def test_flags_take_defaults_when_not_given() -> None:
    args = argparse.Namespace(provider=None, model="", seed=None, fps=12, no_cache=True)
    options = GenerationOptions.from_flags(args, provider="loopback", model="m", seed=4, fps=30, config="")
    assert options == GenerationOptions(provider="loopback", model="m", seed=4, fps=12, cache=False)
    assert options.keywords(changed_only=True) == {"provider": "loopback", "model": "m", "seed": 4, "fps": 12,
                                                   "cache": False}  # fmt: skip
    assert set(options.keywords()) == {"provider", "model", "seed", "fps", "config", "cache"}
    assert GenerationOptions().frame_rate == 24 and options.frame_rate == 12


def test_of_ignores_keys_that_are_no_option() -> None:
    assert GenerationOptions.of({"seed": 2, "progress": print}) == GenerationOptions(seed=2)
    options = GenerationOptions(fps=5)
    assert GenerationOptions.of(options) is options and GenerationOptions.of(None) == GenerationOptions()


def test_planner_for_decides_by_name() -> None:
    cfg = Config(providers={"local": ProviderConfig(name="local"), "remote": ProviderConfig(name="remote",
                                                                                          model="openai/x")})  # fmt: skip
    local, remote = planner_for("local", cfg), planner_for("remote", cfg)
    assert isinstance(local, LocalPlanner) and local.offline and local.model is None
    assert not remote.offline and (remote.name, remote.model) == ("remote", "openai/x")
    with pytest.raises(ConfigError, match="unknown provider 'nope'"):
        planner_for("nope", cfg)
    assert planner_for("local", load_config(None)).ping(1.0)["ok"]


def test_meta_declares_its_fields_and_dumps_llm_details_only_when_set() -> None:
    meta = Meta(provider="local")
    assert meta.model_dump() == {"provider": "local", "model": None, "tokens": None, "cost_usd": None,
                                 "elapsed_ms": None, "attempts": None, "cached": False,
                                 "notes": []}  # fmt: skip
    meta.fallback_from = ["primary"]
    assert meta.model_dump()["fallback_from"] == ["primary"] and "reasks" not in meta.model_dump()
    assert Meta.model_validate({**meta.model_dump(), "unknown": 1}).model_dump() == meta.model_dump()
    with pytest.raises(ValueError):
        meta.undeclared = 1  # type: ignore[attr-defined]
