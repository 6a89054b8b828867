"""module_utils/_validation: the local checks of shared options (issue 17, items 9-11 and 13)."""
from __future__ import annotations

import pytest

from ansible_collections.alicloud.network.plugins.module_utils import _endpoints
from ansible_collections.alicloud.network.plugins.module_utils._validation import (
    NUMBER_RANGES, REGION_PATTERN, id_problem, insecure_endpoint_problem, is_loopback, number_problem,
    number_problems, region_problem, userinfo_problem)


@pytest.mark.parametrize("option", sorted(NUMBER_RANGES))
@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), 1e400, -1, "nan", "abc", None, 10 ** 9])
def test_numbers_out_of_range_name_the_option(option, value):
    problem = number_problem(option, value)
    assert problem and problem.startswith(option)


@pytest.mark.parametrize("option", ["connect_timeout", "read_timeout"])
def test_timeouts_of_zero_are_refused(option):
    assert number_problem(option, 0)


@pytest.mark.parametrize("option, value", [("max_retry_time", 0), ("wait_timeout", 0), ("connect_timeout", 0.5),
                                           ("read_timeout", 30.0), ("assume_role_duration", 3600)])
def test_sensible_numbers_pass(option, value):
    assert number_problem(option, value) is None


def test_number_problems_checks_only_present_options():
    assert number_problems({"connect_timeout": 10.0, "read_timeout": 30.0}) == []
    assert len(number_problems({"connect_timeout": 0, "wait_timeout": float("nan"), "other": -1})) == 2


@pytest.mark.parametrize("value", ["cn-hangzhou\n", "cn-hangzhou ", " cn-hangzhou", "CN-hangzhou", "cn", "cn_hz", ""])
def test_regions_are_matched_whole(value):
    assert region_problem("instance_region_id", value).startswith("instance_region_id")
    assert not REGION_PATTERN.match(value)


@pytest.mark.parametrize("value", ["cn-hangzhou", "ap-southeast-1", "cn-shanghai-finance-1", None])
def test_real_regions_pass(value):
    assert region_problem("region", value) is None


def test_ids_are_matched_whole():
    assert id_problem("allocation_id", "eip-1\n") and id_problem("allocation_id", "eip-1") is None


@pytest.mark.parametrize("url", ["http://user:pw-do-not-leak@127.0.0.1:8080", "https://pw-do-not-leak@vpc.aliyuncs.com",
                                 "https://u:pw-do-not-leak@h/path?x"])
def test_userinfo_is_refused_without_echo(url):
    problem = userinfo_problem(url, "endpoint")
    assert problem and "do-not-leak" not in problem
    with pytest.raises(ValueError) as info:
        _endpoints.validate_url(url, "endpoint")
    assert "do-not-leak" not in str(info.value) and "user name or password" in str(info.value)


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("127.9.9.9", True), ("localhost", True),
                                            ("[::1]", True), ("10.0.0.1", False), ("vpc.aliyuncs.com", False),
                                            ("", False)])
def test_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_plain_http_only_to_loopback_unless_allowed():
    assert insecure_endpoint_problem("http://127.0.0.1:9", "endpoint", False) is None
    assert insecure_endpoint_problem("https://vpc.aliyuncs.com", "endpoint", False) is None
    problem = insecure_endpoint_problem("http://vpc.example.com", "endpoint", False)
    assert "allow_insecure_endpoint" in problem and "vpc.example.com" in problem
    assert insecure_endpoint_problem("http://vpc.example.com", "endpoint", True) is None


def test_metadata_endpoint_with_userinfo_is_refused_without_echo():
    import requests

    from ansible_collections.alicloud.network.plugins.module_utils._credentials import (
        CredentialsError, fetch_ecs_credentials)
    with pytest.raises(CredentialsError) as info:
        fetch_ecs_credentials(requests.Session(), "role",
                              environ={"ALIBABA_CLOUD_ECS_METADATA_ENDPOINT": "http://u:pw-do-not-leak@127.0.0.1:9"})
    assert "do-not-leak" not in str(info.value) and "ALIBABA_CLOUD_ECS_METADATA_ENDPOINT" in str(info.value)
