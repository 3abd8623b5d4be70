"""`stickanim generate`'s live progress on stderr (stdout holds the result only).

On a terminal: one line, redrawn in place as the phase changes and the time runs, erased at
the end. Elsewhere (a pipe, a log file, CI): one plain line per phase. The phases are
progress.py's.
"""

from __future__ import annotations

import sys
import threading
from types import TracebackType
from typing import IO, Any

from .progress import Progress, ticker

TICK_S = 0.2  # how often the terminal line's elapsed time advances
_ERASE = "\r\x1b[K"  # back to the line's start, erase it


class StderrProgress:
    """A progress callback for generate_with(); use as a context manager around the call."""

    def __init__(
        self, provider: str | None, stream: IO[str] | None = None, *, tty: bool | None = None
    ) -> None:
        self.stream = stream or sys.stderr
        self.tty = _isatty(self.stream) if tty is None else tty
        self.progress = Progress(provider)
        self._lock = threading.Lock()
        self._stop = lambda: None
        self._shown = False

    def __enter__(self) -> StderrProgress:
        self._show(changed=True)
        if self.tty:
            self._stop = ticker(TICK_S, lambda: self._show(changed=False))
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop()
        with self._lock:
            if self.tty and self._shown:
                self._write(_ERASE)  # the result or the error line takes its place
            self._shown = False
            self.tty = False
            self.stream = None  # late events (a leftover thread) print nothing

    def __call__(self, event: Any) -> None:
        self._show(changed=self.progress.update(event))

    def _show(self, *, changed: bool) -> None:
        with self._lock:
            if self.stream is None:
                return
            if self.tty:
                self._write(_ERASE + self.progress.text())
                self._shown = True
            elif changed:
                self._write(self.progress.text() + "\n")

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # stderr closed or gone: progress is not worth failing for
            self.stream = None


def _isatty(stream: IO[str]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
