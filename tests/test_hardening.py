"""Hardening: keys stay with their host, masking and redaction, reprs, HTML where JSON belongs.

Config-file robustness is in test_config.py and hostile cache entries in test_cache.py. The
"host" of these tests is the loopback server of tests/llmserver.py: a request that must not
happen is asserted by its hit count, a key that must not travel by the headers it received.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FAKE_KEY
from llmserver import LLMServer, Reply

from stickanim_jupyter import config as config_mod
from stickanim_jupyter import secrets
from stickanim_jupyter.config import Config, KeyInfo, ProviderConfig, load_config, providers_info
from stickanim_jupyter.errors import ConfigError, ProviderError
from stickanim_jupyter.html_reply import HTML_REPLY
from stickanim_jupyter.planners import PlanRun, generate_script, llm, planner_for

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:litellm.*")

REPO = Path(__file__).resolve().parents[1]
STORY = "一个人挥手"
VENDOR_KEY = "sk-vendor-openai-must-stay-home-0001"  # the user's OPENAI_API_KEY
FILE_KEY = "sk-userfile-openai-key-0002"  # the user's own llm_config.yml entry for `openai`
OWN_KEY = "sk-gateway-own-key-0003"  # a provider's own key
HTML = "<!DOCTYPE html><html><head><title>Sign in - Portal</title></head><body>hi</body></html>"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """An empty working directory and user config dir; no key or config variable set."""
    for name in list(os.environ):
        if name.endswith(("_API_KEY", "_TOKEN")) or name in ("STICKANIM_CONFIG", "STICKANIM_LLM_CONFIG"):
            monkeypatch.delenv(name)
    dirs = {"cwd": tmp_path / "cwd", "user": tmp_path / "user"}
    for d in dirs.values():
        d.mkdir()
    monkeypatch.chdir(dirs["cwd"])
    monkeypatch.setattr(config_mod, "user_config_dir", lambda: dirs["user"])
    return dirs


def write_config(path: Path, **sections: dict[str, Any]) -> Path:
    llm_cfg = {"provider": "local", "fallbacks": [], **sections}
    path.write_text(yaml.safe_dump({"llm": llm_cfg}))
    return path


def section(server: LLMServer, **extra: Any) -> dict[str, Any]:
    return {"model": "openai/test-model", "api_base": server.url, "retries": 0, "timeout": 5, **extra}


def auth(server: LLMServer) -> list[str]:
    return [{k.lower(): v for k, v in hit.headers.items()}.get("authorization", "") for hit in server.hits]


def generate(cfg: Config, provider: str) -> Any:
    return generate_script(STORY, cfg, provider=provider, cache=False, sleep=lambda _: None)


# --- 2. keys stay with their host ----------------------------------------------------------
def test_a_cwd_config_cannot_send_a_vendor_variable_to_its_api_base(
    home: dict[str, Path],
    llm_server: LLMServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", VENDOR_KEY)
    write_config(home["cwd"] / "config.yml", grab=section(llm_server, api_key_env="OPENAI_API_KEY"))
    cfg = load_config()
    assert cfg.source == "./config.yml" and not cfg.trusted
    with pytest.raises(ConfigError) as info:
        generate(cfg, "grab")
    msg = str(info.value)
    assert "would send the key from $OPENAI_API_KEY to " + llm_server.url in msg
    assert "keys stay with their host" in msg and "--config" in msg
    assert f"grab: {{allow_api_base: {llm_server.url}}}" in msg and str(home["user"]) in msg
    assert VENDOR_KEY not in msg and llm_server.hit_count == 0
    row = {r["name"]: r for r in providers_info(cfg)}["grab"]
    assert not row["available"] and "keys stay with their host" in row["reason"]
    assert VENDOR_KEY in cfg.secrets()  # refused, but still redacted wherever it might show

    from stickanim_jupyter.cli import main

    assert main(["generate", "wave", "-p", "grab", "--no-cache"]) == 1
    err = capsys.readouterr().err
    assert "keys stay with their host" in err and VENDOR_KEY not in err and llm_server.hit_count == 0


def test_a_cwd_config_cannot_name_any_other_variable(
    home: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOME_CI_TOKEN", "ghp-not-for-llms-0123456789")
    write_config(
        home["cwd"] / "config.yml", x={"model": "openai/gpt-4o-mini", "api_key_env": "SOME_CI_TOKEN"}
    )
    with pytest.raises(ConfigError, match=r"would send the key from \$SOME_CI_TOKEN to the openai endpoint"):
        load_config().require_key("x")
    # Its vendor's own variable to its vendor's own endpoint is what LiteLLM would do anyway.
    monkeypatch.setenv("OPENAI_API_KEY", VENDOR_KEY)
    write_config(
        home["cwd"] / "config.yml", y={"model": "openai/gpt-4o-mini", "api_key_env": "OPENAI_API_KEY"}
    )
    assert load_config().require_key("y") == VENDOR_KEY


@pytest.mark.parametrize(
    ("holder", "name"),
    [("user llm_config.yml", "openai"), ("STICKANIM_OPENAI_API_KEY", "openai"),
     ("STICKANIM_OPENAI_API_KEY", "OpenAI")],  # the same variable, under another spelling
)  # fmt: skip
def test_a_cwd_config_cannot_redirect_the_openai_section(
    home: dict[str, Path], llm_server: LLMServer, monkeypatch: pytest.MonkeyPatch, holder: str, name: str
) -> None:
    if holder == "user llm_config.yml":
        (home["user"] / "llm_config.yml").write_text(f"openai: {{api_key: {FILE_KEY}}}\n")
    else:
        monkeypatch.setenv(holder, FILE_KEY)
    write_config(home["cwd"] / "config.yml", **{name: section(llm_server)})
    with pytest.raises(ConfigError) as info:
        generate(load_config(), name)
    assert "keys stay with their host" in str(info.value) and FILE_KEY not in str(info.value)
    assert llm_server.hit_count == 0
    # Nor with a vendor section's model pointing at another vendor: the OpenAI key is OpenAI's.
    write_config(home["cwd"] / "config.yml", openai={"model": "anthropic/claude-3-haiku"})
    with pytest.raises(ConfigError, match="to the anthropic endpoint"):
        load_config().require_key("openai")


def test_the_vendor_variable_is_not_even_read_for_an_api_base(
    home: dict[str, Path], llm_server: LLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", VENDOR_KEY)
    write_config(home["cwd"] / "config.yml", openai=section(llm_server))
    script, _ = generate(load_config(), "openai")  # a keyless loopback server: fine, without the key
    assert script.title and auth(llm_server) == [f"Bearer {llm.NO_KEY}"]


def test_the_user_can_allow_it(
    home: dict[str, Path], llm_server: LLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    (home["user"] / "llm_config.yml").write_text(f"openai: {{api_key: {FILE_KEY}}}\n")
    path = write_config(home["cwd"] / "config.yml", openai=section(llm_server))
    generate(load_config(path), "openai")  # the same file, passed explicitly
    monkeypatch.setenv("STICKANIM_CONFIG", str(path))  # or by the variable
    generate(load_config(), "openai")
    monkeypatch.delenv("STICKANIM_CONFIG")
    # or an allowance in the user's own llm_config.yml (a trailing slash does not matter)
    (home["user"] / "llm_config.yml").write_text(
        f"openai: {{api_key: {FILE_KEY}, allow_api_base: [{llm_server.url}/]}}\n"
    )
    generate(load_config(), "openai")
    assert auth(llm_server) == [f"Bearer {FILE_KEY}"] * 3
    # An allowance in the working directory's llm_config.yml is the cloned repository's: ignored.
    (home["user"] / "llm_config.yml").write_text(f"openai: {{api_key: {FILE_KEY}}}\n")
    (home["cwd"] / "llm_config.yml").write_text(f"openai: {{allow_api_base: {llm_server.url}}}\n")
    with pytest.raises(ConfigError, match="keys stay with their host"):
        generate(load_config(), "openai")
    assert llm_server.hit_count == 3


@pytest.mark.parametrize("holder", ["cwd llm_config.yml", "user llm_config.yml", "STICKANIM_GW_API_KEY"])
def test_a_provider_with_its_own_key_works_from_a_cwd_config(
    home: dict[str, Path], llm_server: LLMServer, monkeypatch: pytest.MonkeyPatch, holder: str
) -> None:
    if holder == "STICKANIM_GW_API_KEY":
        monkeypatch.setenv(holder, OWN_KEY)
    else:
        (home[holder.split()[0]] / "llm_config.yml").write_text(f"gw: {{api_key: {OWN_KEY}}}\n")
    write_config(home["cwd"] / "config.yml", gw=section(llm_server))
    script, meta = generate(load_config(), "gw")
    assert meta.provider == "gw" and auth(llm_server) == [f"Bearer {OWN_KEY}"]


def test_the_shipped_config_works_from_the_working_directory(
    home: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copyfile(REPO / "config.yml", home["cwd"] / "config.yml")  # e.g. run from the clone
    monkeypatch.setenv("OPENAI_API_KEY", VENDOR_KEY)
    monkeypatch.setenv("STICKANIM_PERFXCLOUD_API_KEY", OWN_KEY)
    cfg = load_config()
    assert not cfg.trusted
    assert cfg.require_key("openai") == VENDOR_KEY and cfg.require_key("perfxcloud") == OWN_KEY
    assert all(row["available"] for row in providers_info(cfg) if row["name"] != "anthropic")


def test_a_model_override_never_changes_the_host(
    home: dict[str, Path], llm_server: LLMServer, capsys: pytest.CaptureFixture
) -> None:
    path = write_config(home["user"] / "config.yml", gw=section(llm_server))
    (home["user"] / "llm_config.yml").write_text(f"gw: {{api_key: {OWN_KEY}}}\n")
    from stickanim_jupyter.cli import main

    for model in ("replicate/meta/llama-3", "anthropic/claude-3-haiku", "qwen-max"):
        assert main(["generate", "wave", "--config", str(path), "-p", "gw", "-m", model, "--no-cache"]) == 1
        err = capsys.readouterr().err
        assert "is not a model of openai" in err and "write it as openai/<model>" in err
    assert llm_server.hit_count == 0
    assert (
        main(["generate", "wave", "--config", str(path), "-p", "gw", "-m", "openai/other", "--no-cache"]) == 0
    )
    assert llm_server.hits[0].body["model"] == "other" and auth(llm_server) == [f"Bearer {OWN_KEY}"]


@pytest.mark.parametrize("param", ["api_base", "base_url", "custom_llm_provider"])
def test_params_cannot_move_a_provider_to_another_host(param: str) -> None:
    with pytest.raises(ValueError, match=f"{param} is not a param"):
        ProviderConfig(name="x", model="openai/gpt-4o-mini", params={param: "https://elsewhere.invalid"})


# --- 3. masking and redaction --------------------------------------------------------------
def test_mask_key_shows_at_most_a_quarter_and_six_characters() -> None:
    assert secrets.mask_key("0123456789abcdef") == "0123***"  # 16 characters: 4 shown
    assert secrets.mask_key(FAKE_KEY) == FAKE_KEY[:6] + "***"
    assert secrets.mask_key("0123456789abcde") == "***" and secrets.mask_key(None) == ""
    for n in range(1, 120):
        key = "".join(chr(ord("a") + i % 26) for i in range(n))
        shown = secrets.mask_key(key).removesuffix("***")
        assert key.startswith(shown) and len(shown) <= min(6, n // 4), n
    assert config_mod.mask_key is secrets.mask_key


def test_redact_removes_every_configured_secret_whatever_its_length() -> None:
    assert secrets.redact("Bearer abc", ["abc"]) == "Bearer ***"
    assert secrets.redact("k=x;", ["x", None, ""]) == "k=***;"
    assert secrets.redact("a sk-longer-key-123 b", ["sk-longer-key-123", "sk-longer"]) == "a *** b"
    assert secrets.redact("http://bob:hunter2@host/v1 down") == "http://***@host/v1 down"
    assert secrets.redact("line one\n  line two") == "line one line two"
    assert llm.redact is secrets.redact  # still importable from the planner


def test_scrub_masks_headers_and_secret_names_and_keeps_the_rest() -> None:
    params = {"extra_headers": {"Authorization": "Bearer x", "X-Org": "o"}, "max_tokens": 5, "seed": 1,
              "aws_secret_access_key": "abc", "note": f"uses {FAKE_KEY}", "stop": ["END"]}  # fmt: skip
    assert secrets.scrub(params) == {
        "extra_headers": {"Authorization": "***", "X-Org": "***"}, "max_tokens": 5, "seed": 1,
        "aws_secret_access_key": "***", "note": "uses ***", "stop": ["END"]}  # fmt: skip


# --- 4. no object holding a key shows it ---------------------------------------------------
def test_no_holder_of_a_key_shows_it_in_its_repr(home: dict[str, Path]) -> None:
    (home["cwd"] / "llm_config.yml").write_text(f"gw: {{api_key: {FAKE_KEY}}}\n")
    headers = {"extra_headers": {"Authorization": f"Bearer {FAKE_KEY}"}}
    path = write_config(home["cwd"] / "config.yml", gw={"model": "openai/m", "params": headers})
    cfg = load_config(path)
    target = llm.resolve(cfg, "gw")
    run = PlanRun(find_secrets=cfg.secrets)
    info = cfg.key_info("gw")
    holders = [cfg, cfg.get("gw"), target, run, info, KeyInfo(FAKE_KEY, "x", True, ())]
    for obj in holders:
        assert FAKE_KEY not in repr(obj) and FAKE_KEY not in str(obj), type(obj).__name__
    assert target.call_kwargs()["api_key"] == FAKE_KEY and run.secrets == [FAKE_KEY]


def verbose(err: BaseException) -> str:
    """The error as IPython's `%xmode Verbose` shows it: every frame, with its variables."""
    from IPython.core.ultratb import VerboseTB

    tb = err.__traceback__.tb_next if err.__traceback__ else None  # not the test's own frame
    return VerboseTB(theme_name="nocolor", include_vars=True).text(type(err), err, tb)


def test_verbose_tracebacks_show_no_key(
    home: dict[str, Path], llm_server: LLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A provider echoing the key in its error, a malformed key, a refused key, a broken keys file."""
    (home["cwd"] / "llm_config.yml").write_text(f"gw: {{api_key: {FAKE_KEY}}}\n")
    path = write_config(home["cwd"] / "explicit.yml", gw=section(llm_server))
    llm_server.default = Reply(status=401)  # its body quotes the Authorization header
    errors = []
    with pytest.raises(ProviderError) as info:
        generate(load_config(path), "gw")
    errors.append(info.value)
    monkeypatch.setenv("OPENAI_API_KEY", f"{FAKE_KEY}é")
    with pytest.raises(ConfigError) as info:
        load_config(REPO / "config.yml").require_key("openai")
    errors.append(info.value)
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    write_config(home["cwd"] / "config.yml", grab=section(llm_server, api_key_env="OPENAI_API_KEY"))
    with pytest.raises(ConfigError) as info:
        generate(load_config(), "grab")
    errors.append(info.value)
    (home["cwd"] / "llm_config.yml").write_text(f"gw: {{api_key: {FAKE_KEY}\n  oops: [\n")
    with pytest.raises(ConfigError) as info:
        load_config(path).require_key("gw")
    errors.append(info.value)
    for err in errors:
        text = verbose(err)
        assert FAKE_KEY not in text and FAKE_KEY[3:20] not in text, text


# --- 7. HTML where JSON belongs ------------------------------------------------------------
@pytest.mark.parametrize(
    ("stream", "content_type"),
    [(False, "application/json"), (False, "text/html; charset=utf-8"), (True, "text/html; charset=utf-8")],
)  # a stream's body is only read as events: there, the content type tells it is a page
def test_html_with_http_200_is_named_as_such(
    loop_config, llm_server: LLMServer, stream: bool, content_type: str
) -> None:
    headers = {} if content_type == "application/json" else {"Content-Type": content_type}
    llm_server.default = Reply(body=HTML, headers=headers)
    cfg = load_config(loop_config(stream=stream, retries=1))
    with pytest.raises(ProviderError) as info:
        generate(cfg, "loopback")
    msg = str(info.value)
    assert msg.startswith(f"loopback (openai/test-model): {HTML_REPLY} after 2 attempts: ")
    assert "HTTP 500" not in msg and "server error" not in msg and info.value.status is None
    if not stream:
        assert "page title 'Sign in - Portal'" in msg
    assert llm_server.hit_count == 2  # retried once, as a flaky proxy might recover


def test_ping_names_html_too(loop_config, llm_server: LLMServer) -> None:
    llm_server.default = Reply(body=HTML)
    result = planner_for("loopback", load_config(loop_config())).ping(timeout=5)
    assert not result["ok"] and HTML_REPLY in result["error"] and "HTTP 500" not in result["error"]
