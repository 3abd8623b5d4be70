"""Contact sheets: one PNG per story, several frames side by side, to check motion by eye.

Run: python bench/contact_sheets.py [--frames 12] [--columns 6] [--out bench/out/sheets] [story ...]
     python bench/contact_sheets.py --metrics   (no pictures: each story's quality.readability numbers)

Without stories it draws every example story of tests/stories.yml, then those of
tests/motion_gallery.yml (actions the examples do not show: nods, squats, fights, hugs...).
Each tile is one frame of the local planner's animation (export/raster.py paints it), cropped
to where the figures go, labelled with its time and what each character is doing then.
bench/out/ is git-ignored.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml
from common import ROOT, stories

from stickanim_jupyter import generate, quality
from stickanim_jupyter.export.fonts import label_font
from stickanim_jupyter.export.raster import render_frame
from stickanim_jupyter.schema import Animation

GALLERY_FILE = ROOT / "tests" / "motion_gallery.yml"  # actions the example stories leave out


def gallery() -> list[str]:
    return list(yaml.safe_load(GALLERY_FILE.read_text(encoding="utf-8")))


TILE_W = 420  # widest tile, pixels; tiles show the part of the stage the figures use
PAD = 30.0  # stage units around the figures
LABEL_H = 34  # pixels above each tile for its time and actions
TITLE_H = 30


def doing(anim: Animation, t: float) -> str:
    """'name: action' for every character at animation time t (scenes end to end)."""
    offset = 0.0
    names = {c.id: c.name for c in anim.characters}
    for scene, played in zip(anim.script.scenes, anim.scenes, strict=True):
        if t <= offset + played.duration or scene is anim.script.scenes[-1]:
            local = t - offset
            now = {cid: "-" for cid in names}
            for a in sorted(scene.actions, key=lambda a: a.start):
                if a.start <= local < a.end:
                    now[a.character] = a.action
                    if a.params.target in now and now[a.params.target] == "-":
                        now[a.params.target] = f"({a.action})"
            return "  ".join(f"{names[c]}: {v}" for c, v in now.items())
        offset += played.duration
    return ""


def sheet(anim: Animation, story: str, frames: int, columns: int):  # -> PIL.Image.Image
    from PIL import Image, ImageDraw

    total = anim.duration_ms
    times = [total * i / max(1, frames - 1) for i in range(frames)]
    x0, y0, x1, y1 = _extent(anim)
    scale = min(1.0, TILE_W / (x1 - x0))
    left, top, right, bottom = (round(v * scale) for v in (x0, y0, x1, y1))
    tile_w, tile_h = right - left, bottom - top
    rows = -(-frames // columns)
    img = Image.new("RGB", (tile_w * columns, TITLE_H + rows * (tile_h + LABEL_H)), "white")
    draw = ImageDraw.Draw(img)
    font, small = label_font(story, 18), label_font(story, 13)
    if font is not None:
        draw.text((6, 5), f"{story}   ({total / 1000:.2f} s)", fill=(0, 0, 0), font=font)
    for i, t in enumerate(times):
        frame = render_frame(anim, min(t, total - 1e-6), scale, title=False, captions=False, names=False)
        x, y = (i % columns) * tile_w, TITLE_H + (i // columns) * (tile_h + LABEL_H)
        img.paste(frame.crop((left, top, right, bottom)), (x, y + LABEL_H))
        draw.rectangle((x, y, x + tile_w - 1, y + LABEL_H + tile_h - 1), outline=(200, 200, 200))
        label = f"t={t / 1000:.2f} s"
        if small is not None:
            draw.text((x + 4, y + 2), label, fill=(0, 0, 0), font=small)
            draw.text((x + 4, y + 17), doing(anim, t), fill=(60, 60, 60), font=label_font(doing(anim, t), 13))
    return img


def _extent(anim: Animation) -> tuple[float, float, float, float]:
    """The stage box every figure stays in, over the whole animation, padded; down to the ground."""
    pts = [p for s in anim.scenes for f in s.frames for pose in f.poses.values() for p in pose.values()]
    r = max((c.head_radius for c in anim.characters), default=0.0)
    x0 = max(0.0, min(x for x, _ in pts) - r - PAD)
    x1 = min(float(anim.stage.width), max(x for x, _ in pts) + r + PAD)
    y0 = max(0.0, min(y for _, y in pts) - r - PAD)
    return x0, y0, x1, min(float(anim.stage.height), anim.stage.ground_y + 10.0)


def slug(i: int, story: str) -> str:
    words = re.sub(r"\W+", "_", story).strip("_")[:40] or "story"
    return f"{i:02d}_{words}.png"


def metrics(anim: Animation) -> str:
    """The readability measures of quality.py for one animation, on one line each."""
    rows = [f"  contact {k}: {d:.3f} H" for k, d in quality.contact_distance(anim)]
    rows += [f"  reaction {k}: {d:.3f} H" for k, d in quality.target_reaction(anim)]
    rows.append(f"  interpenetration: {quality.interpenetration(anim)[0]:.3f} H")
    rows.append(f"  limb through head: {quality.limb_through_head(anim)[0]:.2f} R")
    rows += [
        f"  still {k}: {ms:.0f} of {had:.0f} ms (room {room:.2f} H)"
        for k, ms, room, had in quality.stand_still(anim)
    ]
    rows += [f"  nod {k}: moves {m:.3f} H, dips {d:.3f} H" for k, m, d in quality.nod_motion(anim)]
    rows += [f"  clap {k}: meets at {h:.2f}, parts {a:.3f} H" for k, h, a in quality.clap_height(anim)]
    rows.append(f"  foot slide: {quality.foot_slide(anim):.2f}; problems: {len(quality.readability(anim))}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stories", nargs="*", help="stories to draw (default: examples + gallery)")
    parser.add_argument("--frames", type=int, default=12)
    parser.add_argument("--columns", type=int, default=6)
    parser.add_argument("--metrics", action="store_true", help="print measures instead of drawing")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "sheets")
    args = parser.parse_args(argv)
    todo = args.stories or [*stories(), *gallery()]
    if not args.metrics:
        args.out.mkdir(parents=True, exist_ok=True)
    for i, story in enumerate(todo, 1):
        anim = generate(story, provider="local", seed=1, cache=False)
        if args.metrics:
            print(f"{story}\n{metrics(anim)}")
            continue
        path = args.out / slug(i, story)
        sheet(anim, story, args.frames, args.columns).save(path)
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path, file=sys.stdout)


if __name__ == "__main__":
    main()
