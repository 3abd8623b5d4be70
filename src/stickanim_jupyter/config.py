"""Providers by configuration: config.yml (which providers exist) and llm_config.yml (their keys).

config.yml, seed-compatible layout (see docs/architecture.md and the README)::

    llm:
      provider: local          # the default provider; `local` is built in (offline, no key)
      fallbacks: [openai]      # tried in order when the chosen provider fails
      openai: {model: openai/gpt-4o-mini, temperature: 0.7, max_tokens: 2048}

Every other key under `llm` is a provider: a LiteLLM model id plus optional settings
(ProviderConfig). Adding a provider is adding a section; no code change.

Lookup order of config.yml: explicit argument, $STICKANIM_CONFIG, ./config.yml, the user
config dir, the packaged default (the repo-root config.yml in an editable install).

Keys, first found wins: llm_config.yml (`<provider>: {api_key: ...}`; looked for at
$STICKANIM_LLM_CONFIG, next to config.yml, in the cwd, in the user config dir), then
$STICKANIM_<PROVIDER>_API_KEY, then the provider's `api_key_env`, then LiteLLM's usual variable
for the model's prefix (OPENAI_API_KEY...) -- only for providers on their vendor's own endpoint,
so a key for one vendor is never sent to another host.

Keys stay with their host (keyrules.py): a ./config.yml found in the working directory
(a cloned repository's, maybe) cannot send a vendor's key (OPENAI_API_KEY, or the llm_config.yml
entry of a provider named like a vendor) to an api_base, nor any variable it names in
api_key_env, unless the user allows that api_base in a llm_config.yml of their own
(`<provider>: {allow_api_base: URL}`) or passes the file explicitly.

This module must stay cheap to import: no litellm here.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pydantic
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr, field_validator

from .errors import ConfigError
from .keyrules import LITELLM_KEY_ENV, env_token, key_allowed_for, key_text_problem, refusal
from .secrets import mask_key, scrub

APP_NAME = "stickanim"
CONFIG_NAME = "config.yml"
KEYS_NAME = "llm_config.yml"
LOCAL = "local"
RESERVED = frozenset({"provider", "fallbacks", "providers"})
CWD_SOURCE = "./config.yml"  # the one config.yml the user did not choose (see Config.trusted)
PACKAGED_SOURCE = "packaged default"  # inside the installed package: never the file to edit
# params that would change where a request (and its key) goes: the section's own fields do that.
HOST_PARAMS = frozenset({"api_key", "api_base", "base_url", "custom_llm_provider"})

# Model prefixes of self-hosted servers that take no key.
KEYLESS_PREFIXES = frozenset({"ollama", "ollama_chat", "lm_studio", "hosted_vllm", "llamafile", "vllm"})
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0"})


class ProviderConfig(BaseModel):
    """One provider: a LiteLLM model id and how to call it. Unknown keys are errors (typos)."""

    model_config = ConfigDict(extra="forbid", protected_namespaces=(), frozen=True)

    name: str
    model: str | None = Field(None, description="LiteLLM model id, e.g. openai/gpt-4o-mini (None: local)")
    api_base: str | None = None
    temperature: float | None = Field(None, ge=0, le=2)
    max_tokens: int = Field(2048, ge=16, le=200_000)
    timeout: float = Field(
        60.0,
        gt=0,
        le=3600,
        description="seconds to wait for an unstreamed answer, or between a stream's chunks",
    )
    deadline: float = Field(180.0, gt=0, le=7200, description="seconds for all attempts of this provider")
    retries: int = Field(2, ge=0, le=10, description="retries after the first attempt (429, 5xx, timeouts)")
    backoff: float = Field(0.5, ge=0, le=60, description="first retry delay in seconds, doubled each time")
    max_context_tokens: int | None = Field(None, ge=256)
    input_cost_per_million: float | None = Field(None, ge=0, description="USD per 1M prompt tokens")
    output_cost_per_million: float | None = Field(None, ge=0, description="USD per 1M completion tokens")
    api_key_env: str | None = Field(None, description="an extra environment variable holding the key")
    key_required: bool | None = Field(None, description="None: inferred (local servers need no key)")
    stream: bool = True
    params: dict[str, Any] = Field(default_factory=dict, description="extra litellm.completion kwargs")
    # Seed compatibility only: keys belong in llm_config.yml. Never dumped, masked in repr.
    api_key: SecretStr | None = Field(None, exclude=True, repr=False)

    @field_validator("model")
    @classmethod
    def _model_id(cls, v: str | None) -> str | None:
        if v is not None and not v.strip():
            raise ValueError("the model id is empty")
        return v.strip() if v else v

    @field_validator("params")
    @classmethod
    def _no_secret_params(cls, v: dict[str, Any]) -> dict[str, Any]:
        if "api_key" in v:
            raise ValueError("put keys in llm_config.yml, not in params")
        moved = sorted(HOST_PARAMS.intersection(v))
        if moved:
            raise ValueError(f"{moved[0]} is not a param: use the section's api_base and model")
        return v

    @field_validator("api_base")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        try:
            url = urlparse(v) if v else None
            ok = url is None or (url.scheme in ("http", "https") and bool(url.hostname))
        except ValueError:  # e.g. "http://[::1"
            ok = False
        if not ok:
            raise ValueError("must be an http:// or https:// URL with a host")
        return v

    def __repr_args__(self) -> Any:  # params may hold headers (Authorization...): masked
        for name, value in super().__repr_args__():
            yield name, scrub(value) if name == "params" else value

    @property
    def builtin(self) -> bool:
        """A built-in planner (no LiteLLM model): it needs no key and is never sent anything."""
        return self.model is None

    @property
    def prefix(self) -> str:
        """The LiteLLM provider prefix of the model id ('openai', 'anthropic', 'ollama_chat'...)."""
        return model_prefix(self.model)

    @property
    def needs_key(self) -> bool:
        if self.builtin:
            return False
        if self.key_required is not None:
            return self.key_required
        if self.prefix in KEYLESS_PREFIXES:
            return False
        host = urlparse(self.api_base).hostname if self.api_base else None
        return host not in LOOPBACK_HOSTS

    def env_names(self) -> list[str]:
        """Environment variables looked at for this provider's key, in order."""
        names = [f"STICKANIM_{env_token(self.name)}_API_KEY"]
        if self.api_key_env:
            names.append(self.api_key_env)
        vendor = LITELLM_KEY_ENV.get(self.prefix)
        if vendor and not self.api_base:  # never send a vendor's key to another host
            names.append(vendor)
        return names


LOCAL_PROVIDER = ProviderConfig(name=LOCAL, model=None)
BUILTIN: dict[str, ProviderConfig] = {LOCAL: LOCAL_PROVIDER}  # in every Config; a section cannot replace one


@dataclass(frozen=True)
class KeyInfo:
    """Where a provider's key comes from. `value` is secret: never print it, use `masked`."""

    value: str | None
    source: str | None
    required: bool
    looked: tuple[str, ...]

    @property
    def masked(self) -> str | None:
        return mask_key(self.value) if self.value else None

    @property
    def ok(self) -> bool:
        return bool(self.value) or not self.required

    def __repr__(self) -> str:  # the dataclass default would show the key
        return f"KeyInfo(value={self.masked!r}, source={self.source!r}, required={self.required})"


class Config(BaseModel):
    """The loaded configuration: default provider, fallbacks, providers (always with `local`)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    provider: str = LOCAL
    fallbacks: list[str] = Field(default_factory=list)
    providers: dict[str, ProviderConfig] = Field(default_factory=lambda: dict(BUILTIN))
    path: Path | None = None
    source: str = "built-in"
    keys_files: list[Path] = Field(default_factory=list)
    # From llm_config.yml, read on the first key lookup of a non-local provider (None: not yet),
    # so a broken keys file never blocks the offline default.
    keys: dict[str, SecretStr] | None = Field(None, exclude=True, repr=False)
    load_ms: float = 0.0
    _keys_error: ConfigError | None = PrivateAttr(None)
    _allowed: dict[str, frozenset[str]] = PrivateAttr(default_factory=dict)  # allow_api_base entries
    _allow_files: list[Path] = PrivateAttr(default_factory=list)  # the user's own llm_config.yml

    @property
    def trusted(self) -> bool:
        """False for a ./config.yml of the working directory: it may be a cloned repository's."""
        return self.source != CWD_SOURCE

    @property
    def names(self) -> list[str]:
        return list(self.providers)

    def get(self, name: str | None = None) -> ProviderConfig:
        """The provider named `name` (default: the configured one); ConfigError if unknown."""
        name = name or self.provider
        try:
            return self.providers[name]
        except KeyError:
            own = self.own_file
            new = "" if own.is_file() else ", which `stickanim config --init` writes"
            raise ConfigError(
                f"unknown provider {name!r}; configured: {', '.join(self.names)}"
                f" (add a section under llm: in {own}{new})"
            ) from None

    @property
    def own_file(self) -> Path:
        """The config.yml to edit: the one loaded, unless there is none or it is the packaged
        default (inside site-packages): then the user's, user_config_dir()/config.yml."""
        return self.path if self.path and self.source != PACKAGED_SOURCE else user_config_dir() / CONFIG_NAME

    @property
    def where(self) -> str:
        return str(self.path) if self.path else "config.yml"

    def file_keys(self) -> dict[str, SecretStr]:
        """The keys of llm_config.yml, read once; its ConfigError (bad YAML...) every time asked."""
        if self.keys is None and self._keys_error is None:
            try:
                from .yamlfiles import load_keys  # PyYAML loads with the first config file

                self.keys, self._allowed = load_keys(self.keys_files, self._allow_files)
            except ConfigError as err:  # kept without its traceback: its frames held the file
                self._keys_error = err.with_traceback(None)
        if self._keys_error is not None:
            raise ConfigError(str(self._keys_error))  # a new error: no chained context
        return self.keys or {}

    def key_info(self, name: str) -> KeyInfo:
        """Find `name`'s key (see the module docstring for the order), checked before use.

        ConfigError when the keys file cannot be read (for any provider but a built-in one,
        which has no key): it might hold this provider's key, so no other source may silently stand in.
        ConfigError too when the key is malformed or may not go to the provider's host.
        """
        pc = self.get(name)
        info = self._find_key(pc)
        if info.value is not None and info.source is not None:
            problem = key_text_problem(info.value)
            if problem:
                raise ConfigError(f"the API key for {name} {problem} (from {info.source})")
            trusted = self.trusted or info.source == CONFIG_NAME  # a config's own key is its author's
            if not key_allowed_for(pc, info.source, trusted=trusted, allowed=self._allowed.get(name, ())):
                raise ConfigError(refusal(pc, info.source, self.where, user_config_dir() / KEYS_NAME))
        return info

    def _find_key(self, pc: ProviderConfig) -> KeyInfo:
        """The first key found for `pc`, stripped of surrounding whitespace; not yet checked."""
        if pc.builtin:
            return KeyInfo(None, None, False, ())
        looked = (f"{KEYS_NAME} ({pc.name}: {{api_key: ...}})", *pc.env_names())
        secret = self.file_keys().get(pc.name)
        if secret and secret.get_secret_value().strip():
            return KeyInfo(secret.get_secret_value().strip(), KEYS_NAME, pc.needs_key, looked)
        for env in pc.env_names():
            if os.environ.get(env, "").strip():
                return KeyInfo(os.environ[env].strip(), f"${env}", pc.needs_key, looked)
        if pc.api_key and pc.api_key.get_secret_value().strip():
            return KeyInfo(pc.api_key.get_secret_value().strip(), CONFIG_NAME, pc.needs_key, looked)
        return KeyInfo(None, None, pc.needs_key, looked)

    def require_key(self, name: str) -> str | None:
        """The key for `name`, None when it needs none; ConfigError naming where keys are looked for."""
        info = self.key_info(name)
        if not info.ok:
            raise ConfigError(f"provider {name!r} has no API key; looked in {', '.join(info.looked)}")
        return info.value

    def secrets(self) -> list[str]:
        """Every key this config can see (for redaction of messages)."""
        found = set()
        for pc in self.providers.values():
            try:  # unchecked: a refused or malformed key is still redacted wherever it shows
                found.add(self._find_key(pc).value)
            except ConfigError:  # unreadable keys file: those keys are never sent either
                continue
        return sorted(k for k in found if k)


def check_model_override(pc: ProviderConfig, model: str | None) -> None:
    """A model override (`-m`) must keep the section's LiteLLM vendor prefix: it never changes
    the host a key goes to. Without api_base LiteLLM routes by the prefix (`-p openai -m
    anthropic/...` would send the OpenAI key to Anthropic); with one, some vendors (replicate/,
    bedrock/...) ignore it and call their own host.
    """
    if not model or pc.builtin:
        return
    if model_prefix(model) != pc.prefix:
        hint = f"; write it as {pc.prefix}/<model>" if pc.api_base else ""
        raise ConfigError(
            f"model {model} is not a model of {pc.prefix}; add a provider section for it instead"
            f" (provider {pc.name!r} is {pc.model}{hint})"
        )


# --- helpers -------------------------------------------------------------------------------
def model_prefix(model: str | None) -> str:
    if not model:
        return LOCAL
    if "/" in model:
        return model.split("/", 1)[0]
    bare = model.lower()  # LiteLLM infers the vendor of a bare model name
    if bare.startswith(("gpt", "o1", "o3", "o4", "chatgpt")):
        return "openai"
    if bare.startswith("claude"):
        return "anthropic"
    if bare.startswith("gemini"):
        return "gemini"
    return bare


def user_config_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def packaged_default() -> Path | None:
    """The wheel's default_config.yml, else the repo-root config.yml of an editable install."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "default_config.yml", here.parent.parent / CONFIG_NAME):
        if candidate.is_file() and (candidate.parent == here or here.parent.name == "src"):
            return candidate
    return None


def _candidates(path: str | os.PathLike | None) -> Iterator[tuple[Path, str, bool]]:
    """(path, source, must_exist) in lookup order."""
    if path is not None:
        yield Path(path).expanduser(), "argument", True
        return
    env = os.environ.get("STICKANIM_CONFIG")
    if env:
        yield Path(env).expanduser(), "$STICKANIM_CONFIG", True
        return
    yield Path.cwd() / CONFIG_NAME, CWD_SOURCE, False
    yield user_config_dir() / CONFIG_NAME, "user config dir", False
    default = packaged_default()
    if default:
        yield default, PACKAGED_SOURCE, False


def _pick_file(path: str | os.PathLike | None) -> tuple[Path | None, str, dict | None]:
    for candidate, source, must_exist in _candidates(path):
        if not candidate.is_file():
            if must_exist:
                raise ConfigError(f"config file not found: {candidate} (from {source})")
            continue
        from .yamlfiles import read_yaml  # PyYAML loads with the first config file, not at import

        data = read_yaml(candidate)
        if must_exist or (isinstance(data, dict) and "llm" in data):
            return candidate, source, data
        # An unrelated ./config.yml (no `llm:` section) is not ours: keep looking.
    return None, "built-in", None


def _provider_sections(llm: Mapping[str, Any], where: str) -> dict[str, Any]:
    sections: dict[str, Any] = {}
    nested = llm.get("providers")
    if nested is not None:
        if not isinstance(nested, dict):
            raise ConfigError(f"{where}: llm.providers must be a mapping of provider sections")
        sections.update(nested)
    for name, section in llm.items():
        if name not in RESERVED:
            sections[name] = section
    return sections


def _build_provider(name: Any, section: Any, where: str) -> ProviderConfig:
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_\-]{0,39}", name):
        raise ConfigError(f"{where}: bad provider name {name!r} (letters, digits, _ and -)")
    if not isinstance(section, dict):
        raise ConfigError(f"{where}: llm.{name} must be a mapping such as {{model: openai/gpt-4o-mini}}")
    if not all(isinstance(k, str) for k in section):
        raise ConfigError(f"{where}: llm.{name} has a setting whose name is not text")
    if not section.get("model"):
        raise ConfigError(
            f"{where}: llm.{name} needs a model (a LiteLLM model id such as openai/gpt-4o-mini)"
        )
    try:
        return ProviderConfig(name=name, **{k: v for k, v in section.items() if k != "name"})
    except pydantic.ValidationError as err:
        e = err.errors()[0]
        loc = ".".join(str(p) for p in e["loc"])
        raise ConfigError(f"{where}: llm.{name}.{loc}: {e['msg']}") from None


def _parse(data: Any, where: str) -> tuple[str, list[str], dict[str, ProviderConfig]]:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping with an 'llm' section, got {type(data).__name__}")
    llm = data.get("llm") or {}
    if not isinstance(llm, dict):
        raise ConfigError(f"{where}: 'llm' must be a mapping")
    providers: dict[str, ProviderConfig] = dict(BUILTIN)
    for name, section in _provider_sections(llm, where).items():
        if name in BUILTIN:
            continue  # a `local:` section changes nothing
        providers[name] = _build_provider(name, section, where)
    default = llm.get("provider", LOCAL)
    fallbacks = llm.get("fallbacks") or []
    if isinstance(fallbacks, str):
        fallbacks = [fallbacks]
    if not (
        isinstance(default, str)
        and isinstance(fallbacks, list)
        and all(isinstance(f, str) for f in fallbacks)
    ):
        raise ConfigError(f"{where}: llm.provider must be a name and llm.fallbacks a list of names")
    for name in [default, *fallbacks]:
        if name not in providers:
            raise ConfigError(
                f"{where}: unknown provider {name!r}; configured: {', '.join(providers)}"
                f" (add a section llm.{name} with a model)"
            )
    return default, [str(f) for f in fallbacks], providers


def keys_files(config_path: Path | None) -> list[Path]:
    """llm_config.yml candidates, in precedence order (existing files only)."""
    out: list[Path] = []
    env = os.environ.get("STICKANIM_LLM_CONFIG")
    if env:
        out.append(Path(env).expanduser())
    if config_path is not None:
        out.append(config_path.parent / KEYS_NAME)
    out += [Path.cwd() / KEYS_NAME, user_config_dir() / KEYS_NAME]
    seen: list[Path] = []
    for p in out:
        if p.is_file() and p.resolve() not in [s.resolve() for s in seen]:
            seen.append(p)
    return seen


def own_keys_files() -> list[Path]:
    """The llm_config.yml files only the user writes: $STICKANIM_LLM_CONFIG and the user config dir's."""
    env = os.environ.get("STICKANIM_LLM_CONFIG")
    return [*([Path(env).expanduser()] if env else []), user_config_dir() / KEYS_NAME]


def load_config(path: str | os.PathLike | Config | None = None) -> Config:
    """Load config.yml (see the lookup order above) and the keys; a Config passes through."""
    if isinstance(path, Config):
        return path
    t0 = time.perf_counter()
    file, source, data = _pick_file(path)
    where = str(file) if file else "built-in defaults"
    provider, fallbacks, providers = _parse(data, where)
    files = keys_files(file if source != PACKAGED_SOURCE else None)
    cfg = Config(
        provider=provider,
        fallbacks=fallbacks,
        providers=providers,
        path=file,
        source=source,
        keys_files=files,  # read lazily: see Config.file_keys
    )
    cfg._allow_files = own_keys_files()
    cfg.load_ms = round((time.perf_counter() - t0) * 1000, 3)
    return cfg


def providers_info(cfg: Config) -> list[dict[str, Any]]:
    """One row per provider for the widget's dropdown and `stickanim providers`.

    `state` says what is known without sending anything: "built in", "key present" or
    "configured" (no key needed); whether the provider answers is for `health` to say.
    """
    rows = []
    for name, pc in cfg.providers.items():
        reason: str | None
        try:
            info = cfg.key_info(name)
        except ConfigError as err:  # a broken llm_config.yml: this provider's reason, not a crash
            available, reason, masked, state = False, str(err), None, f"unavailable: {err}"
        else:
            available, masked = info.ok, info.masked
            reason = None if info.ok else f"no API key (set one in {', '.join(info.looked)})"
            state = _state(pc, info) if info.ok else f"unavailable: {reason}"
        rows.append(
            {
                "name": name,
                "model": pc.model,
                "available": available,
                "reason": reason,
                "state": state,
                "default": name == cfg.provider,
                "key": masked,
            }
        )
    return rows


def _state(pc: ProviderConfig, info: KeyInfo) -> str:
    if pc.builtin:
        return "built in"
    return "key present" if info.value else "configured"
