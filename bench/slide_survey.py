"""Foot slide over random whole-vocabulary Scripts: how many exceed quality.SLIDE_TOLERANCE,
and during which action the worst drift happens.

Run: python bench/slide_survey.py [--n 400] [--fps 24] [--show 15]

The Scripts come from tests/test_engine.py's `scripts()` strategy (every action, custom `pose`
keyframes, speeds, durations from 10 ms, 1-4 characters, 1-3 scenes), derandomized: the
same Scripts every run.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from test_engine import scripts  # noqa: E402

from stickanim_jupyter import quality, rig  # noqa: E402
from stickanim_jupyter.compiler import compile_script  # noqa: E402
from stickanim_jupyter.schema import Animation, Script  # noqa: E402


def worst_slide(anim: Animation) -> tuple[float, str]:
    """(drift, where: scene, time, character, foot, the action it is doing)."""
    ground, best, where = anim.stage.ground_y, 0.0, ""
    for scene, src in zip(anim.scenes, anim.script.scenes, strict=True):
        for c in anim.characters:
            for foot in ("foot_l", "foot_r"):
                drift, prev, prev_t, t0 = 0.0, None, -math.inf, 0.0
                for f in scene.frames:
                    x, y = f.poses[c.id][foot]
                    if y >= ground - quality.GROUND_EPS:
                        if prev is not None and f.t - prev_t <= quality.MAX_GAP_MS:
                            drift += abs(x - prev)
                        else:
                            drift, t0 = 0.0, f.t
                        prev, prev_t = x, f.t
                        if drift > best:
                            best, where = drift, _doing(src, c.id, t0, f.t, scene.id, foot)
                            edge = _at_edge(anim, scene.frames, c.id, t0, f.t)
                            where += " (at the stage edge)" if edge else ""
                    else:
                        drift, prev = 0.0, None
    return best, where


def _at_edge(anim: Animation, frames: list, cid: str, t0: float, t1: float) -> bool:  # type: ignore[type-arg]
    """Whether the figure touches a side of the stage then (the compiler shifts it back on)."""
    r = rig.HEAD_RADIUS
    near = [f.poses[cid] for f in frames if t0 <= f.t <= t1]
    lo = min((min(x for x, _ in p.values()) for p in near), default=anim.stage.width)
    lo = min([lo, *(p["head"][0] - r for p in near)])
    hi = max((max(x for x, _ in p.values()) for p in near), default=0.0)
    hi = max([hi, *(p["head"][0] + r for p in near)])
    return lo < 1.0 or hi > anim.stage.width - 1.0


def _doing(src: object, cid: str, t0: float, t: float, sid: str, foot: str) -> str:
    acts = [a for a in src.actions if a.character == cid and a.start <= t and a.start + a.duration >= t0]  # type: ignore[attr-defined]
    names = ", ".join(f"{a.action}@{a.start:.0f}+{a.duration:.0f}" for a in acts) or "nothing"
    return f"{sid} {cid} {foot} {t0:.0f}-{t:.0f} ms during {names}"


def draw_scripts(n: int) -> list[Script]:
    """`n` Scripts from the tests' strategy, the same ones every run (derandomized)."""
    out: list[Script] = []

    @settings(max_examples=n, database=None, derandomize=True, deadline=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate])  # fmt: skip
    @given(scripts())
    def collect(s: Script) -> None:
        out.append(s)

    collect()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--fps", type=int, default=24)
    ap.add_argument("--show", type=int, default=15)
    ap.add_argument("--save", type=Path, help="write each sliding Script there as JSON")
    args = ap.parse_args()
    bad, causes = [], Counter[str]()
    unique = {s.model_dump_json(): s for s in draw_scripts(args.n)}
    for s in unique.values():
        d, where = worst_slide(compile_script(s, fps=args.fps))
        if d > quality.SLIDE_TOLERANCE:
            bad.append((d, where))
            if args.save:
                args.save.mkdir(parents=True, exist_ok=True)
                (args.save / f"{len(bad):03d}.json").write_text(s.model_dump_json(indent=1), "utf-8")
            causes["stage edge" if where.endswith("edge)") else where.split(" during ")[1].split("@")[0]] += 1
    print(
        f"{len(bad)} of {len(unique)} different Scripts ({100 * len(bad) / len(unique):.1f} %) slide a planted foot over "
        f"{quality.SLIDE_TOLERANCE} units at {args.fps} fps"
    )
    print("first action of the worst stretch:", dict(causes.most_common()))
    for d, where in sorted(bad, reverse=True)[: args.show]:
        print(f"  {d:6.1f}  {where}")


if __name__ == "__main__":
    main()
