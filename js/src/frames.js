// The frame buffer: float32 little-endian, scene > frame > (character > joint > (x, y), then
// thing > (x, y, angle°)), scenes concatenated (see src/stickanim_jupyter/state.py, encode_frames).

/** Any binary payload (DataView, ArrayBuffer, typed array, or nothing) as a DataView. */
export function toDataView(buffer) {
  if (buffer == null) return new DataView(new ArrayBuffer(0));
  if (buffer instanceof DataView) return buffer;
  if (buffer instanceof ArrayBuffer) return new DataView(buffer);
  if (ArrayBuffer.isView(buffer)) return new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  throw new TypeError("frames must be binary data");
}

/**
 * Numbers of characters, joints and things, and floats per frame of an animation state: the
 * poses come first (propBase floats), then 3 per thing.
 */
export function frameShape(animation) {
  const nChars = animation.characters.length;
  const nJoints = animation.joints.length;
  const nProps = Array.isArray(animation.props) ? animation.props.length : 0;
  const propBase = nChars * nJoints * 2;
  return { nChars, nJoints, nProps, propBase, perFrame: propBase + nProps * 3 };
}

/**
 * Decode the float32 little-endian frame buffer into one scene record per scene:
 * {id, description, duration, times: Float64Array, nFrames, data: Float32Array}.
 * Throws when the buffer does not match the animation (the caller keeps the old one).
 */
export function decodeFrames(animation, buffer) {
  const view = toDataView(buffer);
  const { perFrame } = frameShape(animation);
  const scenes = animation.scenes || [];
  let expected = 0;
  for (const s of scenes) {
    if (!Array.isArray(s.times) || s.times.length !== s.n_frames || s.n_frames < 1) {
      throw new Error(`scene ${s.id}: times and n_frames disagree`);
    }
    expected += s.n_frames * perFrame * 4;
  }
  if (view.byteLength !== expected) {
    throw new Error(`frame data has ${view.byteLength} bytes, the animation needs ${expected}`);
  }
  let offset = 0;
  return scenes.map((s) => {
    const n = s.n_frames * perFrame;
    const data = readFloat32(view, offset, n);
    offset += n * 4;
    return {
      id: s.id,
      description: s.description || "",
      duration: s.duration,
      times: Float64Array.from(s.times),
      nFrames: s.n_frames,
      data,
    };
  });
}

function readFloat32(view, offset, n) {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = view.getFloat32(offset + i * 4, true);
  return out;
}
