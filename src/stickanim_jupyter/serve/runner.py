"""Bounded, deadline-limited work for the web service's event loop.

Generation runs on worker threads (the local planner is CPU-bound and quick; LLM calls are
slow I/O). At most `concurrency` jobs run at once; a few more may wait for a slot, and past
`max_waiting` a request is refused at once (Busy) instead of piling up. Each request has a
deadline covering its wait and its run; when it passes the client gets an answer (Deadline)
but the thread cannot be stopped, so its slot stays taken until it really ends. That way a
stuck provider can never push more than `concurrency` threads into flight.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


class Busy(Exception):
    """Too many requests are already waiting for a slot."""


class Deadline(Exception):
    """The request's deadline passed before its job ended."""


class Runner:
    def __init__(self, concurrency: int = 4, deadline: float = 120.0, max_waiting: int = 32) -> None:
        if concurrency < 1 or deadline <= 0 or max_waiting < 0:
            raise ValueError("concurrency >= 1, deadline > 0 and max_waiting >= 0 are required")
        self.concurrency = concurrency
        self.deadline = deadline
        self.max_waiting = max_waiting
        self._executor = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="stickanim-serve")
        self._slots: asyncio.Semaphore | None = None  # made in the serving loop, on first use
        self._waiting = 0
        self.running = 0  # jobs whose thread has not ended (timed-out ones included)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """fn(*args) on a worker thread; Busy or Deadline instead of waiting forever."""
        loop = asyncio.get_running_loop()
        end = loop.time() + self.deadline
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.concurrency)
        slots = self._slots
        if slots.locked() and self._waiting >= self.max_waiting:
            raise Busy(f"the server is busy ({self.concurrency} jobs running, {self._waiting} waiting)")
        self._waiting += 1
        try:
            await asyncio.wait_for(slots.acquire(), self.deadline)
        except TimeoutError:
            raise Deadline(f"no free slot within the {self.deadline:g} s deadline") from None
        finally:
            self._waiting -= 1
        self.running += 1
        try:
            future = loop.run_in_executor(self._executor, fn, *args)
        except BaseException:
            self._release()
            raise
        future.add_done_callback(lambda _: self._release())
        try:
            # shield: a timeout answers the client but leaves the job (and its slot) to end by itself
            return await asyncio.wait_for(asyncio.shield(future), max(end - loop.time(), 0))
        except TimeoutError:
            raise Deadline(f"the request took longer than the {self.deadline:g} s deadline") from None

    def _release(self) -> None:
        self.running -= 1
        assert self._slots is not None
        self._slots.release()

    def close(self) -> None:
        """Stop taking jobs; queued ones are cancelled, running ones end on their own."""
        self._executor.shutdown(wait=False, cancel_futures=True)
