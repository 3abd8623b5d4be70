"""The animated SVG's things and bubbles, as SMIL (no script).

A thing is drawn once in its own frame inside two groups: the outer one moves it
(animateTransform translate), the inner one turns it (rotate). A bubble is shown while its
speech lasts (a discrete visibility animation, exact to the ms): its body and text move as one
group; its tail (or thought circles) follows the speaker's head sample by sample. All tails are
drawn before all bodies, so no tail crosses another bubble, as in the widget.
"""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from . import bubbles, things
from .picture import Picture
from .shapes import Circle, Moment, Polygon, Timeline
from .svg_elements import animate, label_element, num, points, shape_element

if TYPE_CHECKING:
    from ..schema import Animation, AnimProp


def _transform(el: ET.Element, kind: str, values: list[str], dur: float) -> None:
    if len(set(values)) < 2:
        return
    ET.SubElement(
        el,
        "animateTransform",
        {"attributeName": "transform", "type": kind, "values": ";".join(values), "dur": f"{dur / 1000:g}s",
         "calcMode": "linear", "repeatCount": "indefinite"},
    )  # fmt: skip


def _unwrapped(angles: list[float]) -> list[float]:
    """Angles turned the short way between samples (359 then 1 goes on to 361, not back)."""
    out = angles[:1]
    for a in angles[1:]:
        out.append(out[-1] + (a - out[-1] + 180) % 360 - 180)
    return out


def prop_groups(
    anim: Animation, picture: Picture, still: Moment, moments: list[Moment], dur: float, front: bool
) -> list[ET.Element]:
    """One group per thing in front of (or behind) the figures, moving as sampled in `moments`."""
    out = []
    for prop in anim.props:
        if things.is_front(prop) != front or prop.id not in still.places:
            continue
        out.append(_prop_group(prop, picture, still, moments, dur))
    return out


def _prop_group(
    prop: AnimProp, picture: Picture, still: Moment, moments: list[Moment], dur: float
) -> ET.Element:
    x, y, angle = still.places[prop.id]
    outer = ET.Element(
        "g", {"data-prop": prop.id, "data-kind": prop.kind, "transform": f"translate({num(x)} {num(y)})"}
    )
    inner = ET.SubElement(outer, "g", {"transform": f"rotate({num(angle)})"})
    series = [m.places.get(prop.id, (x, y, angle)) for m in moments]
    if series:
        _transform(outer, "translate", [f"{num(px)},{num(py)}" for px, py, _ in series], dur)
        _transform(inner, "rotate", [num(a) for a in _unwrapped([a for _, _, a in series])], dur)
    for shape in picture.local_things(prop.id):
        inner.append(shape_element(shape, {}))
    return outer


# --- bubbles --------------------------------------------------------------------------------
def bubble_layers(
    anim: Animation,
    picture: Picture,
    timeline: Timeline,
    moments: list[Moment],
    dur: float,
    font: dict[str, str],
) -> tuple[list[ET.Element], list[ET.Element]]:
    """(tails, bodies): the elements of every bubble, each visible only while its speech lasts."""
    tracks: dict[str, list[bubbles.Bubble | None]] = {}
    for i, m in enumerate(moments):
        for b in picture.bubbles(m):
            tracks.setdefault(b.key, [None] * len(moments))[i] = b
    tails: list[ET.Element] = []
    bodies: list[ET.Element] = []
    for key, seq in tracks.items():
        states = _held(seq)
        _, scene, index = key.split(":")
        visibility = _visibility(anim, timeline, int(scene), int(index), dur)
        tails.append(_tail(key, states, dur, visibility))
        bodies.append(_body(key, states, dur, font, visibility))
    return tails, bodies


def _held(seq: list[bubbles.Bubble | None]) -> list[bubbles.Bubble]:
    """Each sample's bubble; a sample where it is hidden holds the nearest shown state."""
    first = next(b for b in seq if b is not None)
    out: list[bubbles.Bubble] = []
    for b in seq:
        out.append(b if b is not None else (out[-1] if out else first))
    return out


def _visibility(
    anim: Animation, timeline: Timeline, scene: int, index: int, dur: float
) -> list[tuple[float, str]]:
    """(keyTime, value) steps: hidden, visible from the speech's start, hidden again after its end."""
    sp = anim.scenes[scene].speech[index]
    length = anim.scenes[scene].duration
    start = timeline.offsets[scene] + sp.start
    end = timeline.offsets[scene] + (length if sp.end >= length - 1e-6 else min(sp.end, length))
    steps = [(0.0, "hidden")] if start > 0 else []
    steps.append((start / dur if dur else 0.0, "visible"))
    if end < dur - 1e-6:
        steps.append((end / dur, "hidden"))
    return steps


def _show(el: ET.Element, steps: list[tuple[float, str]], dur: float) -> None:
    el.set("visibility", steps[0][1])
    if len(steps) < 2:
        return
    ET.SubElement(
        el,
        "animate",
        {"attributeName": "visibility", "values": ";".join(v for _, v in steps),
         "keyTimes": ";".join(f"{k:.4f}" for k, _ in steps), "calcMode": "discrete",
         "dur": f"{dur / 1000:g}s", "repeatCount": "indefinite"},
    )  # fmt: skip


def _tail(key: str, states: list[bubbles.Bubble], dur: float, steps: list[tuple[float, str]]) -> ET.Element:
    g = ET.Element("g", {"data-bubble-tail": key})
    _show(g, steps, dur)
    series = [bubbles.tail_shapes(b) for b in states]
    still = series[0] or _empty_tail(states[0])
    for n, shape in enumerate(still):
        el = shape_element(shape, {})
        if isinstance(shape, Polygon):
            animate(
                el, "points", [points(_nth(s, n, b).points) for s, b in zip(series, states, strict=True)], dur
            )
        elif isinstance(shape, Circle):
            for attr in ("cx", "cy"):
                animate(
                    el,
                    attr,
                    [num(getattr(_nth(s, n, b), attr)) for s, b in zip(series, states, strict=True)],
                    dur,
                )
        g.append(el)
    return g


def _empty_tail(b: bubbles.Bubble) -> list:
    """A speech tail folded onto its tip (the tip is inside the box): draws nothing."""
    tip = (b.tip, b.tip, b.tip)
    return [
        Polygon(f"{b.key}:tailf", tip, bubbles.FILL, 0, fill=True),
        Polygon(f"{b.key}:tails", tip, bubbles.STROKE, bubbles.STROKE_WIDTH),
    ]


def _nth(shapes: list, n: int, b: bubbles.Bubble):  # noqa: ANN202 - a Polygon or a Circle
    return (shapes or _empty_tail(b))[n]


def _body(
    key: str, states: list[bubbles.Bubble], dur: float, font: dict[str, str], steps: list[tuple[float, str]]
) -> ET.Element:
    first = states[0]
    g = ET.Element(
        "g",
        {
            "data-bubble": key,
            "data-kind": first.kind,
            "transform": f"translate({num(first.left)} {num(first.top)})",
        },
    )
    _show(g, steps, dur)
    _transform(g, "translate", [f"{num(b.left)},{num(b.top)}" for b in states], dur)
    local = dataclasses.replace(first, left=0.0, top=0.0)
    for shape in bubbles.body_shapes(local):
        g.append(shape_element(shape, {}))
    for lab in bubbles.text_labels(local):
        g.append(label_element(lab, font))
    return g
