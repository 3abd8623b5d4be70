// The page of `stickanim serve`: a story box and the notebook widget's own player, provider
// dropdown and JSON inspector (widget.js, unchanged), driven by a small stand-in for
// anywidget's model whose "regenerate" message calls the server's JSON API.
//
// Security: story and LLM text reach the DOM through textContent only (widget.js does the
// same); nothing here assigns innerHTML.

import widget from "/static/widget.js";

const $ = (id) => document.getElementById(id);

/** The Animation JSON of /api/generate as the widget's state: frames as float32 LE bytes. */
export function widgetState(animation) {
  const ids = animation.characters.map((c) => c.id);
  const joints = animation.joints;
  const count = animation.scenes.reduce((n, s) => n + s.frames.length, 0);
  const view = new DataView(new ArrayBuffer(count * ids.length * joints.length * 8));
  let offset = 0;
  const scenes = animation.scenes.map(({ frames, ...scene }) => {
    for (const frame of frames) {
      for (const id of ids) {
        const pose = frame.poses[id];
        if (!pose) throw new Error(`scene ${scene.id}: no pose for character ${id}`);
        for (const joint of joints) {
          const point = pose[joint];
          view.setFloat32(offset, point[0], true);
          view.setFloat32(offset + 4, point[1], true);
          offset += 8;
        }
      }
    }
    return { ...scene, times: frames.map((f) => f.t), n_frames: frames.length };
  });
  return { animation: { ...animation, scenes }, frames: view };
}

/** anywidget's model, reduced to what widget.js uses; `update` sets several keys, then notifies. */
export function createModel(values, onMessage) {
  const listeners = new Map();
  const notify = (key) => {
    for (const fn of listeners.get(`change:${key}`) || []) fn();
  };
  return {
    get: (key) => values[key],
    set(key, value) {
      values[key] = value;
      notify(key);
    },
    update(changes) {
      Object.assign(values, changes);
      for (const key of Object.keys(changes)) notify(key);
    },
    on(event, fn) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(fn);
    },
    off(event, fn) {
      if (listeners.has(event)) listeners.get(event).delete(fn);
    },
    save_changes() {},
    send(message) {
      onMessage(message);
    },
  };
}

async function postJSON(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (response.ok) return response;
  const envelope = await response.json().catch(() => null);
  const error = (envelope && envelope.error) || {};
  const err = new Error(error.message || `HTTP ${response.status}`);
  err.raw = typeof error.raw === "string" ? error.raw : "";
  throw err;
}

function fileName(response, fallback) {
  const header = response.headers.get("Content-Disposition") || "";
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (utf8) {
    try {
      return decodeURIComponent(utf8[1]);
    } catch {
      // a malformed escape: the ASCII name below
    }
  }
  const ascii = /filename="([^"]+)"/.exec(header);
  return ascii ? ascii[1] : fallback;
}

function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function start() {
  let ticket = 0; // each generation supersedes the previous ones
  let current = null; // {data, seed} of the animation shown
  const model = createModel(
    {
      animation: null, frames: null, story: "", providers: [], provider: "", status: "idle",
      progress: "", error: "", raw: "", autoplay: true, loop_mode: "loop",
    },
    (message) => {
      if (message && message.type === "regenerate") generate(message.provider);
    },
  );

  async function generate(provider = model.get("provider")) {
    const story = $("story").value;
    const mine = ++ticket;
    if (!story.trim()) {
      model.update({ status: "error", progress: "", error: "write a story first", raw: "" });
      return;
    }
    const name = provider || "";
    model.update({ story, status: "running", progress: `generating with ${name || "the default provider"}…`, error: "", raw: "" });
    try {
      const response = await postJSON("/api/generate", name ? { story, provider: name } : { story });
      const body = await response.json();
      if (mine !== ticket) return;
      const state = widgetState(body.data);
      current = { data: body.data, seed: null };
      model.update({ ...state, status: "idle", progress: "" });
      $("downloads").hidden = false;
    } catch (err) {
      if (mine !== ticket) return;
      model.update({ status: "error", progress: "", error: String(err.message || err), raw: err.raw || "" });
    }
  }

  async function download(event) {
    event.preventDefault();
    const link = event.currentTarget;
    if (!current) return;
    const format = link.dataset.format;
    const base = (current.data.title || "stickanim").replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").toLowerCase();
    if (format === "json") {
      save(new Blob([JSON.stringify(current.data)], { type: "application/json" }), `${base || "stickanim"}.json`);
      return;
    }
    link.setAttribute("aria-busy", "true");
    try {
      // The Script compiles again to the same frames: no second LLM call for a file.
      const { script, fps } = current.data;
      const response = await postJSON("/api/export", { format, script, fps, seed: current.seed });
      save(await response.blob(), fileName(response, `stickanim.${format}`));
    } catch (err) {
      model.update({ status: "error", error: `${format.toUpperCase()} export failed: ${err.message || err}` });
    } finally {
      link.removeAttribute("aria-busy");
    }
  }

  async function loadProviders() {
    try {
      const response = await fetch("/api/providers");
      const body = await response.json();
      const providers = body.providers.map(({ name, model: id, available, reason }) => ({
        name, model: id, available, reason: reason || "",
      }));
      model.update({ providers, provider: model.get("provider") || body.default });
    } catch (err) {
      model.update({ status: "error", error: `cannot list the providers: ${err.message || err}` });
    }
  }

  const story = $("story");
  const count = () => {
    $("count").textContent = `${story.value.length} / ${story.maxLength}`;
  };
  story.addEventListener("input", count);
  story.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      generate();
    }
  });
  $("generate").addEventListener("click", () => generate());
  for (const link of document.querySelectorAll("#downloads a")) link.addEventListener("click", download);
  count();
  widget.render({ model, el: $("stickanim-root") });
  loadProviders();
  window.stickanimPage = { model, generate }; // for tests and the curious
}

start();
