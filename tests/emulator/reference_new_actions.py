"""The published reference for the actions added by vpc_batch.py, vpc_havip.py and ens_eip.py, as data.

REFERENCE-new-actions.md is the same in prose. Keys are ``"<product>:<Action>"`` because VPC and ENS both
have AssociateHaVip / UnassociateHaVip / DescribeHaVips. To be merged into reference.py / REFERENCE.md.

- ``DOCUMENTED_ERRORS[key][code] = (http_status, meaning)``: codes the action's page (or the page named in
  ``ERROR_TABLE_SOURCES``) lists. ``MESSAGES[key][code]`` is the message the emulator sends.
- ``ASSUMED_ERRORS[key][code] = (http_status, reason)``: codes the emulator answers where the page is silent
  or could not be read in full. Each is a code documented elsewhere for the same service, never one a page
  names otherwise.
- ``STATUSES[key]``: the status values the action reads or shows.

Codes with ``%s`` are ENS's patterns (``Invalid%s`` matches ``InvalidPageSize``); ``Missing<Name>`` /
``Invalid<Name>`` for VPC are the API gateway's generic parameter errors (see README.md).
"""
import re

VPC_DOCS = "https://www.alibabacloud.com/help/en/vpc/developer-reference/"
ENS_DOCS = "https://www.alibabacloud.com/help/en/ens/developer-reference/"

PAGES = {
    "vpc:AssociateEipAddressBatch": "https://www.alibabacloud.com/help/en/vpc/api-associateeipaddressbatch",
    "vpc:AssociateHaVip": VPC_DOCS + "api-vpc-2016-04-28-associatehavip",
    "vpc:UnassociateHaVip": VPC_DOCS + "api-vpc-2016-04-28-unassociatehavip",
    "vpc:DescribeHaVips": VPC_DOCS + "api-vpc-2016-04-28-describehavips",
    "ens:AssociateEnsEipAddress": ENS_DOCS + "api-ens-2017-11-10-associateenseipaddress",
    "ens:UnAssociateEnsEipAddress": ENS_DOCS + "api-ens-2017-11-10-unassociateenseipaddress",
    "ens:DescribeEnsEipAddresses": ENS_DOCS + "api-ens-2017-11-10-describeenseipaddresses",
}

# Where an error table was read from another page than PAGES[key] (every stored copy of the action's own
# page was cut off before or inside its error table).
ERROR_TABLE_SOURCES = {
    "vpc:AssociateEipAddressBatch": (
        VPC_DOCS + "api-vpc-2016-04-28-associateeipaddress",
        "AssociateEipAddress, which the batch page sends readers to for the single form; the codes used "
        "are the ones that apply to a NAT gateway or a secondary ENI"),
    "vpc:AssociateHaVip": (
        "https://help.aliyun.com/zh/ecs/developer-reference/api-ecs-2014-05-26-associatehavip",
        "the deprecated ECS 2014-05-26 twin (same vpc:AssociateHaVip permission), table read as far as "
        "stored; the not-found and vSwitch codes from Alibaba's earlier VPC HaVip reference"),
    "vpc:UnassociateHaVip": (
        "https://help.aliyun.com/zh/ecs/developer-reference/api-ecs-2014-05-26-unassociatehavip",
        "the deprecated ECS 2014-05-26 twin (same vpc:UnassociateHaVip permission), table read as far as "
        "stored; the not-found codes from Alibaba's earlier VPC HaVip reference"),
}

DOCUMENTED_ERRORS = {
    "vpc:AssociateEipAddressBatch": {
        "InvalidAllocationId.NotFound": (404, "an EIP of InstanceIds does not exist in RegionId"),
        "InvalidInstanId.NotFound": (404, "BindedInstanceId does not exist (the documented spelling)"),
        "InvalidAssociation.Duplicated": (400, "an EIP of InstanceIds is already associated"),
        "IncorrectEipStatus": (400, "an EIP is Associating, Unassociating or Releasing"),
        "InvalidEIPStatus.BizDisabled": (400, "an EIP is locked"),
        "InvalidInstanceType.ValueNotSupported": (400, "BindedInstanceType is not Nat or NetworkInterface"),
        "InvalidParameter.InstanceTypeNotSupport": (400, "BindedInstanceType does not fit the instance"),
        "InvalidParameter.Mismatch": (400, "instance and EIPs are in different regions"),
        "InvalidParameter.EniInstanceId": (400, "a primary ENI (only secondary ENIs take EIPs)"),
        "InvalidParameter": (400, "a parameter value is wrong (more than 50 or repeated InstanceIds)"),
        "IllegalParam.Mode": (400, "Mode is not MULTI_BINDED for an ENI, or given for a NAT gateway"),
        "QuotaExceeded.NumberOfEip": (400, "the NAT gateway would hold more EIPs than its quota"),
        "InvalidEip.EipQuotaExceeded": (400, "more EIPs than the ENI has free private IPs"),
        "OperationFailed.EipBindModeConflict": (400, "the ENI already has an EIP in another mode than MULTI_BINDED"),
        "IdempotentParameterMismatch": (400, "ClientToken reused with other parameters"),
        "TaskConflict": (400, "another task on the EIP is running (fault injection)"),
        "OperationFailed.SystemBusy": (400, "busy, try again (fault injection)"),
        "ServiceUnavailable": (503, "temporary server failure (fault injection)"),
    },
    "vpc:AssociateHaVip": {
        "InvalidHaVipId.NotFound": (404, "the HAVIP does not exist in RegionId"),
        "InvalidInstanceId.NotFound": (404, "the ECS instance / ENI does not exist in RegionId"),
        "IncorrectHaVipStatus": (400, "the HAVIP is not Available or InUse"),
        "IncorrectInstanceStatus": (400, "the ECS instance is not Running or Stopped"),
        "NotBelongToSameVSwitch": (400, "HAVIP and instance are on different vSwitches"),
        "CountLimitExceeded.HaVipOnECSInstance": (400, "the HAVIP already has its maximum of instances"),
        "CountLimitExceed.HaVipOnInstance": (400, "the instance already has its maximum of HAVIPs"),
        "InvalidVip.Status": (400, "vip invalid status (not produced by state)"),
        "IdempotentParameterMismatch": (400, "ClientToken reused with other parameters"),
    },
    "vpc:UnassociateHaVip": {
        "InvalidHaVipId.NotFound": (404, "the HAVIP does not exist in RegionId"),
        "InvalidInstanceId.NotFound": (404, "the instance does not exist in RegionId"),
        "IncorrectHaVipStatus": (400, "the HAVIP's status does not allow the change"),
        "IncorrectInstanceStatus": (400, "the ECS instance is not Running or Stopped"),
        "ResourceNotAssociated": (400, "the instance is not associated with the HAVIP"),
        "Forbidden.UnassociateMaster": (400, "the instance is the master and Force is not True"),
        "OperationFailed.DistibuteLock": (400, "distributed lock failed (not produced by state)"),
        "Forbidden.HaVip": (400, "no permission on the HAVIP (not produced by state)"),
        "IdempotentParameterMismatch": (400, "ClientToken reused with other parameters"),
    },
    "vpc:DescribeHaVips": {},
    "ens:AssociateEnsEipAddress": {
        "RegionAccessDenied": (400, "the caller may not use the node (not produced by state)"),
        "InstanceNotFound": (400, "the instance of InstanceType does not exist"),
        "ens.interface.error": (400, "internal call failed (not produced by state)"),
        "Invalid%s": (400, "a parameter value is not accepted"),
        "Missing%s": (400, "a required parameter is absent"),
        "IncorrectEipStatus": (400, "the EIP is not Available (busy, bound or locked)"),
    },
    "ens:UnAssociateEnsEipAddress": {
        "InstanceNotFound": (400, "the bound instance does not exist (not produced by state)"),
        "Invalid%s": (400, "a parameter value is not accepted"),
        "Missing%s": (400, "a required parameter is absent"),
        "IncorrectEipStatus": (400, "the EIP is not InUse"),
        "EipNotFound": (400, "the EIP does not exist"),
        "IncorrectEipIpStatus": (400, "the EIP's IP status is invalid (not produced by state)"),
        "InvalidUnAssociation.UnAssociateStandbyEipFist": (400, "the instance still has a standby EIP"),
        "ens.interface.error": (400, "internal call failed (not produced by state)"),
        "InvalidIpStatus.HasBeenUsedByForwardEntry": (400, "a DNAT entry uses the EIP (not in the seed)"),
        "InvalidIpStatus.HasBeenUsedBySnatTable": (400, "an SNAT entry uses the EIP and Force is not true"),
        "NoPermission": (400, "the caller may not do this (not produced by state)"),
        "InvalidParameter.%s": (400, "a field value is invalid"),
    },
    "ens:DescribeEnsEipAddresses": {},
}

MESSAGES = {
    "vpc:AssociateEipAddressBatch": {
        "InvalidAllocationId.NotFound": "Specified allocation ID is not found.",
        "InvalidInstanId.NotFound": "Specified instance does not exist.",
        "InvalidAssociation.Duplicated": "Specified instance already is associated.",
        "IncorrectEipStatus": "Current elastic IP status does not support this operation",
        "InvalidEIPStatus.BizDisabled": "The EIP has been locked.",
        "InvalidInstanceType.ValueNotSupported": "The specified value of InstanceType is not supported.",
        "InvalidParameter.InstanceTypeNotSupport": "The specified instance type is not support.",
        "InvalidParameter.Mismatch": "Specified elastic IP address and ECS instance are not in the same region.",
        "QuotaExceeded.NumberOfEip": "Binded eip Quota exceed on this NatGw.",
        "InvalidEip.EipQuotaExceeded": "The specified eni assigned eip is more than privateIp.",
        "OperationFailed.EipBindModeConflict": "Eips can not bind Eni with NAT mode and MULTI_BINDED mode at the "
                                               "same time.",
        "InvalidParameter": "The specified parameter is not valid.",
    },
    "vpc:AssociateHaVip": {
        "InvalidHaVipId.NotFound": "The specified HaVip does not exist in the specified region.",
        "InvalidInstanceId.NotFound": "The specified Instance does not exist in the specified region.",
        "IncorrectHaVipStatus": "HaVip can be operated by this action only when it's status is Available or InUse.",
        "IncorrectInstanceStatus": "ECS instance can be operated by this action only when it's status is Running "
                                   "or Stopped.",
        "NotBelongToSameVSwitch": "The specified HaVip and ECS Instance do not belong to same VSwitch.",
        "CountLimitExceeded.HaVipOnECSInstance": "The amount of Instance associated with the specified HaVip "
                                                 "reach its limits.",
        "CountLimitExceed.HaVipOnInstance": "The amount of HaVip associated with the specified Instance reach its "
                                            "limits.",
    },
    "vpc:UnassociateHaVip": {
        "IncorrectHaVipStatus": "HaVip can be operated by this action only when it's status is InUse.",
        "ResourceNotAssociated": "The HaVip and ECS instance are not associated.",
        "Forbidden.UnassociateMaster": "Unassociating a master instance is not allowed unless the parameter Force "
                                       "is True.",
    },
    "ens:AssociateEnsEipAddress": {
        "InstanceNotFound": "The input parameter instancdId that is not found.",
        "IncorrectEipStatus": "The current status of the resource does not support this operation.",
    },
    "ens:UnAssociateEnsEipAddress": {
        "EipNotFound": "The input parameter allocationId that is not found.",
        "IncorrectEipStatus": "The current status of the resource does not support this operation.",
        "InvalidUnAssociation.UnAssociateStandbyEipFist": "Unassociate standby eip first.",
        "InvalidIpStatus.HasBeenUsedBySnatTable": "The eip has been used by snat.",
    },
}

GATEWAY_PARAMETER_ERRORS = "Missing<Name> / Invalid<Name>: the gateway's parameter errors (README.md)"

ASSUMED_ERRORS = {
    "vpc:AssociateEipAddressBatch": {
        "MissingRegionId": (400, GATEWAY_PARAMETER_ERRORS),
        "MissingBindedInstanceId": (400, GATEWAY_PARAMETER_ERRORS),
        "MissingBindedInstanceType": (400, GATEWAY_PARAMETER_ERRORS),
        "MissingInstanceIds": (400, GATEWAY_PARAMETER_ERRORS),
    },
    "vpc:AssociateHaVip": {
        "InvalidParameter": (400, "instance already a member, or ECS and ENI members mixed: the page names no "
                                  "code; InvalidParameter is VPC's generic code for a request that cannot apply"),
        "InvalidInstanceType": (400, GATEWAY_PARAMETER_ERRORS),
        "MissingRegionId": (400, GATEWAY_PARAMETER_ERRORS),
        "MissingHaVipId": (400, GATEWAY_PARAMETER_ERRORS),
        "MissingInstanceId": (400, GATEWAY_PARAMETER_ERRORS),
    },
    "vpc:UnassociateHaVip": {
        "InvalidInstanceType": (400, GATEWAY_PARAMETER_ERRORS),
        "InvalidForce": (400, GATEWAY_PARAMETER_ERRORS),
        "MissingRegionId": (400, GATEWAY_PARAMETER_ERRORS),
        "MissingHaVipId": (400, GATEWAY_PARAMETER_ERRORS),
        "MissingInstanceId": (400, GATEWAY_PARAMETER_ERRORS),
    },
    "vpc:DescribeHaVips": {
        "InvalidParameter": (400, "unknown filter key, or more than 5 filters / values: the page lists no errors"),
        "InvalidPageSize": (400, GATEWAY_PARAMETER_ERRORS + "; PageSize above the documented 50"),
        "InvalidPageNumber": (400, GATEWAY_PARAMETER_ERRORS),
        "MissingRegionId": (400, GATEWAY_PARAMETER_ERRORS),
    },
    "ens:AssociateEnsEipAddress": {
        "EipNotFound": (400, "unknown AllocationId: the page's table is cut off; EipNotFound is the code "
                             "UnAssociateEnsEipAddress documents for the same situation"),
        "InvalidParameter.%s": (400, "instance on another node than the EIP, or the instance already holds an "
                                     "EIP (a standby one with Standby=true): ENS's documented field error "
                                     "(UnAssociateEnsEipAddress page)"),
    },
    "ens:UnAssociateEnsEipAddress": {},
    "ens:DescribeEnsEipAddresses": {
        "Invalid%s": (400, "PageSize above 100, more than 50 IDs or addresses, unknown Status: ENS's "
                           "documented parameter error"),
    },
}

STATUSES = {
    "vpc:AssociateEipAddressBatch": ("Associating", "InUse", "Available", "Unassociating", "Releasing"),
    "vpc:AssociateHaVip": ("Creating", "Available", "InUse", "Deleting", "Associating", "Unassociating"),
    "vpc:UnassociateHaVip": ("Creating", "Available", "InUse", "Deleting", "Associating", "Unassociating"),
    "vpc:DescribeHaVips": ("Creating", "Available", "InUse", "Deleting", "Associating", "Unassociating"),
    "ens:AssociateEnsEipAddress": ("Associating", "Unassociating", "InUse", "Available"),
    "ens:UnAssociateEnsEipAddress": ("Associating", "Unassociating", "InUse", "Available"),
    "ens:DescribeEnsEipAddresses": ("Associating", "Unassociating", "InUse", "Available"),
}

LIMITS = {
    "vpc:AssociateEipAddressBatch": {"InstanceIds": (1, 50)},
    "vpc:AssociateHaVip": {"InstanceOnHaVip": 2, "HaVipOnInstance": 5},  # the second: assumption
    "vpc:DescribeHaVips": {"PageSize": (1, 50), "Filter": 5, "Filter.Value": 5},
    "ens:DescribeEnsEipAddresses": {"PageSize": (1, 100), "AllocationId": 50, "EipAddress": 50},
}


def known_code(key, code):
    """(http_status, 'documented'|'assumed') for ``code`` of action ``key``, or None."""
    for kind, table in (("documented", DOCUMENTED_ERRORS), ("assumed", ASSUMED_ERRORS)):
        for pattern, (status, _) in table.get(key, {}).items():
            if re.fullmatch(re.escape(pattern).replace("%s", r"\w+"), code):
                return status, kind
    return None
