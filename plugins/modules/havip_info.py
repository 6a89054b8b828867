#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: alicloud.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: havip_info
short_description: Show ENS high-availability virtual IPs (HAVIPs) and the instances they are associated with
version_added: 0.2.0
description:
  - Reads Edge Node Service (ENS) HAVIPs with C(DescribeHaVips) and returns each one with the instances and ENIs
    associated with it, in exactly the shape M(alicloud.network.havip_association) returns, so the result can
    feed C(assert), templates or audits.
  - Every filter is applied by the API. All filters given must match (they are combined with AND).
  - C(DescribeHaVips) takes one HAVIP ID per call. With several O(havip_ids), the module reads the first page of
    the list (narrowed by the other filters) and then takes whichever way needs fewer calls for the IDs not on
    that page, one call per ID or the remaining pages of the list.
  - Lists are read page by page (100 HAVIPs a page) until the API's C(TotalCount) is reached.
  - An ID that does not exist is simply absent from RV(havips); it is not an error.
  - Without any filter the module returns every HAVIP the credentials can see.
  - ENS is served by one endpoint (C(ens.aliyuncs.com)), so O(region) is not needed.
  - With O(service=vpc) it reads the VPC HAVIPs of O(region) instead (VPC C(DescribeHaVips), whose filters take at
    most 5 values, so O(havip_ids) go 5 to a call); each is shown as
    M(alicloud.network.havip_association) shows it for O(alicloud.network.havip_association#module:service=vpc).
  - The module only reads, so it never reports C(changed).
author:
  - alicloud.network contributors (@alicloud-network)
extends_documentation_fragment:
  - alicloud.network.alicloud
attributes:
  check_mode:
    support: full
    description: Reads the same way as a normal run; the module never changes anything.
  diff_mode:
    support: none
    description: Nothing changes, so there is nothing to show before and after.
options:
  service:
    description:
      - Which API holds the HAVIPs. V(ens) Edge Node Service HAVIPs; V(vpc) VPC HAVIPs of O(region).
    type: str
    choices: [ens, vpc]
    default: ens
    version_added: 0.2.0
  havip_ids:
    description:
      - Only these HAVIPs, by ID, for example V(havip-5p14t1234).
      - An empty list matches no HAVIP (and makes no call).
    type: list
    elements: str
  ip_address:
    description:
      - Only the HAVIP with this virtual IP address. Sent as C(HaVipAddress).
    type: str
  vswitch_id:
    description:
      - Only the HAVIPs on this vSwitch.
    type: str
  status:
    description:
      - Only the HAVIPs in this status.
    type: str
    choices: [Creating, Available, InUse, Deleting]
notes:
  - Malformed IDs and addresses are reported before any API call.
seealso:
  - module: alicloud.network.havip_association
  - module: alicloud.network.eip_info
  - name: DescribeHaVips
    description: The ENS API operation this module calls.
    link: https://www.alibabacloud.com/help/en/ens/developer-reference/api-ens-2017-11-10-describehavips
"""

EXAMPLES = r"""
- name: Show a VPC HAVIP and which ECS instance is its master
  alicloud.network.havip_info:
    service: vpc
    havip_ids: [havip-2zeo05qre24nhrqpy1234]
    region: cn-hangzhou
  register: vpc_havip

- name: Show a HAVIP and its members
  alicloud.network.havip_info:
    havip_ids: [havip-5p14t1234]
  register: found

- name: Check that the keepalived pair holds it
  ansible.builtin.assert:
    that:
      - found.havips | length == 1
      - found.havips[0].associated_instances | map(attribute='instance_id') | sort == ['i-50c41234', 'i-50c45678']

- name: Every HAVIP of a vSwitch that is not associated with anything
  alicloud.network.havip_info:
    vswitch_id: vsw-5p1g1234
    status: Available
  register: free

- name: Find the HAVIP that owns an address
  alicloud.network.havip_info:
    ip_address: 10.10.0.101
  register: by_address

- name: Bind the pair, then read the HAVIP back
  block:
    - name: Bind
      alicloud.network.havip_association:
        havip_id: havip-5p14t1234
        instance_ids: [i-50c41234, i-50c45678]
      register: bound

    - name: Read it back
      alicloud.network.havip_info:
        havip_ids: [havip-5p14t1234]
      register: read_back

    - name: Both show the HAVIP the same way
      ansible.builtin.assert:
        that: read_back.havips[0] == bound.havip
"""

RETURN = r"""
changed:
  description: Always V(false); the module only reads.
  returned: always
  type: bool
havips:
  description:
    - The HAVIPs that match every filter given, each exactly as M(alicloud.network.havip_association) returns it
      in its RV(alicloud.network.havip_association#module:havip).
    - With O(havip_ids), in the order of O(havip_ids); otherwise in the order the API lists them.
    - An ID that does not exist is not in the list.
    - With O(service=vpc) each also has C(region_id), C(vpc_id) and C(master_instance_id); C(ens_region_id) is
      null, and a member's status is the HAVIP's (the VPC API reports none per member).
  returned: success
  type: list
  elements: dict
  contains:
    havip_id:
      description: The ID of the HAVIP.
      type: str
      sample: havip-5p14t1234
    ip_address:
      description: The high-availability virtual IP address.
      type: str
      sample: 10.10.0.101
    status:
      description: The HAVIP's status, for example V(Available), V(InUse), V(Associating).
      type: str
      sample: InUse
    vswitch_id:
      description: The vSwitch the HAVIP belongs to.
      type: str
      sample: vsw-5p1g1234
    ens_region_id:
      description: The ENS node of the HAVIP.
      type: str
      sample: cn-beijing-cmcc
    associated_instances:
      description: The ENS instances and ENIs associated with the HAVIP.
      type: list
      elements: dict
      contains:
        instance_id:
          description: The ID of the ENS instance or ENI.
          type: str
          sample: i-50c41234
        instance_type:
          description: V(EnsInstance) or V(NetworkInterface).
          type: str
          sample: EnsInstance
        status:
          description: The association's status, V(InUse) once settled.
          type: str
          sample: InUse
error:
  description: On an API failure, the error the API returned (code, message, request ID and the other fields
    Alibaba Cloud returns).
  returned: failure from the API
  type: dict
  sample: {code: NoPermission, message: You are not authorized to perform this operation.}
"""

import ipaddress

from ansible_collections.alicloud.network.plugins.module_utils import _havip, _vpc_havip
from ansible_collections.alicloud.network.plugins.module_utils._base import AlicloudModule
from ansible_collections.alicloud.network.plugins.module_utils._client import ApiError
from ansible_collections.alicloud.network.plugins.module_utils._validation import id_problem

# Per service: the filters for the options, the reader, the view of one HAVIP.
SERVICES = {
    "ens": (_havip.describe_filters, _havip.read_havips, _havip.havip_view),
    "vpc": (_vpc_havip.describe_filters, _vpc_havip.read_havips, _vpc_havip.havip_view),
}

ARGUMENT_SPEC = dict(
    service=dict(type="str", default="ens", choices=["ens", "vpc"]),
    havip_ids=dict(type="list", elements="str"),
    ip_address=dict(type="str"),
    vswitch_id=dict(type="str"),
    status=dict(type="str", choices=["Creating", "Available", "InUse", "Deleting"]),
)


def input_problems(params):
    """Messages for filter values that cannot match anything real; empty when all is well."""
    problems = [id_problem("havip_ids", value) for value in params["havip_ids"] or []]
    problems.append(id_problem("vswitch_id", params["vswitch_id"]))
    problems = [problem for problem in problems if problem]
    if params["ip_address"] is not None and not is_ip(params["ip_address"]):
        problems.append("ip_address %r is not a valid IP address" % (params["ip_address"],))
    return problems


def is_ip(value):
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def read(m):
    """The HAVIPs the options ask for, as this module returns them."""
    params = m.params
    describe_filters, read_havips, view = SERVICES[params["service"]]
    filters = describe_filters(ip_address=params["ip_address"], vswitch_id=params["vswitch_id"],
                               status=params["status"])
    try:
        found = read_havips(m.call, params["havip_ids"], filters)
    except ApiError as err:
        m.fail_api(err, err.action or "DescribeHaVips")
    return [view(havip) for havip in found]


def main():
    m = AlicloudModule(argument_spec=ARGUMENT_SPEC, product=lambda params: params["service"],
                       supports_check_mode=True)
    problems = input_problems(m.params)
    if problems:
        m.fail("Invalid options: %s." % "; ".join(problems))
    # Not m.exit(): that adds an empty diff under --diff and the request IDs of changes; an info module has neither.
    m.module.exit_json(changed=False, havips=read(m))


if __name__ == "__main__":
    main()
