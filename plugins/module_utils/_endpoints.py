# -*- coding: utf-8 -*-
# Copyright: alicloud.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Region -> endpoint, resolved the way the official Alibaba Cloud SDKs do it."""

from __future__ import annotations

import os
from collections import namedtuple
from urllib.parse import urlsplit

from ansible_collections.alicloud.network.plugins.module_utils import _validation

Product = namedtuple("Product", "code version regional env_endpoint takes_region_id takes_client_token "
                                "get_actions")

PRODUCTS = {
    "vpc": Product("vpc", "2016-04-28", True, "ALIBABA_CLOUD_VPC_ENDPOINT", True, True, frozenset()),
    # The ENS SDK sends DescribeHaVips as GET (every other action here is POST): send it the same way.
    "ens": Product("ens", "2017-11-10", False, "ALIBABA_CLOUD_ENS_ENDPOINT", False, False,
                   frozenset(["DescribeHaVips"])),
    "sts": Product("sts", "2015-04-01", False, "ALIBABA_CLOUD_STS_ENDPOINT", False, False, frozenset()),
}

# Copied from `_endpoint_map` in alibabacloud_vpc20160428/client.py (SDK 7.2.2): the regions that do
# not follow vpc.<region>.aliyuncs.com. A unit test keeps this table equal to the SDK's.
VPC_ENDPOINT_EXCEPTIONS = {
    "cn-hangzhou": "vpc.aliyuncs.com",
    "cn-shanghai-finance-1": "vpc.aliyuncs.com",
    "cn-shenzhen-finance-1": "vpc.aliyuncs.com",
    "cn-north-2-gov-1": "vpc.aliyuncs.com",
    "ap-northeast-2-pop": "vpc.aliyuncs.com",
    "cn-beijing-finance-pop": "vpc.aliyuncs.com",
    "cn-beijing-gov-1": "vpc.aliyuncs.com",
    "cn-beijing-nu16-b01": "vpc.aliyuncs.com",
    "cn-edge-1": "vpc-nebula.cn-qingdao-nebula.aliyuncs.com",
    "cn-fujian": "vpc.aliyuncs.com",
    "cn-haidian-cm12-c01": "vpc.aliyuncs.com",
    "cn-hangzhou-bj-b01": "vpc.aliyuncs.com",
    "cn-hangzhou-finance": "vpc.aliyuncs.com",
    "cn-hangzhou-internal-prod-1": "vpc.aliyuncs.com",
    "cn-hangzhou-internal-test-1": "vpc-pre.cn-hangzhou.aliyuncs.com",
    "cn-hangzhou-internal-test-2": "vpc-inner-pre.cn-hangzhou.aliyuncs.com",
    "cn-hangzhou-internal-test-3": "vpc-pre.cn-hangzhou.aliyuncs.com",
    "cn-hangzhou-test-306": "vpc-pre.cn-hangzhou.aliyuncs.com",
    "cn-hongkong-finance-pop": "vpc.aliyuncs.com",
    "cn-huhehaote-nebula-1": "vpc-nebula.cn-qingdao-nebula.aliyuncs.com",
    "cn-qingdao-nebula": "vpc-nebula.cn-qingdao-nebula.aliyuncs.com",
    "cn-shanghai-et15-b01": "vpc-pre.cn-hangzhou.aliyuncs.com",
    "cn-shanghai-et2-b01": "vpc.aliyuncs.com",
    "cn-shanghai-inner": "vpc.aliyuncs.com",
    "cn-shanghai-internal-test-1": "vpc-pre.cn-hangzhou.aliyuncs.com",
    "cn-shenzhen-inner": "vpc.aliyuncs.com",
    "cn-shenzhen-st4-d01": "vpc.aliyuncs.com",
    "cn-shenzhen-su18-b01": "vpc.aliyuncs.com",
    "cn-wuhan": "vpc.aliyuncs.com",
    "cn-yushanfang": "vpc.aliyuncs.com",
    "cn-zhangbei": "vpc.aliyuncs.com",
    "cn-zhangbei-na61-b01": "vpc.aliyuncs.com",
    "cn-zhangjiakou-na62-a01": "vpc.cn-zhangjiakou.aliyuncs.com",
    "cn-zhengzhou-nebula-1": "vpc-nebula.cn-qingdao-nebula.aliyuncs.com",
    "eu-west-1-oxs": "vpc-nebula.cn-shenzhen-cloudstone.aliyuncs.com",
    "rus-west-1-pop": "vpc.aliyuncs.com",
}


def default_host(product, region):
    """The public endpoint host the SDK would use for `product` in `region`."""
    if product == "vpc":
        if not region:
            raise ValueError("VPC needs a region to choose its endpoint")
        return VPC_ENDPOINT_EXCEPTIONS.get(region, "vpc.%s.aliyuncs.com" % region)
    # ENS maps every region it lists to the central host; STS's central host serves all regions.
    return "%s.aliyuncs.com" % product


def validate_url(url, source):
    """Return the URL without a trailing slash, or raise ValueError naming where it came from."""
    problem = _validation.userinfo_problem(url, source)
    if problem:  # before anything that would repeat the URL: it holds a password
        raise ValueError(problem)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("%s must be a full http(s) URL such as https://vpc.aliyuncs.com, got %r" % (source, url))
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError("%s must not carry a path or query, got %r" % (source, url))
    return url.rstrip("/")


def resolve(product, region, endpoint=None, environ=None):
    """Endpoint URL: the `endpoint` option, then the product's environment variable, then the SDK rule."""
    environ = os.environ if environ is None else environ
    if endpoint:
        return validate_url(endpoint, "endpoint")
    env_name = PRODUCTS[product].env_endpoint
    if environ.get(env_name):
        return validate_url(environ[env_name], env_name)
    return "https://" + default_host(product, region)
