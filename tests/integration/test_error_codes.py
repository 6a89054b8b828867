"""Every documented error code of the six actions, answered to a real module run (issue 11).

The emulator answers a code through its `error` fault (status and message from tests/emulator/reference.py, so no
test can invent a code); the module must then do what the one classification (plugins/module_utils/_errors.py)
says: RETRY and BUSY end as a change made, ALREADY reads again and fails only because the change does not hold,
FAIL fails at once with the code, the request id and the hint. Codes that fail at once are run many to a
playbook (each task meets the next queued fault); the others, which call again, one run each.
"""
from __future__ import annotations

import pytest
from emulator import reference

from ansible_collections.alicloud.network.plugins.module_utils import _errors

EIP = "eip_association"
HAVIP = "havip_association"


def kind(code):
    return _errors.classify(code).kind


def codes(action, kinds):
    return [code for act, code in reference.documented_codes((action,)) if kind(code) in kinds]


def name(action):
    """The action's name as the emulator logs it: "vpc:AssociateEipAddress" -> "AssociateEipAddress"."""
    return action.split(":", 1)[1]


def eip_task(n, action):
    """A task on its own EIP/instance pair whose first call of `action` meets the fault; setup tasks before it."""
    pair = {"allocation_id": "eip-emu%04d" % (100 + n), "instance_id": "i-emuecs%04d" % (100 + n)}
    if action == "vpc:UnassociateEipAddress":
        return [(EIP, pair, False), (EIP, dict(pair, state="absent"), True)]
    return [(EIP, pair, True)]


def havip_task(n, action):
    pair = {"havip_id": "havip-emuensb%03d" % (1 + n), "instance_id": "i-emuensb%03d" % (1 + n)}
    if action == "ens:UnassociateHaVip":
        return [(HAVIP, pair, False), (HAVIP, dict(pair, state="absent"), True)]
    return [(HAVIP, pair, True)]


def playbook(steps):
    """steps: (module, args, probed); probed tasks are named probe-N and may fail."""
    lines = ["- hosts: localhost", "  gather_facts: false", "  tasks:"]
    probe = 0
    for module, args, probed in steps:
        name = "probe-%d" % probe if probed else "setup-%d" % len(lines)
        probe += probed
        lines += ["    - name: %s" % name, "      alicloud.network.%s:" % module]
        lines += ["        %s: %s" % (key, value) for key, value in dict(args, wait_timeout=3).items()]
        if probed:
            lines.append("      ignore_errors: true")
    return "\n".join(lines) + "\n"


CASES = [(EIP if action.startswith("vpc:") else HAVIP, action, eip_task if action.startswith("vpc:") else havip_task)
         for action in reference.MODULE_ACTIONS]


@pytest.mark.slow
@pytest.mark.parametrize("module, action, make", CASES, ids=[c[1] for c in CASES])
def test_codes_that_fail_at_once(ansible, emulator, module, action, make):
    failing = codes(action, (_errors.FAIL,))
    if not failing:
        pytest.skip("no documented code of %s fails at once" % action)
    steps = [step for n, code in enumerate(failing) for step in make(n, action)]
    for code in failing:
        emulator.faults.add("error", action=action, code=code)
    run = ansible.playbook(playbook(steps))
    assert run.rc == 0, run.stdout + run.stderr
    for n, code in enumerate(failing):
        result = run.task("probe-%d" % n)
        assert result["status"] == "failed", (code, result)
        msg = result["result"]["msg"]
        assert "%s failed: %s" % (name(action), code) in msg, (code, msg)
        assert result["result"]["error"]["code"] == code
        assert result["result"]["error"]["request_id"] in msg
        if _errors.classify(code).hint:
            assert "Hint: " in msg, (code, msg)
        assert "Traceback" not in msg and "MODULE FAILURE" not in msg


def retried_cases():
    for module, action, make in CASES:
        for code in codes(action, (_errors.RETRY, _errors.BUSY, _errors.ALREADY)):
            yield pytest.param(module, action, make, code, id="%s-%s" % (action, code))


@pytest.mark.slow
@pytest.mark.parametrize("module, action, make, code", list(retried_cases()))
def test_codes_that_call_again(ansible, emulator, module, action, make, code):
    steps = make(0, action)
    emulator.faults.add("error", action=action, code=code)
    run = ansible.playbook(playbook(steps))
    result = run.task("probe-0")
    answered = [c for c in emulator.calls if c["action"] == name(action)]
    if kind(code) in (_errors.RETRY, _errors.BUSY):
        # Sent again (by the client for RETRY, after a fresh read for BUSY): the change is made.
        assert result["status"] == "changed", (code, result)
        assert answered[0]["code"] == code and answered[-1]["code"] is None, answered
    else:
        # ALREADY: the refusal came from the fault, so the change does not hold when read again: fail, naming it.
        assert result["status"] == "failed", (code, result)
        assert code in result["result"]["msg"]
        reads = [c for c in emulator.calls if c["action"].startswith("Describe")]
        assert len(reads) >= 2, "read again before failing"
