"""Region -> endpoint as the official SDKs resolve it; overrides and validation."""
from __future__ import annotations

import pytest
from alibabacloud_ens20171110.client import Client as EnsClient
from alibabacloud_tea_openapi.models import Config
from alibabacloud_vpc20160428.client import Client as VpcClient

from ansible_collections.alicloud.network.plugins.module_utils import _endpoints


def sdk_vpc_client(region):
    return VpcClient(Config(access_key_id="k", access_key_secret="s", region_id=region))


def test_exception_table_equals_the_sdk_map():
    assert _endpoints.VPC_ENDPOINT_EXCEPTIONS == sdk_vpc_client("cn-hangzhou")._endpoint_map


@pytest.mark.parametrize("region", sorted(_endpoints.VPC_ENDPOINT_EXCEPTIONS)
                         + ["cn-beijing", "cn-shanghai", "ap-southeast-1", "eu-central-1", "us-west-1"])
def test_vpc_host_is_what_the_sdk_picks(region):
    assert _endpoints.default_host("vpc", region) == sdk_vpc_client(region)._endpoint


@pytest.mark.parametrize("region", ["cn-hangzhou", "cn-beijing", "cn-zhangjiakou"])
def test_ens_host_is_central(region):
    sdk = EnsClient(Config(access_key_id="k", access_key_secret="s", region_id=region))
    assert _endpoints.default_host("ens", region) == sdk._endpoint == "ens.aliyuncs.com"


def test_resolve_order_option_then_env_then_rule():
    env = {"ALIBABA_CLOUD_VPC_ENDPOINT": "http://127.0.0.1:9/", "ALIBABA_CLOUD_ENS_ENDPOINT": "http://127.0.0.1:8"}
    assert _endpoints.resolve("vpc", "cn-beijing", "https://vpc.example.test", env) == "https://vpc.example.test"
    assert _endpoints.resolve("vpc", "cn-beijing", None, env) == "http://127.0.0.1:9"
    assert _endpoints.resolve("ens", None, None, env) == "http://127.0.0.1:8"
    assert _endpoints.resolve("vpc", "cn-beijing", None, {}) == "https://vpc.cn-beijing.aliyuncs.com"
    assert _endpoints.resolve("sts", None, None, {}) == "https://sts.aliyuncs.com"


@pytest.mark.parametrize("bad", ["vpc.aliyuncs.com", "ftp://vpc.aliyuncs.com", "https://", "http://h/path"])
def test_bad_endpoint_is_refused_naming_the_source(bad):
    with pytest.raises(ValueError, match="endpoint"):
        _endpoints.resolve("vpc", "cn-beijing", bad, {})
    with pytest.raises(ValueError, match="ALIBABA_CLOUD_VPC_ENDPOINT"):
        _endpoints.resolve("vpc", "cn-beijing", None, {"ALIBABA_CLOUD_VPC_ENDPOINT": bad})


def test_vpc_without_region_is_an_error():
    with pytest.raises(ValueError, match="region"):
        _endpoints.resolve("vpc", None, None, {})
