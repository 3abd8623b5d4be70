"""Things on the stage (props) and words (speech bubbles): from the Script to the Animation.

A prop's place in a frame is its bottom centre (x, y in stage units, y down) and an angle in
degrees. Here: each kind's size and colour, where things start, and the scene's bubbles. How a
thing moves with an action (carried, thrown, pushed) is the motion library's concern.
"""

from __future__ import annotations

from .schema import AnimProp, PropPlace, Scene, Script, Speech, Stage

# Width, height in stage units, for a figure ~170 units tall (rig.FIGURE_HEIGHT).
SIZES: dict[str, tuple[float, float]] = {
    "ball": (26, 26), "box": (60, 50), "chair": (56, 90), "table": (120, 70), "bed": (190, 55),
    "door": (60, 170), "tree": (120, 260), "ladder": (50, 200), "book": (28, 20), "cup": (16, 20),
    "board": (180, 120), "car": (240, 90), "phone": (10, 18), "flower": (24, 50),
}  # fmt: skip
COLORS: dict[str, str] = {
    "ball": "#E53935", "box": "#A1887F", "chair": "#8D6E63", "table": "#795548", "bed": "#5C6BC0",
    "door": "#6D4C41", "tree": "#388E3C", "ladder": "#FFA000", "book": "#1E88E5", "cup": "#00ACC1",
    "board": "#455A64", "car": "#D32F2F", "phone": "#424242", "flower": "#EC407A",
}  # fmt: skip


def anim_props(script: Script) -> list[AnimProp]:
    """The Animation's `props`: kind, name, colour and size of every thing of the Script."""
    return [
        AnimProp(id=p.id, kind=p.kind, name=p.name, color=p.color or COLORS[p.kind],
                 width=SIZES[p.kind][0], height=SIZES[p.kind][1])
        for p in script.props
    ]  # fmt: skip


def start_places(script: Script, stage: Stage) -> dict[str, PropPlace]:
    """Where each thing stands before the first action: on the ground at its `x`, upright."""
    return {p.id: (round(p.x * stage.width, 2), float(stage.ground_y), 0.0) for p in script.props}


def speech(scene: Scene) -> list[Speech]:
    """The scene's bubbles: one per say/think action, for the action's duration."""
    return [
        Speech(character=a.character, kind=a.action, text=a.params.text or "", start=a.start, end=a.end)
        for a in scene.actions
        if a.action in ("say", "think") and a.params.text
    ]
