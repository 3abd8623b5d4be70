"""SVG elements for the drawing model: a shape, a text label, a number; <animate> of values.

Text goes in as element text (ElementTree escapes it): a name or a bubble's words never
become markup.
"""

from __future__ import annotations

import math
import unicodedata
import xml.etree.ElementTree as ET

from .fonts import fit_text
from .shapes import Circle, Label, Line, Polygon, Shape

SVG_NS = "http://www.w3.org/2000/svg"


def shape_element(s: Shape, extra: dict[str, str], styled: bool = True) -> ET.Element:
    """One shape as <line>, <circle> or <polygon>; `styled` adds its own stroke or fill."""
    if isinstance(s, Line):
        attrs = {"x1": num(s.x1), "y1": num(s.y1), "x2": num(s.x2), "y2": num(s.y2)}
        el = ET.Element("line", attrs | extra)
        if styled:
            el.attrib |= {"stroke": s.color, "stroke-width": num(s.width), "stroke-linecap": "round"}
        return el
    if isinstance(s, Polygon):
        el = ET.Element("polygon", {"points": points(s.points)} | extra)
    else:
        el = ET.Element("circle", {"cx": num(s.cx), "cy": num(s.cy), "r": num(s.r)} | extra)
    if styled:
        el.attrib |= paint(s)
    return el


def paint(s: Circle | Polygon) -> dict[str, str]:
    """Fill, or stroke with round joins, as the shape asks."""
    if s.fill:
        return {"fill": s.color}
    return {"stroke": s.color, "stroke-width": num(s.width), "fill": "none", "stroke-linejoin": "round"}


def points(pts: tuple[tuple[float, float], ...]) -> str:
    return " ".join(f"{num(x)},{num(y)}" for x, y in pts)


def animate(el: ET.Element, attr: str, values: list[str], dur: float) -> None:
    """A linear, looping <animate> of `attr` through evenly spaced `values`, unless they never change."""
    if len(values) < 2 or len(set(values)) < 2:
        return
    ET.SubElement(
        el,
        "animate",
        {"attributeName": attr, "values": ";".join(values), "dur": f"{dur / 1000:g}s",
         "calcMode": "linear", "repeatCount": "indefinite"},
    )  # fmt: skip


def label_element(lab: Label, font: dict[str, str], width: float = 0) -> ET.Element:
    el = ET.Element(
        "text",
        {"x": num(lab.x), "y": num(lab.y), "font-size": num(lab.size), "fill": lab.color,
         "text-anchor": lab.anchor, "data-key": lab.key} | font,
    )  # fmt: skip
    room = (width - 8 - (lab.x if lab.anchor == "start" else 0)) if width else math.inf
    el.text = fit_text(xml_text(lab.text), SvgMeasure(lab.size), room)
    return el


class SvgMeasure:
    """A rough text width (no font at hand): CJK and other wide characters 1 em, the rest 0.6 em."""

    def __init__(self, size: float) -> None:
        self.size = size

    def getlength(self, text: str) -> float:
        return sum(self.size * (1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6) for ch in text)


def num(v: float) -> str:
    """One decimal, without a trailing '.0' or a '-0': keeps the SVG small."""
    s = f"{v:.1f}"
    if s.endswith(".0"):
        s = s[:-2]
    return "0" if s == "-0" else s


def xml_text(s: str) -> str:
    # XML 1.0 cannot hold most control characters even escaped; drop them.
    return "".join(
        ch
        for ch in s
        if ch in "\t\n\r" or (" " <= ch <= "\ud7ff") or ("\ue000" <= ch <= "\ufffd") or ch >= "\U00010000"
    )
