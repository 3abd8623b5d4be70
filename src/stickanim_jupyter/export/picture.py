"""What one moment shows, in drawing order: things behind, figures, things in front, bubbles.

The raster and still-SVG exports paint these shapes and labels; the animated SVG builds the
same pieces element by element (svg_things.py). The order matches js/src/draw.js.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import bubbles, things
from .fonts import text_measure
from .shapes import Label, Moment, Shape, frame_shapes

if TYPE_CHECKING:
    from ..schema import Animation, AnimProp, Speech


def bubble_active(speech: Speech, local: float, scene_duration: float) -> bool:
    """Shown from start until end; one that ends with its scene stays on the scene's last instant."""
    return speech.start <= local and (local < speech.end or speech.end >= scene_duration - 1e-6)


class Picture:
    """Shapes and labels of any moment of one animation; things' shapes and bubble texts cached."""

    def __init__(self, anim: Animation, measure: bubbles.Measure | None = None) -> None:
        self.anim = anim
        self.measure = measure or text_measure()
        self._local = {p.id: things.local_shapes(p) for p in anim.props}
        self._texts: dict[tuple[int, int], bubbles.Text] = {}
        self._radius = {c.id: c.head_radius for c in anim.characters}

    def things(self, places: dict[str, tuple[float, float, float]], front: bool) -> list[Shape]:
        out: list[Shape] = []
        for prop in self.anim.props:
            if things.is_front(prop) == front and prop.id in places:
                out.extend(things.placed(self._local[prop.id], places[prop.id]))
        return out

    def local_things(self, prop_id: str) -> list[Shape]:
        """A thing's shapes in its own frame (see things.py)."""
        return self._local[prop_id]

    def text(self, scene: int, index: int) -> bubbles.Text:
        key = (scene, index)
        if key not in self._texts:
            sp = self.anim.scenes[scene].speech[index]
            self._texts[key] = bubbles.bubble_text(sp.text, sp.kind, self.measure)
        return self._texts[key]

    def bubbles(self, moment: Moment) -> list[bubbles.Bubble]:
        """The bubbles shown at this moment, placed (earlier start first, then script order)."""
        scene = self.anim.scenes[moment.scene]
        speakers = []
        order = sorted(range(len(scene.speech)), key=lambda i: (scene.speech[i].start, i))
        for i in order:
            sp = scene.speech[i]
            pose = moment.poses.get(sp.character)
            if pose is None or "head" not in pose or not bubble_active(sp, moment.local, scene.duration):
                continue
            speakers.append(
                bubbles.Speaker(
                    f"bubble:{moment.scene}:{i}", sp.kind, self.text(moment.scene, i), pose["head"],
                    self._radius.get(sp.character, 18.0),
                )
            )  # fmt: skip
        return bubbles.layout(speakers, self.anim.stage.width, self.anim.stage.height)

    def at(self, moment: Moment) -> tuple[list[Shape], list[Label]]:
        """Everything drawn over the backdrop at `moment`, and the bubbles' text."""
        placed = self.bubbles(moment)
        shapes = [
            *self.things(moment.places, front=False),
            *frame_shapes(self.anim, moment.poses),
            *self.things(moment.places, front=True),
            *(s for b in placed for s in bubbles.tail_shapes(b)),
            *(s for b in placed for s in bubbles.body_shapes(b)),
        ]
        labels = [lab for b in placed for lab in bubbles.text_labels(b)]
        return shapes, labels


def prop_inks(props: list[AnimProp]) -> list[str]:
    """Every colour things and bubbles are drawn in (a GIF palette needs them)."""
    inks = [c for p in props for c in things.prop_colors(p)]
    return [*inks, bubbles.FILL, bubbles.STROKE, bubbles.TEXT]
