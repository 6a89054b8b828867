"""The pure parts of eip_info / havip_info: the views, the batching of EIP reads, the HAVIP read plan, paging.

A FakeDescribe stands in for the API: it filters and pages like DescribeEipAddresses / DescribeHaVips and records
every call, so each test can count them.
"""
from __future__ import annotations

import pytest

from ansible_collections.alicloud.network.plugins.module_utils import _eip, _havip
from ansible_collections.alicloud.network.plugins.module_utils._client import ApiError
from ansible_collections.alicloud.network.plugins.module_utils._paging import (
    pages_for,
    read_pages_after,
    total_count,
)


class FakeDescribe:
    """call(action, params) over `items`: comma-list and exact-match filters, PageNumber / PageSize paging."""

    def __init__(self, items, wrap, fields, missing_code=None):
        self.items = items
        self.wrap = wrap              # answer body from one page of items
        self.fields = fields          # parameter -> item field it filters on
        self.missing_code = missing_code
        self.calls = []

    def __call__(self, action, params):
        self.calls.append(dict(params))
        matching = [item for item in self.items if self._matches(item, params)]
        if self.missing_code and "HaVipId" in params and not matching:
            raise ApiError(action, self.missing_code, "not found", http_status=400)
        number, size = int(params.get("PageNumber", 1)), int(params.get("PageSize", 10))
        page = matching[(number - 1) * size:number * size]
        return dict(self.wrap(page), TotalCount=len(matching), PageNumber=number, PageSize=size)

    def _matches(self, item, params):
        for name, field in self.fields.items():
            if name in params and item.get(field) not in str(params[name]).split(","):
                return False
        return True


def eip(n, **fields):
    return dict(dict(AllocationId="eip-%04d" % n, IpAddress="47.100.%d.%d" % (n // 250, n % 250 + 1),
                     Status="Available", RegionId="cn-hangzhou", InstanceId="", InstanceType="",
                     PrivateIpAddress="", Mode="", Name="", Bandwidth="5",
                     OperationLocks={"LockReason": []}), **fields)


def eip_api(count=300, missing_code=None):
    return FakeDescribe([eip(n) for n in range(1, count + 1)], lambda page: {"EipAddresses": {"EipAddress": page}},
                        {"AllocationId": "AllocationId", "EipAddress": "IpAddress", "Status": "Status",
                         "AssociatedInstanceId": "InstanceId", "AssociatedInstanceType": "InstanceType"})


def havip(n):
    return dict(HaVipId="havip-%03d" % n, IpAddress="10.10.%d.%d" % (n // 250, n % 250 + 1), Status="Available",
                VSwitchId="vsw-a" if n % 2 else "vsw-b", EnsRegionId="cn-beijing-cmcc", AssociatedInstances=[])


def havip_api(count, missing_code=None):
    return FakeDescribe([havip(n) for n in range(1, count + 1)], lambda page: {"HaVips": page},
                        {"HaVipId": "HaVipId", "HaVipAddress": "IpAddress", "VSwitchId": "VSwitchId",
                         "Status": "Status"}, missing_code)


# ---- eip_view -----------------------------------------------------------------------------------------------

def test_eip_view_of_a_bound_eip():
    bound = eip(1, Status="InUse", InstanceId="i-1", InstanceType="NetworkInterface", PrivateIpAddress="10.0.0.5",
                Mode="MULTI_BINDED", Name="web", Bandwidth="200")
    view = _eip.eip_view(bound)
    assert view == dict(allocation_id="eip-0001", ip_address="47.100.0.2", status="InUse", name="web",
                        bandwidth=200, instance_id="i-1", instance_type="NetworkInterface",
                        private_ip_address="10.0.0.5", mode="MULTI_BINDED", lock_reasons=[],
                        association=_eip.association_view(bound))
    assert view["association"]["region_id"] == "cn-hangzhou"


def test_eip_view_of_an_unbound_locked_eip_has_nulls_and_reasons():
    view = _eip.eip_view(eip(2, Mode="NAT", PrivateIpAddress="10.0.0.9", Bandwidth=None,
                             OperationLocks={"LockReason": [{"LockReason": "financial"}]}))
    assert [view[k] for k in ("name", "bandwidth", "instance_id", "instance_type", "private_ip_address", "mode")] \
        == [None] * 6
    assert view["lock_reasons"] == ["financial"]
    assert view["association"]["instance_id"] is None


def test_eip_view_without_optional_fields():
    view = _eip.eip_view({"AllocationId": "eip-x", "IpAddress": "1.2.3.4", "Status": "Available"})
    assert view["bandwidth"] is None and view["name"] is None and view["lock_reasons"] == []


# ---- EIP reads ------------------------------------------------------------------------------------------------

def test_120_ids_are_read_50_50_20():
    api = eip_api()
    wanted = ["eip-%04d" % n for n in range(1, 121)]
    found = _eip.read_eips_matching(api, allocation_ids=wanted)
    assert [e["AllocationId"] for e in found] == wanted
    assert [len(c["AllocationId"].split(",")) for c in api.calls] == [50, 50, 20]
    assert all(c["PageSize"] == 100 for c in api.calls)


def test_ids_and_a_short_address_list_travel_together():
    api = eip_api()
    ids = ["eip-%04d" % n for n in range(1, 121)]
    addresses = [eip(n)["IpAddress"] for n in (3, 60, 119, 200)]
    found = _eip.read_eips_matching(api, allocation_ids=ids, ip_addresses=addresses)
    assert [e["AllocationId"] for e in found] == ["eip-0003", "eip-0060", "eip-0119"]
    assert len(api.calls) == 3 and all(c["EipAddress"] == ",".join(addresses) for c in api.calls)


def test_addresses_batched_when_the_id_list_is_short():
    api = eip_api()
    addresses = [eip(n)["IpAddress"] for n in range(1, 61)]
    found = _eip.read_eips_matching(api, allocation_ids=["eip-0002", "eip-0059", "eip-0290"],
                                    ip_addresses=addresses)
    assert [e["AllocationId"] for e in found] == ["eip-0002", "eip-0059"]
    assert [len(c["EipAddress"].split(",")) for c in api.calls] == [50, 10]
    assert all(c["AllocationId"] == "eip-0002,eip-0059,eip-0290" for c in api.calls)


def test_two_long_lists_batch_the_ids_and_narrow_by_address():
    api = eip_api()
    ids = ["eip-%04d" % n for n in range(1, 61)]
    addresses = [eip(n)["IpAddress"] for n in range(50, 120)]
    found = _eip.read_eips_matching(api, allocation_ids=ids, ip_addresses=addresses)
    assert [e["AllocationId"] for e in found] == ["eip-%04d" % n for n in range(50, 61)]
    assert len(api.calls) == 2 and all("EipAddress" not in c for c in api.calls)


@pytest.mark.parametrize("ids, addresses", [([], None), (None, []), ([], ["1.2.3.4"]), (["eip-0001"], [])])
def test_an_empty_list_matches_nothing_without_a_call(ids, addresses):
    api = eip_api()
    assert _eip.read_eips_matching(api, allocation_ids=ids, ip_addresses=addresses) == []
    assert api.calls == []


def test_filters_only_page_through_everything_that_matches():
    api = eip_api(count=250)
    found = _eip.read_eips_matching(api, filters=_eip.describe_filters(status="Available"))
    assert len(found) == 250
    assert [(c["PageNumber"], c["Status"]) for c in api.calls] == [(1, "Available"), (2, "Available"),
                                                                   (3, "Available")]


def test_eip_describe_filters_keep_only_what_is_given():
    assert _eip.describe_filters() == {}
    assert _eip.describe_filters(status="InUse", associated_instance_id="ngw-1", associated_instance_type="Nat") \
        == {"Status": "InUse", "AssociatedInstanceId": "ngw-1", "AssociatedInstanceType": "Nat"}


# ---- HAVIP read plan ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("ids_left, total, cheaper", [
    (1, 100, True),     # page 1 was everything: nothing more to read
    (1, 0, True),
    (1, 101, False),    # one more page against one call by ID: a tie goes to the ID
    (2, 201, False),
    (3, 201, True),     # two more pages against three IDs
    (50, 1000, True),
    (5, 1000, False),
    (5, None, False),   # no TotalCount: cannot price the listing
])
def test_listing_is_cheaper(ids_left, total, cheaper):
    assert _havip.listing_is_cheaper(ids_left, total) is cheaper


def test_one_id_is_one_call_by_id():
    api = havip_api(300)
    assert [h["HaVipId"] for h in _havip.read_havips(api, ["havip-250"])] == ["havip-250"]
    assert api.calls == [{"HaVipId": "havip-250"}]


def test_ids_on_a_one_page_list_take_one_call_in_the_order_asked():
    api = havip_api(80)   # page 1 is the whole list: an ID not on it does not exist
    found = _havip.read_havips(api, ["havip-070", "havip-nope", "havip-003", "havip-070"])
    assert [h["HaVipId"] for h in found] == ["havip-070", "havip-003"]
    assert api.calls == [{"PageNumber": 1, "PageSize": 100}]


def test_few_ids_past_page_one_are_read_by_id():
    api = havip_api(300)
    found = _havip.read_havips(api, ["havip-250", "havip-001", "havip-260"])
    assert [h["HaVipId"] for h in found] == ["havip-250", "havip-001", "havip-260"]
    assert api.calls == [{"PageNumber": 1, "PageSize": 100}, {"HaVipId": "havip-250"}, {"HaVipId": "havip-260"}]


def test_many_ids_past_page_one_page_through_the_list():
    api = havip_api(300)
    wanted = ["havip-%03d" % n for n in range(150, 300, 10)]
    found = _havip.read_havips(api, wanted)
    assert [h["HaVipId"] for h in found] == wanted
    assert [c.get("PageNumber") for c in api.calls] == [1, 2, 3]
    assert all("HaVipId" not in c for c in api.calls)


def test_filters_narrow_both_the_listing_and_the_calls_by_id():
    api = havip_api(300)
    filters = _havip.describe_filters(vswitch_id="vsw-a")
    found = _havip.read_havips(api, ["havip-002", "havip-251", "havip-299"], filters)
    assert [h["HaVipId"] for h in found] == ["havip-251", "havip-299"]
    assert all(c["VSwitchId"] == "vsw-a" for c in api.calls)
    # 150 HAVIPs on vsw-a: page 1 has none of the three, one more page is cheaper than three calls by ID.
    assert [c["PageNumber"] for c in api.calls] == [1, 2]


def test_havip_not_found_is_absent_and_other_errors_raise():
    api = havip_api(3, missing_code="HaVipNotFound")
    assert _havip.read_havips(api, ["havip-nope"]) == []
    other = havip_api(3, missing_code="NoPermission")
    with pytest.raises(ApiError):
        _havip.read_havips(other, ["havip-nope"])


def test_no_ids_lists_with_the_filters_and_empty_ids_make_no_call():
    api = havip_api(120)
    assert len(_havip.read_havips(api, None, {"Status": "Available"})) == 120
    assert [c["PageNumber"] for c in api.calls] == [1, 2]
    api = havip_api(3)
    assert _havip.read_havips(api, []) == [] and api.calls == []


def test_havip_describe_filters_use_the_api_names():
    assert _havip.describe_filters(ip_address="10.0.0.1", vswitch_id="vsw-1", status="InUse") == {
        "HaVipAddress": "10.0.0.1", "VSwitchId": "vsw-1", "Status": "InUse"}
    assert _havip.describe_filters() == {}


# ---- paging helpers -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("total, pages", [(0, 1), (1, 1), (100, 1), (101, 2), (250, 3)])
def test_pages_for(total, pages):
    assert pages_for(total, 100) == pages


@pytest.mark.parametrize("answer, total", [({"TotalCount": 7}, 7), ({"TotalCount": "12"}, 12), ({}, None),
                                           ({"TotalCount": "many"}, None)])
def test_total_count(answer, total):
    assert total_count(answer) == total


def test_read_pages_after_continues_from_page_two():
    api = havip_api(250)
    first = api("DescribeHaVips", {"PageNumber": 1, "PageSize": 100})
    items = read_pages_after(api, "DescribeHaVips", {}, lambda a: a["HaVips"], 100, first)
    assert len(items) == 250 and len({h["HaVipId"] for h in items}) == 250
    assert [c["PageNumber"] for c in api.calls] == [1, 2, 3]


def test_read_pages_after_stops_on_a_short_first_page():
    api = havip_api(40)
    first = api("DescribeHaVips", {"PageNumber": 1, "PageSize": 100})
    assert len(read_pages_after(api, "DescribeHaVips", {}, lambda a: a["HaVips"], 100, first)) == 40
    assert len(api.calls) == 1
