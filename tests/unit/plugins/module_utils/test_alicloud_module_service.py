"""AlicloudModule(product=callable): a module's `service` option chooses the product (endpoint, version, RegionId,
ClientToken) at construction, before anything is resolved."""
from __future__ import annotations

import contextlib
import os

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.alicloud.network.plugins.module_utils._base import AlicloudModule

SPEC = dict(service=dict(type="str", default="vpc", choices=["vpc", "ens"]))


@pytest.fixture
def build(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith(("ALIBABA_CLOUD_", "ALICLOUD_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    with contextlib.ExitStack() as stack:
        def make(args):
            stack.enter_context(patch_module_args(args))
            return AlicloudModule(argument_spec=SPEC, product=lambda params: params["service"])
        yield make


def test_the_option_chooses_the_ens_product(build):
    m = build({"service": "ens"})
    assert m.product == "ens" and m.region is None            # ENS is not regional: no region needed
    assert m.endpoint == "https://ens.aliyuncs.com"


def test_the_option_chooses_the_vpc_product(build):
    m = build({"region": "cn-shanghai"})
    assert m.product == "vpc" and m.endpoint == "https://vpc.cn-shanghai.aliyuncs.com"


def test_a_vpc_service_without_region_fails_as_before(build, capsys):
    with pytest.raises(SystemExit):
        build({"service": "vpc"})
    assert "No region given" in capsys.readouterr().out
