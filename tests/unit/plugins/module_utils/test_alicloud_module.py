"""AlicloudModule: shared options, local validation, call(), fail_api/fail/exit, masking, doc fragment."""
from __future__ import annotations

import contextlib
import json

import pytest
import yaml
from ansible.module_utils.testing import patch_module_args

from ansible_collections.alicloud.network.plugins.doc_fragments.alicloud import ModuleDocFragment
from ansible_collections.alicloud.network.plugins.module_utils._base import SHARED_ARGUMENT_SPEC, AlicloudModule
from ansible_collections.alicloud.network.plugins.module_utils._validation import id_problem
from ansible_collections.alicloud.network.plugins.module_utils._client import ApiError
from module_utils_doubles import EMPTY_EIPS

SECRET = "env-secret-do-not-leak"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    """No credentials, region or endpoint from the machine running the tests."""
    import os
    for name in list(os.environ):
        if name.startswith(("ALIBABA_CLOUD_", "ALICLOUD_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))


@pytest.fixture
def env(monkeypatch, stub):
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-key")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)
    monkeypatch.setenv("ALIBABA_CLOUD_REGION_ID", "cn-hangzhou")
    monkeypatch.setenv("ALIBABA_CLOUD_VPC_ENDPOINT", stub.url)
    monkeypatch.setenv("ALIBABA_CLOUD_ENS_ENDPOINT", stub.url)


@pytest.fixture
def build():
    """Make an AlicloudModule; its module args stay patched until the test ends (exit_json needs them)."""
    with contextlib.ExitStack() as stack:
        def make(args=None, product="vpc", argument_spec=None):
            stack.enter_context(patch_module_args(args or {}))
            return AlicloudModule(argument_spec=argument_spec or dict(name=dict(type="str")), product=product,
                                  supports_check_mode=True)
        yield make


def run_to_exit(capsys, action):
    """Run something that ends in exit_json/fail_json; return the JSON result."""
    with pytest.raises(SystemExit):
        action()
    return json.loads(capsys.readouterr().out)


def test_shared_options_and_the_module_own_are_merged(env, build):
    m = build({"name": "x", "max_retry_time": 5})
    assert m.params["name"] == "x" and m.params["max_retry_time"] == 5.0 and m.params["validate_certs"] is True
    assert m.region == "cn-hangzhou" and m.module.check_mode is False


def test_region_fallbacks(monkeypatch, stub, build):
    monkeypatch.setenv("ALIBABA_CLOUD_VPC_ENDPOINT", stub.url)
    monkeypatch.setenv("ALICLOUD_REGION", "cn-beijing")
    assert build().region == "cn-beijing"
    monkeypatch.setenv("ALIBABA_CLOUD_REGION_ID", "cn-shanghai")
    assert build().region == "cn-shanghai"
    assert build({"region_id": "ap-southeast-1"}).region == "ap-southeast-1"


@pytest.mark.parametrize("args, fragment", [
    ({"region": "Hangzhou"}, "does not look like an Alibaba Cloud region id"),
    ({"region": "cn-hangzhou", "endpoint": "vpc.aliyuncs.com"}, "endpoint must be a full http(s) URL"),
    ({}, "No region given"),
])
def test_local_validation_fails_before_any_call(capsys, stub, args, fragment, build):
    result = run_to_exit(capsys, lambda: build(args))
    assert result["failed"] and fragment in result["msg"]
    assert stub.requests == []


def test_ens_needs_no_region(env, monkeypatch, build):
    monkeypatch.delenv("ALIBABA_CLOUD_REGION_ID")
    assert build(product="ens").region is None


def test_vpc_call_adds_region_and_client_token_and_records_request_id(env, stub, build):
    stub.script({"status": 200, "body": {"RequestId": "req-assoc"}}, {"status": 200, "body": {"RequestId": "req-d", **EMPTY_EIPS}})
    m = build()
    assert m.call("AssociateEipAddress", {"AllocationId": "eip-1"}, mutating=True) == {"RequestId": "req-assoc"}
    m.call("DescribeEipAddresses", {"AllocationId": "eip-1"})
    change, read = stub.requests
    assert change["query"]["RegionId"] == "cn-hangzhou" and change["query"]["ClientToken"]
    assert "ClientToken" not in read["query"]
    assert m.request_ids == ["req-assoc"]


def test_ens_call_adds_neither(env, stub, build):
    m = build(product="ens")
    m.call("AssociateHaVip", {"HaVipId": "havip-1"}, mutating=True)
    assert stub.requests[0]["query"] == {"HaVipId": "havip-1"}
    assert stub.requests[0]["headers"]["x-acs-version"] == "2017-11-10"


def test_fail_api_message_and_error(env, capsys, build):
    m = build()
    m.request_ids.append("req-earlier")
    err = ApiError("AssociateEipAddress", "InvalidAllocationId.NotFound", "Specified allocation ID is not found.",
                   request_id="0ED8D006", http_status=404, recommend="https://r")
    result = run_to_exit(capsys, lambda: m.fail_api(err, "AssociateEipAddress", hint="check allocation_id"))
    assert result["msg"] == ("AssociateEipAddress failed: InvalidAllocationId.NotFound: Specified allocation ID is "
                             "not found. (request id 0ED8D006). Hint: check allocation_id")
    assert result["error"] == {"code": "InvalidAllocationId.NotFound",
                               "message": "Specified allocation ID is not found.", "request_id": "0ED8D006",
                               "http_status": 404, "recommend": "https://r"}
    assert result["request_ids"] == ["req-earlier"]


def test_fail_api_says_when_retries_were_spent(env, capsys, build):
    err = ApiError("DescribeEipAddresses", "Throttling.User", "Request was denied.", request_id="r-9", attempts=7)
    result = run_to_exit(capsys, lambda: build().fail_api(err, "DescribeEipAddresses"))
    assert result["msg"].startswith("DescribeEipAddresses failed: Throttling.User: Request was denied. "
                                    "(request id r-9; gave up after 7 attempts). Hint: the API kept throttling")


def test_exit_with_and_without_diff(env, capsys, build):
    m = build({"_ansible_diff": True})
    result = run_to_exit(capsys, lambda: m.exit(True, before={"a": 1}, after={"a": 2}, eip={"a": 2}))
    assert result["changed"] is True and result["diff"] == {"before": {"a": 1}, "after": {"a": 2}}
    assert result["eip"] == {"a": 2} and result["request_ids"] == []
    result = run_to_exit(capsys, lambda: build().exit(False, before={"a": 1}, after={"a": 1}))
    assert "diff" not in result and result["changed"] is False


def test_missing_credentials_fail_clearly(capsys, stub, monkeypatch, build):
    monkeypatch.setenv("ALIBABA_CLOUD_VPC_ENDPOINT", stub.url)
    m = build({"region": "cn-hangzhou"})
    result = run_to_exit(capsys, lambda: m.call("DescribeEipAddresses", {}))
    assert "No Alibaba Cloud credentials found" in result["msg"] and stub.requests == []


def test_secret_from_the_environment_is_masked_in_results(env, stub, capsys, build):
    m = build()
    m.call("DescribeEipAddresses", {})
    result = run_to_exit(capsys, lambda: m.exit(False, echoed="value %s here" % SECRET))
    assert SECRET not in json.dumps(result) and "********" in result["echoed"]


def test_api_errors_become_fail_json(env, stub, capsys, build):
    stub.script({"status": 403, "body": {"Code": "Forbidden.RAM", "Message": "denied", "RequestId": "r-403"}})
    m = build()

    def go():
        try:
            m.call("DescribeEipAddresses", {})
        except ApiError as err:
            m.fail_api(err, "DescribeEipAddresses")
    result = run_to_exit(capsys, go)
    assert result["msg"].startswith("DescribeEipAddresses failed: Forbidden.RAM: denied (request id r-403).")
    assert "Hint:" in result["msg"] and result["error"]["http_status"] == 403


def test_doc_fragment_matches_the_argument_spec():
    documented = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    assert set(documented) == set(SHARED_ARGUMENT_SPEC)
    for name, spec in SHARED_ARGUMENT_SPEC.items():
        doc = documented[name]
        assert doc["type"] == spec["type"], name
        assert doc.get("default") == spec.get("default"), name
        assert doc.get("aliases", []) == spec.get("aliases", []), name


def test_secret_options_are_no_log_and_access_key_explicitly_not():
    assert SHARED_ARGUMENT_SPEC["access_key"]["no_log"] is False
    assert SHARED_ARGUMENT_SPEC["secret_key"]["no_log"] is True
    assert SHARED_ARGUMENT_SPEC["security_token"]["no_log"] is True


@pytest.mark.parametrize("value", ["eip-bp1abc", "i-50c41234", "havip-emuens0001", "10.0.0.1", "fd00::1",
                                   "a", "x" * 128, None])
def test_id_problem_accepts_resource_ids_and_unset_options(value):
    assert id_problem("instance_id", value) is None


@pytest.mark.parametrize("value", ["", " i-1", "i-1 i-2", "i-emu\u00e9ns0001", "i-1\n", "-i-1", "x" * 129,
                                   "i-" + "x" * 5000, "i-1;rm"])
def test_id_problem_names_the_option_and_the_value(value):
    message = id_problem("havip_id", value)
    assert message.startswith("havip_id %r is not a valid ID" % value), message
