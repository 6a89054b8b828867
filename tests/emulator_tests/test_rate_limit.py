"""The opt-in per-second rate limit (ratelimit.py), with the manual clock: no timing in the assertions."""
import json
import urllib.request

import pytest
from alibabacloud_ens20171110 import models as ens_models
from alibabacloud_tea_openapi.exceptions import ClientException
from alibabacloud_vpc20160428 import models as m
from alibabacloud_vpc20160428.client import Client as VpcClient

from emulator import Emulator
from sdk_support import ManualClock, sdk_config


def describe(vpc):
    return vpc.describe_eip_addresses(m.DescribeEipAddressesRequest(region_id="cn-hangzhou", page_size=1))


def associate(vpc, allocation_id, instance_id, token):
    return vpc.associate_eip_address(m.AssociateEipAddressRequest(
        region_id="cn-hangzhou", allocation_id=allocation_id, instance_id=instance_id, client_token=token))


def throttled(call):
    with pytest.raises(ClientException) as caught:
        call()
    err = caught.value
    assert (err.status_code, err.code, err.data["Message"]) == (
        400, "Throttling.User", "Request was denied due to user flow control.")
    return err


def control(emu, path, payload):
    request = urllib.request.Request(f"{emu.url}{path}", data=json.dumps(payload).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


def test_n_plus_one_requests_in_a_second_get_one_throttling(emu, vpc, clock):
    emu.set_rate_limit(3)
    for attempt in range(3):
        describe(vpc)
    throttled(lambda: describe(vpc))
    codes = [c["code"] for c in emu.calls]
    assert codes == [None, None, None, "Throttling.User"]
    clock.advance(1.0)  # the rolling second has passed: the budget is back
    describe(vpc)


def test_limit_is_per_action(emu, vpc):
    emu.set_rate_limit(1)
    describe(vpc)
    associate(vpc, "eip-emu0201", "i-emuecs0201", "rl-1")  # another action: its own budget
    throttled(lambda: describe(vpc))
    throttled(lambda: associate(vpc, "eip-emu0202", "i-emuecs0202", "rl-2"))


def test_only_the_named_actions_are_limited(emu, vpc):
    emu.set_rate_limit(1, actions=["AssociateEipAddress"])
    for attempt in range(3):
        describe(vpc)
    associate(vpc, "eip-emu0203", "i-emuecs0203", "rl-3")
    throttled(lambda: associate(vpc, "eip-emu0204", "i-emuecs0204", "rl-4"))


def test_a_throttled_retry_with_its_client_token_acts_once(emu, vpc, clock):
    """What issue 14's shared backoff relies on: rejected calls change nothing and show in emu.calls."""
    emu.set_rate_limit(2, actions=["AssociateEipAddress"])
    associate(vpc, "eip-emu0205", "i-emuecs0205", "rl-5")
    associate(vpc, "eip-emu0206", "i-emuecs0206", "rl-6")
    throttled(lambda: associate(vpc, "eip-emu0207", "i-emuecs0207", "rl-7"))
    clock.advance(1.0)
    associate(vpc, "eip-emu0207", "i-emuecs0207", "rl-7")  # the retry, same token
    associate(vpc, "eip-emu0207", "i-emuecs0207", "rl-7")  # a replay: answered, not acted on
    mutated = [c["params"]["AllocationId"] for c in emu.mutating_calls("AssociateEipAddress")]
    assert mutated == ["eip-emu0205", "eip-emu0206", "eip-emu0207"]
    rejected = [c for c in emu.calls if c["code"] == "Throttling.User"]
    assert [(c["params"]["AllocationId"], c["http_status"], c["mutated"]) for c in rejected] == [
        ("eip-emu0207", 400, False)]


def test_control_api_sets_and_clears_the_limit(emu, vpc):
    assert control(emu, "/_emulator/config", {"rate_limit": 2})["rate_limit"] == 2
    describe(vpc)
    describe(vpc)
    throttled(lambda: describe(vpc))
    answer = control(emu, "/_emulator/config", {"rate_limit": 0})
    assert (answer["rate_limit"], answer["rate_limit_actions"]) == (None, None)
    describe(vpc)
    answer = control(emu, "/_emulator/config", {"rate_limit": 5, "rate_limit_actions": ["DescribeEipAddresses"]})
    assert (answer["rate_limit"], answer["rate_limit_actions"]) == (5, ["DescribeEipAddresses"])


def test_constructor_limit_survives_reset():
    clock = ManualClock()
    with Emulator(transition_seconds=0.3, clock=clock, rate_limit=1) as emu:
        vpc = VpcClient(sdk_config(emu))
        describe(vpc)
        throttled(lambda: describe(vpc))
        emu.reset()  # counters cleared, the constructor's limit kept
        describe(vpc)
        throttled(lambda: describe(vpc))
        assert [c["code"] for c in emu.calls] == [None, "Throttling.User"]


def test_off_by_default(emu, vpc):
    for attempt in range(20):
        describe(vpc)
    assert not [c for c in emu.calls if c["code"]]


def test_parallel_burst_admits_exactly_the_limit(emu, clock):
    """Ten requests at once (the clock does not move): four pass, six are throttled, none lost."""
    import threading
    emu.set_rate_limit(4, actions=["DescribeEipAddresses"])
    outcomes = []

    def one_request():
        try:
            describe(VpcClient(sdk_config(emu)))
            outcomes.append("ok")
        except ClientException as err:
            outcomes.append(err.code)

    threads = [threading.Thread(target=one_request) for thread_number in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["Throttling.User"] * 6 + ["ok"] * 4
    assert sorted(c["code"] or "ok" for c in emu.calls) == sorted(outcomes)


def test_state_snapshot_shows_the_new_resources_and_the_limit(emu):
    emu.set_rate_limit(7)
    with urllib.request.urlopen(f"{emu.url}/_emulator/state", timeout=10) as answer:
        state = json.loads(answer.read())
    assert state["vpc_havips"]["havip-emuvpcha02"]["MasterInstanceId"] == "i-emuha0001"
    assert state["ens_eips"]["eip-emuensstby"]["Standby"] is True
    assert state["rate_limit"] == 7


def test_command_line_takes_the_limit(tmp_path):
    import os
    import subprocess
    import sys
    import time
    tests_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    port_file = tmp_path / "port"
    process = subprocess.Popen([sys.executable, "-m", "emulator", "--port", "0", "--port-file", str(port_file),
                                "--rate-limit", "1"], env=dict(os.environ, PYTHONPATH=tests_dir),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        with urllib.request.urlopen(f"http://127.0.0.1:{port_file.read_text()}/_emulator/state", timeout=10) as answer:
            assert json.loads(answer.read())["rate_limit"] == 1
    finally:
        process.terminate()
        assert process.wait(timeout=30) == 0


def test_vpc_and_ens_actions_of_one_name_have_their_own_budget(emu, vpc, ens, clock):
    """VPC DescribeHaVips and ENS DescribeHaVips are two actions (keys vpc:/ens:DescribeHaVips)."""
    emu.set_rate_limit(1, actions=["DescribeHaVips"])
    vpc.describe_ha_vips(m.DescribeHaVipsRequest(region_id="cn-hangzhou"))
    ens.describe_ha_vips(ens_models.DescribeHaVipsRequest())
    throttled(lambda: vpc.describe_ha_vips(m.DescribeHaVipsRequest(region_id="cn-hangzhou")))
    emu.set_rate_limit(1, actions=["ens:DescribeHaVips"])  # a key limits that product's action only
    vpc.describe_ha_vips(m.DescribeHaVipsRequest(region_id="cn-hangzhou"))
    vpc.describe_ha_vips(m.DescribeHaVipsRequest(region_id="cn-hangzhou"))
    ens.describe_ha_vips(ens_models.DescribeHaVipsRequest())
    throttled(lambda: ens.describe_ha_vips(ens_models.DescribeHaVipsRequest()))
