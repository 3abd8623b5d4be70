"""config.yml / llm_config.yml: lookup order, errors, keys, masking, and provider switching."""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from stickanim_jupyter import config as config_mod
from stickanim_jupyter.config import (
    Config,
    load_config,
    mask_key,
    packaged_default,
    providers_info,
)
from stickanim_jupyter.errors import ConfigError

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "config.yml"
KEY = "sk-5pLD-fake-test-key-not-real"


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No real config or key can leak in: empty cwd, empty user config dir, no key variables."""
    for name in list(os.environ):
        if name.endswith("_API_KEY") or name in ("STICKANIM_CONFIG", "STICKANIM_LLM_CONFIG"):
            monkeypatch.delenv(name)
    work = tmp_path / "cwd"
    user = tmp_path / "user"
    work.mkdir()
    user.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setattr(config_mod, "user_config_dir", lambda: user)
    return tmp_path


def write(path: Path, llm: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"llm": llm}, allow_unicode=True))
    return path


def one(name: str, **section: object) -> dict:
    return {"provider": name, name: {"model": "openai/gpt-4o-mini", **section}}


# --- lookup order ---------------------------------------------------------------------------
def test_lookup_order(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user_file = write(clean_env / "user" / "config.yml", one("from_user"))
    assert load_config().provider == "from_user" and load_config().source == "user config dir"
    cwd_file = write(clean_env / "cwd" / "config.yml", one("from_cwd"))
    assert load_config().provider == "from_cwd" and load_config().path == cwd_file
    env_file = write(clean_env / "env.yml", one("from_env"))
    monkeypatch.setenv("STICKANIM_CONFIG", str(env_file))
    assert load_config().provider == "from_env" and load_config().source == "$STICKANIM_CONFIG"
    arg_file = write(clean_env / "arg.yml", one("from_arg"))
    assert load_config(arg_file).provider == "from_arg" and load_config(str(arg_file)).source == "argument"
    assert user_file.exists()


def test_packaged_default_when_nothing_else(clean_env: Path) -> None:
    cfg = load_config()
    assert cfg.source == "packaged default" and cfg.path == packaged_default() == SHIPPED
    assert cfg.provider == "local"


def test_unrelated_cwd_config_is_skipped(clean_env: Path) -> None:
    (clean_env / "cwd" / "config.yml").write_text("database: {host: x}\n")
    assert load_config().source == "packaged default"


def test_a_config_object_passes_through() -> None:
    cfg = Config()
    assert load_config(cfg) is cfg and cfg.names == ["local"]


# --- errors ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("llm: [1, 2]\n", "'llm' must be a mapping"),
        ("- a\n- b\n", "expected a mapping"),
        ("llm:\n  openai: gpt-4o\n", "llm.openai must be a mapping"),
        ("llm:\n  openai: {temperature: 0.5}\n", "llm.openai needs a model"),
        ("llm:\n  openai: {model: openai/x, temperature: 9}\n", "llm.openai.temperature"),
        ("llm:\n  openai: {model: openai/x, temprature: 0.5}\n", "llm.openai.temprature: Extra inputs"),
        (
            "llm:\n  provider: nope\n  openai: {model: openai/x}\n",
            "unknown provider 'nope'; configured: local, openai",
        ),
        ("llm:\n  fallbacks: [ghost]\n", "unknown provider 'ghost'"),
        ("llm:\n  provider: [a]\n", "llm.provider must be a name"),
        ("llm:\n  openai: {model: openai/x, params: {api_key: k}}\n", "put keys in llm_config.yml"),
        ("llm:\n  'bad name!': {model: openai/x}\n", "bad provider name"),
        ("llm:\n  provider: local\n   bad: indent\n", "is not valid YAML (line"),
        # wrong types and values, each named with the file (no TypeError, no ValueError)
        ("llm:\n  fallbacks: [[a]]\n", "llm.fallbacks a list of names"),
        ("llm:\n  provider: 3\n", "llm.provider must be a name"),
        ("llm:\n  openai: {model: openai/x, 1: 2}\n", "llm.openai has a setting whose name is not text"),
        ("llm:\n  openai: {model: [a]}\n", "llm.openai.model"),
        ("llm:\n  openai: {model: openai/x, temperature: hot}\n", "llm.openai.temperature"),
        ("llm:\n  openai: {model: openai/x, api_base: 'ftp://h/v1'}\n", "llm.openai.api_base"),
        ("llm:\n  openai: {model: openai/x, api_base: 'http://[::1'}\n", "llm.openai.api_base"),
        ("llm:\n  openai: {model: openai/x, params: {base_url: 'http://e'}}\n", "base_url is not a param"),
        ("llm:\n  openai: {model: openai/x, params: {api_base: 'http://e'}}\n", "api_base is not a param"),
        ("llm:\n  provider: \x00\n", "is not valid YAML"),
        ("a: &a [*a]\n", "levels deep: refused"),  # a recursive structure, walked depth first
        ("a: " + "[" * 40 + "]" * 40 + "\n", "is nested over 32 levels deep"),
    ],
)
def test_bad_files_are_one_line_config_errors(clean_env: Path, text: str, needle: str) -> None:
    path = clean_env / "bad.yml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert needle in str(info.value) and "\n" not in str(info.value)
    assert str(path) in str(info.value)


def test_missing_explicit_file(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match=r"config file not found: .*nope\.yml \(from argument\)"):
        load_config(clean_env / "nope.yml")
    monkeypatch.setenv("STICKANIM_CONFIG", str(clean_env / "gone.yml"))
    with pytest.raises(ConfigError, match=r"gone\.yml \(from \$STICKANIM_CONFIG\)"):
        load_config()


def test_unknown_provider_lists_the_configured(clean_env: Path) -> None:
    cfg = load_config(SHIPPED)
    with pytest.raises(ConfigError, match="unknown provider 'gpt'; configured: local, openai, anthropic"):
        cfg.get("gpt")


def test_empty_file_means_local_only(clean_env: Path) -> None:
    (clean_env / "empty.yml").write_text("")
    cfg = load_config(clean_env / "empty.yml")
    assert cfg.provider == "local" and cfg.names == ["local"]


# --- keys -----------------------------------------------------------------------------------
def test_key_precedence(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(clean_env / "conf" / "config.yml", one("openai", api_key_env="MY_OPENAI"))

    def source() -> str | None:
        info = load_config(path).key_info("openai")
        return f"{info.source}={info.value}"

    assert source() == "None=None"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-vendor")
    assert source() == "$OPENAI_API_KEY=sk-vendor"
    monkeypatch.setenv("MY_OPENAI", "sk-custom")
    assert source() == "$MY_OPENAI=sk-custom"
    monkeypatch.setenv("STICKANIM_OPENAI_API_KEY", "sk-ours")
    assert source() == "$STICKANIM_OPENAI_API_KEY=sk-ours"
    (clean_env / "user" / "llm_config.yml").write_text("openai: {api_key: sk-user-dir}\n")
    assert source() == "llm_config.yml=sk-user-dir"
    (clean_env / "cwd" / "llm_config.yml").write_text("openai: {api_key: sk-cwd}\n")
    assert source() == "llm_config.yml=sk-cwd"
    (clean_env / "conf" / "llm_config.yml").write_text("openai:\n  api_key: sk-next-to-config\n")
    assert source() == "llm_config.yml=sk-next-to-config"
    (clean_env / "explicit.yml").write_text("llm:\n  openai: {api_key: sk-explicit}\n")  # seed nesting
    monkeypatch.setenv("STICKANIM_LLM_CONFIG", str(clean_env / "explicit.yml"))
    assert source() == "llm_config.yml=sk-explicit"


def test_vendor_variable_never_travels_to_another_host(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-vendor")
    cfg = load_config(SHIPPED)
    assert cfg.key_info("openai").value == "sk-vendor"
    assert cfg.key_info("perfxcloud").value is None  # openai/ model, but its own api_base
    with pytest.raises(ConfigError) as info:
        cfg.require_key("perfxcloud")
    msg = str(info.value)
    assert "no API key" in msg and "llm_config.yml (perfxcloud: {api_key: ...})" in msg
    assert "STICKANIM_PERFXCLOUD_API_KEY" in msg and "OPENAI_API_KEY" not in msg


def test_local_servers_need_no_key(clean_env: Path) -> None:
    cfg = load_config(SHIPPED)
    assert cfg.require_key("ollama") is None and cfg.require_key("local") is None
    path = write(clean_env / "c.yml", one("lan", api_base="http://127.0.0.1:8000/v1"))
    assert load_config(path).key_info("lan").ok
    path = write(clean_env / "d.yml", one("vertex", key_required=False))
    assert load_config(path).key_info("vertex").ok


def test_bad_keys_file_never_quotes_its_content(clean_env: Path) -> None:
    (clean_env / "cwd" / "llm_config.yml").write_text(f"openai: {{api_key: {KEY}\n  oops: [\n")
    cfg = load_config(SHIPPED)  # keys are read when a key is needed, not at load
    with pytest.raises(ConfigError) as info:
        cfg.require_key("openai")
    reason = {r["name"]: r for r in providers_info(cfg)}["openai"]["reason"]
    for msg in (str(info.value), reason):
        assert "not valid YAML" in msg and KEY not in msg and "5pLD" not in msg


def test_a_broken_keys_file_does_not_block_the_offline_default(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """B9: a tab in ./llm_config.yml broke `stickanim generate "wave"` with the local provider."""
    keys = clean_env / "cwd" / "llm_config.yml"
    keys.write_text("openai:\n\tapi_key: sk-tabbed-0123456789\n")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-vendor-0123456789abcdef")  # must not stand in silently
    cfg = load_config()
    assert cfg.provider == "local" and cfg.keys_files == [keys]
    assert cfg.require_key("local") is None and cfg.secrets() == []
    with pytest.raises(ConfigError, match=r"llm_config\.yml is not valid YAML \(line 2"):
        cfg.require_key("openai")
    with pytest.raises(ConfigError, match="not valid YAML"):  # every time, not only the first
        cfg.key_info("openai")
    rows = {r["name"]: r for r in providers_info(cfg)}
    assert rows["local"]["available"] and rows["local"]["reason"] is None
    assert not rows["openai"]["available"] and rows["openai"]["key"] is None
    assert rows["openai"]["reason"].startswith(f"{keys} is not valid YAML (line 2")

    from stickanim_jupyter.cli import main

    assert main(["generate", "wave"]) == 0
    assert "provider local" in capsys.readouterr().out
    assert main(["providers"]) == 0
    out = capsys.readouterr().out
    assert "unavailable: " in out and "is not valid YAML" in out
    assert main(["generate", "wave", "-p", "openai", "--no-cache"]) == 1
    assert "is not valid YAML" in capsys.readouterr().err


# --- hostile or damaged files ----------------------------------------------------------------
def bomb(levels: int = 9, width: int = 10) -> str:
    """A YAML "billion laughs": `width`**`levels` strings once the aliases are expanded."""
    lines = ['l0: &l0 "lol"']
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def assert_clean(err: BaseException, *secrets: str) -> None:
    """One line, nothing chained (a UnicodeDecodeError would keep the bytes), no bytes, no secret."""
    assert err.__cause__ is None and err.__context__ is None
    assert not any(isinstance(a, bytes | bytearray) for a in err.args)
    assert "\n" not in str(err) and "codec" not in str(err)
    for secret in secrets:
        assert secret not in str(err) and secret not in repr(err)


@pytest.mark.parametrize("where", ["explicit", "cwd"])
def test_a_non_utf8_config_is_a_config_error_naming_the_file(clean_env: Path, where: str) -> None:
    path = clean_env / ("cwd" if where == "cwd" else "conf") / "config.yml"
    path.parent.mkdir(exist_ok=True)
    content = b"llm:\n  provider: local\n  # caf\xe9 (Latin-1)\n"
    path.write_bytes(content)
    with pytest.raises(ConfigError) as info:
        load_config(path if where == "explicit" else None)
    assert str(info.value) == f"{path} is not UTF-8 text (byte {content.index(0xE9)}); save it as UTF-8"
    assert_clean(info.value)


def test_a_utf8_bom_is_fine(clean_env: Path) -> None:
    path = clean_env / "bom.yml"
    path.write_bytes("\ufeffllm:\n  provider: openai\n  openai: {model: openai/x}\n".encode())
    assert load_config(path).provider == "openai"


def test_an_alias_bomb_is_refused_quickly(clean_env: Path) -> None:
    path = clean_env / "bomb.yml"
    path.write_text(bomb() + "llm:\n  provider: openai\n  openai: {model: openai/x, params: {x: *l9}}\n")
    t0 = time.perf_counter()
    with pytest.raises(ConfigError, match=r"bomb\.yml has over 10,000 values once its aliases"):
        load_config(path)
    assert time.perf_counter() - t0 < 2
    # Anchors as people use them (shared settings) still work.
    path.write_text(
        "defaults: &d {temperature: 0.3, timeout: 30}\n"
        "llm:\n  a: {<<: *d, model: openai/x}\n  b: {<<: *d, model: openai/y, timeout: 5}\n"
    )
    cfg = load_config(path)
    assert (cfg.get("a").timeout, cfg.get("b").timeout, cfg.get("b").temperature) == (30, 5, 0.3)


def test_an_oversized_file_is_refused_unread(clean_env: Path) -> None:
    path = clean_env / "big.yml"
    path.write_text("llm: {}\n" + "#" * 1_000_000 + "\n")
    with pytest.raises(ConfigError, match=r"big\.yml is over 1,000,000 bytes"):
        load_config(path)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"openai:\n  api_key: sk-latin1-\xe9\xe9-0123456789abcdef\n", "is not UTF-8 text (byte 29)"),
        (bomb().encode() + b"openai: {api_key: sk-bomb-0123456789abcdef}\n", "aliases (*name) are expanded"),
        (b"openai: {api_key: 12345}\n", "openai.api_key must be a string"),
        (b"openai: {api_key: sk-x-0123456789abcdef, allow_api_base: 5}\n", "allow_api_base must be a URL"),
    ],
    ids=["latin-1", "alias-bomb", "number", "bad-allowance"],
)
def test_a_broken_keys_file_never_blocks_local_and_names_itself(
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
    content: bytes,
    problem: str,
) -> None:
    keys = clean_env / "cwd" / "llm_config.yml"
    keys.write_bytes(content)
    cfg = load_config()
    assert cfg.provider == "local" and cfg.require_key("local") is None and cfg.secrets() == []
    for _ in range(2):  # the same clean error every time
        with pytest.raises(ConfigError) as info:
            cfg.require_key("openai")
        assert str(info.value).startswith(str(keys)) and problem in str(info.value)
        assert_clean(info.value, "0123456789abcdef", "latin1")
    from stickanim_jupyter.cli import main

    assert main(["generate", "wave"]) == 0
    assert "provider local" in capsys.readouterr().out


def test_keys_are_stripped_of_surrounding_whitespace(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = load_config(SHIPPED)
    monkeypatch.setenv("OPENAI_API_KEY", f"  {KEY}\r\n")
    assert cfg.key_info("openai").value == KEY
    monkeypatch.setenv("STICKANIM_OPENAI_API_KEY", " \r\n")  # blank: as if unset
    assert cfg.key_info("openai").value == KEY
    (clean_env / "cwd" / "llm_config.yml").write_bytes(f'openai:\r\n  api_key: "{KEY} \\r\\n"\r\n'.encode())
    info = load_config(SHIPPED).key_info("openai")
    assert (info.value, info.source) == (KEY, "llm_config.yml")


@pytest.mark.parametrize(
    ("key", "problem"),
    [("sk-clé-0123456789abcdef", "contains non-ASCII characters"),
     ("sk-two words-0123456789", "contains spaces or control characters"),
     ("sk-tab\there-0123456789", "contains spaces or control characters")],
)  # fmt: skip
def test_a_key_no_header_can_carry_is_a_clear_error(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, key: str, problem: str
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", key)
    cfg = load_config(SHIPPED)
    with pytest.raises(ConfigError) as info:
        cfg.require_key("openai")
    assert str(info.value) == f"the API key for openai {problem} (from $OPENAI_API_KEY)"
    assert_clean(info.value, key)
    row = {r["name"]: r for r in providers_info(cfg)}["openai"]
    assert not row["available"] and problem in row["reason"] and row["key"] is None
    assert key in cfg.secrets()  # still redacted wherever it might show


def test_keys_stay_out_of_reprs_and_dumps(clean_env: Path) -> None:
    (clean_env / "cwd" / "llm_config.yml").write_text(f"openai: {{api_key: {KEY}}}\n")
    cfg = load_config(SHIPPED)
    info = cfg.key_info("openai")
    assert info.value == KEY and info.masked == "sk-5pL***"
    for text in (repr(cfg), str(cfg), cfg.model_dump_json(), repr(info), str(providers_info(cfg))):
        assert KEY not in text and "fake-test-key" not in text


def test_mask_key() -> None:
    assert mask_key("sk-5pLD-fake-test-key-xxxx") == "sk-5pL***"
    assert mask_key("short-key") == "***" and mask_key(None) == "" and mask_key("") == ""


def test_providers_info(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STICKANIM_ANTHROPIC_API_KEY", "sk-ant-abcdefghijklmnopqrst")
    rows = {r["name"]: r for r in providers_info(load_config(SHIPPED))}
    assert list(rows) == ["local", "openai", "anthropic", "perfxcloud", "ollama"]
    assert rows["local"] == {"name": "local", "model": None, "available": True, "reason": None,
                             "state": "built in", "default": True, "key": None}  # fmt: skip
    assert rows["anthropic"]["available"] and rows["anthropic"]["key"] == "sk-ant***"
    assert rows["anthropic"]["state"] == "key present"  # known without a request; reachable: health
    assert not rows["openai"]["available"] and "OPENAI_API_KEY" in rows["openai"]["reason"]
    assert rows["openai"]["state"].startswith("unavailable: no API key")
    assert rows["ollama"]["available"] and rows["ollama"]["state"] == "configured"


# --- switching and adding providers is configuration only -----------------------------------
def test_switching_provider_is_a_one_word_change(clean_env: Path) -> None:
    before = SHIPPED.read_text()
    after = before.replace("provider: local ", "provider: perfxcloud ", 1)
    changed = [d for d in difflib.ndiff(before.split(), after.split()) if d[0] in "+-"]
    assert changed == ["- local", "+ perfxcloud"]
    path = clean_env / "config.yml"
    path.write_text(after)
    (clean_env / "llm_config.yml").write_text("perfxcloud: {api_key: sk-perfx-0123456789abcdef}\n")
    cfg = load_config(path)
    assert cfg.provider == "perfxcloud"
    from stickanim_jupyter.planners.llm import resolve

    kwargs = resolve(cfg, cfg.provider).call_kwargs()
    assert kwargs["model"] == "openai/Qwen3-Next-80B-Instruct"
    assert kwargs["api_base"] == "https://deepseek.perfxlab.cn/v1" and kwargs["max_tokens"] == 4096


def test_adding_a_provider_is_a_new_section(clean_env: Path) -> None:
    section = (
        "\n  deepseek:\n    model: deepseek/deepseek-chat\n    temperature: 0.3\n    timeout: 30\n"
        "    input_cost_per_million: 0.27\n    output_cost_per_million: 1.1\n"
    )
    path = clean_env / "config.yml"
    path.write_text(SHIPPED.read_text() + section)
    (clean_env / "llm_config.yml").write_text("deepseek: {api_key: sk-deep-0123456789abcdef}\n")
    cfg = load_config(path)
    assert "deepseek" in cfg.names and cfg.get("deepseek").timeout == 30
    from stickanim_jupyter.planners.llm import resolve

    kwargs = resolve(cfg, "deepseek").call_kwargs()
    assert kwargs == {"model": "deepseek/deepseek-chat", "max_tokens": 2048, "temperature": 0.3,
                      "api_key": "sk-deep-0123456789abcdef"}  # fmt: skip


def test_every_shipped_provider_resolves_to_a_litellm_model(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without calling out: LiteLLM's own router accepts each model id with its api_base."""
    cfg = load_config(SHIPPED)
    assert cfg.provider == "local" and cfg.fallbacks == []
    from stickanim_jupyter.planners.llm import litellm_module, resolve

    lm = litellm_module()
    for name in cfg.names:
        if name == "local":
            continue
        monkeypatch.setenv(f"STICKANIM_{name.upper()}_API_KEY", f"sk-{name}-0123456789abcdef")
        kwargs = resolve(cfg, name).call_kwargs()
        model, vendor, _, _ = lm.get_llm_provider(model=kwargs["model"], api_base=kwargs.get("api_base"))
        assert vendor == cfg.get(name).prefix and model, name
        assert kwargs["max_tokens"] >= 1024


# --- import cost ----------------------------------------------------------------------------
def test_import_and_load_do_not_import_litellm_and_print_nothing(tmp_path: Path) -> None:
    code = (
        "import sys, stickanim_jupyter\n"
        "from stickanim_jupyter.config import load_config, providers_info\n"
        "from stickanim_jupyter import health, cache\n"
        "from stickanim_jupyter.planners import llm\n"
        "providers_info(load_config())\n"
        "assert 'litellm' not in sys.modules, 'litellm was imported'\n"
        "assert 'openai' not in sys.modules, 'openai was imported'\n"
    )
    env = {**os.environ, "PYTHONWARNINGS": "default"}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr == ""
