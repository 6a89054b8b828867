"""Shared pieces of the reliability matrix (tests/integration/test_reliability_*.py, issue 7).

Playbooks are written as JSON (which is YAML), so option values with quotes, unicode or Jinja need no escaping.
"""
from __future__ import annotations

import json
import re
import sys
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


def local_inventory(path: Path, hosts: dict) -> Path:
    """An INI inventory of local-connection hosts; `hosts` maps host name -> dict of host vars."""
    lines = []
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


def arm_fault_task(emulator, kind, action, count=1, **options):
    """A task that arms one emulator fault over its HTTP control API, so a playbook can arm faults between
    tasks (faults match by action, so cases sharing a playbook must be armed one after the other)."""
    body = dict(kind=kind, action=action, count=count, **options)
    return task(f"arm {kind} on {action}", "ansible.builtin.uri",
                dict(url=f"{emulator.url}/_emulator/faults", method="POST", body_format="json", body=body,
                     use_proxy=False, validate_certs=False))


def bind_directly(emulator, eips=(), havips=()):
    """Bind seed resources through the shared client (no ansible process), and let the transitions settle.

    `eips`: (allocation_id, ecs_instance_id) pairs; `havips`: (havip_id, ens_instance_id) pairs.
    """
    import time

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
    time.sleep(emulator.transition_seconds + 0.1)


def calls_on(emulator, resource_id, since=0):
    """The calls (from index `since` of the log) whose parameters name `resource_id`."""
    return [c for c in emulator.calls[since:] if resource_id in c["params"].values()]
