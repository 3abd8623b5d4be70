"""Which key may go to which host: keys stay with their host.

A vendor's key (its usual variable such as OPENAI_API_KEY, or the llm_config.yml entry of a
provider named like the vendor) goes only to that vendor's own endpoint, unless the user chose
otherwise: in a config.yml they picked (an explicit --config / $STICKANIM_CONFIG, the user
config dir) or with `<provider>: {allow_api_base: URL}` in a llm_config.yml of their own.
A ./config.yml found in the working directory may be a cloned repository's: it cannot.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path
from typing import Protocol

# LiteLLM's conventional key variable per model prefix (used only without a custom api_base).
LITELLM_KEY_ENV: dict[str, str] = {
    "openai": "OPENAI_API_KEY",
    "anthropic": "ANTHROPIC_API_KEY",
    "gemini": "GEMINI_API_KEY",
    "groq": "GROQ_API_KEY",
    "mistral": "MISTRAL_API_KEY",
    "deepseek": "DEEPSEEK_API_KEY",
    "openrouter": "OPENROUTER_API_KEY",
    "together_ai": "TOGETHERAI_API_KEY",
    "cohere": "COHERE_API_KEY",
    "xai": "XAI_API_KEY",
    "fireworks_ai": "FIREWORKS_AI_API_KEY",
    "perplexity": "PERPLEXITYAI_API_KEY",
    "dashscope": "DASHSCOPE_API_KEY",
    "azure": "AZURE_API_KEY",
}
VENDOR_OF_ENV = {env: vendor for vendor, env in LITELLM_KEY_ENV.items()}
FILE_SOURCE = "llm_config.yml"  # KeyInfo.source of a key from a keys file; "$VAR" for a variable


class Endpoint(Protocol):
    """What the rules read of a provider (config.ProviderConfig)."""

    @property
    def name(self) -> str: ...

    @property
    def api_base(self) -> str | None: ...

    @property
    def prefix(self) -> str: ...


def env_token(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "_", name).upper()


def key_text_problem(value: str) -> str | None:
    """Why no HTTP header can carry this key (the client would say "'ascii' codec..."), or None.

    Returns rather than raises: the caller's error then has no frame holding the key.
    """
    if not value.isascii():
        return "contains non-ASCII characters"
    if any(ch.isspace() or not ch.isprintable() for ch in value):
        return "contains spaces or control characters"
    return None


def key_allowed_for(
    pc: Endpoint, source: str, *, trusted: bool = True, allowed: Collection[str] = ()
) -> bool:
    """May the key found at `source` ("llm_config.yml" or "$VAR") go where `pc` sends requests?

    A config the user chose (`trusted`) decides freely. An untrusted one may send a provider's
    own key (the llm_config.yml entry or $STICKANIM_<P>_API_KEY of a provider not named like a
    vendor) anywhere, a vendor's key only to that vendor's own endpoint (no api_base, the
    vendor's model prefix), and no other variable at all (an api_key_env could name any).
    An api_base in `allowed` (the user's allow_api_base entries) lifts the restriction.
    """
    if trusted:
        return True
    if pc.api_base and _base(pc.api_base) in {_base(b) for b in allowed}:
        return True
    var = source[1:] if source.startswith("$") else None
    if var is None or var == f"STICKANIM_{env_token(pc.name)}_API_KEY":
        vendor = _VENDOR_TOKENS.get(env_token(pc.name))  # `OpenAI:` reads $STICKANIM_OPENAI_API_KEY too
    elif var in VENDOR_OF_ENV:
        vendor = VENDOR_OF_ENV[var]
    else:
        return False
    return vendor is None or (pc.api_base is None and pc.prefix == vendor)


def refusal(pc: Endpoint, source: str, config: str, own_keys: Path) -> str:
    """The one-line ConfigError message when key_allowed_for says no: what, where, how to allow."""
    what = f"your {FILE_SOURCE} key for {pc.name!r}" if source == FILE_SOURCE else f"the key from {source}"
    where = pc.api_base or f"the {pc.prefix} endpoint"
    allow = f", or add `{pc.name}: {{allow_api_base: {pc.api_base}}}` to {own_keys}" if pc.api_base else ""
    return (
        f"provider {pc.name!r} of {config} (found in the working directory) would send {what} to"
        f" {where}; keys stay with their host. If you trust that file, pass it explicitly"
        f" (--config or $STICKANIM_CONFIG){allow}"
    )


_VENDOR_TOKENS = {env_token(vendor): vendor for vendor in LITELLM_KEY_ENV}


def _base(url: str) -> str:
    return url.strip().rstrip("/").lower()
