"""Shared pieces of the reliability matrix (tests/integration/test_reliability_*.py, issue 7).

Playbooks are written as JSON (which is YAML), so option values with quotes, unicode or Jinja need no escaping.
"""
from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

EIP_MODULE = "alicloud.network.eip_association"
HAVIP_MODULE = "alicloud.network.havip_association"

# The request id fail_api puts in a message: "(request id 0ED8D006-F706-...)".
REQUEST_ID_IN_MSG = re.compile(r"request id ([0-9A-Fa-f-]{8,})")


def task(name, module, args, **keywords):
    """One task; `keywords` are task keywords such as ignore_errors or check_mode."""
    return {"name": name, module: args, **keywords}


def playbook(*tasks, hosts="localhost", **play_keywords):
    """YAML (JSON) text of one play running `tasks` on `hosts`."""
    play = {"hosts": hosts, "gather_facts": False, **play_keywords, "tasks": list(tasks)}
    return json.dumps([play], ensure_ascii=False, indent=1)


def local_inventory(path: Path, groups: dict) -> Path:
    """An INI inventory of local-connection hosts; `groups` maps group -> {host name: {host var: value}}."""
    lines = []
    for group, hosts in groups.items():
        lines.append(f"[{group}]")
        for name, host_vars in hosts.items():
            pairs = " ".join(f"{key}={value}" for key, value in host_vars.items())
            lines.append(f"{name} ansible_connection=local ansible_python_interpreter={sys.executable} {pairs}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def failed(run, name, host=None):
    """The result dict of task `name`, asserting it failed."""
    result = run.task(name, host)
    assert result["status"] == "failed", (name, result)
    return result["result"]


def succeeded(run, name, host=None):
    """The result dict of task `name`, asserting it ended ok or changed."""
    result = run.task(name, host)
    assert result["status"] in ("ok", "changed"), (name, result, run.stderr[-3000:])
    return result


def world(emulator):
    """Every EIP and HAVIP as the emulator holds them (the truth, transitions applied)."""
    snap = emulator.snapshot()
    return {"eips": snap["eips"], "havips": snap["havips"]}


def havip_members(emulator, havip_id):
    """{instance_id: status} of the HAVIP's associated instances."""
    members = emulator.havip(havip_id).get("AssociatedInstances") or []
    if isinstance(members, dict):
        members = members.get("AssociatedInstance") or []
    return {m["InstanceId"]: m.get("Status") for m in members}


def assert_names_action_code_and_request_id(msg, action, code, emulator):
    """The failure message names the action, the code and a request id the emulator really answered with."""
    assert action in msg and code in msg, msg
    found = REQUEST_ID_IN_MSG.search(msg)
    assert found, f"no request id in {msg!r}"
    answered = {c["request_id"] for c in emulator.calls if c["action"] == action and c["code"] == code}
    assert found.group(1) in answered, (found.group(1), msg)


class WireRecorder:
    """Wraps an emulator's request path to keep what a leak test must look for: every signature value and
    every Authorization header the emulator received (the emulator's own call log keeps only their style)."""

    def __init__(self, emulator):
        self.signatures = set()
        self.authorizations = set()
        self._handle = emulator.handle
        emulator.handle = self._record  # server.py calls app.handle per request: the instance attribute wins

    def _record(self, request):
        authorization = request.header("authorization")
        if authorization:
            self.authorizations.add(authorization)
            match = re.search(r"Signature=([^,\s]+)", authorization)
            if match:
                self.signatures.add(match.group(1))
        if request.params.get("Signature"):  # V1 (query) signatures, e.g. STS from other clients
            self.signatures.add(request.params["Signature"])
        return self._handle(request)


class FaultsPerResource:
    """Arms each case's faults when the first request naming the case's resource arrives.

    Faults match by action, so cases that share one playbook cannot all be armed up front: the first case would
    take them all. This hook on the emulator's request path (in-process, no extra ansible task) clears what the
    previous case left over, remembers it in `leftovers`, and arms the next case's faults just before its first
    request is handled. Tasks of a playbook run one after the other, so a case's requests are never mixed with
    another's.
    """

    def __init__(self, emulator, plan):
        self.plan = plan            # resource id -> [(kind, action, count, options)]
        self.leftovers = {}         # resource id -> faults still armed when the next case began
        self.current = None
        self._emulator = emulator
        self._handle = emulator.handle
        emulator.handle = self._arm_then_handle  # server.py calls app.handle: the instance attribute wins

    def _arm_then_handle(self, request):
        for value in request.params.values():
            if value in self.plan and value != self.current:
                self._switch_to(value)
                break
        return self._handle(request)

    def _switch_to(self, resource):
        faults = self._emulator.faults
        if self.current is not None:
            self.leftovers[self.current] = faults.active()
        faults.clear()
        self.current = resource
        for kind, action, count, options in self.plan[resource]:
            faults.add(kind, action=action, count=count, **options)

    def finish(self):
        """Record what the last case left over; call after the playbook."""
        if self.current is not None:
            self.leftovers[self.current] = self._emulator.faults.active()


def bind_directly(emulator, eips=(), havips=(), settle=True):
    """Bind seed resources through the shared client (no ansible process); let the transitions settle unless
    `settle` is false.

    `eips`: (allocation_id, ecs_instance_id) pairs; `havips`: (havip_id, ens_instance_id) pairs.
    """
    from ansible_collections.alicloud.network.plugins.module_utils import _endpoints
    from ansible_collections.alicloud.network.plugins.module_utils._client import AlibabaClient, new_session
    from ansible_collections.alicloud.network.plugins.module_utils._credentials import (
        Credentials, StaticProvider)
    from ansible_process import TEST_ACCESS_KEY, TEST_SECRET_KEY

    def client(product):
        provider = StaticProvider(Credentials(TEST_ACCESS_KEY, TEST_SECRET_KEY))
        return AlibabaClient(emulator.url, _endpoints.PRODUCTS[product].version, provider, session=new_session())

    vpc, ens = client("vpc"), client("ens")
    for allocation_id, instance_id in eips:
        vpc.call("AssociateEipAddress", {"RegionId": "cn-hangzhou", "AllocationId": allocation_id,
                                         "InstanceId": instance_id, "InstanceType": "EcsInstance"})
    for havip_id, instance_id in havips:
        ens.call("AssociateHaVip", {"HaVipId": havip_id, "InstanceId": instance_id, "InstanceType": "EnsInstance"})
    if settle:
        time.sleep(emulator.transition_seconds + 0.1)


def calls_on(emulator, resource_id, since=0):
    """The calls (from index `since` of the log) whose parameters name `resource_id`."""
    return [c for c in emulator.calls[since:] if resource_id in c["params"].values()]


class ActorFirst:
    """Another actor gets there first: `act()` runs once, just before the emulator handles the first request for
    `action` (the module has read the resource and decided; its change then meets a state it did not read).
    `answer_after` holds that request's answer back for so many seconds, as a slow network would."""

    def __init__(self, emulator, action, act, answer_after=0.0):
        self.action = action
        self.acted = False
        self._act = act
        self._answer_after = answer_after
        self._handle = emulator.handle
        emulator.handle = self._act_then_handle

    def _act_then_handle(self, request):
        if self.acted or request.header("x-acs-action") != self.action:
            return self._handle(request)
        self.acted = True
        self._act()
        response = self._handle(request)
        time.sleep(self._answer_after)
        return response
