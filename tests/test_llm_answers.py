"""LLM answers as real models write them, in the OpenAI, Anthropic and Ollama dialects, streamed
and not: strict structured output, local repair instead of a re-ask, refusals, reasoning,
time limits that hold and fail-fast connections. Through LiteLLM's real HTTP clients against
the loopback server (tests/llmserver.py); no network, small timeouts.
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import FAKE_KEY
from llmserver import VALID_SCRIPT_TEXT, WAVE_SCRIPT, LLMServer, Reply, refused_port

from stickanim_jupyter.config import load_config
from stickanim_jupyter.errors import GenerationError, ProviderError
from stickanim_jupyter.planners import generate_script
from stickanim_jupyter.planners.llm import transport
from stickanim_jupyter.schema import Script

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning:litellm.*"),
    pytest.mark.usefixtures("no_key_leaks"),  # conftest: the fake key shows up nowhere
    pytest.mark.timeout(60),  # a hang guard only
]
STORY = "一个人挥手"
DIALECTS = ["openai", "anthropic", "ollama"]


@pytest.fixture(autouse=True)
def _fresh_format_memory() -> Iterator[None]:
    """Servers that rejected the response format are remembered per process: not across tests."""
    transport.NO_FORMAT.clear()
    yield
    transport.NO_FORMAT.clear()


@pytest.fixture(params=DIALECTS)
def dialect(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(params=[True, False], ids=["stream", "plain"])
def stream(request: pytest.FixtureRequest) -> bool:
    return request.param


@pytest.fixture
def make_cfg(
    loop_config: Callable[..., Any], llm_server: LLMServer, dialect: str, stream: bool
) -> Callable[..., Any]:
    """A loaded Config whose `loopback` provider talks `dialect` to the server (streamed or not)."""

    def make(**params: Any) -> Any:
        return load_config(loop_config(**{**llm_server.section(dialect), "stream": stream, **params}))

    return make


def gen(cfg: Any, **kwargs: Any) -> tuple[Script, Any]:
    kwargs.setdefault("sleep", lambda s: time.sleep(min(s, 0.01)))
    return generate_script(STORY, cfg, provider="loopback", cache=False, **kwargs)


def wave(**changes: Any) -> dict:
    data = copy.deepcopy(WAVE_SCRIPT)
    data["scenes"][0]["actions"][0].update(changes)
    return data


def text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def chat_body(server: LLMServer) -> dict:
    return next(h.body for h in server.hits if "show" not in h.path)


# --- 1. strict structured output ----------------------------------------------------------------
def test_the_strict_schema_goes_out_in_each_dialect(make_cfg, llm_server: LLMServer, dialect: str) -> None:
    script, meta = gen(make_cfg())
    assert script == Script.parse(WAVE_SCRIPT) and meta.repairs is None
    body = chat_body(llm_server)
    if dialect == "openai":
        rf = body["response_format"]["json_schema"]
        assert rf["strict"] is True and rf["schema"]["required"] == list(rf["schema"]["properties"])
        schema = rf["schema"]
    elif dialect == "anthropic":  # native structured output, not a forced tool
        assert body["output_format"]["type"] == "json_schema" and "tools" not in body
        schema = body["output_format"]["schema"]
    else:
        schema = body["format"]
    blob = json.dumps(schema)
    assert '"propertyNames"' not in blob and '"default"' not in blob


def test_a_strict_answer_with_nulls_is_accepted(make_cfg, llm_server: LLMServer) -> None:
    data = wave(params={"hand": "right", "times": 3, "speed": None, "direction": None, "target": None,
                        "distance": None, "keyframes": None, "object": None, "over": None, "text": None,
                        "in_place": None})  # fmt: skip
    data.update(props=[], notes=[])
    data["scenes"][0]["duration"] = None
    llm_server.queue(Reply(content=text(data)))
    script, meta = gen(make_cfg())
    assert script == Script.parse(WAVE_SCRIPT) and meta.repairs is None and llm_server.hit_count <= 2


def test_flat_pose_keyframes_of_the_strict_form_are_folded_back(make_cfg, llm_server: LLMServer) -> None:
    flat = {"t": 0.5, **{c: None for c in ("neck", "elbow_l", "hip_l", "knee_l", "hip_r", "knee_r")},
            "torso": 10, "shoulder_l": 0, "shoulder_r": 150, "elbow_r": 20}  # fmt: skip
    llm_server.queue(Reply(content=text(wave(action="pose", params={"keyframes": [flat]}))))
    script, _ = gen(make_cfg())
    angles = script.scenes[0].actions[0].params.keyframes[0].angles
    assert angles == {"torso": 10, "shoulder_l": 0, "shoulder_r": 150, "elbow_r": 20}


@pytest.mark.parametrize("status", [400, 422])
def test_a_400_against_the_response_format_is_asked_again_without_it(
    make_cfg, llm_server: LLMServer, dialect: str, status: int
) -> None:
    message = {"error": {"message": "Invalid schema for response_format 'Script': 'propertyNames' is not permitted",
                         "type": "invalid_request_error"}}  # fmt: skip
    llm_server.queue(Reply(status=status, body=message))
    cfg = make_cfg()
    script, meta = gen(cfg)
    bodies = [h.body for h in llm_server.hits if "show" not in h.path]
    assert script.title == "挥手致意" and len(bodies) == 2
    sent = [any(k in b for k in ("response_format", "output_format", "format", "tools")) for b in bodies]
    assert sent == [True, False] and meta.repairs and "response format" in meta.repairs[0]
    gen(cfg)  # the same server, later: not sent a format it rejects
    later = [h.body for h in llm_server.hits if "show" not in h.path][2]
    assert not any(k in later for k in ("response_format", "output_format", "format", "tools"))


# --- 2. local repair before any re-ask ----------------------------------------------------------
def _commented() -> str:
    return (
        '{\n  // the title\n  "title": "挥手致意", "description": "一个火柴人站在原地挥手三次。",\n'
        '  "characters": [{"id": "char_1", "name": "火柴人", "color": "#2196F3", "x": 0.5, "facing": "front",},],\n'
        '  "scenes": [{"id": "scene_1", "description": "火柴人挥手三次", /* one action */ "actions": [\n'
        '    {"character": "char_1", "action": "wave", "start": 0, "duration": 2000,\n'
        '     "params": {"hand": "right", "times": 3,},},]}],\n}'
    )


def _named() -> dict:
    data = wave(character="火柴人")
    del data["scenes"][0]["id"]
    return data


REPAIRS: dict[str, tuple[Callable[[], str], str]] = {
    "think-with-braces": (lambda: "<think>The user wants {a wave}; {\"x\": 1}</think>\n" + VALID_SCRIPT_TEXT,
                          "<think>"),
    "think-closing-only": (lambda: 'so {"maybe": 1} ... </think>' + VALID_SCRIPT_TEXT, "<think>"),
    "comments-and-commas": (_commented, "mended malformed JSON"),
    "script-wrapper": (lambda: text({"script": WAVE_SCRIPT}), "unwrapped"),
    "extra-keys": (lambda: text({**wave(emotion="happy"), "mood": "calm"}), "dropped unknown key"),
    "scene-without-id-and-names": (lambda: text(_named()), "as the id 'char_1'"),
    "waving": (lambda: text(wave(action="waving")), "read action 'waving' as 'wave'"),
    "chinese-name": (lambda: text(wave(action="挥手")), "read action '挥手' as 'wave'"),
    "params-at-action-level": (lambda: text({**wave(params={"hand": "right"}, times=3)}), "moved times into params"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(REPAIRS))
def test_repaired_locally_without_a_reask(make_cfg, llm_server: LLMServer, case: str) -> None:
    answer, said = REPAIRS[case]
    llm_server.queue(Reply(content=answer()))
    script, meta = gen(make_cfg())
    assert script == Script.parse(WAVE_SCRIPT), script
    assert meta.reasks == 0 and meta.attempts == 1
    if case.startswith("think") and meta.repairs is None:
        return  # LiteLLM itself moved the <think> block to reasoning_content (some dialects do)
    assert any(said in r for r in meta.repairs), meta.repairs
    assert meta.model_dump()["repairs"] == meta.repairs  # a declared field, dumped when set


@pytest.mark.parametrize(
    ("word", "action", "params"),
    [("walk_forward", "walk", {"direction": "forward"}), ("handshake", "shake_hands", {"target": "char_2"}),
     ("High Five", "high_five", {"target": "char_2"}), ("拥抱", "hug", {"target": "char_2"})],
)  # fmt: skip
def test_action_synonyms_through_the_registry(
    make_cfg, llm_server: LLMServer, word: str, action: str, params: dict
) -> None:
    data = wave(action=word, params={k: v for k, v in params.items() if k == "target"})
    data["characters"].append({"id": "char_2", "name": "Bob", "x": 0.8})
    llm_server.queue(Reply(content=text(data)))
    script, meta = gen(make_cfg())
    got = script.scenes[0].actions[0]
    assert got.action == action and got.params.model_dump(exclude_none=True) == params
    assert llm_server.hit_count == 1 or all("show" in h.path for h in llm_server.hits[1:])


@pytest.mark.parametrize(
    ("durations", "starts", "expect"),
    [((2, 1.5), (0, 2), ((2000, 1500), (0, 2000))), (("2s", "1500 ms"), (0, "2 s"), ((2000, 1500), (0, 2000)))],
    ids=["seconds", "units"],
)  # fmt: skip
def test_times_in_seconds_become_milliseconds(
    make_cfg, llm_server: LLMServer, durations: tuple, starts: tuple, expect: tuple
) -> None:
    data = wave(start=starts[0], duration=durations[0])
    data["scenes"][0]["actions"].append({"character": "char_1", "action": "nod", "start": starts[1],
                                         "duration": durations[1]})  # fmt: skip
    llm_server.queue(Reply(content=text(data)))
    script, meta = gen(make_cfg())
    acts = script.scenes[0].actions
    assert tuple(a.duration for a in acts) == expect[0] and tuple(a.start for a in acts) == expect[1]
    assert any("milliseconds" in r for r in meta.repairs) and meta.reasks == 0


def test_what_cannot_be_mended_is_still_reasked(make_cfg, llm_server: LLMServer) -> None:
    llm_server.queue(Reply(content=text(wave(action="fly"))))
    script, meta = gen(make_cfg())
    assert script.title == "挥手致意" and meta.reasks == 1


# --- 3. refusals --------------------------------------------------------------------------------
@pytest.mark.parametrize("how", ["field", "text", "chinese"])
def test_a_refusal_is_reported_without_a_reask(
    make_cfg, llm_server: LLMServer, expect: Callable[..., Any], dialect: str, how: str
) -> None:
    said = {"field": "I'm sorry, I can't help with that.", "text": "I'm sorry, I can't help with that.",
            "chinese": "抱歉，我无法完成这个请求。"}[how]  # fmt: skip
    llm_server.default = Reply(refusal=said) if how == "field" else Reply(content=said)
    err = expect(GenerationError, gen, make_cfg())
    assert "the model refused: " in str(err) and said[:10] in str(err)
    assert len([h for h in llm_server.hits if "show" not in h.path]) == 1


# --- 4. reasoning, idle timeout and deadline ----------------------------------------------------
def test_reasoning_that_uses_the_whole_budget_is_reported_as_such(
    make_cfg, llm_server: LLMServer, expect: Callable[..., Any]
) -> None:
    llm_server.default = Reply(
        reasoning="Let me think about {the wave}... " * 20, content="", finish_reason="length"
    )
    err = expect(GenerationError, gen, make_cfg())
    assert "reasoning used all of max_tokens=1024" in str(err) and "shorter" not in str(err)
    assert len([h for h in llm_server.hits if "show" not in h.path]) == 1


def test_think_tags_that_never_close_are_reasoning_too(
    make_cfg, llm_server: LLMServer, expect: Callable[..., Any]
) -> None:
    llm_server.default = Reply(content="<think>The story says {wave}, so", finish_reason="length")
    err = expect(GenerationError, gen, make_cfg())
    assert "reasoning used all of max_tokens" in str(err)


def test_a_live_reasoning_stream_is_not_cut_but_a_silent_one_is(
    loop_config, llm_server: LLMServer, dialect: str
) -> None:
    cfg = load_config(loop_config(**llm_server.section(dialect), timeout=0.4, retries=1))
    llm_server.queue(Reply(reasoning="step " * 30, chunks=30, chunk_delay=0.04))  # ~2.4 s, never silent
    script, meta = gen(cfg)
    assert script.title == "挥手致意" and meta.attempts == 1
    llm_server.queue(Reply(chunks=10, stall=(2, 2.0)))  # silent for 2 s: cut at 0.4 s, retried
    t0 = time.monotonic()
    script, meta = gen(cfg)
    assert script.title == "挥手致意" and meta.attempts == 2 and time.monotonic() - t0 < 1.8


def test_the_deadline_holds_against_a_dripping_server(
    make_cfg, llm_server: LLMServer, expect: Callable[..., Any]
) -> None:
    """One byte every 0.2 s never trips a read timeout; the 1 s deadline ends the call anyway."""
    llm_server.default = Reply(byte_delay=0.2)
    cfg = make_cfg(deadline=1.0, timeout=5)
    t0 = time.monotonic()
    err = expect(ProviderError, gen, cfg)
    took = time.monotonic() - t0
    assert "deadline exceeded" in str(err) and 0.9 <= took < 1.6, took


# --- 6. fail fast -------------------------------------------------------------------------------
def test_a_refused_loopback_connection_fails_within_a_second(
    loop_config, llm_server: LLMServer, expect: Callable[..., Any], dialect: str, stream: bool
) -> None:
    section = llm_server.section(dialect)
    base = section["api_base"].replace(str(llm_server.port), str(refused_port()))
    cfg = load_config(loop_config(**{**section, "api_base": base, "stream": stream, "retries": 3}))
    t0 = time.monotonic()
    err = expect(ProviderError, gen, cfg)
    assert time.monotonic() - t0 < 1.0 and "connection failed" in str(err) and "after" not in str(err)


def test_a_refused_remote_connection_is_retried_once_quickly() -> None:
    from stickanim_jupyter.config import ProviderConfig
    from stickanim_jupyter.planners.llm.target import Target

    remote = Target("r", ProviderConfig(name="r", model="openai/x", api_base="https://llm.example.invalid/v1",
                                        retries=3, backoff=2.0), "openai/x")  # fmt: skip
    refused = transport.Failure("connection failed", None, True, "refused", refused=True)
    assert transport._allowed_retries(remote, refused) == 1
    assert FAKE_KEY not in repr(remote)


# --- units: the answer reader without HTTP -------------------------------------------------------
def unit_target() -> Any:
    from stickanim_jupyter.config import ProviderConfig
    from stickanim_jupyter.planners.llm.target import Target

    return Target("t", ProviderConfig(name="t", model="openai/x", max_tokens=512), "openai/x")


def read(answer: str, finish: str | None = "stop", **kw: Any) -> tuple[Script, list[str]]:
    from stickanim_jupyter.planners.llm import Answer, parse_answer

    notes: list[str] = []
    return parse_answer(Answer(answer, finish, **kw), unit_target(), notes), notes


def test_units_every_repair_is_noted_and_a_clean_answer_has_none() -> None:
    assert read(VALID_SCRIPT_TEXT)[1] == []
    for case, (make, said) in REPAIRS.items():
        script, notes = read(make())
        assert script == Script.parse(WAVE_SCRIPT) and any(said in n for n in notes), (case, notes)


def test_units_a_thing_named_as_a_target_becomes_the_object() -> None:
    data = wave(action="kick", params={"target": "ball"})
    data["props"] = [{"id": "prop_1", "kind": "ball", "name": "球"}]
    script, notes = read(text(data))
    params = script.scenes[0].actions[0].params
    assert (params.target, params.object) == (None, "prop_1") and notes


def test_units_what_is_not_repaired() -> None:
    from stickanim_jupyter.errors import ValidationError

    for bad, why in [('{"title": "挥手", "characters": [', "not valid JSON"),
                     (text(wave(duration=float("nan"))), "NaN"), (text(wave(action="fly")), "'fly'")]:  # fmt: skip
        with pytest.raises(ValidationError, match=why):
            read(bad)


def test_units_meta_dumps_repairs_only_when_set() -> None:
    from stickanim_jupyter.schema import Meta

    assert "repairs" not in Meta().model_dump() and Meta(repairs=["x"]).model_dump()["repairs"] == ["x"]


def test_think_tags_streamed_token_by_token(loop_config, llm_server: LLMServer, dialect: str) -> None:
    # Some clients drop the tags of a streamed <think> block and keep its text, braces included.
    cfg = load_config(loop_config(**llm_server.section(dialect)))
    pieces = ["<think>", "The user wants {a wave}; ", '{"x": 1}', "</think>", "\n", VALID_SCRIPT_TEXT[:40],
              VALID_SCRIPT_TEXT[40:]]  # fmt: skip
    llm_server.queue(Reply(pieces=pieces))
    script, meta = gen(cfg)
    assert script == Script.parse(WAVE_SCRIPT) and meta.reasks == 0


def test_progress_comes_on_the_callers_thread_with_thinking(loop_config, llm_server: LLMServer) -> None:
    import threading

    cfg = load_config(loop_config())
    llm_server.queue(Reply(reasoning="Let me think. " * 5))
    seen: list[tuple[str, int]] = []
    gen(cfg, progress=lambda e: seen.append((e["event"], threading.get_ident())))
    assert {t for _, t in seen} == {threading.get_ident()}  # UI callbacks stay on their thread
    events = [e for e, _ in seen]
    assert "thinking" in events and "chunk" in events and events.index("thinking") < events.index("chunk")


KEYS = ["title", "characters", "props", "scenes", "notes", "id", "name", "x", "kind", "actions", "action",
        "character", "start", "duration", "params", "target", "object", "over", "text", "keyframes", "t",
        "angles", "torso", "script", "type", "times", "duration_ms", "emotion"]  # fmt: skip


def _shapes() -> Any:
    from hypothesis import strategies as st

    leaves = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False),
                       st.text(max_size=12), st.sampled_from(["wave", "waving", "挥手", "char_1", "2s", "Anna"]))  # fmt: skip
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=6)
        ),
        max_leaves=40,
    )


def test_units_repair_never_raises_on_any_shape() -> None:
    from hypothesis import given, settings

    from stickanim_jupyter.errors import StickanimError
    from stickanim_jupyter.planners.llm.repair import normalize

    @settings(max_examples=300, deadline=None)
    @given(_shapes())
    def check(data: Any) -> None:
        normalize(copy.deepcopy(data), [])
        try:
            read(json.dumps(data))
        except StickanimError:
            pass

    check()
