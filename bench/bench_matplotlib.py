"""The alternative a user would reach for: matplotlib's FuncAnimation shown with to_jshtml().

Run: python bench/bench_matplotlib.py

The same Animation (the two-character handshake story, local planner, 24 fps) drawn two ways:
- matplotlib: a figure the size of our player (720 x 405 px: 7.2 x 4.05 in at 100 dpi), the
  ground line, one Line2D per bone, a Circle per head and a name label per character, updated
  per frame by FuncAnimation; `to_jshtml(fps=anim.fps)` embeds every frame as a PNG in the
  HTML a notebook stores (what `HTML(ani.to_jshtml())` displays).
- ours: what a notebook stores for `%%animate`: the display output (widget view reference,
  text/plain, and the static text/html fallback, an animated SVG), and with "save widget
  state" also the widget state (animation_state(): JSON plus float32 frames, base64-encoded,
  plus the player's JS that anywidget keeps in the state). Also the self-contained player page
  (widget.standalone_html), the closest thing to to_jshtml's standalone HTML.
Time: from the Animation to the notebook's bytes (building the widget and its display output),
median of `runs` runs after a warm-up. Baseline: ours, in the same run.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from common import Section, fmt_ratio, median, print_section, time_ms

STORY = "two people walk toward each other and shake hands"
DPI = 100
SIZE_IN = (7.2, 4.05)


def to_jshtml(anim: Any) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation
    from matplotlib.patches import Circle

    matplotlib.rcParams["animation.embed_limit"] = 500  # MB; the default 20 MB would truncate long ones
    st = anim.stage
    fig, ax = plt.subplots(figsize=SIZE_IN, dpi=DPI)
    fig.subplots_adjust(0, 0, 1, 1)
    ax.set_xlim(0, st.width)
    ax.set_ylim(st.height, 0)  # stage units, y down
    ax.set_axis_off()
    ax.axhline(st.ground_y, color="#9e9e9e", lw=2)
    frames = [(si, f) for si, s in enumerate(anim.scenes) for f in s.frames]
    artists: list[tuple[str, list, Any, Any]] = []
    for c in anim.characters:
        lines = [ax.plot([], [], color=c.color, lw=3, solid_capstyle="round")[0] for _ in anim.bones]
        head = Circle((0, 0), c.head_radius, facecolor="white", edgecolor=c.color, lw=3)
        ax.add_patch(head)
        label = ax.text(0, 0, c.name, ha="center", va="bottom", fontsize=10, color="#424242")
        artists.append((c.id, lines, head, label))

    def update(i: int) -> list:
        _, frame = frames[i]
        out = []
        for cid, lines, head, label in artists:
            pose = frame.poses[cid]
            for line, (a, b) in zip(lines, anim.bones, strict=True):
                line.set_data([pose[a][0], pose[b][0]], [pose[a][1], pose[b][1]])
            hx, hy = pose["head"]
            head.center = (hx, hy)
            label.set_position((hx, hy - head.radius - 6))
            out += [*lines, head, label]
        return out

    ani = FuncAnimation(fig, update, frames=len(frames), interval=1000 / anim.fps, blit=False)
    html = ani.to_jshtml(fps=anim.fps, default_mode="loop")
    plt.close(fig)
    return html


def ours(anim: Any) -> dict[str, int]:
    """Display `anim` as `%%animate` does; bytes of the output a notebook saves, without and with
    widget state (JupyterLab saves widget state only when asked: "Save Widget State Automatically")."""
    from stickanim_jupyter.widget import AnimationWidget

    widget = AnimationWidget.from_animation(anim, story=STORY, providers=[])
    data, _ = widget._repr_mimebundle_()
    output = len(json.dumps(data, ensure_ascii=False).encode())
    state = {
        k: base64.b64encode(v).decode() if isinstance(v, bytes) else v for k, v in widget.get_state().items()
    }
    saved = len(json.dumps(state, ensure_ascii=False, default=list).encode())
    widget.close()
    return {
        "output": output,
        "fallback": len(data["text/html"].encode()),
        "state": saved,
        "js": len(state["_esm"].encode()),
        "frames": len(widget.frames),
    }


def run(runs: int = 3) -> Section:
    from stickanim_jupyter import generate
    from stickanim_jupyter.widget import standalone_html

    t0 = time.perf_counter()
    anim = generate(STORY, provider="local", cache=False)
    n_frames = sum(len(s.frames) for s in anim.scenes)
    ours_ms = median(time_ms(lambda: ours(anim), runs * 3))
    page_ms = median(time_ms(lambda: standalone_html(anim), runs * 3))
    sizes = ours(anim)
    page = len(standalone_html(anim).encode())
    mpl_ms = median(time_ms(lambda: to_jshtml(anim), runs))
    mpl = len(to_jshtml(anim).encode())
    base, with_state = sizes["output"], sizes["output"] + sizes["state"]
    rows = [
        [
            "ours: the `%%animate` output (widget view + text/plain + text/html fallback)",
            ours_ms,
            base,
            "1.00x",
            "1.00x",
        ],
        [
            "ours: the same, saved with widget state (frames + the player's JS)",
            ours_ms,
            with_state,
            "1.00x",
            fmt_ratio(with_state / base),
        ],
        [
            "ours: self-contained player page (`standalone_html`)",
            page_ms,
            page,
            fmt_ratio(page_ms / ours_ms),
            fmt_ratio(page / base),
        ],
        [
            "matplotlib `FuncAnimation` + `to_jshtml()`",
            mpl_ms,
            mpl,
            fmt_ratio(mpl_ms / ours_ms),
            fmt_ratio(mpl / base),
        ],
    ]
    return Section(
        title="Against matplotlib FuncAnimation + to_jshtml()",
        intro=(
            f"The same animation ({STORY!r}, local planner: {len(anim.characters)} characters, "
            f"{anim.duration_ms / 1000:.1f} s, {n_frames} frames at {anim.fps} fps) from the Animation to "
            f"what the notebook stores. matplotlib draws at our player's size ({int(SIZE_IN[0] * DPI)}x"
            f"{int(SIZE_IN[1] * DPI)} px); median of {runs} runs (ours: {runs * 3}). Baseline: ours."
        ),
        header=["what", "time ms", "bytes in the notebook", "time vs ours", "bytes vs ours"],
        rows=rows,
        notes=[
            f"Ours in detail: the text/html fallback (an animated SVG) is {sizes['fallback']:,} bytes of the "
            f"output; the saved widget state is {sizes['state']:,} bytes, of which the player's JS is "
            f"{sizes['js']:,} and the frames {sizes['frames']:,} (before base64). Time: building the widget "
            "and its display output.",
            "The player draws at any size and frame rate (interpolating between frames); the jshtml "
            "frames are fixed PNGs at one size and the animation's fps.",
            "The generate() time itself is not counted on either side (see Local generation).",
        ],
        headline={
            "time_ratio": mpl_ms / ours_ms,
            "bytes_ratio": mpl / base,
            "bytes_ratio_state": mpl / with_state,
            "mpl_ms": mpl_ms,
            "ours_ms": ours_ms,
            "mpl_bytes": mpl,
            "ours_bytes": base,
            "ours_state_bytes": with_state,
        },
        seconds=time.perf_counter() - t0,
    )


def main() -> None:
    print_section(run())


if __name__ == "__main__":
    main()
