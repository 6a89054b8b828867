"""alicloud.network.eip_association's list forms (issue 14): associations, and a set of EIPs on one instance.

Real ansible-playbook runs against the emulator; the calls are counted in its log. 50 items from Available, a mix
of done / new / absent items, reassociations, failing items among good ones, check mode and diff, a NAT
gateway's set with and without exclusive (AssociateEipAddressBatch), an ENI's MULTI_BINDED set, throttling under
parallel load, and the input checks made before any call.
"""
from __future__ import annotations

import collections
import json

PLAY = """
- hosts: localhost
  gather_facts: false
  tasks:
{tasks}
"""


def play(*tasks, ignore_errors=False):
    """A one-play playbook; each task is (name, module_args) for eip_association."""
    lines = []
    for name, args in tasks:
        lines.append(f"    - name: {name}")
        lines.append("      alicloud.network.eip_association: " + json.dumps(args))
        if ignore_errors:
            lines.append("      ignore_errors: true")
    return PLAY.format(tasks="\n".join(lines))


def eip(n):
    return f"eip-emu{n:04d}"


def ecs(n):
    return f"i-emuecs{n:04d}"


def pairs(numbers, **extra):
    return [dict({"allocation_id": eip(n), "instance_id": ecs(n)}, **extra) for n in numbers]


def counts(calls):
    return collections.Counter(call["action"] for call in calls)


def associates_per_eip(emulator):
    """How many effective (state-changing) associate calls each EIP got, single and batch alike."""
    per_eip = collections.Counter()
    for call in emulator.mutating_calls():
        if call["action"] == "AssociateEipAddress":
            per_eip[call["params"]["AllocationId"]] += 1
        elif call["action"] == "AssociateEipAddressBatch":
            for key, value in call["params"].items():
                if key.startswith("InstanceIds."):
                    per_eip[value] += 1
    return per_eip


def ids_in(call):
    return set((call["params"].get("AllocationId") or "").split(","))


def test_fifty_items_from_available_then_nothing_to_do(emulator, ansible):
    numbers = range(1, 51)
    book = play(("many", {"associations": pairs(numbers)}))

    run = ansible.playbook(book)
    assert run.rc == 0, run.stdout + run.stderr
    result = run.task("many")
    assert result["status"] == "changed"
    items = result["result"]["associations"]
    assert [item["allocation_id"] for item in items] == [eip(n) for n in numbers]     # input order
    for n, item in zip(numbers, items):
        state = emulator.eip(eip(n))
        assert (state["Status"], state["InstanceId"]) == ("InUse", ecs(n))
        assert item["changed"] is True and item["instance_id"] == ecs(n) and "error" not in item
        assert item["association"]["status"] == "InUse"
        assert item["association"]["private_ip_address"] == state["PrivateIpAddress"]
    assert associates_per_eip(emulator) == collections.Counter({eip(n): 1 for n in numbers})
    seen = counts(emulator.calls)
    assert set(seen) == {"AssociateEipAddress", "DescribeEipAddresses"}
    # 50 IDs fit one DescribeEipAddresses: every read (the first and each poll round) is a single call.
    describes = [c for c in emulator.calls if c["action"] == "DescribeEipAddresses"]
    assert all(len(ids_in(c)) <= 50 for c in describes)
    assert 2 <= seen["DescribeEipAddresses"] <= 12
    assert len(result["result"]["request_ids"]) == 50

    mark = len(emulator.calls)
    again = ansible.playbook(book)
    assert again.rc == 0, again.stdout + again.stderr
    assert again.task("many")["status"] == "ok"
    assert [c["action"] for c in emulator.calls[mark:]] == ["DescribeEipAddresses"]
    assert all(item["changed"] is False for item in again.task("many")["result"]["associations"])


def test_a_mix_of_done_new_and_absent_items(emulator, ansible):
    setup = ansible.playbook(play(("bind 62", {"allocation_id": eip(62), "instance_id": ecs(62)})))
    assert setup.rc == 0, setup.stdout + setup.stderr
    mark = len(emulator.calls)
    items = [
        {"allocation_id": "eip-emubound01", "instance_id": "i-emuecsbound1"},           # already done
        {"allocation_id": eip(60), "instance_id": ecs(60)},                              # new
        {"allocation_id": eip(62), "instance_id": ecs(62), "state": "absent"},           # to unbind
        {"allocation_id": eip(63), "state": "absent"},                                   # already absent
        {"ip_address": "47.100.0.64", "instance_id": ecs(64)},                           # new, by address
    ]
    run = ansible.playbook(play(("mix", {"associations": items})))
    assert run.rc == 0, run.stdout + run.stderr
    out = run.task("mix")["result"]["associations"]
    assert [item["changed"] for item in out] == [False, True, True, False, True]
    assert out[4]["allocation_id"] == eip(64) and out[4]["ip_address"] == "47.100.0.64"
    assert emulator.eip(eip(60))["InstanceId"] == ecs(60)
    assert emulator.eip(eip(62))["Status"] == "Available" and out[2]["association"]["instance_id"] is None
    assert emulator.eip(eip(64))["InstanceId"] == ecs(64)
    assert emulator.eip("eip-emubound01")["InstanceId"] == "i-emuecsbound1"
    mutating = [(c["action"], c["params"]["AllocationId"]) for c in emulator.mutating_calls()[1:]]
    assert sorted(mutating) == sorted([("AssociateEipAddress", eip(60)), ("UnassociateEipAddress", eip(62)),
                                       ("AssociateEipAddress", eip(64))])
    # One read by ID and one by address first, then the polls; nothing else.
    assert set(counts(emulator.calls[mark:])) == {"DescribeEipAddresses", "AssociateEipAddress",
                                                  "UnassociateEipAddress"}


def test_reassociation_items_move_and_free_the_instance_for_another(emulator, ansible):
    # eip-emubound01 moves from i-emuecsbound1 to a new instance; eip-emu0071 takes i-emuecsbound1, which can
    # hold one EIP only: its associate waits until the move has unbound the instance.
    items = [{"allocation_id": "eip-emubound01", "instance_id": ecs(70)},
             {"allocation_id": eip(71), "instance_id": "i-emuecsbound1"}]
    run = ansible.playbook(play(("move", {"associations": items, "allow_reassociation": True})), diff=True)
    assert run.rc == 0, run.stdout + run.stderr
    out = run.task("move")["result"]
    assert emulator.eip("eip-emubound01")["InstanceId"] == ecs(70)
    assert emulator.eip(eip(71))["InstanceId"] == "i-emuecsbound1"
    assert out["associations"][0]["before"]["instance_id"] == "i-emuecsbound1"
    assert out["associations"][0]["association"]["instance_id"] == ecs(70)
    assert out["diff"]["before"]["eip-emubound01"]["instance_id"] == "i-emuecsbound1"
    actions = [(c["action"], c["params"]["AllocationId"]) for c in emulator.mutating_calls()]
    assert actions.index(("UnassociateEipAddress", "eip-emubound01")) < actions.index(
        ("AssociateEipAddress", eip(71)))
    assert len(actions) == 3   # one unbind, two binds: no refused or repeated call

    # Without allow_reassociation an item bound elsewhere fails, naming its owner; the others are done.
    run = ansible.playbook(play(("refuse", {"associations": [
        {"allocation_id": "eip-emubound01", "instance_id": ecs(72)},
        {"allocation_id": eip(73), "instance_id": ecs(73)}]})))
    assert run.rc != 0
    result = run.task("refuse")["result"]
    assert result["associations"][0]["error"]["code"] == "AlreadyAssociated"
    assert ecs(70) in result["associations"][0]["error"]["message"]
    assert result["associations"][1]["changed"] is True and emulator.eip(eip(73))["InstanceId"] == ecs(73)


def test_two_failing_items_fail_the_task_and_the_others_are_done_and_reported(emulator, ansible):
    items = pairs(range(80, 84))
    items[1]["instance_id"] = "i-emuecsnosuch"                 # the API: InvalidInstanId.NotFound
    items[2]["allocation_id"] = "eip-emunosuch"                # no such EIP
    run = ansible.playbook(play(("partly", {"associations": items})))
    assert run.rc != 0
    result = run.task("partly")
    assert result["status"] == "failed"
    body = result["result"]
    assert body["changed"] is True
    msg = body["msg"]
    assert msg.startswith("2 of 4 associations failed")
    assert "eip-emu0081 (associations[1]" in msg and "InvalidInstanId.NotFound" in msg and "Hint: check instance_id" in msg
    assert "eip-emunosuch (associations[2]" in msg and "NotFound" in msg
    out = body["associations"]
    assert out[1]["error"]["code"] == "InvalidInstanId.NotFound" and out[1]["error"]["request_id"]
    assert out[1]["error"]["hint"].startswith("check instance_id")
    assert out[1]["changed"] is False and out[1]["association"]["status"] == "Available"
    assert out[2]["error"]["code"] == "NotFound" and out[2]["association"] is None
    for index, n in ((0, 80), (3, 83)):
        assert out[index]["changed"] is True and "error" not in out[index]
        assert out[index]["association"]["status"] == "InUse" and emulator.eip(eip(n))["InstanceId"] == ecs(n)
    assert emulator.eip(eip(81))["Status"] == "Available"
    # The failed associate was sent once: a documented FAIL code is not retried.
    assert counts(c for c in emulator.calls if c["action"] == "AssociateEipAddress"
                  and c["params"]["AllocationId"] == eip(81))["AssociateEipAddress"] == 1


def test_check_mode_predicts_and_diff_shows_every_item_that_would_change(emulator, ansible):
    items = pairs([90, 91]) + [{"allocation_id": "eip-emubound01", "instance_id": "i-emuecsbound1"},
                               {"allocation_id": eip(92), "state": "absent"}]
    run = ansible.playbook(play(("preview", {"associations": items})), check=True, diff=True)
    assert run.rc == 0, run.stdout + run.stderr
    result = run.task("preview")
    assert result["status"] == "changed"
    body = result["result"]
    assert [item["changed"] for item in body["associations"]] == [True, True, False, False]
    assert body["associations"][0]["association"]["instance_id"] == ecs(90)
    assert body["associations"][0]["association"]["status"] == "InUse"
    assert body["associations"][0]["before"]["status"] == "Available"
    assert set(body["diff"]["before"]) == set(body["diff"]["after"]) == {eip(90), eip(91)}
    assert body["diff"]["after"][eip(91)]["instance_id"] == ecs(91)
    assert ecs(90) in run.stdout and ecs(91) in run.stdout    # the diff callback printed both
    assert emulator.mutating_calls() == []
    assert set(counts(emulator.calls)) == {"DescribeEipAddresses"}
    assert emulator.eip(eip(90))["Status"] == "Available"


def test_nat_gateway_set_goes_in_one_batch_call_and_then_holds(emulator, ansible):
    ids = [eip(n) for n in range(100, 106)]
    book = play(("snat pool", {"instance_id": "ngw-emunat0001", "instance_type": "Nat", "allocation_ids": ids}))
    run = ansible.playbook(book)
    assert run.rc == 0, run.stdout + run.stderr
    [batch] = emulator.mutating_calls()
    assert batch["action"] == "AssociateEipAddressBatch"
    assert batch["params"]["BindedInstanceId"] == "ngw-emunat0001" and batch["params"]["BindedInstanceType"] == "Nat"
    assert associates_per_eip(emulator) == collections.Counter({i: 1 for i in ids})
    out = run.task("snat pool")["result"]["associations"]
    assert [item["allocation_id"] for item in out] == ids
    assert all(item["association"]["instance_id"] == "ngw-emunat0001" and item["association"]["status"] == "InUse"
               for item in out)
    assert all(emulator.eip(i)["InstanceType"] == "Nat" for i in ids)
    assert run.task("snat pool")["result"]["request_ids"] == [batch["request_id"]]

    mark = len(emulator.calls)
    again = ansible.playbook(book)
    assert again.task("snat pool")["status"] == "ok"
    assert [c["action"] for c in emulator.calls[mark:]] == ["DescribeEipAddresses"]


def test_nat_gateway_set_without_and_with_exclusive(emulator, ansible):
    # ngw-emunat0002 holds one EIP at most (MaxEips 1 in the seed).
    setup = ansible.playbook(play(("first", {"allocation_id": eip(110), "instance_id": "ngw-emunat0002",
                                             "instance_type": "Nat"})))
    assert setup.rc == 0, setup.stdout + setup.stderr
    target = {"instance_id": "ngw-emunat0002", "instance_type": "Nat", "allocation_ids": [eip(111)]}

    refused = ansible.playbook(play(("add", target)))
    assert refused.rc != 0
    out = refused.task("add")["result"]["associations"]
    assert out[0]["error"]["code"] == "QuotaExceeded.NumberOfEip"
    assert "maximum number of EIPs" in out[0]["error"]["hint"]
    assert emulator.eip(eip(110))["InstanceId"] == "ngw-emunat0002"    # not exclusive: left alone

    mark = len(emulator.mutating_calls())
    run = ansible.playbook(play(("replace", dict(target, exclusive=True))), diff=True)
    assert run.rc == 0, run.stdout + run.stderr
    out = run.task("replace")["result"]["associations"]
    assert [(item["allocation_id"], item["changed"]) for item in out] == [(eip(111), True), (eip(110), True)]
    assert out[1]["association"]["instance_id"] is None and out[1]["before"]["instance_id"] == "ngw-emunat0002"
    assert emulator.eip(eip(110))["Status"] == "Available"
    assert emulator.eip(eip(111))["InstanceId"] == "ngw-emunat0002"
    # The unbind first (the gateway's one place), then the bind: no refused call in between.
    assert [(c["action"], c["params"]["AllocationId"]) for c in emulator.mutating_calls()[mark:]] == [
        ("UnassociateEipAddress", eip(110)), ("AssociateEipAddress", eip(111))]

    # exclusive on a gateway with several EIPs: the unlisted one goes, the listed ones stay, a new one comes.
    seed = ansible.playbook(play(("pool", {"instance_id": "ngw-emunat0001", "instance_type": "Nat",
                                           "allocation_ids": [eip(120), eip(121), eip(122)]})))
    assert seed.rc == 0, seed.stdout + seed.stderr
    run = ansible.playbook(play(("trim", {"instance_id": "ngw-emunat0001", "instance_type": "Nat",
                                          "allocation_ids": [eip(120), eip(121), eip(123)], "exclusive": True})))
    assert run.rc == 0, run.stdout + run.stderr
    out = run.task("trim")["result"]["associations"]
    assert [(item["allocation_id"], item["changed"]) for item in out] == [
        (eip(120), False), (eip(121), False), (eip(123), True), (eip(122), True)]
    assert emulator.eip(eip(122))["Status"] == "Available"
    assert {i: emulator.eip(i)["InstanceId"] for i in (eip(120), eip(121), eip(123))} == dict.fromkeys(
        (eip(120), eip(121), eip(123)), "ngw-emunat0001")


def test_eni_set_in_multi_binded_mode_uses_the_batch_call(emulator, ansible):
    # eni-emueni0001 has three private IPs: one EIP each.
    ids = [eip(130), eip(131), eip(132)]
    run = ansible.playbook(play(("eni", {"instance_id": "eni-emueni0001", "instance_type": "NetworkInterface",
                                         "mode": "MULTI_BINDED", "allocation_ids": ids})))
    assert run.rc == 0, run.stdout + run.stderr
    [batch] = emulator.mutating_calls()
    assert batch["action"] == "AssociateEipAddressBatch" and batch["params"]["Mode"] == "MULTI_BINDED"
    assert sorted(emulator.eip(i)["PrivateIpAddress"] for i in ids) == ["10.0.4.1", "10.0.4.11", "10.0.4.12"]
    assert all(item["association"]["mode"] == "MULTI_BINDED" for item in run.task("eni")["result"]["associations"])


def test_throttling_under_parallel_load_converges_without_duplicate_calls(emulator, ansible):
    emulator.set_rate_limit(4, actions=["AssociateEipAddress"])
    numbers = range(140, 170)
    run = ansible.playbook(play(("throttled", {"associations": pairs(numbers), "parallelism": 10})))
    assert run.rc == 0, run.stdout + run.stderr
    assert all(emulator.eip(eip(n))["InstanceId"] == ecs(n) for n in numbers)
    attempts = [c for c in emulator.calls if c["action"] == "AssociateEipAddress"]
    throttled = [c for c in attempts if c["code"] == "Throttling.User"]
    assert throttled, "the rate limit never throttled: the test did not test anything"
    # Exactly one effective associate per EIP: retries reuse the ClientToken and throttled calls change nothing.
    assert associates_per_eip(emulator) == collections.Counter({eip(n): 1 for n in numbers})
    # The shared backoff: after the first throttled answers everyone slows down, so the rejected attempts stay
    # a fraction of the work instead of multiplying (a storm would be several per item).
    assert len(throttled) <= len(list(numbers))
    assert all(item["changed"] for item in run.task("throttled")["result"]["associations"])


def test_wait_false_returns_after_the_calls(emulator, ansible):
    run = ansible.playbook(play(("no wait", {"associations": pairs([175, 176]), "wait": False})))
    assert run.rc == 0, run.stdout + run.stderr
    out = run.task("no wait")["result"]["associations"]
    assert [item["association"]["status"] for item in out] == ["Associating", "Associating"]
    assert counts(emulator.calls)["DescribeEipAddresses"] == 1


def test_bad_input_is_refused_before_any_call(emulator, ansible):
    cases = [
        ({"associations": pairs([1]) + pairs([1])}, "listed twice"),
        ({"associations": pairs([1]) + [{"allocation_id": eip(1), "instance_id": ecs(2)}]},
         "asked twice with different targets"),
        ({"associations": [{"allocation_id": eip(1)}]}, "associations[0]: instance_id is required"),
        ({"associations": [{"allocation_id": eip(1), "instance_id": ecs(1), "mode": "NAT"}]},
         "associations[0]: mode is only accepted with instance_type NetworkInterface"),
        ({"associations": [{"allocation_id": eip(1), "instance_id": "ngw-emunat0001"}]},
         "looks like a Nat"),
        ({"associations": [{"instance_id": ecs(1)}]}, "one of the following is required"),
        ({"instance_id": ecs(1), "allocation_ids": [eip(1)]}, "instance_type Nat or NetworkInterface"),
        ({"associations": pairs([1]), "exclusive": True}, "exclusive is only accepted with allocation_ids"),
        ({"associations": pairs([1]), "allocation_id": eip(2)}, "mutually exclusive"),
        ({"associations": pairs([1]), "parallelism": 0}, "parallelism must be 1 to 50"),
        ({"associations": pairs([1]), "service": "ens"}, "work with service vpc only"),
        ({"associations": [{"allocation_id": eip(1), "instance_id": ecs(1), "instance_type": "EnsInstance"}]},
         "associations[0]: instance_type EnsInstance is not accepted with service=vpc"),
    ]
    run = ansible.playbook(play(*[(f"case {index}", args) for index, (args, _words) in enumerate(cases)],
                                ignore_errors=True))
    for index, (_args, words) in enumerate(cases):
        result = run.task(f"case {index}")
        assert result["status"] == "failed", result
        assert words in result["result"]["msg"], result["result"]["msg"]
    assert emulator.calls == []
