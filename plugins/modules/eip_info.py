#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: alicloud.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: eip_info
short_description: Show Alibaba Cloud elastic IP addresses (EIPs) and what they are associated with
version_added: 0.2.0
description:
  - Reads the EIPs of a region with C(DescribeEipAddresses) and returns each one with its association, in exactly
    the shape M(alicloud.network.eip_association) returns it, so the result can feed C(assert), templates or
    audits, or be compared with what an association task reported.
  - Every filter is applied by the API, never by listing the whole region and filtering locally. All filters
    given must match (they are combined with AND).
  - O(allocation_ids) and O(ip_addresses) go to the API 50 at a time (its limit per call); longer lists are split
    into several calls. Every page of 100 EIPs is read, until the API's C(TotalCount) is reached.
  - An ID or address that does not exist in the region is simply absent from RV(eips); it is not an error.
  - Without any filter the module returns every EIP of the region.
  - The module only reads, so it never reports C(changed).
  - With O(service=ens) it reads Edge Node Service EIPs (C(DescribeEnsEipAddresses), one endpoint for every ENS
    node) the same way; their association is shown as M(alicloud.network.eip_association) shows it for
    O(alicloud.network.eip_association#module:service=ens).
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
      - Which API holds the EIPs. V(vpc) VPC elastic IP addresses (C(DescribeEipAddresses), regional);
        V(ens) Edge Node Service EIPs (C(DescribeEnsEipAddresses)).
    type: str
    choices: [vpc, ens]
    default: vpc
    version_added: 0.2.0
  allocation_ids:
    description:
      - Only these EIPs, by ID, for example V(eip-2zeerraiwb7ujsxdc1234).
      - An empty list matches no EIP (and makes no call).
    type: list
    elements: str
  ip_addresses:
    description:
      - Only the EIPs with these public IPv4 addresses.
      - Combined with O(allocation_ids), an EIP must match both.
      - An empty list matches no EIP (and makes no call).
    type: list
    elements: str
  associated_instance_id:
    description:
      - Only the EIPs associated with this instance (with V(IpAddress), the IP address in the VPC).
      - Requires O(associated_instance_type), so that an instance of another type is not missed silently.
    type: str
  associated_instance_type:
    description:
      - The type of O(associated_instance_id), as in M(alicloud.network.eip_association).
      - Requires O(associated_instance_id).
      - With O(service=vpc) one of V(EcsInstance), V(SlbInstance), V(Nat), V(NetworkInterface), V(HaVip),
        V(IpAddress); with O(service=ens) one of V(EnsInstance), V(Nat), V(SlbInstance), V(NetworkInterface),
        V(NatSlbInstance).
    type: str
    choices: [EcsInstance, SlbInstance, Nat, NetworkInterface, HaVip, IpAddress, EnsInstance, NatSlbInstance]
  status:
    description:
      - Only the EIPs in this status (V(Releasing) only with O(service=vpc)).
    type: str
    choices: [Associating, Unassociating, InUse, Available, Releasing]
notes:
  - Malformed IDs and addresses are reported before any API call.
seealso:
  - module: alicloud.network.eip_association
  - module: alicloud.network.havip_info
  - name: DescribeEipAddresses
    description: The API operation this module calls, with its filters and limits.
    link: https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-describeeipaddresses
"""

EXAMPLES = r"""
- name: Show two EIPs
  alicloud.network.eip_info:
    allocation_ids:
      - eip-2zeerraiwb7ujsxdc1234
      - eip-2zeerraiwb7ujsxdc5678
    region: cn-hangzhou
  register: found

- name: Check that the first one is where it should be
  ansible.builtin.assert:
    that:
      - found.eips | length == 2
      - found.eips[0].association.instance_id == 'i-2zebb08phyczzawe1234'

- name: Find the EIP a NAT gateway uses
  alicloud.network.eip_info:
    associated_instance_id: ngw-bp1uewa15k4iy5770ab12
    associated_instance_type: Nat
  register: nat_eips

- name: List the addresses nobody uses (for an audit)
  alicloud.network.eip_info:
    status: Available
  register: idle

- name: Print them
  ansible.builtin.debug:
    msg: "{{ idle.eips | map(attribute='ip_address') | list }}"

- name: Show the ENS EIPs bound to an edge instance
  alicloud.network.eip_info:
    service: ens
    associated_instance_id: i-5p1lqmv3fzy1234
    associated_instance_type: EnsInstance
  register: edge_eips

- name: Look EIPs up by their public address
  alicloud.network.eip_info:
    ip_addresses: [47.100.12.34, 47.100.12.35]
  register: by_address

- name: See the association an eip_association task made
  block:
    - name: Associate
      alicloud.network.eip_association:
        allocation_id: eip-2zeerraiwb7ujsxdc1234
        instance_id: i-2zebb08phyczzawe1234
      register: bound

    - name: Read it back
      alicloud.network.eip_info:
        allocation_ids: [eip-2zeerraiwb7ujsxdc1234]
      register: read_back

    - name: Both show the association the same way
      ansible.builtin.assert:
        that: read_back.eips[0].association == bound.association
"""

RETURN = r"""
changed:
  description: Always V(false); the module only reads.
  returned: always
  type: bool
eips:
  description:
    - The EIPs that match every filter given, in the order the API lists them.
    - An ID or address that does not exist is not in the list.
  returned: success
  type: list
  elements: dict
  contains:
    allocation_id:
      description: The ID of the EIP.
      type: str
      sample: eip-2zeerraiwb7ujsxdc1234
    ip_address:
      description: The public IP address of the EIP.
      type: str
      sample: 47.100.12.34
    status:
      description: The EIP's status, V(Associating), V(Unassociating), V(InUse), V(Available) or V(Releasing).
      type: str
      sample: InUse
    name:
      description: The name of the EIP; null when it has none.
      type: str
      sample: web-frontend
    bandwidth:
      description: The peak bandwidth of the EIP, in Mbit/s; null when the API does not report it.
      type: int
      sample: 5
    instance_id:
      description: The ID of the instance the EIP is associated with; null when it is not associated.
      type: str
      sample: i-2zebb08phyczzawe1234
    instance_type:
      description: The type of that instance (V(EcsInstance), V(SlbInstance), V(Nat), V(NetworkInterface),
        V(HaVip), V(IpAddress)); null when the EIP is not associated.
      type: str
      sample: EcsInstance
    private_ip_address:
      description: The private IP address the EIP is associated with; null when not associated or not reported.
      type: str
      sample: 10.0.1.1
    mode:
      description: The association mode the API reports (V(NAT), V(MULTI_BINDED), V(BINDED)); null when the EIP
        is not associated.
      type: str
      sample: NAT
    lock_reasons:
      description: Why the EIP is locked (for example V(financial), V(security)); empty when it is not locked.
        A locked EIP cannot be associated.
      type: list
      elements: str
      sample: []
    association:
      description:
        - For O(service=ens) the association also has C(standby), and C(region_id) is the ENS node.
        - The association exactly as M(alicloud.network.eip_association) returns it in its
          RV(alicloud.network.eip_association#module:association) (keys C(allocation_id), C(ip_address),
          C(instance_id), C(instance_type), C(private_ip_address), C(mode), C(status), C(region_id)), so the two
          can be compared directly.
      type: dict
      sample:
        allocation_id: eip-2zeerraiwb7ujsxdc1234
        ip_address: 47.100.12.34
        instance_id: i-2zebb08phyczzawe1234
        instance_type: EcsInstance
        private_ip_address: 10.0.1.1
        mode: NAT
        status: InUse
        region_id: cn-hangzhou
error:
  description: On an API failure, the error the API returned (code, message, request ID and the other fields
    Alibaba Cloud returns).
  returned: failure from the API
  type: dict
  sample: {code: Forbidden.RAM, message: User not authorized to operate on the specified resource.}
"""

import ipaddress

from ansible_collections.alicloud.network.plugins.module_utils import _eip, _ens_eip
from ansible_collections.alicloud.network.plugins.module_utils._base import AlicloudModule
from ansible_collections.alicloud.network.plugins.module_utils._client import ApiError
from ansible_collections.alicloud.network.plugins.module_utils._validation import id_problem

# Per service: the reader (read_eips' signature), the view of one EIP, the instance types the API knows, the action.
SERVICES = {
    "vpc": (_eip.read_eips, _eip.eip_view, ("EcsInstance", "SlbInstance", "Nat", "NetworkInterface", "HaVip",
                                            "IpAddress"), "DescribeEipAddresses"),
    "ens": (_ens_eip.read_eips, _ens_eip.eip_view, _ens_eip.INSTANCE_TYPES, "DescribeEnsEipAddresses"),
}

ARGUMENT_SPEC = dict(
    service=dict(type="str", default="vpc", choices=["vpc", "ens"]),
    allocation_ids=dict(type="list", elements="str"),
    ip_addresses=dict(type="list", elements="str"),
    associated_instance_id=dict(type="str"),
    associated_instance_type=dict(type="str", choices=sorted(set(SERVICES["vpc"][2]) | set(SERVICES["ens"][2]))),
    status=dict(type="str", choices=["Associating", "Unassociating", "InUse", "Available", "Releasing"]),
)


def input_problems(params):
    """Messages for filter values that cannot match anything real; empty when all is well."""
    problems = [id_problem("allocation_ids", value) for value in params["allocation_ids"] or []]
    problems.append(id_problem("associated_instance_id", params["associated_instance_id"]))
    problems = [problem for problem in problems if problem]
    for value in params["ip_addresses"] or []:
        if not is_ipv4(value):
            problems.append("ip_addresses %r is not a valid IPv4 address" % (value,))
    types = SERVICES[params["service"]][2]
    if params["associated_instance_type"] not in (None,) + tuple(types):
        problems.append("associated_instance_type %s is not a type of service %s (%s)"
                        % (params["associated_instance_type"], params["service"], ", ".join(types)))
    if params["service"] == "ens" and params["status"] == "Releasing":
        problems.append("status Releasing is only reported by service vpc")
    return problems


def is_ipv4(value):
    try:
        return ipaddress.ip_address(value).version == 4
    except ValueError:
        return False


def read(m):
    """The EIPs the options ask for, as this module returns them."""
    params = m.params
    reader, view, types, action = SERVICES[params["service"]]
    filters = _eip.describe_filters(status=params["status"], associated_instance_id=params["associated_instance_id"],
                                    associated_instance_type=params["associated_instance_type"])
    try:
        found = _eip.read_eips_matching(m.call, params["allocation_ids"], params["ip_addresses"], filters, reader)
    except ApiError as err:
        m.fail_api(err, err.action or action)
    return [view(eip) for eip in found]


def main():
    m = AlicloudModule(argument_spec=ARGUMENT_SPEC, product=lambda params: params["service"],
                       supports_check_mode=True,
                       required_together=[["associated_instance_id", "associated_instance_type"]])
    problems = input_problems(m.params)
    if problems:
        m.fail("Invalid options: %s." % "; ".join(problems))
    # Not m.exit(): that adds an empty diff under --diff and the request IDs of changes; an info module has neither.
    m.module.exit_json(changed=False, eips=read(m))


if __name__ == "__main__":
    main()
