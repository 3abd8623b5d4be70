"""The data contracts: Script (what a planner emits) and Animation (what the compiler emits).

Both are pydantic v2 models. Field names, joint names and the envelope are a public contract
(the README's Script and Animation sections); change them only on purpose, everywhere at once.

Caps (documented limits that keep a hostile or broken planner from freezing a kernel or a
browser) are module constants below; validation fails with a clear message past them.
"""

from __future__ import annotations

import json
import math
import re
from typing import TYPE_CHECKING, Annotated, Any, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_serializer, model_validator

from . import actions as _registry
from .errors import StoryError, ValidationError
from .summary import animation_line
from .text import one_line

# --- caps ---------------------------------------------------------------------------------
MAX_STORY_CHARS = 2000
MAX_CHARACTERS = 8
MAX_SCENES = 12
MAX_ACTIONS_PER_SCENE = 64
MAX_ACTION_MS = 30_000  # one action's duration
MAX_START_MS = 60_000  # an action's start within its scene
MAX_SCENE_MS = 60_000  # one scene's duration
MAX_TOTAL_MS = 180_000  # all scenes together
MAX_TIMES = 20  # repetitions of a wave, jump, clap...
MAX_POSE_KEYFRAMES = 64
MIN_FPS, MAX_FPS = 1, 60
MAX_FRAMES = 20_000  # all scenes together, after sampling
MAX_POSES = 40_000  # frames x characters: what bounds the kernel's memory (8 characters, 180 s at 24 fps fit)
MAX_TEXT = 200  # title, description, names
MIN_SCENE_MS = 500
MAX_PROPS = 16  # things on the stage
MAX_SPEECH_CHARS = 80  # one say/think bubble
MAX_NOTES = 12  # meta.notes: what the planner could not depict

# --- vocabulary ---------------------------------------------------------------------------
# Actions are defined in actions.py (one entry each); these names stay here for compatibility.
ACTIONS: tuple[str, ...] = _registry.names()
INTERACTIONS: frozenset[str] = _registry.interactions()  # they drive two characters: target required
PROP_INTERACTIONS: frozenset[str] = _registry.prop_interactions()  # or a thing: push/pull a box
if TYPE_CHECKING:  # a Literal of names known at run time: plain text to the type checker
    ActionName = str
else:
    ActionName = Literal[ACTIONS]

JOINTS: tuple[str, ...] = (
    "head", "neck", "shoulder_l", "elbow_l", "hand_l", "shoulder_r", "elbow_r", "hand_r",
    "pelvis", "hip_l", "knee_l", "foot_l", "hip_r", "knee_r", "foot_r",
)  # fmt: skip
BONES: tuple[tuple[str, str], ...] = (
    ("head", "neck"), ("neck", "pelvis"),
    ("neck", "shoulder_l"), ("shoulder_l", "elbow_l"), ("elbow_l", "hand_l"),
    ("neck", "shoulder_r"), ("shoulder_r", "elbow_r"), ("elbow_r", "hand_r"),
    ("pelvis", "hip_l"), ("hip_l", "knee_l"), ("knee_l", "foot_l"),
    ("pelvis", "hip_r"), ("hip_r", "knee_r"), ("knee_r", "foot_r"),
)  # fmt: skip

# Angle channels of the `pose` escape hatch, in degrees (see rig.py for conventions):
#   torso: lean of the spine, 0 upright, + forward     neck: head tilt, + forward (nod)
#   shoulder_*: 0 arm down, 90 arm forward/outward horizontal, 180 straight up, - backward
#   elbow_*: 0 straight, + flexion          hip_*: 0 leg down, + forward (flexion), - back
#   knee_*: 0 straight, + flexion (the shin folds backward)
POSE_CHANNELS: tuple[str, ...] = (
    "torso", "neck", "shoulder_l", "elbow_l", "shoulder_r", "elbow_r",
    "hip_l", "knee_l", "hip_r", "knee_r",
)  # fmt: skip
if TYPE_CHECKING:  # a Literal of names known at run time: plain text to the type checker
    PoseChannel = str
else:
    PoseChannel = Literal[POSE_CHANNELS]

# Things (props): a closed list of kinds every view can draw. A bench or a sofa is a chair, a
# newspaper a book, a stone a ball: the planner keeps the story's word as the prop's name.
PROP_KINDS: tuple[str, ...] = (
    "ball", "box", "chair", "table", "bed", "door", "tree", "ladder", "book", "cup", "board", "car",
    "phone", "flower",
)  # fmt: skip
if TYPE_CHECKING:  # a Literal of names known at run time: plain text to the type checker
    PropKind = str
else:
    PropKind = Literal[PROP_KINDS]
SPEECH_ACTIONS: frozenset[str] = frozenset({"say", "think"})
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>|&[A-Za-z#][A-Za-z0-9]*;")

Color = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$", description="#RRGGBB")]
Ident = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_\-]{0,31}$", description="an id such as char_1")]
Text = Annotated[str, Field(max_length=MAX_TEXT)]
Fraction = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


# --- Script -------------------------------------------------------------------------------
class Character(_Model):
    id: Ident
    name: Text = Field(min_length=1)
    color: Color = "#2196F3"
    x: Fraction = Field(0.5, description="start position as a fraction of the stage width")
    facing: Literal["front", "left", "right"] = "front"


class Prop(_Model):
    """A thing on the stage: drawn, never a character. `x` is its centre as a fraction of the stage."""

    id: Ident
    kind: PropKind
    name: Text = ""
    x: Fraction = Field(0.5, description="position as a fraction of the stage width")
    color: Color | None = None


def _speech_text(v: str | None) -> str | None:
    if v is None:
        return v
    text = " ".join(v.split())
    if not text:
        raise ValueError("text is empty")
    if len(text) > MAX_SPEECH_CHARS:
        raise ValueError(f"text is {len(text)} characters; a bubble holds at most {MAX_SPEECH_CHARS}")
    if _MARKUP.search(text):
        raise ValueError("text holds markup (tags or entities): write plain words")
    return text


class PoseKeyframe(_Model):
    t: Fraction = Field(description="time as a fraction of the action's duration")
    angles: dict[PoseChannel, Annotated[float, Field(ge=-360, le=360, allow_inf_nan=False)]]


class ActionParams(_Model):
    """Parameters of an action; each action reads the ones that make sense for it."""

    hand: Literal["left", "right", "both"] | None = None
    times: Annotated[int, Field(ge=1, le=MAX_TIMES)] | None = None
    speed: Annotated[float, Field(ge=0.25, le=4.0, allow_inf_nan=False)] | None = None
    direction: Literal["left", "right", "toward", "away", "forward", "back"] | None = None
    target: Ident | None = Field(None, description="the other character of an interaction")
    distance: Fraction | None = Field(None, description="how far to move, as a fraction of the stage width")
    keyframes: Annotated[list[PoseKeyframe], Field(max_length=MAX_POSE_KEYFRAMES)] | None = None
    object: Ident | None = Field(None, description="the thing (a prop id) the action uses")
    over: Ident | None = Field(None, description="the thing (a prop id) a jump goes over")
    text: Annotated[str, Field(max_length=4 * MAX_SPEECH_CHARS)] | None = Field(
        None, description=f"what a say/think bubble holds, at most {MAX_SPEECH_CHARS} characters"
    )
    in_place: bool | None = Field(None, description="walk, run or jog without moving across the stage")

    @field_validator("text")
    @classmethod
    def _text(cls, v: str | None) -> str | None:
        return _speech_text(v)


class Action(_Model):
    character: Ident
    action: ActionName
    start: Annotated[float, Field(ge=0, le=MAX_START_MS, allow_inf_nan=False)] = Field(
        0, description="milliseconds from the scene start"
    )
    duration: Annotated[float, Field(gt=0, le=MAX_ACTION_MS, allow_inf_nan=False)] = Field(
        1000, description="milliseconds"
    )
    params: ActionParams = Field(default_factory=ActionParams)

    @model_validator(mode="after")
    def _interaction_needs_target(self) -> Action:
        if self.action in INTERACTIONS and not self.params.target:
            if self.action not in PROP_INTERACTIONS:
                raise ValueError(f"action {self.action!r} needs params.target (the other character)")
            if not self.params.object:
                raise ValueError(
                    f"action {self.action!r} needs params.target (the other character) or params.object (a thing)"
                )
        if self.params.target == self.character:
            raise ValueError(f"action {self.action!r}: a character cannot target itself")
        if self.action == "pose" and not self.params.keyframes:
            raise ValueError("action 'pose' needs params.keyframes")
        if self.action in SPEECH_ACTIONS and not self.params.text:
            raise ValueError(f"action {self.action!r} needs params.text (the words in the bubble)")
        return self

    @property
    def end(self) -> float:
        return self.start + self.duration


class Scene(_Model):
    id: Ident
    description: Text = ""
    duration: Annotated[float, Field(ge=MIN_SCENE_MS, le=MAX_SCENE_MS, allow_inf_nan=False)] | None = Field(
        None, description="milliseconds; default: the end of its last action"
    )
    actions: Annotated[list[Action], Field(max_length=MAX_ACTIONS_PER_SCENE)] = Field(default_factory=list)

    @property
    def length_ms(self) -> float:
        """The scene's duration: explicit, else its last action's end (at least MIN_SCENE_MS)."""
        if self.duration is not None:
            return self.duration
        return max([MIN_SCENE_MS, *(a.end for a in self.actions)])


class Script(_Model):
    title: Text = ""
    description: Annotated[str, Field(max_length=4 * MAX_TEXT)] = ""
    characters: Annotated[list[Character], Field(min_length=1, max_length=MAX_CHARACTERS)]
    props: Annotated[list[Prop], Field(max_length=MAX_PROPS)] = Field(default_factory=list)
    scenes: Annotated[list[Scene], Field(min_length=1, max_length=MAX_SCENES)]
    notes: Annotated[list[Text], Field(max_length=MAX_NOTES)] = Field(
        default_factory=list,
        description="plain sentences about what the story asked and the Script leaves out",
    )

    @model_validator(mode="after")
    def _references(self) -> Script:
        ids = [c.id for c in self.characters]
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate character ids: {ids}")
        prop_ids = [p.id for p in self.props]
        if len(set(prop_ids + ids)) != len(prop_ids) + len(ids):
            raise ValueError(f"duplicate or shared ids among characters and props: {ids + prop_ids}")
        self._check_props(set(prop_ids))
        scene_ids = [s.id for s in self.scenes]
        if len(set(scene_ids)) != len(scene_ids):
            raise ValueError(f"duplicate scene ids: {scene_ids}")
        known = set(ids)
        for scene in self.scenes:
            for a in scene.actions:
                for ref in (a.character, a.params.target):
                    if ref is not None and ref not in known:
                        raise ValueError(
                            f"scene {scene.id!r}: action {a.action!r} names unknown character {ref!r} "
                            f"(known: {', '.join(ids)})"
                        )
        total = sum(s.length_ms for s in self.scenes)
        if total > MAX_TOTAL_MS:
            raise ValueError(f"total duration {total:.0f} ms is over the cap of {MAX_TOTAL_MS} ms")
        return self

    def _check_props(self, known: set[str]) -> None:
        """params.object and params.over name props; params.target never does (a thing is no partner)."""
        for scene in self.scenes:
            for a in scene.actions:
                if a.params.target in known:
                    raise ValueError(
                        f"scene {scene.id!r}: action {a.action!r} targets {a.params.target!r}, a thing, not a "
                        "character: name it in params.object"
                    )
                for ref in (a.params.object, a.params.over):
                    if ref is not None and ref not in known:
                        raise ValueError(
                            f"scene {scene.id!r}: action {a.action!r} names unknown thing {ref!r}"
                            f" (known: {', '.join(sorted(known)) or 'none'})"
                        )

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        """pydantic's JSON Schema of the Script (the LLM planner sends its strict form)."""
        return cls.model_json_schema()

    @classmethod
    def parse(cls, data: Any) -> Script:
        """Validate a dict or JSON text; raises our ValidationError with a readable message."""
        return _validate(cls, data)

    @property
    def duration_ms(self) -> float:
        return sum(s.length_ms for s in self.scenes)


# --- Animation ----------------------------------------------------------------------------
Point = tuple[float, float]


class Stage(_Model):
    width: int = 960
    height: int = 540
    ground_y: int = 480


class AnimCharacter(_Model):
    id: Ident
    name: Text
    color: Color
    head_radius: float = 18


class AnimProp(_Model):
    """A thing as drawn: its size in stage units; its place is in every frame's `props`."""

    id: Ident
    kind: PropKind
    name: Text = ""
    color: Color
    width: float
    height: float


PropPlace = tuple[float, float, float]  # bottom centre x, y (stage units, y down) and angle in degrees


class Frame(_Model):
    t: float = Field(description="milliseconds from the scene start")
    poses: dict[str, dict[str, Point]]
    props: dict[str, PropPlace] = Field(default_factory=dict, description="every prop, every frame")


class Speech(_Model):
    """A speech or thought bubble over a character from `start` to `end` (ms in its scene)."""

    character: Ident
    kind: Literal["say", "think"]
    text: Annotated[str, Field(max_length=MAX_SPEECH_CHARS)]
    start: float
    end: float


class AnimScene(_Model):
    id: Ident
    description: Text = ""
    duration: float = Field(description="milliseconds")
    frames: list[Frame]
    speech: list[Speech] = Field(default_factory=list)


class Meta(BaseModel):
    """Who planned an animation and what that cost. Every field is declared here.

    The fields after `cached` are details of an LLM run: a dump holds each only when it was
    set (an offline animation's JSON has the first seven and `notes`). Unknown keys of a file are
    ignored.
    """

    model_config = ConfigDict(extra="ignore")

    provider: str = "local"  # the built-in planner's name (config.LOCAL)
    model: str | None = None
    tokens: int | None = None
    cost_usd: float | None = None
    elapsed_ms: float | None = None
    attempts: int | None = None  # requests sent, retries and re-asks included, over all providers
    cached: bool = False
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    reasks: int | None = None  # answers sent back for correction
    prompt_version: str | None = None  # the prompt and schema the Script was asked with
    original_tokens: int | None = None  # on a cache hit: the tokens the cached answer cost
    fallback_from: list[str] | None = None  # providers that failed before this one answered
    repairs: list[str] | None = None  # what the LLM planner mended in the answer instead of re-asking
    notes: list[str] = Field(default_factory=list)  # what the planner could not depict, in plain sentences

    @model_serializer(mode="wrap")
    def _dump_set_details(self, handler: pydantic.SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict):
            for name in _META_DETAILS:
                if name not in self.model_fields_set:
                    data.pop(name, None)
        return data


_META_DETAILS = (
    "prompt_tokens",
    "completion_tokens",
    "reasks",
    "prompt_version",
    "original_tokens",
    "fallback_from",
    "repairs",
)


class Animation(_Model):
    title: str = ""
    description: str = ""
    fps: Annotated[int, Field(ge=MIN_FPS, le=MAX_FPS)] = 24
    stage: Stage = Field(default_factory=Stage)
    joints: list[str] = Field(default_factory=lambda: list(JOINTS))
    bones: list[tuple[str, str]] = Field(default_factory=lambda: list(BONES))
    characters: list[AnimCharacter]
    props: list[AnimProp] = Field(default_factory=list)
    scenes: list[AnimScene]
    script: Script
    meta: Meta = Field(default_factory=Meta)

    @property
    def duration_ms(self) -> float:
        return sum(s.duration for s in self.scenes)

    def to_json(self, indent: int | None = None) -> str:
        return self.model_dump_json(indent=indent)

    def envelope(self) -> dict[str, Any]:
        """The seed's machine-output envelope."""
        return {"success": True, "data": self.model_dump(mode="json")}

    def save(self, path: Any, **kwargs: Any) -> Any:
        """Write the animation to `path`; the format follows the extension (.json, .gif, .svg, .html, .png)."""
        from .export import save

        return save(self, path, **kwargs)

    @classmethod
    def parse(cls, data: Any) -> Animation:
        return _validate(cls, data)

    # --- for people: one line, and the player in a notebook -------------------------------
    def __repr__(self) -> str:  # pydantic's would print every frame; model_dump() has them
        return animation_line(self)

    __str__ = __repr__

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(repr(self))

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> Any:
        """The player's bundle, for frontends that ask for one (IPython uses _ipython_display_)."""
        if _presenter is None:
            return {"text/plain": repr(self)}
        return _presenter.mimebundle(self, include, exclude)

    def _ipython_display_(self) -> None:
        """A cell ending with an Animation shows the player, as %%animate does."""
        if _presenter is None:
            from IPython.display import display

            display({"text/plain": repr(self)}, raw=True)
        else:
            _presenter.show(self)


# How an Animation shows in a notebook: display.py, which builds the widget (widget.py imports
# this module, so the package plugs the presenter in here; see set_presenter).
_presenter: Any = None


def set_presenter(presenter: Any) -> None:
    """Called by the package's __init__ with the display module (mimebundle(), show())."""
    global _presenter
    _presenter = presenter


# --- helpers ------------------------------------------------------------------------------
def check_story(story: Any) -> str:
    """Return the stripped story, or raise StoryError naming what is wrong."""
    if not isinstance(story, str):
        raise StoryError(f"the story must be text, not {type(story).__name__}")
    text = story.strip()
    if not text:
        raise StoryError("the story is empty")
    if len(text) > MAX_STORY_CHARS:
        raise StoryError(f"the story is too long ({len(text)} characters; the limit is {MAX_STORY_CHARS})")
    return text


def format_errors(err: pydantic.ValidationError, limit: int = 5) -> str:
    """pydantic errors as one line: 'scenes.0.actions.1.action: Input should be ...; ...'.

    Keys come from the input (an LLM's answer, a user's file): each is put on one line and
    shortened, so the message stays one short line whatever they hold.
    """
    parts = []
    for e in err.errors()[:limit]:
        loc = ".".join(one_line(p, MAX_LOC_PART) for p in e["loc"]) or "(root)"
        parts.append(f"{loc}: {' '.join(e['msg'].split())}")
    more = len(err.errors()) - limit
    if more > 0:
        parts.append(f"and {more} more")
    return "; ".join(parts)


MAX_LOC_PART = 40  # characters of one key shown in an error message


def _validate(model: type[_Model], data: Any) -> Any:
    try:
        if isinstance(data, (str, bytes)):
            data = json.loads(data, parse_constant=_reject_constant)
        return model.model_validate(data)
    except pydantic.ValidationError as err:
        raise ValidationError(f"invalid {model.__name__}: {format_errors(err)}") from None
    except (ValueError, RecursionError) as err:  # json.JSONDecodeError is a ValueError
        raise ValidationError(f"invalid {model.__name__}: not valid JSON ({err})") from None


def _reject_constant(name: str) -> float:
    # json.loads accepts NaN/Infinity by default; the contract says they are errors.
    raise ValueError(f"{name} is not allowed")


def is_finite_point(p: Point) -> bool:
    return math.isfinite(p[0]) and math.isfinite(p[1])
