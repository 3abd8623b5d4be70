"""SVG exports: the animation as SMIL <animate> elements (no script), or one still moment."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from ..text import display_text
from .bubbles import body_shapes as bubble_body
from .bubbles import tail_shapes as bubble_tail
from .bubbles import text_labels as bubble_text
from .files import ExportError
from .fonts import rough_width
from .picture import Picture
from .shapes import (
    BACKGROUND,
    LINE_WIDTH,
    Circle,
    Line,
    Moment,
    Poses,
    Shape,
    Timeline,
    backdrop_shapes,
    caption_label,
    frame_shapes,
    poster_time,
    sample_times,
    static_labels,
)
from .svg_elements import SVG_NS, SvgMeasure, animate, label_element, num, shape_element, xml_text
from .svg_things import bubble_layers, prop_groups

if TYPE_CHECKING:
    from ..schema import Animation

SVG_MAX_BYTES = 300_000


def to_svg(
    anim: Animation,
    fps: float | None = None,
    max_bytes: int | None = SVG_MAX_BYTES,
    *,
    title: bool = True,
    captions: bool = True,
    names: bool = True,
) -> str:
    """One self-contained SVG animated with SMIL (no script), looping forever.

    Sampled at `fps` (default: the animation's) on a uniform grid over all scenes, so the
    <animate> elements need no keyTimes (evenly spaced values imply them; spelling them out in
    every element would double the file). When the document would pass `max_bytes`, fewer
    samples per second are taken (down to 4): the browser interpolates between them.
    """
    rate = float(fps or anim.fps)
    if not (0 < rate <= 100):
        raise ExportError(f"SVG fps must be in (0, 100], not {rate!r}")
    svg = _svg_document(anim, rate, title, captions, names)
    while max_bytes and len(svg.encode()) > max_bytes and rate > 4:
        rate = max(4.0, rate * 0.75)
        svg = _svg_document(anim, rate, title, captions, names)
    return svg


def _svg_document(anim: Animation, fps: float, title: bool, captions: bool, names: bool) -> str:
    timeline = Timeline(anim)
    dur = timeline.duration
    root, font = _svg_root(anim, title, names)
    if captions:
        _svg_captions(root, anim, timeline, font)
    poster = timeline.at(poster_time(anim))
    moments = [timeline.at(t) for t in sample_times(dur, fps, closed=True)] if dur > 0 else []
    picture = Picture(anim, rough_width)  # the viewer's font is unknown: a generous estimate
    root.extend(prop_groups(anim, picture, poster, moments, dur, front=False))
    _svg_figures(root, anim, poster.poses, _series(anim, moments), dur)
    root.extend(prop_groups(anim, picture, poster, moments, dur, front=True))
    if any(scene.speech for scene in anim.scenes) and moments:
        tails, bodies = bubble_layers(anim, picture, timeline, moments, dur, font)
        root.extend(tails + bodies)
    return _svg_text(root)


def still_svg(
    anim: Animation, t: float | None = None, *, title: bool = True, captions: bool = True, names: bool = True
) -> str:
    """One moment as a static SVG (no animation): time t in ms on the whole clock, default poster_time().

    The PNG poster's picture, as vectors: the same shapes and labels as to_svg, frozen.
    """
    timeline = Timeline(anim)
    moment = timeline.at(poster_time(anim) if t is None else t)
    root, font = _svg_root(anim, title, names)
    label = caption_label(anim, moment.scene) if captions and anim.scenes else None
    if label is not None:
        root.append(_svg_label(label, font, anim.stage.width))
    _svg_moment(root, anim, moment, font)
    return _svg_text(root)


def _svg_moment(root: ET.Element, anim: Animation, moment: Moment, font: dict[str, str]) -> None:
    """One moment as still elements: things behind, figures (a <g> each, as in to_svg), things in front, bubbles."""
    picture = Picture(anim, rough_width)
    root.extend(shape_element(s, {"data-key": s.key}) for s in picture.things(moment.places, front=False))
    _svg_figures(root, anim, moment.poses, {}, 0.0)
    root.extend(shape_element(s, {"data-key": s.key}) for s in picture.things(moment.places, front=True))
    placed = picture.bubbles(moment)
    shapes = [*(s for b in placed for s in bubble_tail(b)), *(s for b in placed for s in bubble_body(b))]
    root.extend(shape_element(s, {"data-key": s.key}) for s in shapes)
    root.extend(label_element(lab, font) for b in placed for lab in bubble_text(b))


def _svg_root(anim: Animation, title: bool, names: bool) -> tuple[ET.Element, dict[str, str]]:
    """The <svg> with what never moves: title, background, ground, legend; and the labels' font."""
    st = anim.stage
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": f"0 0 {st.width} {st.height}",
            "width": str(st.width),
            "height": str(st.height),
        },
    )
    ET.SubElement(root, "title").text = _xml_text(display_text(anim.title or "stick-figure animation"))
    ET.SubElement(root, "rect", {"width": "100%", "height": "100%", "fill": BACKGROUND})
    for s in backdrop_shapes(anim, names):
        root.append(_svg_shape(s, {}))
    font = {"font-family": "sans-serif", "dominant-baseline": "central"}
    for lab in static_labels(anim, title, names):
        root.append(_svg_label(lab, font, st.width))
    return root, font


def _svg_figures(
    root: ET.Element, anim: Animation, poses: Poses, series: dict[str, list[Shape]], dur: float
) -> None:
    """One <g> per character drawn at `poses`, each shape animated by its `series` (if any)."""
    still = {s.key: s for s in frame_shapes(anim, poses)}
    for char in anim.characters:
        g = ET.SubElement(
            root,
            "g",
            {"data-character": char.id, "stroke": char.color, "stroke-width": _num(LINE_WIDTH),
             "stroke-linecap": "round", "fill": "none"},
        )  # fmt: skip
        for key, shape in still.items():
            if key.startswith(char.id + ":"):
                el = _svg_shape(shape, {"data-key": key.split(":", 1)[1]}, styled=False)
                _svg_animate(el, series.get(key, []), dur)
                g.append(el)


def _svg_text(root: ET.Element) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _series(anim: Animation, moments: list[Moment]) -> dict[str, list[Shape]]:
    """Each figure shape's state at each sample (a shape absent at some time keeps its last state)."""
    out: dict[str, list[Shape]] = {}
    for i, moment in enumerate(moments):
        for s in frame_shapes(anim, moment.poses):
            seq = out.setdefault(s.key, [])
            seq.extend([s] * (i + 1 - len(seq)))  # fill gaps (and the start) with this state
    for seq in out.values():
        seq.extend([seq[-1]] * (len(moments) - len(seq)))
    return out


_ATTRS: dict[type, tuple[str, ...]] = {Line: ("x1", "y1", "x2", "y2"), Circle: ("cx", "cy")}
_svg_shape = shape_element
_svg_label = label_element
_SvgMeasure = SvgMeasure
_num = num
_xml_text = xml_text


def _svg_animate(el: ET.Element, states: list[Shape], dur: float) -> None:
    """One <animate> per coordinate that changes; a constant one stays a plain attribute."""
    if len(states) < 2:
        return
    for attr in _ATTRS[type(states[0])]:
        animate(el, attr, [_num(getattr(s, attr)) for s in states], dur)


def _svg_captions(root: ET.Element, anim: Animation, timeline: Timeline, font: dict[str, str]) -> None:
    """Each scene's caption, visible only during its scene (discrete visibility animation)."""
    for i in range(len(anim.scenes)):
        label = caption_label(anim, i)
        if label is None:
            continue
        el = _svg_label(label, font, anim.stage.width)
        start = timeline.offsets[i] / timeline.duration if timeline.duration else 0.0
        end = start + anim.scenes[i].duration / timeline.duration if timeline.duration else 1.0
        values, key_times = ["visible"], [0.0]
        if start > 0:
            values, key_times = ["hidden", "visible"], [0.0, start]
        if end < 1 - 1e-9:
            values.append("hidden")
            key_times.append(end)
        if len(values) > 1:
            el.set("visibility", "hidden" if start > 0 else "visible")
            ET.SubElement(
                el,
                "animate",
                {"attributeName": "visibility", "values": ";".join(values),
                 "keyTimes": ";".join(f"{k:.4f}" for k in key_times), "calcMode": "discrete",
                 "dur": f"{timeline.duration / 1000:g}s", "repeatCount": "indefinite"},
            )  # fmt: skip
        root.append(el)
