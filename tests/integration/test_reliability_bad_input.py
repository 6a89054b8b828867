"""Issue 7, bad input: every malformed task fails with a clear message before any mutating call, and the emulator's
state is unchanged. Many bad inputs share one playbook (ignore_errors per task) to stay fast.
"""
from __future__ import annotations

from reliability_support import EIP_MODULE, HAVIP_MODULE, failed, playbook, task, world

MUTATING_ACTIONS = {"AssociateEipAddress", "UnassociateEipAddress", "AssociateHaVip", "UnassociateHaVip"}

EIP = dict(allocation_id="eip-emu0001", instance_id="i-emuecs0001")
HAVIP = dict(havip_id="havip-emuens0001", instance_id="i-emuens0001")


def eip(**changes):
    """The good EIP task with `changes` (None removes an option)."""
    args = dict(EIP, **changes)
    return {k: v for k, v in args.items() if v is not None}


def havip(**changes):
    args = dict(HAVIP, **changes)
    return {k: v for k, v in args.items() if v is not None}


# (name, module, args, words the message must contain)
BAD_INPUTS = [
    # empty and malformed IDs
    ("eip: empty allocation_id", EIP_MODULE, eip(allocation_id=""), ["allocation_id"]),
    ("eip: empty instance_id", EIP_MODULE, eip(instance_id=""), ["instance_id"]),
    ("eip: allocation_id with a semicolon", EIP_MODULE, eip(allocation_id="eip-emu0001;rm"), ["not a valid ID"]),
    ("eip: instance_id with a slash", EIP_MODULE, eip(instance_id="../i-emuecs0001"), ["not a valid ID"]),
    ("eip: ip_address that is no IPv4", EIP_MODULE, eip(allocation_id=None, ip_address="47.100.0.256"),
     ["not a valid IP address"]),
    ("havip: empty instance in instance_ids", HAVIP_MODULE, havip(instance_id=None, instance_ids=["i-emuens0001", ""]),
     ["must not be empty"]),
    # wrong types
    ("eip: wait_timeout not a number", EIP_MODULE, eip(wait_timeout="soon"), ["wait_timeout"]),
    ("eip: allow_reassociation not a boolean", EIP_MODULE, eip(allow_reassociation="perhaps"),
     ["allow_reassociation"]),
    ("eip: read_timeout not a number", EIP_MODULE, eip(read_timeout="fast"), ["read_timeout"]),
    ("eip: negative wait_timeout", EIP_MODULE, eip(wait_timeout=-1), ["wait_timeout"]),
    ("havip: exclusive not a boolean", HAVIP_MODULE, havip(exclusive="sometimes"), ["exclusive"]),
    ("havip: instance_ids a mapping", HAVIP_MODULE, havip(instance_id=None, instance_ids={"a": 1}), ["instance_ids"]),
    ("havip: negative wait_timeout", HAVIP_MODULE, havip(wait_timeout=-5), ["wait_timeout"]),
    # unknown choices
    ("eip: unknown state", EIP_MODULE, eip(state="gone"), ["state", "present", "absent"]),
    ("eip: unknown instance_type", EIP_MODULE, eip(instance_type="Ecs"), ["instance_type", "EcsInstance"]),
    ("eip: unknown mode", EIP_MODULE, eip(instance_id="eni-emueni0001", instance_type="NetworkInterface",
                                          mode="FAST"), ["mode", "MULTI_BINDED"]),
    ("havip: unknown instance_type", HAVIP_MODULE, havip(instance_type="Vm"), ["instance_type", "EnsInstance"]),
    ("havip: unknown state", HAVIP_MODULE, havip(state="gone"), ["state"]),
    ("eip: unknown option", EIP_MODULE, eip(instance_name="web1"), ["instance_name"]),
    # missing options, and options that do not go together
    ("eip: neither allocation_id nor ip_address", EIP_MODULE, eip(allocation_id=None),
     ["allocation_id", "ip_address"]),
    ("eip: present without instance_id", EIP_MODULE, eip(instance_id=None), ["instance_id"]),
    ("eip: IpAddress without vpc_id", EIP_MODULE, eip(instance_id="10.0.6.10", instance_type="IpAddress"),
     ["vpc_id"]),
    ("eip: mode without NetworkInterface", EIP_MODULE, eip(mode="NAT"), ["mode", "NetworkInterface"]),
    ("eip: vpc_id without IpAddress", EIP_MODULE, eip(vpc_id="vpc-emu0001"), ["vpc_id", "IpAddress"]),
    ("eip: access_key without secret_key", EIP_MODULE, eip(access_key="LTAI5tEmuTestAccessKey"),
     ["access_key", "secret_key"]),
    ("havip: present without an instance", HAVIP_MODULE, havip(instance_id=None), ["instance_id"]),
    ("havip: instance_id and instance_ids", HAVIP_MODULE, havip(instance_ids=["i-emuens0002"]),
     ["mutually exclusive"]),
    ("havip: exclusive with absent", HAVIP_MODULE, havip(state="absent", exclusive=True), ["exclusive"]),
    # unicode and very long strings
    ("eip: unicode instance_id", EIP_MODULE, eip(instance_id="i-emuécs0001"), ["not a valid ID"]),
    ("eip: full-width allocation_id", EIP_MODULE, eip(allocation_id="eip-ｅｍｕ0001"), ["not a valid ID"]),
    ("eip: 5000-character allocation_id", EIP_MODULE, eip(allocation_id="eip-" + "a" * 5000), ["not a valid ID"]),
    ("eip: 65-character client_token", EIP_MODULE, eip(client_token="t" * 65), ["client_token"]),
    ("eip: unicode client_token", EIP_MODULE, eip(client_token="tökén"), ["client_token"]),
    # endpoints and regions
    ("eip: endpoint that is not a URL", EIP_MODULE, eip(endpoint="not a url"), ["endpoint", "URL"]),
    ("eip: endpoint with another scheme", EIP_MODULE, eip(endpoint="ftp://127.0.0.1:21"), ["endpoint", "URL"]),
    ("eip: endpoint with a path", EIP_MODULE, eip(endpoint="http://127.0.0.1:9/api"), ["endpoint", "path"]),
    ("havip: endpoint that is not a URL", HAVIP_MODULE, havip(endpoint="ens.aliyuncs.com"), ["endpoint", "URL"]),
    ("eip: malformed region", EIP_MODULE, eip(region="Hangzhou 1"), ["region", "cn-hangzhou"]),
    ("havip: malformed region", HAVIP_MODULE, havip(region="../etc"), ["region"]),
    ("eip: ca_bundle that does not exist", EIP_MODULE, eip(ca_bundle="/nonexistent/ca.pem"), ["ca_bundle"]),
]


def test_bad_input_fails_clearly_before_any_mutating_call(emulator, ansible):
    before = world(emulator)
    run = ansible.playbook(playbook(*[task(name, module, args, ignore_errors=True)
                                      for name, module, args, _words in BAD_INPUTS]))

    unclear = []
    for name, _module, _args, words in BAD_INPUTS:
        msg = failed(run, name)["msg"]
        if not all(word in msg for word in words):
            unclear.append((name, msg, words))
    assert unclear == []
    assert [c for c in emulator.calls if c["action"] in MUTATING_ACTIONS] == []
    assert world(emulator) == before


def test_region_that_does_not_exist_fails_clearly_without_changing_anything(emulator, ansible):
    """A well-formed but unknown region reaches the API (the module cannot know every region); the EIP is then
    not found there, and the message says so, naming the region."""
    before = world(emulator)
    run = ansible.playbook(playbook(task("nowhere", EIP_MODULE, eip(region="xx-nowhere-1"), ignore_errors=True)))

    msg = failed(run, "nowhere")["msg"]
    assert "xx-nowhere-1" in msg and "eip-emu0001" in msg, msg
    assert {c["action"] for c in emulator.calls} <= {"DescribeEipAddresses"}
    assert world(emulator) == before


# Malformed IDs the HAVIP module must reject before any call, as the EIP module does (module_utils id_problem).
HAVIP_MALFORMED_IDS = [
    ("havip: unicode instance_id", havip(instance_id="i-emuéns0001")),
    ("havip: 5000-character instance_id", havip(instance_id="i-" + "x" * 5000)),
    ("havip: instance_id with spaces", havip(instance_id="i-emuens0001 i-emuens0002")),
]


def test_havip_malformed_ids_fail_before_any_mutating_call(emulator, ansible):
    before = world(emulator)
    run = ansible.playbook(playbook(*[task(name, HAVIP_MODULE, args, ignore_errors=True)
                                      for name, args in HAVIP_MALFORMED_IDS]))

    for name, _args in HAVIP_MALFORMED_IDS:
        assert "instance_id" in failed(run, name)["msg"], name
    assert world(emulator) == before
    assert [c for c in emulator.calls if c["action"] in MUTATING_ACTIONS] == []


# For docs/reliability.md.
BAD_INPUT_COUNT = len(BAD_INPUTS) + 1 + len(HAVIP_MALFORMED_IDS)
