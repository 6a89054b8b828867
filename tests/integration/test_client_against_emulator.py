"""The shared client against the emulator with faults on: it converges and never acts twice.

Drives module_utils directly (no ansible process): AlibabaClient, the credentials chain and the waiter.
"""
from __future__ import annotations

import pytest

from ansible_collections.alicloud.network.plugins.module_utils import _endpoints
from ansible_collections.alicloud.network.plugins.module_utils._client import AlibabaClient, ApiError, new_session
from ansible_collections.alicloud.network.plugins.module_utils._credentials import (
    Credentials, StaticProvider, resolve_credentials)
from ansible_collections.alicloud.network.plugins.module_utils._waiter import wait_until
from ansible_process import TEST_ACCESS_KEY, TEST_SECRET_KEY

ACCESS_KEY, SECRET = TEST_ACCESS_KEY, TEST_SECRET_KEY
ROLE_ARN = "acs:ram::1234567890123456:role/emu-network-admin"
EIP, ECS = "eip-emu0001", "i-emuecs0001"
HAVIP, ENS_INSTANCE = "havip-emuens0001", "i-emuens0001"


def client_for(emulator, product="vpc", credentials=None, **kw):
    provider = credentials or StaticProvider(Credentials(ACCESS_KEY, SECRET))
    kw.setdefault("max_retry_time", 20.0)
    return AlibabaClient(emulator.url, _endpoints.PRODUCTS[product].version, provider, session=new_session(), **kw)


def associate_eip(client):
    return client.call("AssociateEipAddress", {"RegionId": "cn-hangzhou", "AllocationId": EIP, "InstanceId": ECS,
                                               "InstanceType": "EcsInstance"}, idempotent=True, mutating=True)


def read_eip(client):
    answer = client.call("DescribeEipAddresses", {"RegionId": "cn-hangzhou", "AllocationId": EIP})
    found = answer["EipAddresses"]["EipAddress"]
    return found[0] if found else None


def in_use_on_ecs(eip):
    return eip is not None and eip["Status"] == "InUse" and eip["InstanceId"] == ECS


def test_throttling_burst_and_503s_converge_with_one_change(emulator):
    emulator.faults.add("throttle", action="AssociateEipAddress", count=3)
    emulator.faults.add("unavailable", action="AssociateEipAddress", count=2)
    emulator.faults.add("throttle", action="DescribeEipAddresses", count=2)
    client = client_for(emulator)
    associate_eip(client)
    eip = wait_until(lambda: read_eip(client), in_use_on_ecs, 10, "EIP InUse")
    assert eip["InstanceId"] == ECS
    assert len(emulator.mutating_calls("AssociateEipAddress")) == 1
    attempts = [c for c in emulator.calls if c["action"] == "AssociateEipAddress"]
    assert len(attempts) == 6 and len({c["params"]["ClientToken"] for c in attempts}) == 1


def test_server_retry_hint_is_honoured(emulator):
    emulator.faults.add("throttle", action="DescribeEipAddresses", count=1, retry_after=300)
    slept = []
    client = client_for(emulator, sleep=slept.append)
    assert read_eip(client)["AllocationId"] == EIP
    assert slept == [0.3]


def test_connection_dropped_after_acting_is_replayed_not_repeated(emulator):
    emulator.faults.add("drop", action="AssociateEipAddress", after=True)
    client = client_for(emulator)
    answer = associate_eip(client)
    assert len(emulator.mutating_calls("AssociateEipAddress")) == 1
    first = emulator.mutating_calls("AssociateEipAddress")[0]
    assert answer["RequestId"] == first["request_id"], "the replay answers with the first call's RequestId"
    assert wait_until(lambda: read_eip(client), in_use_on_ecs, 10, "EIP InUse")


def test_read_timeout_on_a_slow_change_is_replayed_not_repeated(emulator):
    emulator.faults.add("slow", action="AssociateEipAddress", seconds=1.0)
    client = client_for(emulator, read_timeout=0.3)
    associate_eip(client)
    # The emulator records the slow call once its late answer is written: wait for both records.
    attempts = wait_until(lambda: [c for c in emulator.calls if c["action"] == "AssociateEipAddress"],
                          lambda calls: len(calls) >= 2 and all(c["http_status"] for c in calls), 10, "both attempts")
    assert len({c["params"]["ClientToken"] for c in attempts}) == 1
    assert len(emulator.mutating_calls("AssociateEipAddress")) == 1


def test_dropped_read_is_retried(emulator):
    emulator.faults.add("drop", action="DescribeEipAddresses", count=2)
    assert read_eip(client_for(emulator))["Status"] == "Available"


def test_stale_reads_are_waited_out(emulator):
    emulator.faults.add("stale", action="AssociateEipAddress", seconds=0.8)
    client = client_for(emulator)
    associate_eip(client)
    seen = []

    def read():
        eip = read_eip(client)
        seen.append(eip["Status"])
        return eip
    assert in_use_on_ecs(wait_until(read, in_use_on_ecs, 10, "EIP InUse"))
    assert seen[0] == "Available", "the stale fault should hide the change at first"
    assert len(emulator.mutating_calls("AssociateEipAddress")) == 1


def test_task_conflict_is_transitional_and_not_retried(emulator):
    emulator.faults.add("task_conflict", action="AssociateEipAddress")
    with pytest.raises(ApiError) as info:
        associate_eip(client_for(emulator))
    assert info.value.transitional and info.value.code == "TaskConflict" and info.value.request_id
    assert emulator.mutating_calls() == []


def test_ens_change_with_unknown_outcome_is_reported_not_resent(emulator):
    """ENS takes no ClientToken: after a drop the caller must re-read, and the change happened once."""
    emulator.faults.add("drop", action="AssociateHaVip", after=True)
    client = client_for(emulator, product="ens")
    with pytest.raises(ApiError) as info:
        client.call("AssociateHaVip", {"HaVipId": HAVIP, "InstanceId": ENS_INSTANCE, "InstanceType": "EnsInstance"},
                    mutating=True)
    assert info.value.transitional and info.value.code == "ConnectionError"
    assert len(emulator.mutating_calls("AssociateHaVip")) == 1
    answer = client.call("DescribeHaVips", {"HaVipId": HAVIP})
    assert answer["HaVips"][0]["HaVipId"] == HAVIP


def test_ens_system_busy_is_retried(emulator):
    emulator.faults.add("system_busy", action="AssociateHaVip", count=2)
    client = client_for(emulator, product="ens")
    client.call("AssociateHaVip", {"HaVipId": HAVIP, "InstanceId": ENS_INSTANCE, "InstanceType": "EnsInstance"},
                mutating=True)
    assert len(emulator.mutating_calls("AssociateHaVip")) == 1


def chain(emulator, params, monkeypatch, tmp_path, hidden):
    for name in ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_ACCESS_KEY",
                 "ALICLOUD_SECRET_KEY", "ALIBABA_CLOUD_PROFILE", "ALIBABA_CLOUD_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ALIBABA_CLOUD_STS_ENDPOINT", emulator.url)
    monkeypatch.setenv("ALIBABA_CLOUD_ECS_METADATA_ENDPOINT", emulator.url)
    full = dict({"profile": None, "assume_role_arn": None, "ecs_role_name": None}, **params)
    return resolve_credentials(full, session=new_session(), home=str(tmp_path), no_log_values=hidden)


def test_assume_role_through_the_emulator_sts(emulator, monkeypatch, tmp_path):
    hidden = set()
    provider = chain(emulator, {"access_key": ACCESS_KEY, "secret_key": SECRET, "assume_role_arn": ROLE_ARN},
                     monkeypatch, tmp_path, hidden)
    assert provider.get().access_key_id.startswith("STS.")
    assert read_eip(client_for(emulator, credentials=provider))["AllocationId"] == EIP
    describe = [c for c in emulator.calls if c["action"] == "DescribeEipAddresses"][-1]
    assert describe["access_key_id"] == provider.get().access_key_id and describe["http_status"] == 200
    assert provider.get().access_key_secret in hidden and provider.get().security_token in hidden


def test_ecs_metadata_through_the_emulator(emulator, monkeypatch, tmp_path):
    hidden = set()
    provider = chain(emulator, {"ecs_role_name": "emu-ecs-role"}, monkeypatch, tmp_path, hidden)
    assert read_eip(client_for(emulator, credentials=provider))["AllocationId"] == EIP
    assert provider.get().security_token in hidden


def test_expired_sts_key_fails_without_leaking(emulator):
    expired = StaticProvider(Credentials("STS.EmuExpiredKey", "EmuExpiredSecret-1d2e-do-not-leak",
                                         "EmuExpiredToken-aa11-do-not-leak"))
    with pytest.raises(ApiError) as info:
        read_eip(client_for(emulator, credentials=expired))
    error = info.value
    assert error.http_status in (400, 401, 403) and not error.transitional
    assert "do-not-leak" not in str(error) + repr(error.to_dict())


@pytest.fixture
def tls_emulator(tmp_path):
    """The emulator over HTTPS with a throwaway self-signed certificate for 127.0.0.1."""
    import shutil
    import subprocess

    from emulator import Emulator

    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    emu = Emulator(transition_seconds=0.3, tls=(str(cert), str(key))).start()
    emu.cert = str(cert)
    yield emu
    emu.stop()


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_tls_with_ca_bundle_and_validation(tls_emulator, monkeypatch):
    import certifi

    # requests would let this variable override a session's own verify setting; the client must not.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", certifi.where())
    endpoint, version = tls_emulator.url, _endpoints.PRODUCTS["vpc"].version
    assert endpoint.startswith("https://")
    creds = StaticProvider(Credentials(ACCESS_KEY, SECRET))
    trusted = AlibabaClient(endpoint, version, creds, session=new_session(verify=tls_emulator.cert))
    assert read_eip(trusted)["AllocationId"] == EIP
    unverified = AlibabaClient(endpoint, version, creds, session=new_session(verify=False))
    assert read_eip(unverified)["AllocationId"] == EIP
    strict = AlibabaClient(endpoint, version, creds, session=new_session(verify=True))
    with pytest.raises(ApiError) as info:
        read_eip(strict)
    assert info.value.code == "SSLError" and endpoint in info.value.message and info.value.attempts == 1
