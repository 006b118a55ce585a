"""Per-article time limits: a hostile input must cost seconds, never the whole batch.

:func:`time_limit` raises :class:`TimeLimitExceeded` (code ``E-TIMEOUT``) inside the block it
guards once ``seconds`` have passed. In the main thread on POSIX it uses ``SIGALRM`` through
``setitimer``: the handler runs between bytecodes and also interrupts the C loops that check for
signals (``re`` matching, ``time.sleep``, I/O waits). Elsewhere (another thread, Windows) a
watchdog thread raises the exception asynchronously in the guarded thread, which takes effect
at its next bytecode: pure-Python loops are stopped, a long call into C code is stopped when it
returns.

A preemptive exception is raised again every second until the block ends, in case a library
inside it swallows the first with ``except Exception``. Nesting is allowed: an inner limit never
extends an outer one (the earlier deadline wins), and the previous handler and timer are
restored on exit.

The block also gets a :class:`Deadline`: code that can stop cleanly between steps checks it
there (the coder does, before each sentence: ``Coder.code_doc``), which works the same in
every thread and process (Dask workers run tasks in a worker thread) and never stops a step
half-way. The coder applies ``settings.max_article_seconds`` to each article::

    with time_limit(settings.max_article_seconds, what=article.origin or article.id) as limit:
        ...  # limit.check() before each sentence

and the batch (``eventwire code``, ``ingest``, the Dask engine) records the
``TimeLimitExceeded`` as an ``E-TIMEOUT`` problem naming the input and goes on.
"""
from __future__ import annotations

import ctypes
import signal
import threading
import time
from contextlib import contextmanager
from typing import Iterator, Optional

__all__ = ["TimeLimitExceeded", "Deadline", "time_limit", "DEFAULT_ARTICLE_SECONDS"]

# Measured (docs/reliability.md, 2 busy cores): a news-dev wire story (1,100-4,500 characters)
# codes in 0.1-1.3 s, a 30,000-character article in 6 s, the largest accepted (295,000 of the
# 300,000 characters of settings.max_article_chars) in 184 s: coding still grows faster than
# linearly (stages rebuild doc.text and doc.ents per sentence). The limit must never refuse a legal
# article, only bound a pathological one; lower it once those walks are gone.
DEFAULT_ARTICLE_SECONDS = 300.0


class TimeLimitExceeded(Exception):
    """Raised inside a :func:`time_limit` block that ran too long; ``str()`` names the input."""

    code = "E-TIMEOUT"

    def __init__(self, what: str, seconds: float):
        self.what = what
        self.seconds = seconds
        name = f"{what}: " if what else ""
        super().__init__(f"{name}E-TIMEOUT {self.reason}; skipped")

    @property
    def reason(self) -> str:
        """What happened, without the input's name and code (for an InputProblem's message)."""
        return f"took longer than {self.seconds:g} s (time limit)"

    def __reduce__(self):  # pickled back from Dask workers: rebuilt from what and seconds
        return (TimeLimitExceeded, (self.what, self.seconds))


class Deadline:
    """The cooperative half of a limit: :meth:`check` raises :class:`TimeLimitExceeded` once
    ``seconds`` have passed. Code that can stop cleanly between steps (the coder, between
    sentences) calls it there; it works in any thread or process and cannot be swallowed by a
    library's ``except Exception`` the way a preemptive interruption can, nor land in the
    middle of a half-built cache."""

    __slots__ = ("what", "seconds", "at")

    def __init__(self, seconds: Optional[float], *, what: str = ""):
        self.what, self.seconds = what, seconds or 0.0
        self.at = time.monotonic() + seconds if seconds and seconds > 0 else None

    def check(self) -> None:
        if self.at is not None and time.monotonic() > self.at:
            raise TimeLimitExceeded(self.what, self.seconds)


@contextmanager
def time_limit(seconds: Optional[float], *, what: str = "") -> Iterator[Deadline]:
    """Raise :class:`TimeLimitExceeded` in this thread if the block runs over ``seconds``.

    ``None`` or ``0`` means no limit. ``what`` names the input in the message. The block gets
    the limit's :class:`Deadline`, to check at points where it can stop cleanly.

    >>> with time_limit(2.0, what="news/a.html") as deadline:
    ...     deadline.check()
    """
    deadline = Deadline(seconds, what=what)
    if deadline.at is None:
        yield deadline
        return
    if _can_use_alarm():
        with _alarm(deadline.seconds, what):
            yield deadline
    else:
        with _watchdog(deadline.seconds, what):
            yield deadline


def _can_use_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


# A preemptive exception can be swallowed by a library's ``except Exception`` inside the block:
# it is raised again this often (seconds) until the block ends.
_REPEAT = 1.0


@contextmanager
def _alarm(seconds: float, what: str) -> Iterator[None]:
    start = time.monotonic()
    outer_left, outer_interval = signal.getitimer(signal.ITIMER_REAL)
    if outer_left and outer_left < seconds:
        # An enclosing limit fires first: keep it (its handler raises its own exception).
        yield
        return

    def on_alarm(signum, frame):
        raise TimeLimitExceeded(what, seconds)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds, _REPEAT)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        # None: the previous handler was not set from Python; the default is the best guess.
        signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)
        if outer_left:
            # Give the outer limit back what remains of it (at least a tick, so it still fires).
            left = max(outer_left - (time.monotonic() - start), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, left, outer_interval)


@contextmanager
def _watchdog(seconds: float, what: str) -> Iterator[None]:
    """Off the main thread: a timer thread raises the exception asynchronously in the guarded
    thread (effective at its next bytecode), again every ``_REPEAT`` s while the block runs.
    Firing and leaving both hold ``lock``, so nothing is fired once the block has ended, and
    an exception fired but not yet raised when it ends is cleared (or, landing in the exit
    path itself, taken: the block did run over)."""
    target = threading.get_ident()
    # SetAsyncExc raises a class: one per block, so nested blocks never take each other's.
    expired = type("TimeLimitExceeded", (TimeLimitExceeded,),
                   {"__init__": lambda self: TimeLimitExceeded.__init__(self, what, seconds)})
    lock = threading.Lock()
    wake = threading.Event()
    left = [False]

    def fire() -> None:
        wait = seconds
        while not wake.wait(wait):
            with lock:
                if left[0]:
                    return
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target),
                                                           ctypes.py_object(expired))
            wait = _REPEAT

    watcher = threading.Thread(target=fire, name="eventwire-time-limit", daemon=True)
    landed: Optional[TimeLimitExceeded] = None
    try:
        watcher.start()  # in the try: a slow start must not let a firing skip the clean-up
        yield
    except expired:
        raise TimeLimitExceeded(what, seconds) from None
    finally:
        while True:  # a pending exception may land in here: retry until the window is shut
            try:
                with lock:
                    left[0] = True
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)
                break
            except TimeLimitExceeded as exc:  # ours, late, or an enclosing block's
                landed = landed or exc
        wake.set()
        if watcher.ident is not None:
            watcher.join()
    if landed is not None:
        raise TimeLimitExceeded(what, seconds) if isinstance(landed, expired) else landed
