"""AnimationWidget: the anywidget that plays an Animation inline (state encoding: state.py).

The browser side is js/widget.js (packaged as stickanim_jupyter/static/widget.js). Python
holds the state; the traits are:

- ``animation``: the Animation JSON with each scene's ``frames`` replaced by ``times`` (the
  frame times, ms) and ``n_frames``;
- ``frames``: bytes, float32 little-endian, laid out scene > frame > character (order of
  ``animation.characters``) > joint (order of ``animation.joints``) > x, y, then each thing
  (order of ``animation.props``) > x, y, angle; scenes concatenated;
- ``story``, ``providers`` ([{name, model, available, reason}]), ``provider``,
  ``status`` ("idle" | "running" | "error"), ``progress``, ``error``, ``raw`` (the LLM's raw
  answer when a regeneration failed with a GenerationError, else ""), ``autoplay``, ``loop_mode``.

Protocol: choosing a provider in the dropdown sets ``provider`` and sends the custom message
``{"type": "regenerate", "provider": name}``; Python answers by calling :meth:`regenerate`,
which runs the generator on a background thread and reports through the traits above.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from os import PathLike
from typing import Any

import anywidget
import traitlets as t

from .assets import widget_css_path, widget_js_path
from .errors import GenerationError, StickanimError
from .export.html import standalone_html as standalone_html  # re-exported: the page lived here
from .options import GenerationOptions
from .progress import Progress, ticker
from .schema import Animation
from .state import animation_json_from_state
from .state import animation_state as animation_state
from .state import encode_frames as encode_frames
from .static_view import MAX_EMBEDDED_SVG as MAX_EMBEDDED_SVG
from .static_view import STATIC_CLASS as STATIC_CLASS
from .static_view import STATIC_WIDTH as STATIC_WIDTH
from .static_view import StaticView, fallback_html, summary_line
from .static_view import poster_svg as poster_svg
from .static_view import static_text as static_text
from .text import MAX_ERROR_CHARS, one_line
from .text import error_line as error_line  # one error line for the widget and the magics

GenerateFn = Callable[..., Animation]
log = logging.getLogger(__name__)

MAX_RAW_CHARS = 20_000  # of a failed generation's raw LLM answer, for the inspector
PROGRESS_INTERVAL_S = 0.2  # at most this often for token counts (streaming sends a chunk per token)
TICK_S = 0.5  # the status line's elapsed time advances this often while nothing else happens

esm_path = widget_js_path  # the former name of assets.widget_js_path


def animation_from_state(animation: dict[str, Any], frames: bytes) -> Animation:
    """Rebuild the Animation from its widget state (the inverse of animation_state, at float32)."""
    return Animation.parse(animation_json_from_state(animation, frames))


# --- background generation helpers ------------------------------------------------------------
def raw_answer(err: BaseException) -> str:
    """A GenerationError's raw LLM answer (redacted by the planner), capped; "" for other errors."""
    raw = err.raw if isinstance(err, GenerationError) else None
    if not isinstance(raw, str) or not raw:
        return ""
    if len(raw) <= MAX_RAW_CHARS:
        return raw
    return raw[:MAX_RAW_CHARS] + f"\n… ({len(raw) - MAX_RAW_CHARS} more characters)"


def progress_text(event: Any) -> str:
    """A progress callback's payload (a planner event dict, or text) as one short line, no time."""
    if not isinstance(event, dict):
        return one_line(event, MAX_ERROR_CHARS)
    progress = Progress(event.get("provider"))
    if progress.update(event):
        return progress.text(with_time=False)
    return one_line(", ".join(f"{k}={v}" for k, v in event.items() if v is not None), MAX_ERROR_CHARS)


def _default_generate(story: str, **kwargs: Any) -> Animation:
    from .api import generate

    return generate(story, **kwargs)


def provider_list(
    config: str | PathLike | None = None, current: Animation | None = None
) -> list[dict[str, Any]]:
    """The dropdown's providers: config.providers_info when it exists, else just the current one."""
    infos: list[dict[str, Any]] = []
    try:
        from .config import load_config, providers_info

        infos = [
            {
                "name": str(p["name"]),
                "model": None if p.get("model") is None else str(p["model"]),
                "available": bool(p.get("available", True)),
                "reason": str(p.get("reason") or ""),
            }
            for p in providers_info(load_config(config))
        ]
    except (ImportError, StickanimError):
        infos = []
    if current is not None and current.meta.provider not in {p["name"] for p in infos}:
        infos.insert(
            0, {"name": current.meta.provider, "model": current.meta.model, "available": True, "reason": ""}
        )
    return infos


# --- the widget ------------------------------------------------------------------------------
class AnimationWidget(anywidget.AnyWidget):
    """Canvas player, provider dropdown and JSON inspector for one Animation."""

    _esm = esm_path()
    _css = widget_css_path()

    animation = t.Dict().tag(sync=True)
    frames = t.Bytes(b"").tag(sync=True)
    story = t.Unicode("").tag(sync=True)
    providers = t.List(t.Dict()).tag(sync=True)
    provider = t.Unicode("").tag(sync=True)
    status = t.Enum(("idle", "running", "error"), default_value="idle").tag(sync=True)
    progress = t.Unicode("").tag(sync=True)
    error = t.Unicode("").tag(sync=True)
    raw = t.Unicode("").tag(sync=True)
    autoplay = t.Bool(True).tag(sync=True)
    loop_mode = t.Enum(("once", "loop", "reflect"), default_value="loop").tag(sync=True)

    def __init__(
        self,
        anim: Animation | None = None,
        *,
        generate: GenerateFn | None = None,
        generate_options: GenerationOptions | Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.generate_fn: GenerateFn = generate or _default_generate
        # The options of a regeneration; its provider is the dropdown's.
        self.options = GenerationOptions.of(generate_options).replace(provider=None)
        self._lock = threading.RLock()
        self._generation = 0
        self._thread: threading.Thread | None = None
        self._cached: tuple[dict, bytes, Animation] | None = None
        self._fallback: tuple[Animation, str] | None = None
        self._first_provider: str | None = None  # whose model options.model is, before any animation
        if anim is not None:
            self.set_animation(anim)
        self.on_msg(self._on_custom_msg)

    @classmethod
    def from_animation(
        cls,
        anim: Animation,
        story: str | None = None,
        providers: list[dict[str, Any]] | None = None,
        **kwargs: Any,
    ) -> AnimationWidget:
        """A widget showing `anim`; `story` enables regeneration, `providers` fills the dropdown.

        Without `providers`, the dropdown lists the configured ones (see provider_list).
        """
        options = GenerationOptions.of(kwargs.pop("generate_options", None))
        if providers is None:
            providers = provider_list(options.config, anim)
        kwargs.setdefault("provider", anim.meta.provider)
        return cls(anim, story=story or "", providers=providers, generate_options=options, **kwargs)

    @classmethod
    def generating(
        cls,
        story: str,
        generate_options: GenerationOptions | Mapping[str, Any] | None = None,
        *,
        providers: list[dict[str, Any]] | None = None,
        on_done: Callable[[Animation], None] | None = None,
        **kwargs: Any,
    ) -> AnimationWidget:
        """An empty widget that generates `story` on a background thread and fills when it is done.

        Shown at once (the status line tells the progress); `on_done(animation)` is called from
        that thread when this generation succeeds. A failure shows in the error bar.
        """
        options = GenerationOptions.of(generate_options)
        if providers is None:
            providers = provider_list(options.config)
        kwargs.setdefault("provider", options.provider or "")
        widget = cls(story=story, providers=providers, generate_options=options, **kwargs)
        widget._first_provider = options.provider
        widget._start(options.provider, options, on_done)
        return widget

    # --- the animation ---------------------------------------------------------------------
    def set_animation(self, anim: Animation) -> None:
        """Show `anim`; animation and frames travel in one message so the view never mixes them."""
        state = animation_state(anim)
        with self.hold_sync():
            self.animation = state["animation"]
            self.frames = state["frames"]
        self._cached = (self.animation, self.frames, anim)

    @property
    def animation_model(self) -> Animation | None:
        """The schema.Animation shown (decoded from the traits if they were set directly)."""
        if not self.animation:
            return None
        cached = self._cached
        if cached and cached[0] is self.animation and cached[1] is self.frames:
            return cached[2]
        anim = animation_from_state(self.animation, self.frames)
        self._cached = (self.animation, self.frames, anim)
        return anim

    # --- regeneration ----------------------------------------------------------------------
    def regenerate(self, provider: str | None = None) -> threading.Thread | None:
        """Generate the story again with `provider` on a background thread; returns the thread.

        Status goes "running" (with progress) then "idle" with the new animation, or "error"
        with a one-line message and the old animation kept (and, when the LLM's answer was not a
        valid Script, that answer in ``raw`` for the inspector). Each call supersedes the previous
        ones: a result that arrives after a newer call started is dropped.
        """
        name = provider or self.provider or None
        return self._start(name, self._options_for(name))

    def _start(
        self, name: str | None, options: GenerationOptions, on_done: Callable[[Animation], None] | None = None
    ) -> threading.Thread | None:
        with self._lock:
            self._generation += 1
            generation = self._generation
            with self.hold_sync():
                if name:
                    self.provider = name
                self.error = self.raw = ""
                if not self.story.strip():
                    self.status, self.progress = "error", ""
                    self.error = "this widget has no story to generate again"
                    return None
                self.status = "running"
                self.progress = Progress(name).text()
        thread = threading.Thread(
            target=self._run,
            args=(generation, self.story, options, on_done),
            name="stickanim-regenerate",
            daemon=True,
        )
        self._thread = thread
        thread.start()
        return thread

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the latest regeneration finished; False on timeout."""
        thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def _options_for(self, provider: str | None) -> GenerationOptions:
        current = self.animation_model
        # A model id belongs to one provider; another provider uses its own configured model.
        owner = current.meta.provider if current is not None else self._first_provider
        same = owner is not None and provider == owner
        return self.options.replace(provider=provider, model=self.options.model if same else None)

    def _run(
        self,
        generation: int,
        story: str,
        options: GenerationOptions,
        on_done: Callable[[Animation], None] | None = None,
    ) -> None:
        progress = Progress(options.provider or self.provider)
        last = [0.0]

        def report(event: Any) -> None:
            # A new phase shows at once; token counts (an event per chunk) a few times a second.
            now = time.monotonic()
            if not progress.update(event) and now - last[0] < PROGRESS_INTERVAL_S:
                return
            last[0] = now
            self._report(generation, progress.text())

        stop = ticker(TICK_S, lambda: self._report(generation, progress.text()))
        try:
            # generate()'s keywords; the provider always, the other options when not the defaults
            keywords = {"provider": options.provider, **options.keywords(changed_only=True)}
            result = self.generate_fn(story, progress=report, **keywords)
            anim = result if isinstance(result, Animation) else Animation.parse(result)
        except Exception as err:  # noqa: BLE001 - shown as one line; the kernel must stay unharmed
            stop()
            self._finish(generation, None, error_line(err), raw_answer(err))
            return
        stop()
        self._finish(generation, anim, "")
        if on_done is not None:
            try:
                on_done(anim)
            except Exception as err:  # noqa: BLE001 - a thread's traceback would land in some cell
                log.warning("on_done failed: %s", error_line(err))

    def _report(self, generation: int, text: str) -> None:
        with self._lock:
            if generation == self._generation and self.status == "running" and text:
                self.progress = text

    def _finish(self, generation: int, anim: Animation | None, error: str, raw: str = "") -> None:
        with self._lock:
            if generation != self._generation:
                return  # stale: a newer regeneration owns the widget now
            with self.hold_sync():
                if anim is not None:
                    self.set_animation(anim)
                # The dropdown names who wrote the animation shown: after a failure, the old one's
                # provider again; after a fallback, the provider that answered.
                shown = anim or self._shown()
                if shown is not None:
                    self.provider = shown.meta.provider
                self.progress = ""
                self.error = error
                self.raw = raw if error else ""
                self.status = "error" if error else "idle"

    def _on_custom_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "regenerate":
            provider = content.get("provider")
            self.regenerate(provider if isinstance(provider, str) else None)

    # --- reprs -----------------------------------------------------------------------------
    def _shown(self) -> Animation | None:
        # Reprs must not raise, even for traits set by hand to something that does not decode.
        try:
            return self.animation_model
        except (StickanimError, KeyError, TypeError, ValueError):
            return None

    def __repr__(self) -> str:
        anim = self._shown()
        if anim is None and not self.animation and self.status == "running":
            return "AnimationWidget: generating…"
        if anim is None:
            return (
                "AnimationWidget: (empty)"
                if not self.animation
                else "AnimationWidget: (invalid animation state)"
            )
        return f"AnimationWidget: {anim.title or '(untitled)'} — {summary_line(anim)}"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(repr(self))

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict, dict] | None:
        """One output: widget view, text/plain (kwargs["text"], else the repr) and the static view as text/html.

        IPython never calls this (it prefers _ipython_display_); it is for frontends and
        tools that ask an object for its bundle directly. Whoever renders it shows either
        the player or the static view, never both.
        """
        text = kwargs.get("text")
        bundle = self._player_bundle(text if isinstance(text, str) else None)
        if bundle is None:
            return None
        data, metadata = bundle
        anim = self._shown()
        if anim is not None:
            data["text/html"] = self._fallback_html(anim)
        return data, metadata

    def _ipython_display_(self, **kwargs: Any) -> None:
        """Two outputs: the live player (widget view + text/plain), then the static view.

        Used by display(), by %%animate and for a widget that is a cell's last value. Two
        outputs, not one bundle, because a frontend shows one MIME type per output: a
        notebook reopened in JupyterLab picks the widget view of a bundle and shows "model
        not found", so the static view must be an output of its own to stay visible there.
        js/widget.js hides it while the live player is on screen. nbconvert (no widget
        state) shows the first output's text line and the static view, once.
        """
        self.show()

    def show(self, text: str | None = None) -> None:
        """Display the player (text/plain: `text`, else the repr), then the static view."""
        from IPython.display import display

        bundle = self._player_bundle(text)
        if bundle is not None:
            data, metadata = bundle
            display(data, metadata=metadata, raw=True)
        static = self.static_view()
        if static is not None:
            display(static._repr_mimebundle_(), raw=True)

    def _player_bundle(self, text: str | None = None) -> tuple[dict, dict] | None:
        """anywidget's bundle (widget view + text/plain) with our text line."""
        bundle = super()._repr_mimebundle_()
        if bundle is None:
            return None
        data, metadata = bundle
        data = {k: v for k, v in data.items() if k != "text/html"}
        data["text/plain"] = text or repr(self)
        return data, dict(metadata or {})

    def static_view(self) -> StaticView | None:
        """The static view of the animation shown (None when empty): displays without a player."""
        anim = self._shown()
        return None if anim is None else StaticView(anim, self._fallback_html(anim))

    def _fallback_html(self, anim: Animation) -> str:
        # The animated SVG takes tens of milliseconds; build it once per animation.
        cached = self._fallback
        if cached is None or cached[0] is not anim:
            cached = self._fallback = (anim, fallback_html(anim))
        return cached[1]


def animate(
    story: str,
    provider: str | None = None,
    model: str | None = None,
    seed: int | None = None,
    fps: int | None = None,
    config: str | PathLike | None = None,
    cache: bool = True,
) -> AnimationWidget:
    """Generate `story` and return the widget playing it (regenerable from its dropdown)."""
    from .api import generate_with

    options = GenerationOptions(
        provider=provider, model=model, seed=seed, fps=fps, config=config, cache=cache
    )
    anim = generate_with(story, options)
    return AnimationWidget.from_animation(
        anim, story=story, providers=provider_list(config, anim), generate_options=options
    )
