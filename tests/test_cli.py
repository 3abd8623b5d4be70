"""The `stickanim` command line for a newcomer: --version, `config` (which file, where yours
goes, --init) and messages that point to the user's own config file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from stickanim_jupyter import config as config_mod
from stickanim_jupyter import version as version_mod
from stickanim_jupyter.cli import main
from stickanim_jupyter.config import load_config, packaged_default
from stickanim_jupyter.errors import ConfigError

SHIPPED = Path(__file__).resolve().parents[1] / "config.yml"


@pytest.fixture(autouse=True)
def user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory and user config dir; no config from the environment."""
    for name in ("STICKANIM_CONFIG", "STICKANIM_LLM_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STICKANIM_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    user = tmp_path / "user" / "stickanim"
    monkeypatch.setattr(config_mod, "user_config_dir", lambda: user)
    return user


# --- --version -------------------------------------------------------------------------------
def test_version_option(capsys: pytest.CaptureFixture) -> None:
    for flag in ("--version", "-V"):
        with pytest.raises(SystemExit) as exit_info:
            main([flag])
        assert exit_info.value.code == 0
        assert capsys.readouterr().out == f"stickanim-jupyter {version_mod.version()}\n"


def test_version_falls_back_to_the_package_version(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    import stickanim_jupyter

    def missing(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    assert version_mod.version() == stickanim_jupyter.__version__
    assert version_mod.version_line() == f"stickanim-jupyter {stickanim_jupyter.__version__}"


# --- stickanim config ------------------------------------------------------------------------
def test_config_shows_the_file_used_and_where_yours_goes(
    user_dir: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["config"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"config file: {packaged_default()} (from packaged default)"
    assert lines[1] == (
        f"your config file: {user_dir / 'config.yml'} (not written yet: `stickanim config --init` writes it)"
    )
    assert lines[2] == f"your keys file: {user_dir / 'llm_config.yml'}"
    assert lines[3].startswith("lookup order: --config / config=, $STICKANIM_CONFIG, ./config.yml")
    assert "default provider: local" in lines and any(ln.startswith("providers: local, ") for ln in lines)
    assert main(["config", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["source"] == "packaged default" and report["config_file"] == str(packaged_default())
    assert report["user_config_file"] == str(user_dir / "config.yml") and not report["user_config_exists"]
    assert report["default"] == "local" and "local" in report["providers"]


def test_config_init_writes_a_commented_copy_that_is_then_used(
    user_dir: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["config", "--init"]) == 0
    target = user_dir / "config.yml"
    assert capsys.readouterr().out == f"wrote {target}\n"
    text = target.read_text(encoding="utf-8")
    assert text == packaged_default().read_text(encoding="utf-8") and text.startswith("# ")
    assert "`stickanim config --init`" in text  # the comments say how it was made
    cfg = load_config()
    assert (cfg.source, cfg.path) == ("user config dir", target)
    assert main(["config"]) == 0
    assert f"your config file: {target} (exists)" in capsys.readouterr().out


def test_config_init_never_overwrites_without_force(user_dir: Path, capsys: pytest.CaptureFixture) -> None:
    target = user_dir / "config.yml"
    target.parent.mkdir(parents=True)
    target.write_text("llm: {provider: local}\n")
    assert main(["config", "--init"]) == 1
    assert capsys.readouterr().err == f"stickanim: {target} exists; --force replaces it\n"
    assert target.read_text() == "llm: {provider: local}\n"
    assert main(["config", "--init", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["type"] == "config_error"
    assert main(["config", "--init", "--force"]) == 0
    assert target.read_text(encoding="utf-8") == SHIPPED.read_text(encoding="utf-8")


def test_config_init_to_a_path_and_a_note_when_another_file_comes_first(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    chosen = tmp_path / "elsewhere" / "my.yml"
    assert main(["config", "--init", "--config", str(chosen)]) == 0
    assert capsys.readouterr().out == f"wrote {chosen}\n"
    assert load_config(chosen).provider == "local"
    Path("config.yml").write_text(yaml.safe_dump({"llm": {"provider": "local"}}))  # ./config.yml wins
    assert main(["config", "--init"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == f"note: {Path.cwd() / 'config.yml'} (from ./config.yml) comes first here"


def test_config_init_into_an_unwritable_place_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["config", "--init", "--config", str(blocker / "config.yml")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"stickanim: cannot write {blocker / 'config.yml'}") and err.count("\n") == 1


# --- messages point to the user's file -------------------------------------------------------
def test_an_unknown_provider_points_to_the_users_config_not_the_package(
    user_dir: Path, capsys: pytest.CaptureFixture
) -> None:
    cfg = load_config()
    assert cfg.source == "packaged default"
    with pytest.raises(ConfigError) as err:
        cfg.get("nope")
    message = str(err.value)
    assert str(user_dir / "config.yml") in message and "`stickanim config --init` writes" in message
    assert str(packaged_default()) not in message and "default_config.yml" not in message
    assert "site-packages" not in message
    assert main(["generate", "wave", "-p", "nope"]) == 1
    assert str(user_dir / "config.yml") in capsys.readouterr().err
    main(["config", "--init"])
    with pytest.raises(ConfigError, match="add a section under llm: in .*config.yml\\)$"):
        load_config().get("nope")  # the file exists now: no --init hint


def test_an_unknown_provider_of_an_explicit_file_names_that_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.yml"
    path.write_text("llm: {provider: local}\n")
    with pytest.raises(ConfigError) as err:
        load_config(path).get("nope")
    assert f"in {path}" in str(err.value) and "--init" not in str(err.value)


def test_the_shipped_config_comments_name_real_commands() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    comments = "\n".join(ln for ln in text.splitlines() if ln.lstrip().startswith("#"))
    assert "`stickanim config`" in comments and "`stickanim config --init`" in comments
    assert "stickanim providers` shows which file" not in comments
    assert os.path.basename(SHIPPED) == "config.yml"
