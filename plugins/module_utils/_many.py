# -*- coding: utf-8 -*-
# Copyright: alicloud.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every "many resources in one task" engine needs, whatever the resource: a client ready for several
threads, calls run in parallel with a bound on how many are in flight, and one poll for everything pending.

The EIP list forms (module_utils/_eip_many.py) are built on these; a HAVIP or ENS list form would be too.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.alicloud.network.plugins.module_utils._client import ApiError
from ansible_collections.alicloud.network.plugins.module_utils._pacer import Pacer
from ansible_collections.alicloud.network.plugins.module_utils._waiter import WaitTimeout, wait_until

MAX_PARALLELISM = 50


def prepare_client(module, parallelism):
    """module.client, made ready for `parallelism` threads: a connection pool that large (so connections are
    reused rather than opened and dropped), one shared Pacer, and credentials resolved once, here, before any
    thread asks for them."""
    client = module.client
    try:
        from requests.adapters import HTTPAdapter
    except ImportError:   # AlicloudModule has already reported a missing requests
        HTTPAdapter = None
    if HTTPAdapter is not None:
        adapter = HTTPAdapter(pool_connections=2, pool_maxsize=max(1, parallelism))
        client.session.mount("https://", adapter)
        client.session.mount("http://", adapter)
    if getattr(client, "pacer", None) is None:
        client.pacer = Pacer()
    client.credentials.get()
    return client


class Outcome:
    """What one job's call gave: the answer, or the ApiError it raised."""

    __slots__ = ("job", "answer", "error")

    def __init__(self, job, answer=None, error=None):
        self.job, self.answer, self.error = job, answer, error


def run_parallel(jobs, work, parallelism):
    """work(job) for every job, at most `parallelism` at a time; the Outcomes in the jobs' order.

    An ApiError is an outcome like an answer; anything else (a bug, fail_json) is raised here, in the caller's
    thread, once every call has returned.
    """
    def attempt(job):
        try:
            return Outcome(job, answer=work(job))
        except ApiError as err:
            return Outcome(job, error=err)

    if len(jobs) <= 1 or parallelism <= 1:
        return [attempt(job) for job in jobs]
    with ThreadPoolExecutor(max_workers=min(parallelism, len(jobs))) as pool:
        futures = [pool.submit(attempt, job) for job in jobs]
        return [future.result() for future in futures]


def poll_together(read, pending, decided, timeout, what):
    """Read everything in `pending` at once (read(pending) -> {key: resource}) until decided(key, resource)
    has said True for each; the keys still pending on timeout are returned (empty when all were decided).

    decided(key, None) is called for a key the read no longer finds. The reads follow the waiter's schedule
    (module_utils/_waiter.py), so many items cost what one does.
    """
    left = list(pending)

    def read_left():
        found = read(left)
        left[:] = [key for key in left if not decided(key, found.get(key))]
        return left

    if not left:
        return []
    try:
        wait_until(read_left, lambda still: not still, timeout, what)
    except WaitTimeout:
        return left
    return []
