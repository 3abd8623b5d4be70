"""The Script cache: hit, miss, corrupt entries, bypass, atomic writes, location."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from llmserver import WAVE_SCRIPT

from stickanim_jupyter.cache import ScriptCache, cache_key, default_cache_dir
from stickanim_jupyter.schema import Script

# LiteLLM's own pydantic deprecation noise, not ours.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:litellm.*")

PARTS = {"provider": "p", "model": "openai/m", "api_base": None, "prompt": "v1", "story": "一个人挥手",
         "params": {"temperature": 0.7}}  # fmt: skip
SCRIPT = Script.parse(WAVE_SCRIPT)


@pytest.fixture
def store(tmp_path: Path) -> ScriptCache:
    return ScriptCache(tmp_path / "c")


def test_miss_then_hit(store: ScriptCache) -> None:
    key = cache_key(PARTS)
    assert store.get(key) is None
    path = store.put(key, SCRIPT, {"tokens": 1020}, PARTS)
    assert path == store.path_for(key) and path.parent.name == key[:2]
    script, meta = store.get(key)
    assert script == SCRIPT and meta == {"tokens": 1020}
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left behind


def test_the_key_covers_every_part() -> None:
    base = cache_key(PARTS)
    assert base == cache_key(dict(reversed(PARTS.items()))) and len(base) == 64
    for field, value in [("provider", "q"), ("model", "openai/n"), ("api_base", "http://x"), ("prompt", "v2"),
                         ("story", "一个人跳"), ("params", {"temperature": 0.1})]:  # fmt: skip
        assert cache_key({**PARTS, field: value}) != base, field


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_text("{not json"),
        lambda p: p.write_bytes(b"\xff\xfe\x00garbage"),
        lambda p: p.write_text(""),
        lambda p: p.write_text("[]"),
        lambda p: p.write_text(json.dumps({**json.loads(p.read_text()), "key": "0" * 64})),
        lambda p: p.write_text(json.dumps({**json.loads(p.read_text()), "format": 99})),
        lambda p: p.write_text(json.dumps({**json.loads(p.read_text()), "script": {"scenes": []}})),
        lambda p: p.write_text(p.read_text()[: len(p.read_text()) // 2]),  # a torn write
    ],
    ids=["bad-json", "binary", "empty", "not-a-dict", "wrong-key", "other-format", "invalid-script", "torn"],
)
def test_a_corrupt_entry_is_a_miss(store: ScriptCache, damage) -> None:
    key = cache_key(PARTS)
    path = store.put(key, SCRIPT, {}, PARTS)
    damage(path)
    assert store.get(key) is None
    store.put(key, SCRIPT, {}, PARTS)  # and the next write repairs it
    assert store.get(key)[0] == SCRIPT


def test_an_unwritable_directory_never_fails(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store = ScriptCache(blocker / "sub")  # a file where a directory should be
    assert store.put(cache_key(PARTS), SCRIPT, {}, PARTS) is None
    assert store.get(cache_key(PARTS)) is None


def test_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STICKANIM_CACHE_DIR", str(tmp_path / "env"))
    assert default_cache_dir() == tmp_path / "env" and ScriptCache().directory == tmp_path / "env"
    assert ScriptCache(tmp_path / "arg").directory == tmp_path / "arg"
    monkeypatch.delenv("STICKANIM_CACHE_DIR")
    assert "stickanim" in str(default_cache_dir()) and default_cache_dir().name == "scripts"


def test_clear(store: ScriptCache) -> None:
    for story in ("a", "b"):
        store.put(cache_key({**PARTS, "story": story}), SCRIPT, {}, PARTS)
    assert store.clear() == 2 and store.get(cache_key({**PARTS, "story": "a"})) is None


def test_bypass_and_hit_through_the_planner(tmp_path: Path) -> None:
    """cache=False never reads or writes; a hit costs no call (mock_response: no HTTP)."""
    from stickanim_jupyter.config import Config, ProviderConfig
    from stickanim_jupyter.planners import generate_script

    pc = ProviderConfig(name="m", model="openai/gpt-4o-mini", key_required=False, stream=False,
                        params={"mock_response": json.dumps(WAVE_SCRIPT, ensure_ascii=False)})  # fmt: skip
    cfg = Config(provider="m", providers={"m": pc})
    store = ScriptCache(tmp_path / "c")
    _, meta = generate_script("一个人挥手", cfg, cache=False)
    assert not meta.cached and not (tmp_path / "c").exists()
    _, first = generate_script("一个人挥手", cfg, cache=store)
    _, second = generate_script("一个人挥手", cfg, cache=store)
    assert (first.cached, second.cached, second.original_tokens) == (False, True, first.tokens)
    entry = json.loads(next((tmp_path / "c").rglob("*.json")).read_text())
    assert set(entry) == {"format", "key", "created", "parts", "meta", "script"}
    assert "api_key" not in json.dumps(entry) and entry["parts"]["story"] == "一个人挥手"
    assert os.environ.get("STICKANIM_CACHE_DIR")  # the conftest isolation is in force


# --- hostile entries: never a hang, an error or a huge read ----------------------------------
def hostile(store: ScriptCache, make) -> str:
    """Put a good entry, then replace its file by what `make(path)` creates; returns the key."""
    key = cache_key(PARTS)
    path = store.put(key, SCRIPT, {}, PARTS)
    path.unlink()
    make(path)
    return key


@pytest.mark.timeout(20)  # a FIFO opened without O_NONBLOCK would block here for ever
@pytest.mark.parametrize(
    "make",
    [
        lambda p: os.symlink("/dev/zero", p),
        lambda p: os.mkfifo(p),
        lambda p: p.mkdir(),
        lambda p: p.write_bytes(b" " * (1_000_001 - 2) + b"{}"),  # valid JSON, over the cap
        lambda p: p.write_text("[" * 100_000 + "]" * 100_000),  # RecursionError in json
        lambda p: p.write_text('{"format": 1, "script": ' + "[" * 5000 + "]" * 5000 + "}"),
    ],
    ids=["symlink-to-dev-zero", "fifo", "directory", "oversized", "deeply-nested", "nested-script"],
)
def test_a_hostile_entry_is_a_quick_miss(store: ScriptCache, make) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("POSIX only")
    key = hostile(store, make)
    t0 = time.monotonic()
    assert store.get(key) is None
    assert time.monotonic() - t0 < 5


def test_a_symlink_to_a_valid_entry_is_not_followed(store: ScriptCache, tmp_path: Path) -> None:
    """Someone else's file planted as an entry: not read, even when it would parse."""
    key = cache_key(PARTS)
    good = store.put(key, SCRIPT, {}, PARTS)
    elsewhere = tmp_path / "elsewhere.json"
    good.rename(elsewhere)
    good.symlink_to(elsewhere)
    assert store.get(key) is None
    assert store.put(key, SCRIPT, {}, PARTS) == good and store.get(key)[0] == SCRIPT  # replaced
    assert not good.is_symlink() and elsewhere.exists()


def test_no_secret_enters_an_entry_or_its_key(store: ScriptCache) -> None:
    secret = "sk-cache-secret-0123456789abcdef"
    params = {"temperature": 0.7, "max_tokens": 512, "extra": {
        "extra_headers": {"Authorization": f"Bearer {secret}", "X-Team": "blue-team-42"},
        "api_key": secret, "azure_ad_token": "tok-0123456789", "seed": 7}}  # fmt: skip
    parts = {**PARTS, "api_base": "https://user:hunter2@llm.example.invalid/v1", "params": params}
    key = cache_key(parts)
    path = store.put(key, SCRIPT, {"tokens": 3}, parts)
    text = path.read_text(encoding="utf-8")
    for leak in (secret, "hunter2", "tok-0123456789", "blue-team-42"):
        assert leak not in text, leak
    stored = json.loads(text)["parts"]
    assert stored["params"]["extra"]["extra_headers"] == {"Authorization": "***", "X-Team": "***"}
    assert stored["params"]["extra"]["seed"] == 7 and stored["params"]["max_tokens"] == 512
    assert stored["api_base"] == "https://***@llm.example.invalid/v1"
    # The key does not depend on the secret (nothing to brute-force), but on everything else.
    other = {**params, "extra": {**params["extra"], "extra_headers": {"Authorization": "Bearer other"}}}
    assert cache_key({**parts, "params": other}) == cache_key(
        {**parts, "params": {**params, "extra": {**params["extra"], "extra_headers": {"Authorization": "x"}}}}
    )
    assert cache_key({**parts, "params": {**params, "max_tokens": 1024}}) != key
    assert store.get(key)[0] == SCRIPT


def test_no_header_of_a_provider_reaches_the_cache_through_the_planner(tmp_path: Path) -> None:
    from stickanim_jupyter.config import Config, ProviderConfig
    from stickanim_jupyter.planners import generate_script

    secret = "sk-header-secret-0123456789abcdef"
    pc = ProviderConfig(name="m", model="openai/gpt-4o-mini", key_required=False, stream=False,
                        params={"mock_response": json.dumps(WAVE_SCRIPT, ensure_ascii=False),
                                "extra_headers": {"Authorization": f"Bearer {secret}"}})  # fmt: skip
    cfg = Config(provider="m", providers={"m": pc})
    generate_script("一个人挥手", cfg, cache=ScriptCache(tmp_path / "c"))
    (entry,) = (tmp_path / "c").rglob("*.json")
    assert secret not in entry.read_text(encoding="utf-8") and secret not in repr(pc)


def test_an_entry_over_the_cap_is_not_written(store: ScriptCache) -> None:
    parts = {**PARTS, "story": "x" * 1_000_001}
    assert store.put(cache_key(parts), SCRIPT, {}, parts) is None
    assert not list(store.directory.rglob("*.json"))
