"""The per-article time limit (eventwire.limits) that turns a hang into an E-TIMEOUT problem:
it fires in Python loops, in C regex matching and sleeps, in the main thread (SIGALRM) and in
others (watchdog), nests without extending an outer limit, and leaves no timer behind."""
from __future__ import annotations

import re
import signal
import threading
import time

import pytest

from eventwire.limits import TimeLimitExceeded, time_limit


def _spin():
    while True:
        pass


def _backtrack():
    # Catastrophic backtracking inside the C regex engine (a pathological pattern/input pair).
    re.match(r"(\w+\s?)+$", "Iran and Iraq signed a trade agreement in Baghdad on Monday" * 3
             + "!")


@pytest.mark.parametrize("work", [_spin, _backtrack, lambda: time.sleep(5)])
def test_fuzz_limits_stops_runaway_work(work):
    started = time.monotonic()
    with pytest.raises(TimeLimitExceeded) as err:
        with time_limit(0.3, what="news/wire.html"):
            work()
    assert time.monotonic() - started < 2.0
    assert str(err.value) == ("news/wire.html: E-TIMEOUT took longer than 0.3 s (time limit); "
                              "skipped")
    assert err.value.code == "E-TIMEOUT"


@pytest.mark.parametrize("seconds", [0.3])
def test_fuzz_limits_in_a_worker_thread(seconds):
    caught = []

    def worker():
        try:
            with time_limit(seconds, what="thread"):
                _spin()
        except TimeLimitExceeded as exc:
            caught.append(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(timeout=5)
    assert not thread.is_alive() and len(caught) == 1


@pytest.mark.parametrize("outer,inner,expect", [(0.3, 5.0, "outer"), (5.0, 0.3, "inner")])
def test_fuzz_limits_nested_earliest_wins(outer, inner, expect):
    with pytest.raises(TimeLimitExceeded) as err:
        with time_limit(outer, what="outer"):
            with time_limit(inner, what="inner"):
                time.sleep(3)
    assert err.value.what == expect


@pytest.mark.parametrize("seconds", [0.5])
def test_fuzz_limits_outer_restored_after_inner(seconds):
    started = time.monotonic()
    with pytest.raises(TimeLimitExceeded) as err:
        with time_limit(seconds, what="outer"):
            with time_limit(5.0, what="inner-done"):
                pass
            time.sleep(3)
    assert err.value.what == "outer" and time.monotonic() - started < 1.5


@pytest.mark.parametrize("seconds", [None, 0, 1.0])
def test_fuzz_limits_leaves_no_timer(seconds):
    handler = signal.getsignal(signal.SIGALRM)
    with time_limit(seconds, what="quick"):
        total = sum(range(1000))
    assert total == 499500
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is handler
