"""The widget state of an Animation: its JSON without the frames, plus the frames as float32 bytes.

The layout, shared with js/widget.js: each scene's ``frames`` replaced by ``times`` (the frame
times, ms) and ``n_frames``; the bytes are float32 little-endian, laid out scene > frame >
character (order of ``animation.characters``) > joint (order of ``animation.joints``) > x, y,
then thing (order of ``animation.props``) > x, y, angle in degrees; scenes concatenated. The
live widget and the standalone HTML page both carry this state.
"""

from __future__ import annotations

import json
import sys
from array import array
from typing import TYPE_CHECKING, Any

from .errors import ValidationError

if TYPE_CHECKING:
    from .schema import Animation, Frame

PROP_FLOATS = 3  # x, y, angle of one thing in one frame


def encode_frames(anim: Animation) -> bytes:
    """All frames as float32 little-endian: scene > frame > (character > joint > x, y), (thing > x, y, angle)."""
    ids = [c.id for c in anim.characters]
    prop_ids = [p.id for p in anim.props]
    buf = array("f")
    for scene in anim.scenes:
        for frame in scene.frames:
            for cid in ids:
                pose = frame.poses.get(cid)
                if pose is None:
                    raise ValidationError(f"scene {scene.id!r}, t={frame.t}: no pose for character {cid!r}")
                try:
                    for joint in anim.joints:
                        buf.extend(pose[joint])
                except KeyError as err:
                    raise ValidationError(
                        f"scene {scene.id!r}, t={frame.t}: character {cid!r} lacks joint {err.args[0]!r}"
                    ) from None
            _encode_props(buf, scene.id, frame, prop_ids)
    if sys.byteorder == "big":
        buf.byteswap()
    return buf.tobytes()


def _encode_props(buf: array, scene_id: str, frame: Frame, prop_ids: list[str]) -> None:
    for pid in prop_ids:
        place = frame.props.get(pid)
        if place is None:
            raise ValidationError(f"scene {scene_id!r}, t={frame.t}: no place for thing {pid!r}")
        buf.extend(place)


def animation_state(anim: Animation) -> dict[str, Any]:
    """The widget state of an Animation: {"animation": JSON dict without frames, "frames": bytes}."""
    data = anim.model_dump(mode="json", exclude={"scenes": {"__all__": {"frames"}}})  # frames go as bytes
    for scene_json, scene in zip(data["scenes"], anim.scenes, strict=True):
        scene_json["times"] = [f.t for f in scene.frames]
        scene_json["n_frames"] = len(scene.frames)
    return {"animation": data, "frames": encode_frames(anim)}


def animation_json_from_state(animation: dict[str, Any], frames: bytes) -> dict[str, Any]:
    """The Animation JSON back from its widget state (the inverse of animation_state, at float32).

    JSON rather than an Animation so that this module needs no schema at run time (the HTML
    export uses it, and the schema's save() calls the exports); Animation.parse validates it.
    """
    values = array("f")
    values.frombytes(bytes(frames))
    if sys.byteorder == "big":
        values.byteswap()
    ids = [c["id"] for c in animation["characters"]]
    prop_ids = [p["id"] for p in animation.get("props") or []]
    joints = list(animation["joints"])
    per_pose = len(ids) * len(joints) * 2
    per_frame = per_pose + len(prop_ids) * PROP_FLOATS
    data = json.loads(json.dumps(animation))  # a deep copy we may edit
    pos = 0
    for scene in data["scenes"]:
        times, n = scene.pop("times"), scene.pop("n_frames")
        frames_json = []
        for frame_t in times[:n]:
            chunk = values[pos : pos + per_frame]
            pos += per_frame
            poses = {
                cid: {
                    j: [chunk[(ci * len(joints) + ji) * 2], chunk[(ci * len(joints) + ji) * 2 + 1]]
                    for ji, j in enumerate(joints)
                }
                for ci, cid in enumerate(ids)
            }
            props = {
                pid: list(chunk[per_pose + k * PROP_FLOATS : per_pose + (k + 1) * PROP_FLOATS])
                for k, pid in enumerate(prop_ids)
            }
            frames_json.append({"t": frame_t, "poses": poses, "props": props})
        scene["frames"] = frames_json
    if pos != len(values):
        raise ValidationError(f"frame data has {len(values)} values, the animation needs {pos}")
    return data
