"""wait_until: polls with growing intervals, returns as soon as done, never sleeps past the deadline."""
from __future__ import annotations

import pytest

from ansible_collections.alicloud.network.plugins.module_utils._waiter import (
    FIRST_INTERVAL,
    LAG_SHARE,
    MAX_INTERVAL,
    WaitTimeout,
    wait_until,
)


def reader(states, clock=None):
    """read() that returns the given states in turn, then keeps returning the last one."""
    seen = []

    def read():
        state = states[min(len(seen), len(states) - 1)]
        seen.append(state)
        return state
    read.seen = seen
    return read


def test_returns_at_once_when_already_done(clock):
    read = reader([{"Status": "InUse"}])
    assert wait_until(read, lambda r: r["Status"] == "InUse", 30, "EIP", clock=clock, sleep=clock.sleep) == {
        "Status": "InUse"}
    assert clock.sleeps == [] and len(read.seen) == 1


def test_each_interval_is_a_share_of_the_time_waited_up_to_the_cap(clock):
    read = reader(["Associating"] * 60 + ["InUse"])
    start = clock.now
    result = wait_until(read, lambda r: r == "InUse", 600, "EIP", clock=clock, sleep=clock.sleep)
    assert result == "InUse" and len(read.seen) == 61
    assert clock.sleeps[0] == pytest.approx(FIRST_INTERVAL)
    waited = 0.0
    for slept in clock.sleeps:
        # What bounds the lag: a state reached just after a read is seen within this sleep.
        assert slept == pytest.approx(min(FIRST_INTERVAL + LAG_SHARE * waited, MAX_INTERVAL))
        waited += slept
    assert max(clock.sleeps) == pytest.approx(MAX_INTERVAL)
    assert clock.now - start == pytest.approx(waited)


def test_lag_after_the_state_is_reached_stays_within_a_tenth_of_the_wait(clock):
    for transition in (0.5, 2.0, 10.0, 60.0):
        clock.now, clock.sleeps = 0.0, []

        def read(transition=transition):
            return "InUse" if clock.now >= transition else "Associating"
        wait_until(read, lambda r: r == "InUse", 600, "EIP", clock=clock, sleep=clock.sleep)
        assert clock.now - transition <= FIRST_INTERVAL + LAG_SHARE * transition + 1e-9


def test_stops_as_soon_as_the_state_is_reached(clock):
    read = reader(["Associating", "Associating", "InUse", "never-read"])
    wait_until(read, lambda r: r == "InUse", 60, "EIP", clock=clock, sleep=clock.sleep)
    assert read.seen == ["Associating", "Associating", "InUse"]


def test_timeout_reports_last_seen_and_never_oversleeps(clock):
    start = clock.now
    read = reader([None, {"Status": "Associating", "InstanceId": "i-1"}])
    with pytest.raises(WaitTimeout) as info:
        wait_until(read, lambda r: r is not None and r["Status"] == "InUse", 5, "EIP eip-1 to be InUse",
                   clock=clock, sleep=clock.sleep)
    assert clock.now - start == pytest.approx(5)
    assert info.value.last_seen == {"Status": "Associating", "InstanceId": "i-1"}
    assert info.value.what == "EIP eip-1 to be InUse"
    assert "Associating" in str(info.value) and "EIP eip-1 to be InUse" in str(info.value)


def test_zero_timeout_still_reads_once(clock):
    read = reader(["Available"])
    with pytest.raises(WaitTimeout):
        wait_until(read, lambda r: r == "InUse", 0, "EIP", clock=clock, sleep=clock.sleep)
    assert read.seen == ["Available"] and clock.sleeps == []
