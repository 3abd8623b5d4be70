// A tiny fake DOM, window and anywidget model: enough for the widget, and it refuses innerHTML.

export class FakeNode {
  constructor(doc, tag, nodeType = 1) {
    this.ownerDocument = doc;
    this.tagName = tag.toUpperCase();
    this.nodeType = nodeType;
    this.childNodes = [];
    this.parentNode = null;
    this.attrs = new Map();
    this.listeners = new Map();
    this.style = {};
    this.hidden = false;
    this.value = "";
    this._text = "";
    const classes = new Set();
    this._classes = classes;
    this.classList = {
      add: (...c) => c.forEach((x) => classes.add(x)),
      remove: (...c) => c.forEach((x) => classes.delete(x)),
      contains: (c) => classes.has(c),
      toggle: (c, on) => ((on ?? !classes.has(c)) ? classes.add(c) : classes.delete(c)),
    };
  }
  get className() {
    return [...this._classes].join(" ");
  }
  set className(v) {
    this._classes.clear();
    String(v).split(/\s+/).filter(Boolean).forEach((c) => this._classes.add(c));
  }
  set innerHTML(_) {
    throw new Error("innerHTML must never be used");
  }
  set outerHTML(_) {
    throw new Error("outerHTML must never be used");
  }
  insertAdjacentHTML() {
    throw new Error("insertAdjacentHTML must never be used");
  }
  get textContent() {
    return this.nodeType === 3 ? this._text : this.childNodes.map((c) => c.textContent).join("");
  }
  set textContent(v) {
    if (this.nodeType === 3) this._text = String(v);
    else this.replaceChildren(this.ownerDocument.createTextNode(String(v)));
  }
  appendChild(child) {
    if (child.parentNode) child.parentNode.removeChild(child);
    child.parentNode = this;
    this.childNodes.push(child);
    return child;
  }
  append(...children) {
    for (const c of children) this.appendChild(typeof c === "string" ? this.ownerDocument.createTextNode(c) : c);
  }
  prepend(...children) {
    const rest = this.childNodes.filter((c) => !children.includes(c));
    this.childNodes = [];
    this.append(...children);
    this.childNodes.push(...rest);
  }
  replaceChildren(...children) {
    for (const c of this.childNodes) c.parentNode = null;
    this.childNodes = [];
    this.append(...children);
  }
  removeChild(child) {
    this.childNodes = this.childNodes.filter((c) => c !== child);
    child.parentNode = null;
    return child;
  }
  remove() {
    if (this.parentNode) this.parentNode.removeChild(this);
  }
  setAttribute(k, v) {
    this.attrs.set(k, String(v));
  }
  getAttribute(k) {
    return this.attrs.has(k) ? this.attrs.get(k) : null;
  }
  removeAttribute(k) {
    this.attrs.delete(k);
  }
  addEventListener(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(fn);
  }
  removeEventListener(type, fn) {
    this.listeners.get(type)?.delete(fn);
  }
  dispatch(type, event = {}) {
    for (const fn of this.listeners.get(type) || []) fn({ preventDefault() {}, stopPropagation() {}, ...event });
  }
  listenerCount() {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n + this.childNodes.reduce((acc, c) => acc + c.listenerCount(), 0);
  }
  getContext() {
    if (!this._ctx) this._ctx = fakeContext();
    return this._ctx;
  }
  get clientWidth() {
    return 800;
  }
  get isConnected() {
    return this === this.ownerDocument.body || Boolean(this.parentNode && this.parentNode.isConnected);
  }
  /** Depth-first search by class name. */
  find(className) {
    if (this._classes.has(className)) return this;
    for (const c of this.childNodes) {
      const hit = c.find(className);
      if (hit) return hit;
    }
    return null;
  }
  all(predicate, out = []) {
    if (predicate(this)) out.push(this);
    for (const c of this.childNodes) c.all(predicate, out);
    return out;
  }
}

export function fakeContext() {
  const calls = [];
  const target = { calls };
  return new Proxy(target, {
    get(obj, key) {
      if (key in obj) return obj[key];
      return (...args) => calls.push([key, ...args]);
    },
    set(obj, key, value) {
      obj[key] = value;
      calls.push([`set:${String(key)}`, value]);
      return true;
    },
  });
}

export function fakeWindow() {
  const frames = new Map();
  let nextId = 1;
  const observers = [];
  class Observer {
    constructor(cb) {
      this.cb = cb;
      this.connected = true;
      this.targets = [];
      observers.push(this);
    }
    observe(target, options) {
      this.targets.push({ target, options });
    }
    disconnect() {
      this.connected = false;
    }
  }
  const timers = new Map();
  const media = { matches: false, listeners: new Set() };
  media.addEventListener = (_t, fn) => media.listeners.add(fn);
  media.removeEventListener = (_t, fn) => media.listeners.delete(fn);
  return {
    frames,
    observers,
    timers,
    media,
    devicePixelRatio: 2,
    innerHeight: 1000,
    navigator: {},
    requestAnimationFrame(cb) {
      const id = nextId++;
      frames.set(id, cb);
      return id;
    },
    cancelAnimationFrame(id) {
      frames.delete(id);
    },
    /** Run the queued animation frames at time `now`. */
    flush(now) {
      const due = [...frames.values()];
      frames.clear();
      for (const cb of due) cb(now);
    },
    setTimeout(cb, ms) {
      const id = nextId++;
      timers.set(id, { cb, ms });
      return id;
    },
    clearTimeout(id) {
      timers.delete(id);
    },
    /** Run the pending timeouts. */
    runTimers() {
      const due = [...timers.values()];
      timers.clear();
      for (const { cb } of due) cb();
    },
    getComputedStyle: () => ({ getPropertyValue: (name) => (name === "--jp-layout-color0" ? " #111111 " : "") }),
    matchMedia: () => media,
    ResizeObserver: Observer,
    IntersectionObserver: Observer,
    MutationObserver: Observer,
  };
}

export function fakeDocument() {
  const doc = {
    createElement: (tag) => new FakeNode(doc, tag),
    createElementNS: (_ns, tag) => new FakeNode(doc, tag),
    createTextNode: (text) => {
      const node = new FakeNode(doc, "#text", 3);
      node._text = String(text);
      return node;
    },
    defaultView: fakeWindow(),
  };
  doc.body = new FakeNode(doc, "body");
  return doc;
}

export function fakeModel(values) {
  const listeners = new Map();
  const sent = [];
  const saved = [];
  return {
    sent,
    saved,
    listeners,
    get: (k) => values[k],
    set(k, v) {
      values[k] = v;
    },
    /** Set from the "kernel": update and fire change:k like Backbone. */
    update(changes) {
      Object.assign(values, changes);
      for (const k of Object.keys(changes)) for (const fn of listeners.get(`change:${k}`) || []) fn();
    },
    on(event, fn) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(fn);
    },
    off(event, fn) {
      listeners.get(event)?.delete(fn);
    },
    save_changes() {
      saved.push({ ...values });
    },
    send(msg) {
      sent.push(msg);
    },
    listenerCount() {
      let n = 0;
      for (const s of listeners.values()) n += s.size;
      return n;
    },
  };
}
