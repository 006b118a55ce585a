"""Per-article time limits: a hostile input must cost seconds, never the whole batch.

:func:`time_limit` raises :class:`TimeLimitExceeded` (code ``E-TIMEOUT``) inside the block it
guards once ``seconds`` have passed. In the main thread on POSIX it uses ``SIGALRM`` through
``setitimer``: the handler runs between bytecodes and also interrupts the C loops that check for
signals (``re`` matching, ``time.sleep``, I/O waits). Elsewhere (another thread, Windows) a
watchdog thread raises the exception asynchronously in the guarded thread, which takes effect
at its next bytecode: pure-Python loops are stopped, a long call into C code is stopped when it
returns.

Nesting is allowed: an inner limit never extends an outer one (the earlier deadline wins), and
the previous handler and timer are restored on exit.

Intended use (docs/reliability.md, "Time limits"): the coder wraps the rule stages of each
article, the readers wrap the reading of each input, and the batch records the
``TimeLimitExceeded`` as an ``E-TIMEOUT`` problem naming the input and goes on::

    with time_limit(settings_seconds, what=article.origin or article.id):
        events = coder.code_doc(article, doc)
"""
from __future__ import annotations

import ctypes
import signal
import threading
import time
from contextlib import contextmanager
from typing import Iterator, Optional

__all__ = ["TimeLimitExceeded", "time_limit", "DEFAULT_ARTICLE_SECONDS"]

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
        super().__init__(f"{name}E-TIMEOUT took longer than {seconds:g} s (time limit); "
                         f"skipped")


@contextmanager
def time_limit(seconds: Optional[float], *, what: str = "") -> Iterator[None]:
    """Raise :class:`TimeLimitExceeded` in this thread if the block runs over ``seconds``.

    ``None`` or ``0`` means no limit. ``what`` names the input in the message.

    >>> with time_limit(2.0, what="news/a.html"):
    ...     pass
    """
    if not seconds or seconds <= 0:
        yield
        return
    if _can_use_alarm():
        with _alarm(seconds, what):
            yield
    else:
        with _watchdog(seconds, what):
            yield


def _can_use_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


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
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left:
            # Give the outer limit back what remains of it (at least a tick, so it still fires).
            left = max(outer_left - (time.monotonic() - start), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, left, outer_interval)


@contextmanager
def _watchdog(seconds: float, what: str) -> Iterator[None]:
    """Off the main thread: a timer thread raises the exception in the guarded thread."""
    target = threading.get_ident()
    done = threading.Event()
    fired = threading.Event()

    def fire() -> None:
        if done.wait(seconds):
            return
        fired.set()
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target),
                                                   ctypes.py_object(_WatchdogExpired))

    watcher = threading.Thread(target=fire, name="eventwire-time-limit", daemon=True)
    watcher.start()
    try:
        yield
    except _WatchdogExpired:
        raise TimeLimitExceeded(what, seconds) from None
    finally:
        done.set()
        watcher.join()
        if fired.is_set():
            # The async exception may still be pending if the block ended just as it fired:
            # clear it so it cannot surface later in unrelated code.
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)


class _WatchdogExpired(Exception):
    """Raised asynchronously by the watchdog; turned into TimeLimitExceeded at the block."""
