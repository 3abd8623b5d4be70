"""The built-in offline planner: a short story (Chinese or English) becomes a Script by rules.

No model, no network, no randomness: the same story always gives the same Script, in well
under a millisecond for a one-line story (a few ms at the 2000-character cap). How it reads:

1. Cut out what is said or thought (quotes, "说：…", `says "hi"`, "thinks …"): each piece of
   speech becomes a marker the verb tables read as say/think (speech.py).
2. Split it into clauses at punctuation and order words (然后, then, after that...); a clause
   after "while"/"同时" runs in parallel with the one before. "In turn", "together", "in
   place" (轮流, 一起, 原地) mark how the clause's group acts.
3. Find the action words of each clause (synonym tables, most specific first, so 跳舞 is a
   dance and not a jump, "stands up" is not "stand"); idioms first, for verbs outside the
   vocabulary (打电话 is a call, not a punch; 浇花 is drawn as pointing, with a note).
4. The text before a verb names who acts (names, "two kids", 学生们, pronouns); the text after
   it names the other character, the thing it uses (白板, "a bench": a prop, never a
   character), the count ("三下", "twice"), the direction, the speed, the hand. A verb with no
   subject keeps the previous one ("sits down, then stands up").
5. Steps go on one timeline, one after another; everyone named by one subject acts at once
   (or in turn). A walk or run lasts what the engine's gait needs for its distance and speed.
6. Characters are spread over the stage and face their partners or things; things stand where
   the action that first uses them needs them; walking distances are clamped so nobody leaves
   the stage. Title and descriptions are written in the story's language; what the Script
   shows otherwise than the story says goes into Script.notes.

`seed` is accepted for symmetry with the LLM planner but unused: variation belongs to the
compiler, and a rule planner that changed its reading with a seed would be harder to test.

Modules: lexicon (the word tables and patterns), things (words for things, animals and group
modifiers), idioms (verbs outside the vocabulary), speech (quotes and reported words), phrases,
cast, inventory, depict and reader (story -> steps), staging and placing (positions, facings,
distances, durations, the timeline, where things stand), writer (title, descriptions, names),
notes (Script.notes); this one puts the Script together.
"""

from __future__ import annotations

import re

from ...schema import (
    MAX_CHARACTERS,
    MAX_SCENE_MS,
    MAX_STORY_CHARS,
    MAX_TEXT,
    MAX_TIMES,
    Action,
    ActionParams,
    Character,
    Prop,
    Scene,
    Script,
    check_story,
)
from ...text import clip
from .lexicon import _DIRECTIONAL, _HAN, _MOVES, _RIGHT_HANDED, _TIMING, _Timing
from .model import _Act, _Step
from .notes import notes_of
from .placing import place_rest
from .reader import _Reader
from .staging import _duration, _facings, _landing_ms, _schedule, _start_positions, _walk_distances
from .writer import _display_names, _excerpt, _Writer

__all__ = ["plan"]

_PALETTE = ("#2196F3", "#E91E63", "#4CAF50", "#FF9800", "#9C27B0", "#009688", "#795548", "#607D8B")


def plan(story: str, seed: int | None = None) -> Script:
    """Plan `story` into a Script with bilingual rules. Deterministic; `seed` is unused.

    Raises StoryError only for an empty or whitespace-only story; any other text gives a
    valid Script (an idle figure and a note when no action word is found). Text over
    MAX_STORY_CHARS is cut to that length rather than refused.
    """
    del seed  # see the module docstring
    text = check_story(story.strip()[:MAX_STORY_CHARS] if isinstance(story, str) else story)
    zh = bool(re.search(f"[{_HAN}]", text))
    reader = _Reader(zh)
    reader.read(text)
    steps = [s for s in reader.steps if s.acts]
    if not steps:
        return _idle_script(text, zh, reader)
    return _build(text, zh, reader, steps)


def _build(text: str, zh: bool, reader: _Reader, steps: list[_Step]) -> Script:
    cast, things = reader.cast, reader.things.things
    xs = _start_positions(len(cast.chars), steps)
    _walk_distances(steps, xs, things)
    facing = _facings(len(cast.chars), steps, xs, things)
    place_rest(things, xs)
    scenes_steps = _schedule(steps)
    names = _display_names(cast.chars)
    writer = _Writer(zh, cast.chars, names, things)
    planned = [s for sc in scenes_steps for s in sc]
    description = writer.sentence(planned)
    if reader.unknown:
        notes = "; ".join(_excerpt(u) for u in reader.unknown[:3])
        description += f"（未识别：{notes}）" if zh else f" (Not understood: {notes})"
    if cast.capped:
        description += (
            f"（最多{MAX_CHARACTERS}个角色，多出的省略了）"
            if zh
            else f" (At most {MAX_CHARACTERS} characters fit on the stage; the others were left out.)"
        )
    if len(planned) < len(steps) or reader.overflow:
        description += (
            "（故事太长，后面的动作省略了）" if zh else " (The story is long; later actions were left out.)"
        )
    scenes = [_scene(k, sc, _Writer(zh, cast.chars, names, things)) for k, sc in enumerate(scenes_steps)]
    characters = [
        Character(
            id=f"char_{i + 1}",
            name=clip(names[i], MAX_TEXT),
            color=_PALETTE[i % len(_PALETTE)],
            x=xs[i],
            facing=facing[i],
        )
        for i in range(len(cast.chars))
    ]
    return Script(
        title=clip(writer.title(planned), MAX_TEXT),
        description=clip(description, 4 * MAX_TEXT),
        characters=characters,
        props=_props(reader),
        scenes=scenes,
        notes=notes_of(reader, dropped=len(planned) < len(steps) or reader.overflow),
    )


def _props(reader: _Reader) -> list[Prop]:
    return [
        Prop(id=f"prop_{k + 1}", kind=t.kind, name=clip(t.name, MAX_TEXT), x=t.x if t.x is not None else 0.5)
        for k, t in enumerate(reader.things.things)
    ]


def _scene(k: int, steps: list[_Step], writer: _Writer) -> Scene:
    actions = [_action(s, a) for s in steps for a in s.acts]
    end = max(a.end + _landing_ms(a.action, a.params.object is not None) for a in actions)
    return Scene(
        id=f"scene_{k + 1}",
        description=clip(writer.sentence(steps).rstrip("。."), MAX_TEXT),
        duration=min(MAX_SCENE_MS, end + 400),
        actions=actions,
    )


def _action(s: _Step, a: _Act) -> Action:
    t = _TIMING.get(a.action, _Timing(0))
    times = a.times or (t.times if t.per else None)
    params = ActionParams(
        hand=a.hand or ("right" if a.action in _RIGHT_HANDED else None),
        times=min(times, MAX_TIMES) if times else None,
        speed=a.speed,
        direction=a.direction if a.action in _DIRECTIONAL else None,
        target=f"char_{a.target + 1}" if a.target is not None else None,
        distance=a.distance if a.action in _MOVES or a.over is not None else None,
        object=f"prop_{a.obj + 1}" if a.obj is not None else None,
        over=f"prop_{a.over + 1}" if a.over is not None else None,
        text=a.text,
        in_place=True if a.in_place else None,
    )
    return Action(
        character=f"char_{a.char + 1}",
        action=a.action,
        start=s.start + a.delay,
        duration=_duration(a),
        params=params,
    )


def _idle_script(text: str, zh: bool, reader: _Reader) -> Script:
    """Nothing understood: whoever the story named (else one figure) idles, with the things it
    named; the description and a note say so."""
    chars = reader.cast.chars
    names = _display_names(chars) if chars else ["火柴人" if zh else "Stick figure"]
    excerpt = _excerpt(text)
    if zh:
        title, description = "发呆", f"没有识别出动作：{excerpt}。{names[0]}在原地发呆。"
        scene_text = f"{names[0]}在原地发呆"
    else:
        title, description = "Idle", f"No known action found in: {excerpt}. The stick figure stands idle."
        scene_text = "The stick figure stands idle"
    xs = _start_positions(len(names), [])
    place_rest(reader.things.things, xs)
    if not reader.unknown:  # it may have been all names and things: "小明和球"
        reader.unknown.append(text)
    return Script(
        title=title,
        description=clip(description, 4 * MAX_TEXT),
        characters=[
            Character(id=f"char_{i + 1}", name=clip(n, MAX_TEXT), color=_PALETTE[i % len(_PALETTE)], x=xs[i])
            for i, n in enumerate(names)
        ],
        props=_props(reader),
        scenes=[
            Scene(
                id="scene_1",
                description=scene_text,
                actions=[
                    Action(
                        character=f"char_{i + 1}",
                        action="idle",
                        start=0,
                        duration=float(_TIMING["idle"].base),
                    )
                    for i in range(len(names))
                ],
            )
        ],
        notes=notes_of(reader, idle=True),
    )
