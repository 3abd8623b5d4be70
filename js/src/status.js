// The status line (a spinner and the progress text while a regeneration runs) and the error
// bar (a failed regeneration; dismissible until the next status or error).

import { setText } from "./dom.js";

/** Wire the status line and error bar of a view to its model; `show()` renders them. */
export function createStatusBar({ dom, model, listen, onModel }) {
  let dismissed = false;

  function show() {
    const status = model.get("status") || "idle";
    const running = status === "running";
    dom.root.setAttribute("data-status", status);
    dom.status.hidden = !running;
    setText(dom.progress, running ? model.get("progress") || "generating…" : "");
    const error = model.get("error") || "";
    setText(dom.errorText, error);
    dom.error.hidden = !(status === "error" && error) || dismissed;
  }

  function showAgain() {
    dismissed = false;
    show();
  }

  listen(dom.errorClose, "click", () => {
    dismissed = true;
    dom.error.hidden = true;
  });
  onModel("change:status", showAgain);
  onModel("change:progress", show);
  onModel("change:error", showAgain);
  return { show };
}
