"""Motion properties of tests/stories.yml, checked numerically on an Animation's frames.

Each `assert_*` raises AssertionError saying what it measured when the property does not hold.
They only read the Animation (frames, stage, characters and the embedded script for action
timing), so they work on any compiled output, whoever planned the Script: the hand-written
Scripts of test_motion_properties.py today, the local planner's or an LLM's later.

Thresholds are relative to the figure's standing height `h` measured on the first frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from stickanim_jupyter.schema import Animation

Pose = dict[str, tuple[float, float]]


@dataclass(frozen=True)
class Sample:
    t: float  # ms from the start of the animation (scenes laid end to end)
    pose: Pose


def char_id(anim: Animation, who: str | int) -> str:
    """A character id from an id, a name (case-insensitive) or an index."""
    if isinstance(who, int):
        return anim.characters[who].id
    for c in anim.characters:
        if who in (c.id, c.name) or who.lower() == c.name.lower():
            return c.id
    raise AssertionError(f"no character {who!r} in {[c.name for c in anim.characters]}")


def track(anim: Animation, who: str | int) -> list[Sample]:
    cid = char_id(anim, who)
    out, offset = [], 0.0
    for scene in anim.scenes:
        out += [Sample(offset + f.t, f.poses[cid]) for f in scene.frames]
        offset += scene.duration
    return out


def height(anim: Animation, who: str | int) -> float:
    """Standing height on the first frame: lowest foot to the top of the head."""
    cid = char_id(anim, who)
    pose = track(anim, cid)[0].pose
    radius = next(c.head_radius for c in anim.characters if c.id == cid)
    return max(pose["foot_l"][1], pose["foot_r"][1]) - pose["head"][1] + radius


def action_window(
    anim: Animation, action: str, who: str | int | None = None, nth: int = 0
) -> tuple[float, float]:
    """(start, end) in animation ms of the nth `action` (of `who`, if given) in the script."""
    cid = char_id(anim, who) if who is not None else None
    found, offset = [], 0.0
    for scene, anim_scene in zip(anim.script.scenes, anim.scenes, strict=True):
        for a in sorted(scene.actions, key=lambda a: a.start):
            if a.action == action and (cid is None or a.character == cid or a.params.target == cid):
                found.append((offset + a.start, offset + a.end))
        offset += anim_scene.duration
    if len(found) <= nth:
        raise AssertionError(f"the script has no {action!r} action #{nth} (for {who!r})")
    return found[nth]


def _window(samples: list[Sample], t0: float = -math.inf, t1: float = math.inf) -> list[Sample]:
    return [s for s in samples if t0 <= s.t <= t1]


def reversals(values: list[float], hysteresis: float) -> int:
    """How many times a series changes direction, ignoring wiggles smaller than `hysteresis`."""
    if not values:
        return 0
    count, direction = 0, 0
    hi = lo = values[0]
    for v in values[1:]:
        hi, lo = max(hi, v), min(lo, v)
        if direction >= 0 and v < hi - hysteresis:  # turned downward
            count += direction > 0
            direction, lo = -1, v
        elif direction <= 0 and v > lo + hysteresis:  # turned upward
            count += direction < 0
            direction, hi = 1, v
    return count


# --- properties -----------------------------------------------------------------------------
def wave_reversals(anim: Animation, who: str | int = 0) -> int:
    """Most horizontal direction changes of one hand while it is above its shoulder."""
    samples, h = track(anim, who), height(anim, who)
    best = 0
    for side in ("_l", "_r"):
        stretch: list[float] = []  # hand x while the hand is above the shoulder
        for s in samples:
            if s.pose["hand" + side][1] < s.pose["shoulder" + side][1]:
                stretch.append(s.pose["hand" + side][0])
            else:
                best = max(best, reversals(stretch, 0.015 * h))
                stretch = []
        best = max(best, reversals(stretch, 0.015 * h))
    return best


def assert_waves(anim: Animation, who: str | int = 0, min_reversals: int = 2) -> None:
    """A hand rises above its shoulder and moves side to side (`min_reversals` direction changes;
    three full waves make at least 5)."""
    n = wave_reversals(anim, who)
    assert n >= min_reversals, (
        f"waving hand changed direction {n} times above the shoulder, want >= {min_reversals}"
    )


def assert_moves(anim: Animation, who: str | int = 0, direction: int = 1, min_fraction: float = 0.15) -> None:
    """The pelvis ends at least `min_fraction` of the stage width further in `direction` (+1 right)."""
    samples = track(anim, who)
    moved = (samples[-1].pose["pelvis"][0] - samples[0].pose["pelvis"][0]) * direction
    want = min_fraction * anim.stage.width
    assert moved >= want, f"pelvis moved {moved:.1f} units in direction {direction:+d}, want >= {want:.0f}"


def assert_feet_alternate(anim: Animation, who: str | int = 0, min_switches: int = 2) -> None:
    """Each foot is ahead of the other in turn (left ahead, right ahead, left ahead...)."""
    samples, h = track(anim, who), height(anim, who)
    lead, switches = 0, 0
    for s in samples:
        d = s.pose["foot_r"][0] - s.pose["foot_l"][0]
        now = 1 if d > 0.05 * h else -1 if d < -0.05 * h else 0
        if now and lead and now != lead:
            switches += 1
        lead = now or lead
    assert switches >= min_switches, f"the leading foot changed {switches} times, want >= {min_switches}"


def assert_no_foot_slide(anim: Animation, who: str | int = 0, tolerance: float = 1.0) -> None:
    """A foot on the ground (within 0.5 of ground_y) stays put while it is down."""
    ground = anim.stage.ground_y
    for foot in ("foot_l", "foot_r"):
        start = None
        for s in track(anim, who):
            x, y = s.pose[foot]
            if y >= ground - 0.5:
                start = x if start is None else start
                assert abs(x - start) <= tolerance, f"{foot} slid {abs(x - start):.2f} units at t={s.t:.0f}"
            else:
                start = None


def pelvis_distance(pose_a: Pose, pose_b: Pose) -> float:
    return abs(pose_a["pelvis"][0] - pose_b["pelvis"][0])


def assert_approach(
    anim: Animation, a: str | int, b: str | int, until: float, min_shrink: float = 0.1
) -> None:
    """The pelvises get closer by `min_shrink` of the stage width between t=0 and `until` (ms)."""
    ta, tb = track(anim, a), track(anim, b)
    before = pelvis_distance(ta[0].pose, tb[0].pose)
    at = min(range(len(ta)), key=lambda i: abs(ta[i].t - until))
    after = pelvis_distance(ta[at].pose, tb[at].pose)
    want = min_shrink * anim.stage.width
    assert before - after >= want, (
        f"pelvis distance went {before:.0f} -> {after:.0f}, want it to shrink by {want:.0f}"
    )


def longest_contact(anim: Animation, a: str | int, b: str | int, joint_a: str, joint_b: str,
                    window: tuple[float, float], tolerance: float) -> float:  # fmt: skip
    """Longest stretch (ms) in `window` during which the two joints are within `tolerance`."""
    ta, tb = track(anim, a), track(anim, b)
    best, since = 0.0, None
    for sa, sb in zip(ta, tb, strict=True):
        if not window[0] <= sa.t <= window[1]:
            continue
        if math.dist(sa.pose[joint_a], sb.pose[joint_b]) <= tolerance:
            since = sa.t if since is None else since
            best = max(best, sa.t - since)
        else:
            since = None
    return best


def assert_hands_meet(anim: Animation, a: str | int, b: str | int, action: str = "shake_hands",
                      hands: tuple[str, str] = ("hand_r", "hand_r"), min_ms: float = 250.0) -> None:  # fmt: skip
    """During the `action`, the two hands stay within a tenth of a figure's height of each other
    for at least `min_ms` in a row."""
    window = action_window(anim, action, a)
    tol = 0.1 * height(anim, a)
    held = longest_contact(anim, a, b, hands[0], hands[1], window, tol)
    assert held >= min_ms, (
        f"{hands[0]}/{hands[1]} within {tol:.1f} for {held:.0f} ms during {action}, want >= {min_ms:.0f}"
    )


def jump_peaks(anim: Animation, who: str | int = 0, rise: float = 0.1) -> list[Sample]:
    """Highest frame of each separate time the pelvis rises `rise`*h above its standing height."""
    samples, h = track(anim, who), height(anim, who)
    stand_y = samples[0].pose["pelvis"][1]
    peaks: list[Sample] = []
    current: Sample | None = None
    for s in samples:
        up = stand_y - s.pose["pelvis"][1]
        if up > rise * h:
            if current is None or s.pose["pelvis"][1] < current.pose["pelvis"][1]:
                current = s
        elif up < 0.5 * rise * h and current is not None:  # back down: that jump is over
            peaks.append(current)
            current = None
    return peaks + ([current] if current else [])


def assert_jumps(anim: Animation, who: str | int = 0, count: int = 3) -> None:
    """The pelvis rises clearly above standing height `count` separate times, both feet off the
    ground at each peak."""
    peaks = jump_peaks(anim, who)
    assert len(peaks) == count, (
        f"the pelvis rose clearly above standing height {len(peaks)} times, want {count}"
    )
    ground = anim.stage.ground_y
    for p in peaks:
        low = max(p.pose["foot_l"][1], p.pose["foot_r"][1])
        assert low < ground - 2.0, (
            f"at the peak t={p.t:.0f} a foot is at y={low:.1f}, on the ground ({ground})"
        )


def assert_sits_and_rises(
    anim: Animation, who: str | int = 0, before: float = math.inf, drop: float = 0.25
) -> None:
    """Before `before` (ms), the pelvis goes down by `drop`*h, then comes back to standing height."""
    samples, h = _window(track(anim, who), t1=before), height(anim, who)
    stand_y = samples[0].pose["pelvis"][1]
    low = max(range(len(samples)), key=lambda i: samples[i].pose["pelvis"][1])
    went_down = samples[low].pose["pelvis"][1] - stand_y
    assert went_down >= drop * h, f"the pelvis went down {went_down:.1f}, want >= {drop * h:.1f}"
    back = min(abs(s.pose["pelvis"][1] - stand_y) for s in samples[low:])
    assert back <= 0.05 * h, f"the pelvis did not come back up (closest {back:.1f} from standing)"


def assert_bows(anim: Animation, who: str | int = 0, nth: int = 0) -> None:
    """During the bow, the head moves forward (away from the pelvis horizontally) and down
    relative to the pelvis, each by at least a tenth of the height."""
    t0, t1 = action_window(anim, "bow", who, nth)
    samples, h = _window(track(anim, who), t0, t1), height(anim, who)

    def rel(s: Sample) -> tuple[float, float]:
        return s.pose["head"][0] - s.pose["pelvis"][0], s.pose["head"][1] - s.pose["pelvis"][1]

    x0, y0 = rel(samples[0])
    forward = max(abs(rel(s)[0]) - abs(x0) for s in samples)
    down = max(rel(s)[1] - y0 for s in samples)
    assert forward >= 0.1 * h, f"the head moved {forward:.1f} forward of the pelvis, want >= {0.1 * h:.1f}"
    assert down >= 0.1 * h, f"the head moved {down:.1f} down relative to the pelvis, want >= {0.1 * h:.1f}"


def claps(anim: Animation, who: str | int = 0) -> int:
    """How many times the two hands come together (within 0.05 h) after being apart (> 0.12 h)."""
    samples, h = track(anim, who), height(anim, who)
    count, apart = 0, False
    for s in samples:
        d = math.dist(s.pose["hand_l"], s.pose["hand_r"])
        if d > 0.12 * h:
            apart = True
        elif d < 0.05 * h and apart:
            count, apart = count + 1, False
    return count


def assert_claps(anim: Animation, who: str | int = 0, min_claps: int = 2) -> None:
    """The character's two hands meet and part repeatedly."""
    n = claps(anim, who)
    assert n >= min_claps, f"the hands met {n} times after parting, want >= {min_claps}"


def assert_names(anim: Animation, *names: str) -> None:
    have = {c.name for c in anim.characters}
    assert set(names) <= have, f"characters are named {sorted(have)}, want {list(names)}"


def assert_runs_away(anim: Animation, runner: str | int, other: str | int, min_speed: float = 1.2) -> None:
    """The runner's pelvis moves away from the other's faster than a walk: over some half
    second, at `min_speed` figure heights per second (a brisk walk is ~0.75)."""
    ta, tb, h = track(anim, runner), track(anim, other), height(anim, runner)
    best = 0.0
    for i, s in enumerate(ta):
        j = next((k for k in range(i, len(ta)) if ta[k].t - s.t >= 500.0), None)
        if j is None:
            break
        gain = pelvis_distance(ta[j].pose, tb[j].pose) - pelvis_distance(s.pose, tb[i].pose)
        best = max(best, gain / (ta[j].t - s.t) * 1000.0)
    assert best >= min_speed * h, f"moved away at {best:.0f} units/s at best, want >= {min_speed * h:.0f}"


def assert_falls_and_rises(anim: Animation, who: str | int = 0, near: float = 0.2) -> None:
    """The head comes down within `near`*h of the ground, then returns to standing height."""
    samples, h = track(anim, who), height(anim, who)
    ground = anim.stage.ground_y
    stand_y = samples[0].pose["head"][1]
    low = max(range(len(samples)), key=lambda i: samples[i].pose["head"][1])
    gap = ground - samples[low].pose["head"][1]
    assert gap <= near * h, f"the head came down to {gap:.1f} above the ground, want <= {near * h:.1f}"
    back = abs(samples[-1].pose["head"][1] - stand_y)
    assert back <= 0.05 * h, f"the head ends {back:.1f} away from standing height"
