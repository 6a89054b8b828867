"""Pacer (module_utils/_pacer.py): the shared backoff, alone (fake clock) and as AlibabaClient's hook."""
from __future__ import annotations

import pytest

from ansible_collections.alicloud.network.plugins.module_utils._client import AlibabaClient, ApiError
from ansible_collections.alicloud.network.plugins.module_utils._credentials import Credentials, StaticProvider
from ansible_collections.alicloud.network.plugins.module_utils._pacer import FIRST_INTERVAL, MAX_INTERVAL, Pacer

THROTTLED = {"status": 400, "body": {"Code": "Throttling.User", "Message": "Request was denied due to user flow "
                                     "control.", "RequestId": "req-throttled"}}
OK = {"status": 200, "body": {"RequestId": "req-ok", "TotalCount": 0, "EipAddresses": {"EipAddress": []}}}


def pacer_on(clock, rand=0.0):
    return Pacer(clock=clock, sleep=clock.sleep, rand=lambda: rand)


def test_no_spacing_until_something_is_throttled(clock):
    pacer = pacer_on(clock)
    for _attempt in range(20):
        pacer.before_send()
        pacer.succeeded()
    assert clock.sleeps == []


def test_one_throttled_episode_slows_everyone_once(clock):
    pacer = pacer_on(clock)
    tickets = [pacer.before_send() for _attempt in range(10)]     # ten requests in flight...
    for ticket in tickets:                                   # ...all come back throttled
        pacer.throttled(ticket)
    assert pacer.interval == FIRST_INTERVAL                  # one slow-down, not ten doublings
    assert pacer.throttled_answers == 10
    start = clock()
    for _attempt in range(5):                                       # everyone's next tries are spaced out
        pacer.before_send()
    assert clock() - start == pytest.approx(FIRST_INTERVAL * 5)


def test_a_new_episode_doubles_the_spacing_up_to_the_cap(clock):
    pacer = pacer_on(clock)
    for expected in (FIRST_INTERVAL, 2 * FIRST_INTERVAL, 4 * FIRST_INTERVAL):
        pacer.throttled(pacer.before_send())
        assert pacer.interval == pytest.approx(expected)
    for _attempt in range(20):
        pacer.throttled(pacer.before_send())
    assert pacer.interval == MAX_INTERVAL


def test_accepted_answers_ease_the_spacing_off_to_nothing(clock):
    pacer = pacer_on(clock)
    pacer.throttled(pacer.before_send())
    eased = []
    for _attempt in range(100):
        pacer.before_send()
        pacer.succeeded()
        eased.append(pacer.interval)
    assert eased == sorted(eased, reverse=True) and eased[-1] == 0.0


def test_retry_after_from_the_server_sets_the_hold(clock):
    pacer = pacer_on(clock)
    assert pacer.throttled(pacer.before_send(), retry_after=2.0) == pytest.approx(2.0)
    start = clock()
    pacer.before_send()
    assert clock() - start == pytest.approx(2.0)


def make_client(url, clock, pacer, max_retry_time=30.0):
    creds = StaticProvider(Credentials("LTAI5tUnit", "unit-secret-do-not-leak"))
    return AlibabaClient(url, "2016-04-28", creds, max_retry_time=max_retry_time, clock=clock, sleep=clock.sleep,
                         rand=lambda: 1.0, pacer=pacer)


def test_client_hands_throttling_waits_to_the_pacer(stub, clock):
    stub.script(THROTTLED, THROTTLED, OK)
    pacer = pacer_on(clock)
    client = make_client(stub.url, clock, pacer)
    assert client.call("DescribeEipAddresses", {})["RequestId"] == "req-ok"
    assert len(stub.requests) == 3
    assert pacer.throttled_answers == 2
    # The waits were the pacer's spacing (0.1 s, then 0.2 s: two episodes, one request each), not the
    # client's own exponential backoff.
    assert clock.sleeps == pytest.approx([FIRST_INTERVAL, 2 * FIRST_INTERVAL])


def test_client_with_pacer_still_gives_up_at_max_retry_time(stub, clock):
    stub.default = THROTTLED
    client = make_client(stub.url, clock, pacer_on(clock), max_retry_time=2.0)
    with pytest.raises(ApiError) as raised:
        client.call("DescribeEipAddresses", {})
    assert raised.value.code == "Throttling.User"
    assert sum(clock.sleeps) <= 2.0


def test_client_without_pacer_is_unchanged(stub, clock):
    stub.script(THROTTLED, OK)
    client = make_client(stub.url, clock, None)
    assert client.pacer is None
    assert client.call("DescribeEipAddresses", {})["RequestId"] == "req-ok"
    assert len(clock.sleeps) == 1
