# -*- coding: utf-8 -*-
# Copyright: alicloud.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One classification of the API's error codes, for every module: what each documented code means for a task.

Each code is one of four kinds:

* RETRY   - the request was rejected before anything was done (throttling, a busy front end); the client sends it
            again within max_retry_time and only a spent budget reaches the module.
* BUSY    - the resource, or the instance, is in the middle of another change; the task reads again, waits for
            the change to settle and decides again, within wait_timeout.
* ALREADY - what was asked may already hold (made by another actor, or by this task's own call whose answer was
            lost); the task reads again and reports the truth, failing only when it does not hold.
* FAIL    - waiting will not help; the task fails with the code, the request id and the hint.

The codes are those the API reference pages list for the actions the collection calls (see
tests/emulator/REFERENCE.md); a code that is not listed fails with its message (and a generic hint when there is
one). Hints are templates: ``{placeholders}`` are filled from what the module knows (instance_id, havip_id, ...).
"""

from __future__ import annotations

RETRY = "retry"
BUSY = "busy"
ALREADY = "already"
FAIL = "fail"

# A hint for a code whose usual cause is the same whatever the module.
CHECK_INSTANCE = "check instance_id, instance_type and region; no such instance of that type exists"
SAME_TYPE = "instance_type does not match the instance; check instance_type"
NAT_ENTRIES = "SNAT/DNAT entries use this EIP; remove them or set force: true"
PERMISSION = "the RAM identity lacks permission for this action"
OWNER_GONE = "the instance the EIP is bound to was not found (released meanwhile?); check the EIP in the console"
MODULE_BUG = "the module sent a parameter the API refused; this is a bug of the module, please report it"
CHANGE_BUSY = "another change to this resource kept running past wait_timeout; try again later or raise wait_timeout"


class ErrorClass:
    """The kind of a code, and the hint shown when the task fails on it."""

    __slots__ = ("kind", "hint")

    def __init__(self, kind, hint=None):
        self.kind = kind
        self.hint = hint

    def __repr__(self):
        return "ErrorClass(%r, %r)" % (self.kind, self.hint)


def _table(kind, codes):
    return dict((code, ErrorClass(kind, hint)) for code, hint in codes.items())


# Rejected before acting: the client resends (plugins/module_utils/_client.py uses these codes).
RETRY_CODES = {
    "Throttling": "the API kept throttling past max_retry_time; lower the number of parallel tasks or raise "
                  "max_retry_time",
    "Throttling.User": "the API kept throttling past max_retry_time; lower the number of parallel tasks or raise "
                       "max_retry_time",
    "Throttling.Api": "the API kept throttling past max_retry_time; lower the number of parallel tasks",
    "Rejected.Throttling": "the API kept throttling past max_retry_time; lower the number of parallel tasks",
    "ServiceUnavailable": "the service stayed unavailable past max_retry_time; try again later",
    "SystemBusy": "the service stayed busy past max_retry_time; try again later",
    "OperationFailed.SystemBusy": "the service stayed busy past max_retry_time; try again later",
}

BUSY_CODES = {
    # VPC EIP actions
    "TaskConflict": CHANGE_BUSY,
    "OperationConflict": CHANGE_BUSY,
    "LastTokenProcessing": CHANGE_BUSY,
    "OperationFailed.LastTokenProcessing": CHANGE_BUSY,
    "IncorrectEipStatus": "the EIP stayed busy or is in a status that cannot be changed; check it in the console, "
                          "or raise wait_timeout",
    "InvalidBindingStatus": "the EIP stayed busy; raise wait_timeout or check the EIP in the console",
    "IncorrectStatus": CHANGE_BUSY,
    "IncorrectStatus.NatGateway": "the NAT gateway is not in a status that accepts an EIP; wait until it is "
                                  "Available",
    "InvalidAction.Denied": "a change to the EIP's configuration is still running; try again later",
    "OperationFailed.EcsMigrating": "the ECS instance is being migrated; try again when it has finished",
    "InvalidStatus.EniStatusNotSupport": "the network interface's status does not allow this; wait and retry",
    # HAVIP actions (ENS and VPC): the HAVIP, or this member's association, is changing
    "IncorrectHaVipStatus": "the HAVIP must be Available or InUse to change its associations; it is "
                            "{havip_status}. Wait until it is, then run again.",
    "InvalidVip.Status": "the HAVIP must be Available or InUse to change its associations; it is {havip_status}.",
    "IncorrectInstanceAssociationStatus": "the association of {instance_id} kept changing past wait_timeout; "
                                          "run again once it has settled",
    # VPC UnassociateHaVip: the service could not take its internal lock, another change holds it
    "OperationFailed.DistibuteLock": CHANGE_BUSY,
}

ALREADY_CODES = {
    "InvalidAssociation.Duplicated": "the instance already has another EIP (or a Global Accelerator) associated; "
                                     "disassociate that one first",
    "ResourceAlreadyAssociated.IpAddress": "the IP address already has an EIP; disassociate that one first",
    "InstanceAlreadyAssociated": "{instance_id} is already bound to another HAVIP; unbind it there first.",
    # UnassociateHaVip: the instance is not associated (any more): what was asked holds.
    "InstanceNotAssociated": "{instance_id} is not associated with HAVIP {havip_id}",
    # VPC UnassociateHaVip: the same, in the VPC's words
    "ResourceNotAssociated": "{instance_id} is not associated with HAVIP {havip_id}",
}

FAIL_CODES = {
    # credentials and permissions (every action)
    "InvalidAccessKeyId.NotFound": "check access_key / ALIBABA_CLOUD_ACCESS_KEY_ID",
    "InvalidAccessKeyId.Inactive": "the access key is disabled; enable it or use another one",
    "SignatureDoesNotMatch": "check secret_key / ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "IncompleteSignature": "the request signature was malformed; check the credentials' characters",
    "InvalidSecurityToken.Expired": "the STS token has expired; obtain fresh temporary credentials",
    "InvalidSecurityToken.Malformed": "check security_token / ALIBABA_CLOUD_SECURITY_TOKEN",
    "InvalidSecurityToken.MismatchWithAccessKey": "the security token belongs to other temporary credentials",
    "InvalidTimeStamp.Expired": "the clock of the host running the module is off; synchronise it (NTP)",
    "Forbidden.RAM": PERMISSION,
    "NoPermission": PERMISSION,
    "Forbidden.NoPermission": PERMISSION,
    "ConnectionError": "check endpoint, proxy settings and network access",
    "SSLError": "check ca_bundle / validate_certs and the endpoint's certificate",
    # VPC AssociateEipAddress / UnassociateEipAddress / DescribeEipAddresses
    "InvalidAllocationId.NotFound": "check allocation_id and region; the EIP does not exist there",
    "InvalidInstanId.NotFound": CHECK_INSTANCE,
    "InvalidParams.NotFound": CHECK_INSTANCE,
    "InvalidInstance.NotExist": CHECK_INSTANCE,
    "InvalidNicOrVm.NotFound": "check instance_id and instance_type; the network interface or VM does not exist",
    "OperationFailed.InstanceNotExist": "the ECS instance does not exist or is not in a VPC; check instance_id",
    "IncorrectInstanceStatus": "{instance_id} is in a status that does not allow this (an ECS or ENS instance must "
                               "be Running or Stopped); wait until it has finished starting or stopping, then run "
                               "again",
    "InvalidStatus.EcsStatusNotSupport": "the ECS instance's status does not allow this; wait until it is "
                                         "Running or Stopped",
    "InvalidStatus.NotAllow": "the instance's status does not allow this; wait until it settles",
    "InvalidParameter.Mismatch": "the EIP and the instance are in different regions; use an instance in the EIP's "
                                 "region (or instance_region_id for Global Accelerator)",
    "ServerRegion.Invalid": "the instance's region is not valid for this EIP; check instance_region_id",
    "InvalidRegionId.NotFound": "instance_region_id names a region this EIP cannot be bound in",
    "Forbidden.RegionNotFound": "the region is not supported for this operation; check region",
    "InvalidParameter.BindingInstanceRegion": "check instance_region_id",
    "EipBindRemote.BackendRegionMustBeSingle": "check instance_region_id",
    "BIND_INSTANCE_HAVE_PORTMAP_OR_BIND_EIP": "the ECS instance has port forwarding rules or another EIP; "
                                              "remove them first",
    "EIP_CAN_NOT_ASSOCIATE_WITH_PUBLIC_IP": "the instance has a fixed public IP; convert or release it first",
    "OperationDenied": "the instance must be in a VPC (and the EIP not in a default VPC); check instance_id",
    "InvalidInstanceType.ValueNotSupported": "instance_type is not accepted for this instance",
    "InvalidParameter.InstanceTypeNotSupport": SAME_TYPE,
    "InstanceType.NotSupport": SAME_TYPE,
    "INSTANCE_TYPE_NOT_SUPPORT": SAME_TYPE,
    "BindInstance.NotSupported": "this kind of instance cannot take an EIP here; check instance_type",
    "InvalidParameter": "a parameter was rejected; check private_ip_address, mode and vpc_id (an EIP), or "
                        "whether the instance is already a member and ECS instances and ENIs are mixed (a VPC "
                        "HAVIP)",
    "InvalidParameter.EniInstanceId": "only a secondary network interface can take an EIP; check instance_id",
    "IllegalParam.Mode": "mode is not valid for this network interface",
    "Mode.Conflict": "the network interface already has EIPs in another mode; use the same mode",
    "OperationFailed.EipBindModeConflict": "the network interface already has EIPs in another mode; "
                                           "use the same mode",
    "Mode.NotSupport": "this account cannot use several cut-through (BINDED) EIPs",
    "OperationUnsupported.EipBindModel": "this ECS instance type does not support MULTI_BINDED; use NAT",
    "Eni.Attached": "detach the network interface from its ECS instance before binding a BINDED-mode EIP",
    "Eni.HasSubIp": "a BINDED-mode EIP needs a network interface without secondary private IPs",
    "OperationFailed.EniSubIp": "a BINDED-mode EIP needs a network interface without secondary private IPs",
    "Invalid.DirectEip.BindType": "a BINDED-mode EIP can only be bound to a network interface",
    "InvalidNexthop.DirectEni": "a network interface in cut-through mode cannot be a next hop",
    "InvalidEip.EipQuotaExceeded": "the network interface has fewer private IPs than EIPs; add a secondary "
                                   "private IP first",
    "QuotaExceed.MultiBindedEip": "too many MULTI_BINDED EIPs on this network interface",
    "QuotaExceeded.NumberOfEipBinded": "the NAT gateway has its maximum number of EIPs; remove one first",
    "QuotaExceeded.NumberOfTrafficEip": "the NAT gateway has its maximum number of EIPs; remove one first",
    "QuotaExceeded.NumberOfEip": "the NAT gateway has its maximum number of EIPs; remove one first",
    "NATGATEWAY_FINANCIALLOCKED": "the NAT gateway has expired; renew it first",
    "Forbidden.EipCanNotBindGatgw": "this EIP cannot be bound to a NAT gateway",
    "OperationDenied.UnsupportedEipBindMode": "the NAT gateway's EIP binding mode does not allow this",
    "OperationDenied.Ipv4GatewayExist": "the VPC has an IPv4 gateway; this association is not allowed there",
    "OperationFailed.Ipv4GatewayNotOpenedInVpc": "create and enable an IPv4 gateway in vpc_id first",
    "OperationFailed.Ipv4GatewayNotActivatedInVpc": "activate the IPv4 gateway of vpc_id first",
    "OperationDenied.VpcIpv4GatewayEnabled": "the NAT gateway's VPC has an IPv4 gateway; this is not allowed",
    "OperationDenied.L2EipBindIpAddress": "this EIP cannot be bound to an IP address",
    "UnsupportedFeature.EipBindIpAddress": "this EIP cannot be bound to an IP address (instance_type IpAddress)",
    "UnsupportedFeature.EipBindPrefixIp": "an EIP cannot be bound to a prefix in this region",
    "OperationFailed.IpPrefixConflict": "the address is part of an IP prefix of the network interface",
    "OperationDenied.NoAvailablePrivateIp": "the vSwitch has no free private IP; free one or pass "
                                            "private_ip_address",
    "OperationDenied.CloudBoxResourceExist": "the VPC has CloudBox resources; this association is not allowed",
    "OperationDenied.CloudBoxVSwitchExist": "the VPC has a CloudBox vSwitch; this association is not allowed",
    "OperationDenied.Unauthorized": "this account is not allowed to use this feature; ask Alibaba Cloud support",
    "OperationFailed.HavipBoundPortmap": "the HAVIP has port mappings; remove them first",
    "OperationFailed.QueryCommodityInfo": "the service could not read billing information; try again later",
    "ResourceQueryError": "the service could not read the resources; try again later",
    "Invalid.Function.NotSupported": "this feature is not available to the account or region",
    "OperationUnsupported.MultiIp": "this feature is not available to the account or region",
    "InvalidBandwidthPackageId.NotFound": "the bandwidth package does not exist",
    "InvalidEIPStatus.BizDisabled": "the EIP is locked (e.g. overdue payment); unlock it first",
    "Forbidden.FinancialLocked": "the EIP has an overdue payment; settle it first",
    "Forbidden.InstanceBandwidthNotZero": "the instance has public bandwidth; set it to 0 first",
    "InvalidStatus.InstanceHasBandWidth": "the instance has public bandwidth; set it to 0 first",
    "Forbidden": "the EIP belongs to another account, or the credentials may not manage it",
    "BIND_INSTANCE_OWENER_ERROR": "the EIP belongs to another account, or the credentials may not manage it",
    "UnsupportedRegion": "this operation is not available in the region",
    "InvalidIpStatus.HasBeenUsedBySnatTable": "SNAT entries use this EIP; remove them or set force: true",
    "InvalidIpStatus.HasBeenUsedByForwardEntry": "DNAT entries use this EIP; remove them or set force: true",
    "InvalidStatus.SnatOrDnat": NAT_ENTRIES,
    "IdempotentParameterMismatch": "client_token was used before with other parameters; use a new client_token",
    "DependencyViolation.SnatEntry": NAT_ENTRIES,
    # UnassociateEipAddress names the current owner: it may have been released meanwhile.
    "InvalidInstanceId.NotFound": OWNER_GONE,
    "InvalidLoadBalancerId.NotFound": OWNER_GONE,
    "InvalidBindInstance.NotFound": OWNER_GONE,
    # DescribeEipAddresses: its parameters come from the module's options (eip_info filters) or from the module
    "InvalidIAssociatedInstanceType.ValueNotSupported": "check associated_instance_type",
    "InstanceType.Invalid": "check associated_instance_type",
    "InstanceIdLength.Exceed": MODULE_BUG,
    "InvalidChargeType.ValueNotSupported": MODULE_BUG,
    "InvalidAliuid": MODULE_BUG,
    "InvalidResourceGroupId": MODULE_BUG,
    "OperationUnsupported.ResourceGroupId": MODULE_BUG,
    "InvalidTagKey": MODULE_BUG,
    "InvalidTagValue": MODULE_BUG,
    "IellgalParameter.OwnerAccount": MODULE_BUG,
    "InvalidFilterValue": MODULE_BUG,
    "InvalidFilterKey.NotFound": MODULE_BUG,
    "InvalidLockReason.NotFound": MODULE_BUG,
    # ENS HAVIP actions
    "HaVipNotFound": "check havip_id: no HAVIP {havip_id} is visible to these credentials.",
    "InstanceNotFound": "check the instance ID {instance_id}; an ENI needs instance_type: NetworkInterface.",
    "NetworkInterfaceNotFound": "check the ENI ID {instance_id}; an ENS instance needs instance_type: EnsInstance.",
    "NetworkInterfaceTypeNotSupported": "this kind of network interface cannot hold a HAVIP; use the "
                                        "instance's primary ENI or the ENS instance itself.",
    "IncorrectInstanceVSwitch": "{instance_id} must be on the HAVIP's vSwitch {vswitch_id}; pick an instance "
                                "there or a HAVIP on the instance's vSwitch.",
    "IncorrectNetworkInterfaceStatus": "the ENI {instance_id} is in a state that does not allow this change; "
                                       "wait until it settles, then run again.",
    "CountLimitExceed.HaVipOnInstance": "{instance_id} already has as many HAVIPs as allowed; unbind one "
                                        "of them first.",
    "CountLimitExceed.InstanceOnHaVip": "the HAVIP already has as many instances as allowed; unbind one first "
                                        "(exclusive: true unbinds the ones you do not list).",
    "InvalidInstanceId": "check the instance ID {instance_id}",
    "InvalidParameter.InstanceId": "check the instance ID {instance_id}",
    "MissingInstanceId": MODULE_BUG,
    "SystemError": "the service failed to handle the call; run again, and contact Alibaba Cloud support with the "
                   "request id if it persists.",
    # VPC HAVIP actions (AssociateHaVip / UnassociateHaVip / DescribeHaVips)
    "InvalidHaVipId.NotFound": "check havip_id and region: no VPC HAVIP {havip_id} is visible there to these "
                               "credentials.",
    "NotBelongToSameVSwitch": "{instance_id} must be on the HAVIP's vSwitch {vswitch_id}; pick an instance there "
                              "or a HAVIP on the instance's vSwitch.",
    "CountLimitExceeded.HaVipOnECSInstance": "the HAVIP already has as many instances as allowed (two ECS "
                                             "instances); unbind one first (exclusive: true unbinds the ones you "
                                             "do not list).",
    "Forbidden.UnassociateMaster": "{instance_id} is the HAVIP's master (it holds the address); set force: true "
                                   "to unbind it anyway (the address moves to another member, if any).",
    "Forbidden.HaVip": "the credentials may not operate on this HAVIP; check the RAM policy (vpc:*HaVip*).",
    # ENS EIP actions (AssociateEnsEipAddress / UnAssociateEnsEipAddress / DescribeEnsEipAddresses)
    "EipNotFound": "check allocation_id: no ENS EIP with this ID is visible to these credentials.",
    "RegionAccessDenied": "the credentials may not operate on resources of this ENS node; check the RAM policy.",
    "ens.interface.error": "the service failed to handle the call; run again, and contact Alibaba Cloud support "
                           "with the request id if it persists.",
    "IncorrectEipIpStatus": "the EIP's IP status does not allow this change; check the EIP in the ENS console.",
    "InvalidUnAssociation.UnAssociateStandbyEipFist": "the instance still has a standby EIP; unbind the standby "
                                                      "EIP first (state: absent with its allocation_id).",
}

# Code families documented as patterns (ENS: "Invalid%s", "Missing%s", "InvalidParameter.%s"): the first part
# classifies every code that starts with it, unless the code itself is listed.
FAMILIES = {
    "Missing": ErrorClass(FAIL, MODULE_BUG),
    "InvalidParameter.": ErrorClass(FAIL, "a parameter was rejected; check the options named in the message"),
    "Invalid": ErrorClass(FAIL, "a parameter was rejected; check the options named in the message"),
    "Throttling": ErrorClass(RETRY, RETRY_CODES["Throttling"]),
    "CountLimitExceed": ErrorClass(FAIL, "a quota is reached; unbind something first or ask for a higher quota."),
}

CLASSES = {}
for _kind, _codes in ((RETRY, RETRY_CODES), (BUSY, BUSY_CODES), (ALREADY, ALREADY_CODES), (FAIL, FAIL_CODES)):
    CLASSES.update(_table(_kind, _codes))

# (action, code) -> ErrorClass, where one action answers a code in another sense than the tables above.
BY_ACTION = {
    # VPC AssociateHaVip answers the generic InvalidParameter when the instance is already a member (its page names
    # no code for that): read again, and report ok when the member is there; fail with the API's answer when not.
    ("AssociateHaVip", "InvalidParameter"): ErrorClass(
        ALREADY, "the instance may already be a member, or ECS instances and ENIs were mixed; check the HAVIP's "
                 "members"),
    # The same codes as elsewhere (same kind), with the hint that fits these actions.
    ("AssociateHaVip", "InvalidInstanceId.NotFound"): ErrorClass(
        FAIL, "check instance_id {instance_id}, instance_type and region; an ENI needs instance_type: "
              "NetworkInterface."),
    ("UnassociateHaVip", "InvalidInstanceId.NotFound"): ErrorClass(
        FAIL, "the member {instance_id} was not found in the region (released meanwhile?); check the HAVIP in the "
              "console."),
    ("AssociateEnsEipAddress", "InvalidParameter.InstanceId"): ErrorClass(
        FAIL, "{instance_id} is on another ENS node than the EIP, or already holds an EIP of that kind (main, or "
              "standby with standby: true); unbind that one first."),
}

UNKNOWN = ErrorClass(FAIL)


def classify(code, action=None):
    """The ErrorClass of `code` (as `action` answered it). The code alone decides, except for the few cases an
    action uses in its own sense (BY_ACTION)."""
    code = code or ""
    found = BY_ACTION.get((action, code)) or CLASSES.get(code)
    if found:
        return found
    for prefix in sorted(FAMILIES, key=len, reverse=True):
        if code.startswith(prefix):
            return FAMILIES[prefix]
    return UNKNOWN


def hint(code, action=None, **context):
    """The hint for `code` (as `action` answered it), its placeholders filled from `context`; one that is not known
    stays as written."""
    template = classify(code, action).hint
    if not template:
        return None
    return template.format_map(_KeepUnknown((k, v) for k, v in context.items() if v is not None))


class _KeepUnknown(dict):
    def __missing__(self, key):
        return "{%s}" % key
