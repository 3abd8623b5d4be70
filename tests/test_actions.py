"""The action registry (actions.py): every entry complete, and everything derived from it agrees.

The comparisons with the offline planner's and the LLM prompt's own tables hold until those are
wired to the registry's derivation functions; then they can go.
"""

from __future__ import annotations

import re
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from stickanim_jupyter import actions, compiler, motions, readme, schema
from stickanim_jupyter.actions import REGISTRY, REQUIRED
from stickanim_jupyter.rig import Pose
from stickanim_jupyter.schema import Action, ActionParams

README = Path(__file__).resolve().parents[1] / "README.md"
DIRECTIONS = {"left", "right", "toward", "away", "forward", "back", "each"}
POSTURES = {*motions.REST, "custom"}


# --- every entry is complete ----------------------------------------------------------------
@pytest.mark.parametrize("a", REGISTRY, ids=lambda a: a.name)
def test_entry_has_every_part(a: actions.ActionDef) -> None:
    assert re.fullmatch(r"[a-z][a-z_]*", a.name)
    assert a.summary.strip() and "\n" not in a.summary, "a one-line summary for the README"
    assert a.prompt.strip() and "\n" not in a.prompt, "a line for the LLM prompt ('none': no params)"
    assert a.name in motions.BUILDERS or a.name in motions.PAIR_BUILDERS, "a motion builder"
    assert {p for p, _ in a.params} <= set(ActionParams.model_fields), "params of schema.ActionParams"
    assert a.ends_in is None or a.ends_in in POSTURES, f"a posture of motions.REST, not {a.ends_in!r}"
    reads_thing = bool({"object", "over"} & {p for p, _ in a.params})
    assert a.uses_prop == reads_thing, "uses_prop: it reads params.object or params.over"
    if a.interaction:
        assert a.defaults.get("target") == REQUIRED
    if a.offline:  # the offline planner writes it: words to read and write, and a duration
        assert a.zh and a.en, "lexicon words in both languages"
        assert a.zh_word and all(a.en_words), "caption words in both languages"
        assert a.timing is not None and a.timing.base >= 0, "a default duration"
    for v in a.zh:
        re.compile(v.pattern)
        assert v.direction in DIRECTIONS | {None}
    for v in a.en:
        assert re.fullmatch(r"[a-z]+", v.verb)
        re.compile(v.suffix)
        assert v.direction in DIRECTIONS | {None}
    if a.zh_aimed:
        assert a.aimed or a.interaction
        assert "{t}" in a.zh_aimed
    if a.en_aimed:
        assert a.aimed or a.interaction


def test_names_and_ranks_are_unique() -> None:
    assert len({a.name for a in REGISTRY}) == len(REGISTRY)
    zh = [v.rank for a in REGISTRY for v in a.zh]
    en = [v.rank for a in REGISTRY for v in a.en]
    assert len(set(zh)) == len(zh), "two Chinese patterns share a rank: their order is ambiguous"
    assert len(set(en)) == len(en), "two English verbs share a rank: their order is ambiguous"


def test_get_names_an_unknown_action() -> None:
    assert actions.get("wave").name == "wave"
    with pytest.raises(KeyError, match="fly"):
        actions.get("fly")


def test_the_registry_imports_nothing_heavy() -> None:
    here = Path(actions.__file__).parent
    for module in ("actions", "action_types", "vocabulary"):  # the registry and the two it reads
        source = (here / f"{module}.py").read_text(encoding="utf-8")
        imported = set(re.findall(r"^(?:from|import) ([\w.]+)", source, flags=re.M))
        assert imported <= {"__future__", "dataclasses", "typing", ".action_types", ".vocabulary"}, module
    code = (
        "import sys, stickanim_jupyter.actions; "
        "print(sorted(m for m in ('stickanim_jupyter.motions', 'stickanim_jupyter.rig', "
        "'stickanim_jupyter.compiler', 'litellm', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- the package agrees with it -------------------------------------------------------------
def test_schema_compiler_and_motions_agree() -> None:
    names = tuple(a.name for a in REGISTRY)
    assert schema.ACTIONS == names
    assert typing.get_args(schema.ActionName) == names
    assert schema.INTERACTIONS == {a.name for a in REGISTRY if a.interaction}
    assert compiler.LOCOMOTION == {a.name for a in REGISTRY if a.travels}
    assert set(motions.BUILDERS) == set(names) - schema.INTERACTIONS
    assert set(motions.PAIR_BUILDERS) == schema.INTERACTIONS
    assert set(motions.SEPARATION) == schema.INTERACTIONS
    assert set(motions.GAITS) == compiler.LOCOMOTION


def _start(posture: str, x: float = 400.0) -> Pose:
    return Pose(dict(motions.REST[posture]), x, 1.0, 1, 0.0, posture)


@pytest.mark.parametrize("posture", ["stand", "sit"])
@pytest.mark.parametrize("a", REGISTRY, ids=lambda a: a.name)
def test_the_motion_ends_in_the_registry_posture(a: actions.ActionDef, posture: str) -> None:
    """With default params, from standing or sitting: the posture the registry says."""
    expected = a.ends_in or posture
    params: dict[str, object] = {}
    if a.interaction:
        params["target"] = "b"
    if a.name == "pose":
        params["keyframes"] = [{"t": 1.0, "angles": {"torso": 10.0}}]
    if a.defaults.get("text") == REQUIRED:
        params["text"] = "hello"
    action = Action(character="a", action=a.name, duration=5000, params=params)
    world = motions.World(others={"b": _start("stand", 700.0)}, partner="b")
    if a.interaction:
        ma, mb = motions.interaction(action, _start(posture), _start("stand", 700.0), world, motions.World())
        ends = {ma.sample(ma.duration).posture, mb.sample(mb.duration).posture}
    else:
        m = motions.build(action, _start(posture), world)
        ends = {m.sample(m.duration).posture}
    assert ends == {expected}


# --- the offline planner's tables come from the registry -------------------------------------
def test_the_offline_planner_reads_the_registry() -> None:
    """A new action needs no edit in the planner: its verbs, timing and captions work at once."""
    from stickanim_jupyter.planners.local import lexicon, plan

    assert lexicon._ZH_VERBS == actions.zh_verb_patterns() and lexicon._EN_VERBS == actions.en_verb_entries()
    assert lexicon._TIMING == actions.timing_table() and lexicon._AIMED == actions.aimed()
    for a in REGISTRY:
        if not a.offline or a.interaction:
            continue
        for verb in a.en[:1]:  # the first English verb of every action is understood as that action
            suffix = re.sub(r"\(\?:[^)]*\)\??|\\s\+|\\s\*|\[\\s-\]\*", " ", verb.suffix).split()
            story = f"A man {verb.verb}s {' '.join(w for w in suffix if w.isalpha())}".strip()
            got = [x.action for s in plan(story).scenes for x in s.actions]
            assert got and got[0] in {a.name, "stand_up", "idle", "stand"}, (story, got)


def test_caption_words() -> None:
    assert actions.caption_word("wave", "zh") == "挥手"
    assert actions.caption_word("wave", "en", plural=True) == "wave"
    assert actions.caption_word("wave", "en") == "waves"
    for a in REGISTRY:
        if a.offline:
            assert actions.caption_word(a.name, "zh") and actions.caption_word(a.name, "en")
    with pytest.raises(KeyError, match="pose"):
        actions.caption_word("pose", "en")


# --- the LLM prompt reads the registry -------------------------------------------
def _prompt_by_action(rules: str) -> dict[str, str]:
    """{action: what the prompt says about it} from the prompt's "Actions and the params" list:
    its bullets (an indented line continues one); the prose after the list is not part of it."""
    section = rules.split("Actions and the params they read")[1].split("\n\n")[0]
    lines: list[str] = []
    for line in section.splitlines()[1:]:
        if line.startswith("- "):
            lines.append(line[2:])
        elif line[:1].isspace() and lines:  # a wrapped bullet
            lines[-1] += " " + line.strip()
        else:  # the paragraph that follows the list
            break
    names = "|".join(sorted(schema.ACTIONS, key=len, reverse=True))
    out = {}
    for line in lines:
        for part in re.split(rf"; (?=(?:{names})(?:, (?:{names}))*: )", line):
            group, text = part.split(": ", 1)
            out.update(dict.fromkeys(group.split(", "), text))
    return out


def test_prompt_lines_say_what_the_prompt_says() -> None:
    from stickanim_jupyter.planners import llm

    derived = _prompt_by_action("Actions and the params they read\n" + "\n".join(actions.prompt_lines()))
    assert derived == {a.name: a.prompt for a in REGISTRY}
    assert derived == _prompt_by_action(
        llm.system_prompt().replace(", ".join(schema.POSE_CHANNELS), "CHANNELS")
    )
    assert all(line.startswith("- ") and "\n" not in line for line in actions.prompt_lines())


# --- the README -----------------------------------------------------------------------------
def test_readme_action_table_is_current() -> None:
    section = readme.section(README.read_text(encoding="utf-8"))
    assert section == readme.action_table(), (
        "README.md's action table is stale: refresh it with `python -m stickanim_jupyter.readme`"
    )


def test_readme_table_has_a_row_per_action() -> None:
    rows = readme.action_table().splitlines()[2:]
    assert [r.split("|")[1].strip().strip("`") for r in rows] == list(schema.ACTIONS)


def test_refresh_readme(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "README.md"
    stale.write_text(f"# x\n\n{readme.START}\n| old |\n{readme.END}\n\nafter\n", encoding="utf-8")
    assert readme.main([str(stale)]) == 0
    assert "updated" in capsys.readouterr().out
    text = stale.read_text(encoding="utf-8")
    assert readme.section(text) == readme.action_table()
    assert text.startswith("# x\n\n") and text.endswith(f"{readme.END}\n\nafter\n")
    assert not readme.refresh(stale)  # already current: unchanged
