"""The per-article time limit (eventwire.limits) that turns a hang into an E-TIMEOUT problem:
it fires in Python loops, in C regex matching and sleeps, in the main thread (SIGALRM) and in
others (watchdog), nests without extending an outer limit, and leaves no timer behind."""
from __future__ import annotations

import re
import signal
import threading
import time

import pytest

from eventwire.limits import Deadline, TimeLimitExceeded, time_limit


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


def _swallowing():
    # A library that catches everything (trafilatura and others have such handlers): the
    # first interruption is lost, the one raised a second later is not.
    for _ in range(2):
        try:
            _spin()
        except Exception:  # noqa: BLE001 - the point of the test
            pass


def _in_thread(work):
    caught = []

    def run():
        try:
            work()
        except TimeLimitExceeded as exc:
            caught.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive()
    return caught


@pytest.mark.parametrize("where", ["main", "thread"])
def test_fuzz_limits_raised_again_when_swallowed(where):
    def work():
        with time_limit(0.2, what="swallowed"):
            _swallowing()
            _spin()

    if where == "main":
        with pytest.raises(TimeLimitExceeded) as err:
            work()
        caught = [err.value]
    else:
        caught = _in_thread(work)
    assert [type(exc) for exc in caught] == [TimeLimitExceeded]
    assert caught[0].what == "swallowed"


@pytest.mark.parametrize("rounds", [300])
def test_fuzz_limits_watchdog_leaves_nothing_pending(rounds):
    """Blocks that end just as their watchdog fires: each either finishes or raises
    TimeLimitExceeded, and no exception lands after the block (in the thread's later code)."""
    def work():
        ended = 0
        for _ in range(rounds):
            try:
                with time_limit(0.002, what="edge"):
                    sum(range(20_000))
            except TimeLimitExceeded:
                pass
            ended += 1
        stop = time.monotonic() + 1.5  # _REPEAT and more: a stray watchdog would fire here
        while time.monotonic() < stop:
            pass
        return ended

    results = []
    caught = _in_thread(lambda: results.append(work()))
    assert caught == [] and results == [rounds]
    assert not [t for t in threading.enumerate() if t.name == "eventwire-time-limit"]


@pytest.mark.parametrize("seconds", [0.01])
def test_fuzz_limits_deadline_is_cooperative(seconds):
    with time_limit(None) as unlimited:
        limited = Deadline(seconds, what="wire.html")
        limited.check()  # in time
        time.sleep(seconds * 5)  # no preemption: only check() raises
    unlimited.check()
    with pytest.raises(TimeLimitExceeded) as err:
        limited.check()
    assert str(err.value) == "wire.html: E-TIMEOUT took longer than 0.01 s (time limit); skipped"


def test_fuzz_limits_exception_pickles():
    """Dask sends a worker's exception back pickled."""
    import pickle
    exc = pickle.loads(pickle.dumps(TimeLimitExceeded("corpus.jsonl:3", 300.0)))
    assert (type(exc), exc.what, exc.seconds, exc.code) == \
        (TimeLimitExceeded, "corpus.jsonl:3", 300.0, "E-TIMEOUT")
    assert exc.reason == "took longer than 300 s (time limit)"
