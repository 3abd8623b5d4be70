"""The HTML export: a self-contained page with the widget's canvas player inlined.

The page holds the player's JS module (and its stylesheet, when there is one), the widget state
as JSON, and a small stand-in for anywidget's model; it plays offline, also from file://.
"""

from __future__ import annotations

import base64
import html
import json
from typing import TYPE_CHECKING

from ..assets import widget_css_path, widget_js_path
from ..state import animation_state
from ..text import display_text

if TYPE_CHECKING:
    from ..schema import Animation

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
  :root {{ color-scheme: light dark; }}
  body {{ margin: 0; padding: 16px; background: var(--jp-layout-color0, #ffffff); }}
  @media (prefers-color-scheme: dark) {{
    :root {{ --jp-layout-color0: #111111; --jp-layout-color2: #2a2a2a; --jp-ui-font-color0: #eeeeee;
      --jp-ui-font-color1: #cccccc; --jp-ui-font-color2: #9e9e9e; --jp-border-color1: #555555;
      --jp-border-color2: #333333; --jp-mirror-editor-string-color: #ce9178;
      --jp-mirror-editor-number-color: #b5cea8; --jp-mirror-editor-attribute-color: #9cdcfe;
      --jp-mirror-editor-keyword-color: #c586c0; }}
  }}
  #stickanim-root {{ max-width: 722px; margin: 0 auto; }}
</style>
{css}</head>
<body>
<div id="stickanim-root"></div>
<script type="application/json" id="stickanim-state">{state}</script>
<script type="module">
{js}

// Standalone boot: a minimal stand-in for anywidget's model, holding the state above.
{{
  const state = JSON.parse(document.getElementById("stickanim-state").textContent);
  const bytes = Uint8Array.from(atob(state.frames_b64), (c) => c.charCodeAt(0));
  const values = {{ ...state, frames: new DataView(bytes.buffer) }};
  delete values.frames_b64;
  const listeners = new Map();
  const model = {{
    get: (key) => values[key],
    set(key, value) {{
      values[key] = value;
      for (const fn of listeners.get(`change:${{key}}`) || []) fn();
    }},
    on(event, fn) {{
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(fn);
    }},
    off(event, fn) {{
      if (listeners.has(event)) listeners.get(event).delete(fn);
    }},
    save_changes() {{}},
    send() {{}},
  }};
  widget.render({{ model, el: document.getElementById("stickanim-root") }});
}}
</script>
</body>
</html>
"""


def _script_safe(text: str) -> str:
    # Inside <script>, only "</script" and "<!--" can end or confuse the element.
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def _style_element() -> str:
    """The player's stylesheet as a <style> element, or "" while there is none."""
    path = widget_css_path()
    if not path.is_file():
        return ""
    # Only "</style" can end the element early; in CSS "<\\/" still reads "</".
    css = path.read_text(encoding="utf-8").replace("</", "<\\/")
    return f"<style>\n{css.rstrip()}\n</style>\n"


def to_html(anim: Animation, title: str | None = None) -> str:
    """A self-contained page with the widget's canvas player inlined; works offline from file://."""
    return standalone_html(anim, title=title)


def standalone_html(anim: Animation, title: str | None = None) -> str:
    """A self-contained page playing the animation offline (also from file://), no dropdown."""
    state = animation_state(anim)
    payload = {
        "animation": state["animation"],
        "frames_b64": base64.b64encode(state["frames"]).decode("ascii"),
        "story": "",
        "providers": [],
        "provider": anim.meta.provider,
        "status": "idle",
        "progress": "",
        "error": "",
        "raw": "",
        "autoplay": True,
        "loop_mode": "loop",
    }
    state_json = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    js = widget_js_path().read_text(encoding="utf-8")
    return _PAGE.format(
        title=html.escape(display_text(title or anim.title or "stickanim")),
        css=_style_element(),
        state=state_json,
        js=_script_safe(js),
    )
