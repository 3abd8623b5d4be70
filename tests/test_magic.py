"""%%animate and %animate through a real IPython InteractiveShell (no kernel, no network).

The local planner makes the animations; the LLM path goes through the loopback
OpenAI-compatible server of tests/llmserver.py with LiteLLM's real HTTP client.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import CapturedIO, capture_output
from llmserver import LLMServer, Reply, refused_port

from stickanim_jupyter.options import GenerationOptions
from stickanim_jupyter.schema import Animation, Script

FAKE_KEY = "sk-test-MAGIC-0123456789abcdef"
LOOP_TITLE = "Loopback wave LB-4242"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


# --- fixtures ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def llm() -> Iterator[LLMServer]:
    script = json.loads(Script.parse(_loop_script()).model_dump_json())
    with LLMServer(default=Reply(content=json.dumps(script, ensure_ascii=False))) as server:
        yield server


def _loop_script() -> dict[str, Any]:
    return {
        "title": LOOP_TITLE,
        "description": "a loopback figure waves",
        "characters": [{"id": "char_1", "name": "Loop", "color": "#E91E63", "x": 0.5}],
        "scenes": [
            {
                "id": "scene_1",
                "description": "Loop waves",
                "actions": [{"character": "char_1", "action": "wave", "duration": 1500}],
            }
        ],
    }


@pytest.fixture(scope="module")
def config_file(tmp_path_factory: pytest.TempPathFactory, llm: LLMServer) -> Path:
    path = tmp_path_factory.mktemp("magic-config") / "config.yml"
    closed = f"http://127.0.0.1:{refused_port()}/v1"
    fast = {"timeout": 5, "retries": 0, "deadline": 10, "stream": False}
    llm_section = {
        "provider": "local",
        "fallbacks": [],
        "loopback": {"model": "openai/test-model", "api_base": llm.url, "key_required": True, **fast},
        "broken": {"model": "openai/test-model", "api_base": closed, **fast},
    }
    path.write_text(yaml.safe_dump({"llm": llm_section}, sort_keys=False))
    return path


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, config_file: Path) -> None:
    monkeypatch.setenv("STICKANIM_CONFIG", str(config_file))
    monkeypatch.setenv("STICKANIM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("STICKANIM_LOOPBACK_API_KEY", FAKE_KEY)
    monkeypatch.delenv("STICKANIM_LLM_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray ./config.yml or ./llm_config.yml


@pytest.fixture(scope="module")
def ip() -> InteractiveShell:
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "stickanim_jupyter")
    return shell


@pytest.fixture
def magics(ip: InteractiveShell) -> Iterator[Any]:
    """The registered AnimateMagics instance, its %config defaults restored after the test."""
    instance = ip.magics_manager.registry["AnimateMagics"]
    saved = {name: getattr(instance, name) for name in instance.trait_names(config=True)}
    yield instance
    for name, value in saved.items():
        setattr(instance, name, value)


def run(ip: InteractiveShell, code: str) -> tuple[Any, CapturedIO]:
    with capture_output() as cap:
        result = ip.run_cell(code)
    return result, cap


def assert_one_line_error(result: Any, cap: CapturedIO, *expected: str) -> str:
    """The cell printed exactly one line on stderr, showed nothing, and raised nothing visible."""
    lines = cap.stderr.strip().splitlines()
    assert len(lines) == 1, cap.stderr
    assert "Traceback" not in cap.stdout + cap.stderr
    assert cap.outputs == []
    for text in expected:
        assert text in lines[0]
    return lines[0]


def assert_shell_alive(ip: InteractiveShell) -> None:
    result, _ = run(ip, "40 + 2")
    assert result.success and result.result == 42


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Record the story and options the magic generates with (it imports generate_with at call time)."""
    from stickanim_jupyter import api

    calls: list[dict[str, Any]] = []
    real = api.generate_with

    def generate_with(story: str, options: GenerationOptions, progress: Any = None) -> Animation:
        calls.append({"story": story, **options.keywords()})
        return real(story, options, progress)

    monkeypatch.setattr(api, "generate_with", generate_with)
    return calls


# --- loading ---------------------------------------------------------------------------------
def test_load_ext_is_silent_and_light() -> None:
    code = textwrap.dedent(
        """
        import io, json, sys, time
        from contextlib import redirect_stderr, redirect_stdout
        from IPython.core.interactiveshell import InteractiveShell
        ip = InteractiveShell.instance()
        out, err = io.StringIO(), io.StringIO()
        t0 = time.perf_counter()
        with redirect_stdout(out), redirect_stderr(err):
            ip.run_line_magic("load_ext", "stickanim_jupyter")
        ms = (time.perf_counter() - t0) * 1000
        heavy = [m for m in ("litellm", "anywidget", "ipywidgets", "PIL", "stickanim_jupyter.widget",
                             "stickanim_jupyter.compiler", "stickanim_jupyter.planners.llm") if m in sys.modules]
        print(json.dumps({"out": out.getvalue(), "err": err.getvalue(), "heavy": heavy, "ms": ms,
                          "cell": ip.find_cell_magic("animate") is not None,
                          "line": ip.find_line_magic("animate") is not None}))
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    report = json.loads(proc.stdout)
    assert report["out"] == "" and report["err"] == ""
    assert report["heavy"] == []
    assert report["cell"] and report["line"]


def test_reload_ext_prints_nothing(ip: InteractiveShell, capsys: pytest.CaptureFixture[str]) -> None:
    ip.run_line_magic("reload_ext", "stickanim_jupyter")
    assert capsys.readouterr() == ("", "")


# --- %%animate: arguments -------------------------------------------------------------------
def test_default_cell_displays_the_player_and_its_static_view(ip: InteractiveShell) -> None:
    result, cap = run(ip, "%%animate\n一个人挥手")
    assert result.success and result.result is None
    assert cap.stderr == ""
    assert len(cap.outputs) == 2
    player, static = (o.data for o in cap.outputs)
    assert set(player) == {WIDGET_MIME, "text/plain"}
    assert player["text/plain"].startswith("AnimationWidget: 挥手")
    assert "object at 0x" not in player["text/plain"]
    assert set(static) == {"text/html", "text/plain"}
    assert '<div class="stickanim-static"' in static["text/html"]
    assert static["text/plain"] == "Static view: 挥手 (animated SVG)"


def test_the_widget_regenerates_with_the_cell_options(
    ip: InteractiveShell, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stickanim_jupyter.widget import AnimationWidget

    shown: list[AnimationWidget] = []
    real = AnimationWidget.from_animation.__func__

    def spy(cls: type[AnimationWidget], *args: Any, **kwargs: Any) -> AnimationWidget:
        shown.append(real(cls, *args, **kwargs))
        return shown[-1]

    monkeypatch.setattr(AnimationWidget, "from_animation", classmethod(spy))
    run(ip, "%%animate --seed 4 --fps 12 --no-cache\n一个人挥手\n")
    (widget,) = shown
    assert widget.story == "一个人挥手" and widget.provider == "local"
    assert widget.options == GenerationOptions(seed=4, fps=12, cache=False)
    assert [p["name"] for p in widget.providers] == ["local", "loopback", "broken"]
    widget.regenerate("loopback")
    assert widget.wait(60)
    assert widget.status == "idle", widget.error
    assert widget.animation["title"] == LOOP_TITLE and widget.animation["fps"] == 12


def test_output_variable_fps_and_seed(ip: InteractiveShell) -> None:
    result, cap = run(ip, "%%animate -o anim --fps 12 --seed 3\na person waves three times")
    assert result.success and cap.stderr == ""
    anim = ip.user_ns["anim"]
    assert isinstance(anim, Animation)
    assert anim.fps == 12 and anim.meta.provider == "local"
    run(ip, "%%animate -o again --fps 12 --seed 3\na person waves three times")
    assert ip.user_ns["again"].scenes == anim.scenes  # a seed makes it reproducible


def test_options_reach_generate(ip: InteractiveShell, spy: list[dict[str, Any]]) -> None:
    run(ip, "%%animate -p local -m some/model --fps 30 --seed 9 --no-cache\n一个人挥手")
    assert spy[-1] == {
        "story": "一个人挥手",
        "provider": "local",
        "model": "some/model",
        "seed": 9,
        "fps": 30,
        "config": None,
        "cache": False,
    }
    run(ip, "%%animate\n一个人挥手")
    assert spy[-1]["cache"] is True and spy[-1]["provider"] is None and spy[-1]["fps"] is None


def test_json_displays_the_animation_instead_of_the_widget(ip: InteractiveShell) -> None:
    result, cap = run(ip, "%%animate --json --seed 1\n一个人挥手")
    assert result.success and cap.stderr == ""
    assert len(cap.outputs) == 1
    data = cap.outputs[0].data
    assert WIDGET_MIME not in data
    anim = Animation.parse(data["application/json"])
    assert json.loads(data["text/plain"]) == data["application/json"]
    assert anim.characters and anim.scenes[0].frames


def test_save_writes_json_with_a_quoted_path(ip: InteractiveShell, tmp_path: Path) -> None:
    target = tmp_path / "dir with space" / "wave {1}.json"
    target.parent.mkdir()
    result, cap = run(ip, f'%%animate --save "{target}" -o saved\n一个人挥手')
    assert result.success and cap.stderr == ""
    assert cap.stdout == f"saved {target}\n"  # as the CLI confirms it
    assert Animation.parse(target.read_text(encoding="utf-8")) == ip.user_ns["saved"]


def test_save_to_a_missing_directory_is_one_line(ip: InteractiveShell, tmp_path: Path) -> None:
    result, cap = run(ip, f"%%animate --save {tmp_path}/missing/x.json\n一个人挥手")
    line = assert_one_line_error(result, cap)
    # export.save's own message (the CLI prints the same), naming the user's path, not a temp file
    assert line == f"ExportError: cannot write {tmp_path}/missing/x.json: No such file or directory"
    assert_shell_alive(ip)


def test_report_is_the_widgets_error_line_with_the_type() -> None:
    from stickanim_jupyter.errors import ProviderError
    from stickanim_jupyter.export import MAX_ERROR_CHARS, error_line
    from stickanim_jupyter.magic import report

    out = io.StringIO()
    report(ProviderError("quota\n exceeded " + "x" * 1000), out)
    line = out.getvalue()
    assert line.endswith("\n") and line.count("\n") == 1
    assert line[:-1] == error_line(ProviderError("quota exceeded " + "x" * 1000), with_type=True)
    assert line.startswith("ProviderError: quota exceeded x") and len(line[:-1]) == MAX_ERROR_CHARS


# --- braces -----------------------------------------------------------------------------------
def test_braces_are_literal_by_default(ip: InteractiveShell, spy: list[dict[str, Any]]) -> None:
    result, cap = run(ip, "%%animate\n<img src=x onerror=alert(1)> 挥手 {not_a_variable}")
    assert result.success and cap.stderr == ""
    assert spy[-1]["story"] == "<img src=x onerror=alert(1)> 挥手 {not_a_variable}"


def test_interpolate_uses_the_user_namespace(ip: InteractiveShell, spy: list[dict[str, Any]]) -> None:
    ip.user_ns["who"] = "Alice"
    result, cap = run(ip, "%%animate --interpolate\n{who} waves {{twice}}")
    assert result.success and cap.stderr == ""
    assert spy[-1]["story"] == "Alice waves {twice}"


def test_interpolate_unknown_name_is_one_line(ip: InteractiveShell) -> None:
    result, cap = run(ip, "%%animate --interpolate\n{nobody_has_this_name} waves")
    assert_one_line_error(result, cap, "nobody_has_this_name", "not defined")
    assert_shell_alive(ip)


# --- errors -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("%%animate\n   \n", ("StoryError", "empty")),
        ("%%animate\n", ("UsageError", "empty")),  # IPython refuses an empty cell body itself
        ("%%animate -p nope\n一个人挥手", ("nope", "local", "loopback")),
        ("%%animate --fps abc\n一个人挥手", ("UsageError", "--fps")),
        ("%%animate --fps 0\n一个人挥手", ("UsageError", "--fps")),
        ("%%animate --fps 1000\n一个人挥手", ("UsageError", "--fps")),
        ("%%animate -o 1x\n一个人挥手", ("UsageError", "1x")),
        ("%%animate --bogus\n一个人挥手", ("UsageError", "--bogus")),
        ("%%animate --save out.xyz\n一个人挥手", ()),
        ("%%animate\n" + "走" * 5000, ("StoryError", "too long")),
    ],
)
def test_bad_input_is_one_line(ip: InteractiveShell, cell: str, expected: tuple[str, ...]) -> None:
    result, cap = run(ip, cell)
    assert_one_line_error(result, cap, *expected)
    assert_shell_alive(ip)


def test_failing_cell_keeps_the_previous_variable(ip: InteractiveShell) -> None:
    run(ip, "%%animate -o keep\n一个人挥手")
    before = ip.user_ns["keep"]
    result, cap = run(ip, "%%animate -o keep\n   ")
    assert_one_line_error(result, cap, "empty")
    assert ip.user_ns["keep"] is before


# --- the LLM path (loopback server) -----------------------------------------------------------
def test_loopback_provider_and_cache(ip: InteractiveShell, llm: LLMServer) -> None:
    hits = llm.hit_count
    result, cap = run(ip, "%%animate -p loopback -o loop\nsomeone waves")
    assert result.success and cap.stderr == "", cap.stderr
    anim = ip.user_ns["loop"]
    assert anim.title == LOOP_TITLE and anim.meta.provider == "loopback"
    assert llm.hit_count == hits + 1
    run(ip, "%%animate -p loopback -o loop\nsomeone waves")
    assert llm.hit_count == hits + 1  # served from the cache
    run(ip, "%%animate -p loopback --no-cache -o loop\nsomeone waves")
    assert llm.hit_count == hits + 2


def test_default_provider_from_config_magic(ip: InteractiveShell, magics: Any, llm: LLMServer) -> None:
    ip.run_line_magic("config", 'AnimateMagics.default_provider = "loopback"')
    ip.run_line_magic("config", "AnimateMagics.default_fps = 10")
    assert magics.default_provider == "loopback"
    result, cap = run(ip, "%%animate -o via_default\nsomeone waves")
    assert result.success and cap.stderr == ""
    anim = ip.user_ns["via_default"]
    assert anim.meta.provider == "loopback" and anim.fps == 10
    run(ip, "%%animate -p local -o explicit\nsomeone waves")
    assert ip.user_ns["explicit"].meta.provider == "local"  # -p wins over the default


def test_config_path_trait(ip: InteractiveShell, magics: Any, tmp_path: Path) -> None:
    other = tmp_path / "only-local.yml"
    other.write_text("llm: {provider: local}\n")
    magics.config_path = str(other)
    result, cap = run(ip, "%%animate -p loopback\nsomeone waves")
    assert_one_line_error(result, cap, "loopback")


def test_provider_errors_are_one_line_and_keyless(ip: InteractiveShell, llm: LLMServer) -> None:
    result, cap = run(ip, "%%animate -p broken --no-cache\nsomeone waves")
    assert_one_line_error(result, cap, "broken")
    llm.queue(Reply(status=401))  # the server echoes the Authorization header in its error
    result, cap = run(ip, "%%animate -p loopback --no-cache\nsomeone else waves")
    line = assert_one_line_error(result, cap)
    assert FAKE_KEY not in line and FAKE_KEY[8:] not in line
    assert_shell_alive(ip)


# --- %animate ---------------------------------------------------------------------------------
def test_providers(ip: InteractiveShell) -> None:
    result, cap = run(ip, "%animate providers")
    assert result.success and cap.stderr == ""
    lines = cap.stdout.splitlines()
    assert [ln.split()[1] if ln.startswith("*") else ln.split()[0] for ln in lines] == [
        "local",
        "loopback",
        "broken",
    ]
    assert lines[0].startswith("* local")
    assert FAKE_KEY not in cap.stdout


def test_config_shows_masked_keys_only(ip: InteractiveShell, config_file: Path) -> None:
    result, cap = run(ip, "%animate config")
    assert result.success and cap.stderr == ""
    assert str(config_file) in cap.stdout
    assert f"config file: {config_file} (from $STICKANIM_CONFIG)" in cap.stdout
    from stickanim_jupyter.userconfig import user_config_file

    assert f"your config file: {user_config_file()} (" in cap.stdout  # where the user's own goes
    assert "lookup order: " in cap.stdout
    assert "default provider: local" in cap.stdout
    assert "AnimateMagics.default_provider" in cap.stdout
    assert FAKE_KEY[:6] + "***" in cap.stdout
    assert FAKE_KEY not in cap.stdout and FAKE_KEY[8:] not in cap.stdout


def test_version(ip: InteractiveShell) -> None:
    from stickanim_jupyter.version import version

    result, cap = run(ip, "%animate version")
    assert result.success and cap.stderr == ""
    assert cap.stdout == f"stickanim-jupyter {version()}\n"


def test_health(ip: InteractiveShell) -> None:
    pytest.importorskip("stickanim_jupyter.health")
    result, cap = run(ip, "%animate health local")
    assert result.success and cap.stderr == "", cap.stderr
    assert "local" in cap.stdout
    result, cap = run(ip, "%animate health loopback")
    assert result.success and "loopback" in cap.stdout and FAKE_KEY not in cap.stdout


@pytest.mark.parametrize("line", ["help", ""])
def test_help(ip: InteractiveShell, line: str) -> None:
    result, cap = run(ip, f"%animate {line}")
    assert result.success and cap.stderr == ""
    assert cap.stdout.startswith("%%animate [-p PROVIDER] [-m MODEL] [--fps N] [--seed N]")
    for option in ("--no-cache", "-o VAR", "--save PATH", "--json", "--interpolate"):
        assert option in cap.stdout
    assert "%animate providers | health [PROVIDER] | config | version | help" in cap.stdout
    assert "default_provider" in cap.stdout


@pytest.mark.parametrize(
    ("line", "expected"),
    [("bogus", "unknown command"), ("providers extra", "takes no argument"), ("health nope", "nope")],
)
def test_line_errors_are_one_line(ip: InteractiveShell, line: str, expected: str) -> None:
    result, cap = run(ip, f"%animate {line}")
    assert_one_line_error(result, cap, expected)
    assert_shell_alive(ip)


# --- LLM cells in the background (as in a Jupyter kernel) --------------------------------------
@pytest.fixture
def background(magics: Any, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """LLM cells run in the background; returns the widgets they show (spied at creation)."""
    from stickanim_jupyter.widget import AnimationWidget

    monkeypatch.setattr(magics, "background", True)
    shown: list[Any] = []
    real = AnimationWidget.generating.__func__

    def spy(cls: type[AnimationWidget], *args: Any, **kwargs: Any) -> AnimationWidget:
        shown.append(real(cls, *args, **kwargs))
        return shown[-1]

    monkeypatch.setattr(AnimationWidget, "generating", classmethod(spy))
    return shown


def _slow(llm: LLMServer, seconds: float) -> Reply:
    return dataclasses.replace(llm.default, delay=seconds)


def test_a_kernel_runs_llm_cells_in_the_background(ip: InteractiveShell, magics: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    assert not magics._in_background()  # a terminal IPython: no frontend to fill a player later
    monkeypatch.setattr(ip, "kernel", object(), raising=False)
    assert magics._in_background()


def test_an_llm_cell_returns_before_the_answer_and_fills_the_player_later(
    ip: InteractiveShell, llm: LLMServer, background: list[Any]
) -> None:
    ip.user_ns.pop("later", None)
    gate = threading.Event()  # the server answers only once the cell has returned
    llm.queue(dataclasses.replace(llm.default, gate=gate))
    result, cap = run(ip, "%%animate -p loopback --no-cache -o later\nsomeone waves slowly")
    assert result.success and cap.stderr == "" and cap.stdout == ""
    (widget,) = background
    assert widget.status == "running" and not widget.animation
    assert "later" not in ip.user_ns  # -o VAR appears when the animation is ready
    assert [set(o.data) for o in cap.outputs] == [{WIDGET_MIME, "text/plain"}]
    assert cap.outputs[0].data["text/plain"] == "AnimationWidget: generating…"
    assert widget.provider == "loopback" and widget.progress
    seen: list[str] = []
    widget.observe(lambda change: seen.append(change["new"]), names="progress")
    assert_shell_alive(ip)  # the kernel is free meanwhile
    gate.set()
    assert widget.wait(60)
    assert (widget.status, widget.error) == ("idle", "")
    assert widget.animation["title"] == LOOP_TITLE and widget.provider == "loopback"
    assert ip.user_ns["later"].title == LOOP_TITLE
    assert any(re.search(r"loopback.*\d+\.\d s$", text) for text in seen), seen  # phase and elapsed time


def test_a_background_failure_shows_in_the_player_only(
    ip: InteractiveShell, background: list[Any], capfd: pytest.CaptureFixture[str]
) -> None:
    ip.user_ns.pop("failed", None)
    result, cap = run(ip, "%%animate -p broken --no-cache -o failed\nsomeone waves")
    assert result.success and cap.stderr == ""
    (widget,) = background
    assert widget.wait(60)
    assert widget.status == "error" and "broken" in widget.error
    assert "\n" not in widget.error and "Traceback" not in widget.error
    assert FAKE_KEY not in widget.error
    assert "failed" not in ip.user_ns
    assert "Traceback" not in "".join(capfd.readouterr())  # nothing from the thread either
    assert_shell_alive(ip)


def test_background_cells_check_the_provider_before_showing_anything(
    ip: InteractiveShell, background: list[Any]
) -> None:
    result, cap = run(ip, "%%animate -p nope\nsomeone waves")
    assert_one_line_error(result, cap, "nope")
    result, cap = run(ip, "%%animate -p loopback -m anthropic/claude-x\nsomeone waves")
    assert_one_line_error(result, cap)
    assert background == []


def test_local_cells_stay_immediate_and_unchanged_in_a_kernel(
    ip: InteractiveShell, background: list[Any]
) -> None:
    result, cap = run(ip, "%%animate -o here\n一个人挥手")
    assert result.success and cap.stderr == "" and background == []
    assert ip.user_ns["here"].meta.provider == "local"
    assert [set(o.data) for o in cap.outputs] == [{WIDGET_MIME, "text/plain"}, {"text/html", "text/plain"}]


@pytest.mark.parametrize("flag", ["--wait", "--json"])
def test_wait_and_json_block_until_the_animation_is_ready(
    ip: InteractiveShell, llm: LLMServer, background: list[Any], flag: str
) -> None:
    ip.user_ns.pop("waited", None)
    llm.queue(_slow(llm, 0.3))
    result, cap = run(ip, f"%%animate -p loopback --no-cache {flag} -o waited\nsomeone waits")
    assert result.success and cap.stderr == "" and background == []
    assert ip.user_ns["waited"].title == LOOP_TITLE


def test_the_widget_reverts_the_dropdown_after_a_failed_switch(ip: InteractiveShell, llm: LLMServer) -> None:
    from stickanim_jupyter.widget import AnimationWidget

    widget = AnimationWidget.generating("someone waves", GenerationOptions(provider="loopback", cache=False))
    assert widget.wait(60) and widget.status == "idle"
    widget.provider = "broken"  # what the dropdown does before it asks for a regeneration
    widget.regenerate("broken")
    assert widget.wait(60)
    assert widget.status == "error" and widget.provider == "loopback"
    assert widget.animation["title"] == LOOP_TITLE


# --- notes: what the planner could not depict ---------------------------------------------------
def test_notes_are_one_line_before_the_player(ip: InteractiveShell) -> None:
    result, cap = run(ip, "%%animate -o noted\na woman waters the flowers\nthen a dog runs")
    assert result.success and "Traceback" not in cap.stderr
    lines = cap.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("note: ")
    notes = ip.user_ns["noted"].meta.notes
    assert len(notes) == 2 and lines[0] == "note: " + "; ".join(notes)
    assert cap.outputs  # the player is still shown


def test_cli_prints_notes_on_stderr_and_keeps_them_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    from stickanim_jupyter.cli import main

    assert main(["generate", "a woman waters the flowers", "--json", "--no-cache"]) == 0
    out, err = capsys.readouterr()
    notes = json.loads(out)["data"]["meta"]["notes"]
    assert notes and err.strip() == "note: " + "; ".join(notes)
    assert main(["generate", "一个人挥手", "--no-cache"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.startswith("挥手")
