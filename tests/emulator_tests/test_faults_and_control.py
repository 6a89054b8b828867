"""Fault injection, the HTTP control API, STS AssumeRole, ECS metadata, the CLI and TLS."""
import http.client
import json
import os
import subprocess
import sys
import time
import urllib.request

import pytest
from alibabacloud_tea_openapi.exceptions import ClientException, ServerException, ThrottlingException
from alibabacloud_tea_util.models import RuntimeOptions
from alibabacloud_vpc20160428 import models as m
from alibabacloud_vpc20160428.client import Client as VpcClient

from sdk_support import ACCESS_KEY, sdk_config

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def associate(vpc, eip="eip-emu0001", instance="i-emuecs0001"):
    return vpc.associate_eip_address(m.AssociateEipAddressRequest(
        region_id="cn-hangzhou", allocation_id=eip, instance_id=instance))


def describe_status(vpc, eip="eip-emu0001"):
    body = vpc.describe_eip_addresses(m.DescribeEipAddressesRequest(region_id="cn-hangzhou", allocation_id=eip)).body
    return body.eip_addresses.eip_address[0].status


@pytest.mark.parametrize("kind, exc, status, code", [
    ("throttle", ClientException, 400, "Throttling.User"),
    ("unavailable", ServerException, 503, "ServiceUnavailable"),
    ("task_conflict", ClientException, 400, "TaskConflict"),
    ("system_busy", ClientException, 400, "OperationFailed.SystemBusy"),
])
def test_error_faults_answer_without_acting(emu, vpc, kind, exc, status, code):
    emu.faults.add(kind, action="AssociateEipAddress", count=1)
    with pytest.raises(exc) as caught:
        associate(vpc)
    assert (caught.value.status_code, caught.value.code) == (status, code)
    assert emu.eip("eip-emu0001")["Status"] == "Available"
    associate(vpc)  # count=1: the next call goes through
    assert emu.eip("eip-emu0001")["Status"] == "Associating"


def test_throttle_with_retry_after_is_sdk_throttling(emu, vpc):
    emu.faults.add("throttle", retry_after=1000)
    with pytest.raises(ThrottlingException) as caught:
        describe_status(vpc)
    assert caught.value.code == "Throttling.User"


def test_fault_only_hits_its_action(emu, vpc):
    emu.faults.add("unavailable", action="UnassociateEipAddress", count=5)
    assert describe_status(vpc) == "Available"
    associate(vpc)


def test_slow_acts_then_answers_late(emu):
    emu.faults.add("slow", action="AssociateEipAddress", seconds=1.0)
    client = VpcClient(sdk_config(emu))
    runtime = RuntimeOptions(read_timeout=300)
    with pytest.raises(Exception):  # the SDK gives up before the late answer
        client.associate_eip_address_with_options(m.AssociateEipAddressRequest(
            region_id="cn-hangzhou", allocation_id="eip-emu0001", instance_id="i-emuecs0001"), runtime)
    assert emu.eip("eip-emu0001")["InstanceId"] == "i-emuecs0001"


@pytest.mark.parametrize("after, acted", [(False, False), (True, True)])
def test_drop(emu, vpc, after, acted):
    emu.faults.add("drop", action="AssociateEipAddress", after=after)
    with pytest.raises(Exception) as caught:
        associate(vpc)
    assert not isinstance(caught.value, (ClientException, ServerException))
    assert (emu.eip("eip-emu0001")["InstanceId"] == "i-emuecs0001") is acted
    assert emu.calls[-1]["code"] == "ConnectionDropped"


def test_stale_describe_shows_the_old_state(emu, vpc, clock):
    emu.set_transition(0)
    emu.faults.add("stale", action="AssociateEipAddress", seconds=0.4)
    associate(vpc)
    assert emu.eip("eip-emu0001")["Status"] == "InUse"
    assert describe_status(vpc) == "Available"
    clock.advance(0.4)
    assert describe_status(vpc) == "InUse"


def _control(emu, method, path, payload=None):
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(emu.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def test_control_api(emu, vpc):
    _control(emu, "POST", "/_emulator/config", {"transition_seconds": 0})
    _control(emu, "POST", "/_emulator/faults", {"kind": "task_conflict", "action": "AssociateEipAddress"})
    assert _control(emu, "GET", "/_emulator/state")["faults"][0]["kind"] == "task_conflict"
    _control(emu, "DELETE", "/_emulator/faults")
    associate(vpc)
    assert _control(emu, "GET", "/_emulator/state")["eips"]["eip-emu0001"]["Status"] == "InUse"
    calls = _control(emu, "GET", "/_emulator/calls")
    assert [c["action"] for c in calls] == ["AssociateEipAddress"] and calls[0]["mutated"]
    _control(emu, "POST", "/_emulator/reset")
    assert emu.eip("eip-emu0001")["Status"] == "Available" and emu.calls == []


def _sts_call(emu, key, params):
    """A V1-signed STS call, the way alibabacloud_credentials' RamRoleArn provider sends it."""
    from urllib.parse import urlencode
    from emulator.signing import v1_signature
    query = {"Action": "AssumeRole", "Format": "JSON", "Version": "2015-04-01", "SignatureMethod": "HMAC-SHA1",
             "SignatureVersion": "1.0", "SignatureNonce": os.urandom(8).hex(), "AccessKeyId": key[0],
             "Timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **params}
    query["Signature"] = v1_signature(key[1], "GET", query)
    try:
        with urllib.request.urlopen(f"{emu.url}/?{urlencode(query)}", timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_assume_role_issues_credentials_the_emulator_accepts(emu):
    status, body = _sts_call(emu, ACCESS_KEY, {"RoleArn": "acs:ram::1234567890123456:role/emu-network-admin",
                                               "RoleSessionName": "test", "DurationSeconds": "900"})
    assert status == 200
    creds = body["Credentials"]
    client = VpcClient(sdk_config(emu, key=(creds["AccessKeyId"], creds["AccessKeySecret"]),
                                  token=creds["SecurityToken"]))
    assert describe_status(client) == "Available"
    status, body = _sts_call(emu, ACCESS_KEY, {"RoleArn": "acs:ram::1:role/none", "RoleSessionName": "tt"})
    assert (status, body["Code"]) == (404, "EntityNotExist.Role")


@pytest.mark.parametrize("params, status, code", [
    ({"RoleSessionName": "t"}, 400, "InvalidParameter.RoleSessionName"),
    ({"RoleSessionName": "bad name"}, 400, "InvalidParameter.RoleSessionName"),
    ({"RoleSessionName": "ok", "DurationSeconds": "899"}, 400, "InvalidParameter.DurationSeconds"),
    ({"RoleSessionName": "ok", "DurationSeconds": "43201"}, 400, "InvalidParameter.DurationSeconds"),
])
def test_assume_role_documented_parameter_errors(emu, params, status, code):
    got, body = _sts_call(emu, ACCESS_KEY, {"RoleArn": "acs:ram::1234567890123456:role/emu-network-admin", **params})
    assert (got, body["Code"]) == (status, code)


def test_assume_role_without_the_grant_is_no_permission(emu):
    from sdk_support import STS_KEY
    query = {"RoleArn": "acs:ram::1234567890123456:role/emu-network-admin", "RoleSessionName": "ok",
             "SecurityToken": STS_KEY[2]}
    status, body = _sts_call(emu, STS_KEY[:2], query)
    assert (status, body["Code"]) == (403, "NoPermission")


def test_assume_role_error_fault(emu):
    emu.faults.add("error", action="AssumeRole", code="InvalidAccessKeyId.Inactive")
    status, body = _sts_call(emu, ACCESS_KEY, {"RoleArn": "acs:ram::1234567890123456:role/emu-network-admin",
                                               "RoleSessionName": "ok"})
    assert (status, body["Code"], body["Message"]) == (400, "InvalidAccessKeyId.Inactive",
                                                       "Specified access key is disabled.")


def test_ecs_metadata_credentials(emu):
    token_request = urllib.request.Request(emu.url + "/latest/api/token", method="PUT",
                                           headers={"X-aliyun-ecs-metadata-token-ttl-seconds": "21600"})
    token = urllib.request.urlopen(token_request, timeout=5).read().decode()
    base = emu.url + "/latest/meta-data/ram/security-credentials/"
    headers = {"X-aliyun-ecs-metadata-token": token}
    roles = urllib.request.urlopen(urllib.request.Request(base, headers=headers), timeout=5).read().decode()
    assert roles == "emu-ecs-role"
    creds = json.loads(urllib.request.urlopen(base + roles, timeout=5).read())
    assert creds["Code"] == "Success"
    client = VpcClient(sdk_config(emu, key=(creds["AccessKeyId"], creds["AccessKeySecret"]),
                                  token=creds["SecurityToken"]))
    assert describe_status(client) == "Available"
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(base + "other-role", timeout=5)
    assert caught.value.code == 404


def test_cli_serves_until_terminated(tmp_path):
    port_file = tmp_path / "port"
    env = dict(os.environ, PYTHONPATH=TESTS_DIR)
    proc = subprocess.Popen([sys.executable, "-m", "emulator", "--port", "0", "--transition", "0.2",
                             "--port-file", str(port_file)], stdout=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith("listening on http://127.0.0.1:")
        url = line.split()[-1]
        assert port_file.read_text() == url.rsplit(":", 1)[1]

        class Target:  # what sdk_config needs
            pass
        target = Target()
        target.url = url
        assert describe_status(VpcClient(sdk_config(target))) == "Available"
    finally:
        proc.terminate()
    assert proc.wait(timeout=10) == 0


def test_tls(tmp_path):
    from emulator import Emulator
    from emulator.tls import self_signed_cert
    cert, key = self_signed_cert(tmp_path)
    with Emulator(tls=(cert, key)) as emu:
        assert emu.url.startswith("https://")
        import ssl
        context = ssl.create_default_context(cafile=cert)
        conn = http.client.HTTPSConnection("127.0.0.1", emu.port, context=context, timeout=5)
        conn.request("GET", "/latest/meta-data/ram/security-credentials/")
        assert conn.getresponse().read() == b"emu-ecs-role"
