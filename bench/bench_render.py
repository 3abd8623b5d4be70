"""Rendering: draw time per frame in headless Chromium, and widget state bytes.

Run: python bench/bench_render.py

Draw time: js/widget.js itself is inlined as a module into a blank page (as
widget.standalone_html does) and its exported draw path runs for every display frame of a
5 s animation at 60 Hz: `poseAtTime` (scene lookup + interpolation between the two
surrounding frames) then `drawPose` (stage, ground, bones, heads, name labels), on a 720 px
wide canvas (the player's maximum CSS width, device pixel ratio 1), followed by a 1-pixel
`getImageData` that forces Chromium to rasterize what was drawn. Per pass, the mean time per
frame; the table gives the median of `passes` passes. Baseline, same page and run: the stage
alone (background and ground line, no figure). Chromium is Debian's /usr/bin/chromium,
software rendering (--disable-gpu); no browser is ever downloaded.

20 characters exceed the Script's cap of 8 (schema.MAX_CHARACTERS), so that animation is four
compiled 5-character animations merged into one Animation: the player has no cap of its own.
The "5 + 5 things" row adds five things (a chair, a table, a tree, a ball and a cup: behind
and in front of the figures) and two speech bubbles (one CJK thought, one English speech)
shown for the whole animation: the draw then also places and paints those.

State bytes: widget.animation_state() of 5 s, 10 s and 60 s two-character animations, and of
10 s with two characters and three things, against the dense Animation JSON
(`Animation.to_json()`, the contract's form) in the same run.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from common import Section, fmt_ratio, median, print_section

CANVAS_CSS_WIDTH = 720
DISPLAY_HZ = 60
COLORS = ["#E53935", "#1E88E5", "#43A047", "#FB8C00", "#8E24AA"]
CYCLE = ["walk", "wave", "jump", "dance", "clap", "turn", "kick", "nod"]
BENCH_THINGS = ("chair", "table", "tree", "ball", "cup")
BENCH_WORDS = (
    ("think", "我想先喝一杯茶，然后再去公园散步。"),
    ("say", "Hello everyone! Shall we play ball after lunch?"),
)

BENCH_JS = """
window.__stickanim = { decodeFrames, prepareScene, poseAtTime, drawPose, themeColors, fitStage, labelSize };
window.__bench = (payload, passes, hz) => {
  const S = window.__stickanim;
  const bytes = Uint8Array.from(atob(payload.frames_b64), (c) => c.charCodeAt(0));
  const animation = payload.animation;
  const scene = S.prepareScene(animation, S.decodeFrames(animation, bytes));
  const canvas = document.getElementById("c");
  const fit = S.fitStage(payload.css_width, 0, scene.stage.width, scene.stage.height, 1);
  canvas.width = fit.pixelWidth;
  canvas.height = fit.pixelHeight;
  const ctx = canvas.getContext("2d");
  const colors = S.themeColors(null);
  const size = S.labelSize(scene.stage.width, fit.cssWidth);
  const total = scene.timeline.total;
  const step = 1000 / hz;
  const stageOnly = { ...scene, characters: [], things: [], animation: { ...animation, scenes: [] } };
  const out = { stage_only: [], figures: [], frames: 0, width: canvas.width, height: canvas.height };
  for (let p = 0; p < passes; p++) {
    for (const [key, drawn] of [["stage_only", stageOnly], ["figures", scene]]) {
      let n = 0;
      const t0 = performance.now();
      for (let t = 0; t <= total + 1e-9; t += step) {
        const at = S.poseAtTime(scene, t);
        S.drawPose(ctx, drawn, scene.coords, fit.scale, colors, size, at);
        ctx.getImageData(0, 0, 1, 1);
        n++;
      }
      out[key].push((performance.now() - t0) / n);
      out.frames = n;
    }
  }
  return out;
};
window.__ready = true;
"""


# --- animations ---------------------------------------------------------------------------------
def dancers(
    n: int, duration_ms: int = 5000, x0: float = 0.1, seed: int = 0, things: tuple[str, ...] = ()
) -> Any:
    """n characters (<= 8) dancing side by side for duration_ms among `things`, compiled at 24 fps."""
    from stickanim_jupyter import compile_script
    from stickanim_jupyter.schema import Script

    xs = [x0 + (0.8 * i / max(1, n - 1) if n > 1 else 0.4) for i in range(n)]
    chars = [
        {"id": f"char_{i + 1}", "name": f"D{i + 1}", "color": COLORS[i % len(COLORS)], "x": min(x, 1.0)}
        for i, x in enumerate(xs)
    ]
    actions = [{"character": c["id"], "action": "dance", "start": 0, "duration": duration_ms} for c in chars]
    props = [
        {"id": f"prop_{i + 1}", "kind": k, "x": 0.05 + 0.9 * i / max(1, len(things) - 1)}
        for i, k in enumerate(things)
    ]
    script = Script.parse(
        {
            "title": f"{n} dancers",
            "characters": chars,
            "props": props,
            "scenes": [{"id": "scene_1", "actions": actions}],
        }
    )
    return compile_script(script, fps=24, seed=seed)


def with_words(anim: Any) -> Any:
    """`anim` with BENCH_WORDS as bubbles over its first characters, for the whole animation."""
    from stickanim_jupyter.schema import Speech

    for scene in anim.scenes:
        scene.speech = [
            Speech(character=c.id, kind=kind, text=text, start=0, end=scene.duration)
            for c, (kind, text) in zip(anim.characters, BENCH_WORDS, strict=False)
        ]
    return anim


def merged(parts: list[Any]) -> Any:
    """One Animation holding the characters of several same-length animations (ids renumbered)."""
    from stickanim_jupyter.schema import Animation, AnimCharacter, AnimScene, Frame

    first = parts[0]
    chars, renames = [], []
    for anim in parts:
        names = {}
        for c in anim.characters:
            new = f"char_{len(chars) + 1}"
            names[c.id] = new
            chars.append(
                AnimCharacter(id=new, name=f"D{len(chars) + 1}", color=c.color, head_radius=c.head_radius)
            )
        renames.append(names)
    scenes = []
    for si, scene in enumerate(first.scenes):
        frames = []
        for fi, frame in enumerate(scene.frames):
            poses = {}
            for anim, names in zip(parts, renames, strict=True):
                for cid, pose in anim.scenes[si].frames[fi].poses.items():
                    poses[names[cid]] = pose
            frames.append(Frame(t=frame.t, poses=poses))
        scenes.append(
            AnimScene(id=scene.id, description=scene.description, duration=scene.duration, frames=frames)
        )
    return Animation(
        title=f"{len(chars)} dancers", characters=chars, scenes=scenes, script=first.script, fps=first.fps
    )


def cast(n: int | str) -> Any:
    if n == "5 + 5 things":
        return with_words(dancers(5, things=BENCH_THINGS))
    if isinstance(n, int) and n <= 8:
        return dancers(n)
    assert n % 5 == 0
    return merged([dancers(5, x0=0.08 + 0.02 * k, seed=k) for k in range(n // 5)])


def long_story(seconds: int, things: tuple[str, ...] = ()) -> Any:
    """Two characters, back-to-back 2.5 s actions from CYCLE, `seconds` long, among `things`, at 24 fps."""
    from stickanim_jupyter import compile_script
    from stickanim_jupyter.schema import Script

    step = 2500
    n = seconds * 1000 // step
    actions = []
    for who, offset in (("char_1", 0), ("char_2", 3)):
        for i in range(n):
            actions.append(
                {
                    "character": who,
                    "action": CYCLE[(i + offset) % len(CYCLE)],
                    "start": i * step,
                    "duration": step,
                }
            )
    script = Script.parse(
        {
            "title": f"{seconds} s",
            "characters": [
                {"id": "char_1", "name": "Anna", "color": "#E53935", "x": 0.3},
                {"id": "char_2", "name": "Ben", "color": "#1E88E5", "x": 0.7},
            ],
            "props": [{"id": f"prop_{i + 1}", "kind": k, "x": 0.1 + 0.4 * i} for i, k in enumerate(things)],
            "scenes": [{"id": "scene_1", "duration": seconds * 1000, "actions": actions}],
        }
    )
    return compile_script(script, fps=24)


# --- measurements -------------------------------------------------------------------------------
def page_html() -> str:
    from stickanim_jupyter.widget import esm_path

    js = esm_path().read_text(encoding="utf-8") + "\n" + BENCH_JS
    js = js.replace("</", "<\\/").replace("<!--", "<\\!--")  # as standalone_html does
    return f'<!doctype html><html><body><canvas id="c"></canvas><script type="module">\n{js}\n</script></body></html>'


def payload(anim: Any) -> dict[str, Any]:
    from stickanim_jupyter.widget import animation_state

    state = animation_state(anim)
    return {
        "animation": state["animation"],
        "frames_b64": base64.b64encode(state["frames"]).decode(),
        "css_width": CANVAS_CSS_WIDTH,
    }


def draw_times(
    counts: tuple[int | str, ...] = (1, 5, 20, "5 + 5 things"), passes: int = 7
) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        from chromium import launch  # tests/chromium.py; common put tests/ on sys.path

        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 800, "height": 600})
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.set_content(page_html())
            page.wait_for_function("window.__ready === true", timeout=30_000)
            version = browser.version
            for n in counts:
                anim = cast(n)
                res = page.evaluate(
                    "([p, passes, hz]) => window.__bench(p, passes, hz)", [payload(anim), passes, DISPLAY_HZ]
                )
                assert not errors, errors
                out.append(
                    {
                        "characters": n,
                        "figures_ms": median(res["figures"]),
                        "stage_ms": median(res["stage_only"]),
                        "frames": res["frames"],
                        "canvas": f"{res['width']}x{res['height']}",
                        "chromium": version,
                    }
                )
        finally:
            browser.close()
    return out


STATE_CASES: tuple[tuple[int, tuple[str, ...]], ...] = (
    (5, ()),
    (10, ()),
    (60, ()),
    (10, ("ball", "chair", "tree")),
)


def state_sizes(cases: tuple[tuple[int, tuple[str, ...]], ...] = STATE_CASES) -> list[dict[str, Any]]:
    from stickanim_jupyter.widget import animation_state

    out = []
    for s, things in cases:
        anim = long_story(s, things)
        state = animation_state(anim)
        meta = len(json.dumps(state["animation"], ensure_ascii=False, separators=(",", ":")).encode())
        frames = len(state["frames"])
        out.append(
            {
                "seconds": s,
                "things": len(things),
                "frames_n": sum(len(sc.frames) for sc in anim.scenes),
                "json": meta,
                "bytes": frames,
                "state": meta + frames,
                "saved": meta + len(base64.b64encode(state["frames"])),
                "dense": len(anim.to_json().encode()),
            }
        )
    return out


def _ratio(draws: list[dict[str, Any]], case: int | str, base: int | str) -> float | None:
    """Draw time of one case over another's, when both ran."""
    ms = {d["characters"]: d["figures_ms"] for d in draws}
    return ms[case] / ms[base] if case in ms and base in ms else None


def run(passes: int = 7) -> Section:
    t0 = time.perf_counter()
    draws = draw_times(passes=passes)
    sizes = state_sizes()
    rows = [
        [
            d["characters"],
            d["frames"],
            f"{d['figures_ms']:.3f}",
            f"{d['stage_ms']:.3f}",
            fmt_ratio(d["figures_ms"] / d["stage_ms"]),
            f"{1000 / DISPLAY_HZ / d['figures_ms']:.0f}x",
        ]
        for d in draws
    ]
    size_rows = [
        [
            f"{s['seconds']} s" + (f", {s['things']} things" if s["things"] else ""),
            s["frames_n"],
            s["json"],
            s["bytes"],
            s["state"],
            s["saved"],
            s["dense"],
            f"{s['state'] / s['dense']:.2f}",
        ]
        for s in sizes
    ]
    return Section(
        title="Rendering",
        intro=(
            f"Headless Chromium {draws[0]['chromium']} (software, --disable-gpu), canvas {draws[0]['canvas']} px. "
            f"js/widget.js's own `poseAtTime` + `drawPose` for every {DISPLAY_HZ} Hz display frame of a 5 s "
            "dancing animation, with a 1-pixel `getImageData` per frame to force rasterization; mean per "
            f"frame, median of {passes} passes. Baseline in the same page: the stage alone (no figures)."
        ),
        header=[
            "characters",
            "display frames",
            "ms / frame",
            "stage-only ms / frame (baseline)",
            "vs stage only",
            "headroom in a 60 Hz frame",
        ],
        rows=rows,
        extra_tables=[
            (
                "Widget state bytes (`widget.animation_state`: the Animation JSON without its frames, plus the "
                "frames as float32 bytes), two characters at 24 fps, against the dense Animation JSON of the "
                "same animation. *Saved in a notebook*: the frames base64-encoded, as widget state is stored.",
                [
                    "animation",
                    "frames",
                    "JSON part",
                    "frames part",
                    "state bytes",
                    "saved in a notebook",
                    "dense Animation JSON (baseline)",
                    "state / dense",
                ],
                size_rows,
            )
        ],
        notes=[
            "20 characters exceed the Script cap of 8: that row draws four compiled 5-character "
            "animations merged into one Animation (the player has no cap of its own).",
            "Chromium coarsens performance.now() to 0.1 ms; each pass times the whole loop of "
            "display frames, so the per-frame mean is well within that resolution.",
        ],
        headline={
            "draw": {d["characters"]: d["figures_ms"] for d in draws},
            "state": {s["seconds"]: s["state"] for s in sizes if not s["things"]},
            "state_vs_dense": {s["seconds"]: s["state"] / s["dense"] for s in sizes if not s["things"]},
            "state_things": next(s["state"] for s in sizes if s["things"]),
            "things_vs_figures": _ratio(draws, "5 + 5 things", 5),
        },
        seconds=time.perf_counter() - t0,
    )


def main() -> None:
    print_section(run())


if __name__ == "__main__":
    main()
