"""What Alibaba Cloud's published API reference says, as data: the emulator's one source of truth.

For each action the emulator serves: the reference page, the documented error codes (HTTP status, the
message the service sends, what it means in our words), the status values, and the documented limits.
``REFERENCE.md`` holds these tables, generated (``PYTHONPATH=tests python -m emulator.reference --write``;
a test keeps the two equal). Every table is keyed ``"<product>:<Action>"`` (``key("ens", "AssociateHaVip")``):
VPC and ENS both have AssociateHaVip, UnassociateHaVip and DescribeHaVips, and each has its own page. Handlers
raise errors only through ``error(key, code)`` (``call.error(code)``), which knows two sets:

- ``DOCUMENTED_ERRORS``: codes the action's page lists. The ``error`` fault may inject any of them.
- ``ASSUMED_ERRORS``: codes the emulator answers where the page is silent or could not be read in full,
  each with the reason. Never a code the page names otherwise.

Codes with ``%s`` (ENS ``Invalid%s``, ``Missing%s``, ``InvalidParameter.%s``) are patterns: ``InvalidPageSize``
matches ``Invalid%s``. A bare action name is accepted where only one product serves it (``"AssumeRole"``).
Other parts of the project (module tests) import this module: keep names stable.
"""
import re
from collections import namedtuple

from .errors import ApiError

HttpCodeAndMeaning = namedtuple("HttpCodeAndMeaning", "http_status messages meaning")
Assumed = namedtuple("Assumed", "http_status messages reason")

VPC_DOCS = "https://www.alibabacloud.com/help/en/vpc/developer-reference/"
ENS_DOCS = "https://www.alibabacloud.com/help/en/ens/developer-reference/"
PAGES = {
    "vpc:AssociateEipAddress": VPC_DOCS + "api-vpc-2016-04-28-associateeipaddress",
    "vpc:UnassociateEipAddress": VPC_DOCS + "api-vpc-2016-04-28-unassociateeipaddress",
    "vpc:DescribeEipAddresses": VPC_DOCS + "api-vpc-2016-04-28-describeeipaddresses",
    "ens:AssociateHaVip": ENS_DOCS + "api-ens-2017-11-10-associatehavip",
    "ens:UnassociateHaVip": ENS_DOCS + "api-ens-2017-11-10-unassociatehavip",
    "ens:DescribeHaVips": ENS_DOCS + "api-ens-2017-11-10-describehavips",
    "sts:AssumeRole": "https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerole",
    "ecs:metadata": "https://www.alibabacloud.com/help/en/ecs/user-guide/obtain-a-temporary-authorization-token",
    # The actions of issues 14 and 16.
    "vpc:AssociateEipAddressBatch": "https://www.alibabacloud.com/help/en/vpc/api-associateeipaddressbatch",
    "vpc:AssociateHaVip": VPC_DOCS + "api-vpc-2016-04-28-associatehavip",
    "vpc:UnassociateHaVip": VPC_DOCS + "api-vpc-2016-04-28-unassociatehavip",
    "vpc:DescribeHaVips": VPC_DOCS + "api-vpc-2016-04-28-describehavips",
    "ens:AssociateEnsEipAddress": ENS_DOCS + "api-ens-2017-11-10-associateenseipaddress",
    "ens:UnAssociateEnsEipAddress": ENS_DOCS + "api-ens-2017-11-10-unassociateenseipaddress",
    "ens:DescribeEnsEipAddresses": ENS_DOCS + "api-ens-2017-11-10-describeenseipaddresses",
}
# Where an error table was read from another page than PAGES[action]: action -> (url, what that page is).
# (UnassociateEipAddress and DescribeEipAddresses: read from public markdown copies of their pages, the
# 2023-07-31 and 2026-02-27 revisions.)
ERROR_TABLE_SOURCES = {
    "sts:AssumeRole": (
        "https://www.alibabacloud.com/help/doc-detail/42775.htm",
        "Alibaba's list of common AssumeRole errors (codes and messages, no HTTP status)"),
    # Every stored copy of these actions' own pages was cut off before or inside the error table.
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
    "ens:AssociateEnsEipAddress": (
        "https://help.aliyun.com/zh/ens/developer-reference/api-ens-2017-11-10-associateenseipaddress",
        "the Chinese page, its table cut off after IncorrectEipStatus"),
}


def _doc(status, *messages, meaning=""):
    return HttpCodeAndMeaning(status, tuple(messages), meaning)


ENS_COMMON = {
    "Invalid%s": _doc(400, "The specified parameter %s is invalid.", meaning="a parameter value is not accepted"),
    "Missing%s": _doc(400, "You must specify the parameter %s.", meaning="a required parameter is absent"),
    "SystemError": _doc(400, "Interface call error, please re-match, or contact the product.",
                        meaning="server-side failure; nothing changed"),
    "NoPermission": _doc(400, "Permission denied.", meaning="the caller may not do this"),
}

DOCUMENTED_ERRORS = {
    "vpc:AssociateEipAddress": {
        "InvalidAssociation.Duplicated": _doc(400, "Specified instance already is associated.",
                                              meaning="the instance (or the EIP) already has an association"),
        "OperationDenied": _doc(400, "Specified instance is not in VPC.", "Eip of default vpc not allow this operation",
                                meaning="classic-network instance, or an EIP of a default VPC"),
        "InvalidParameter.Mismatch": _doc(400, "Specified elastic IP address and ECS instance are not in the same "
                                               "region.", meaning="EIP and instance are in different regions"),
        "IncorrectEipStatus": _doc(400, "Current elastic IP status does not support this operation",
                                   meaning="the EIP's status forbids the change (busy or releasing)"),
        "IncorrectInstanceStatus": _doc(400, "Current instance status does not support this operation.",
                                        meaning="the instance's status forbids the change"),
        "InvalidInstanceType.ValueNotSupported": _doc(400, "The specified value of InstanceType is not supported.",
                                                      meaning="InstanceType is not one of the six values"),
        "IncorrectHaVipStatus": _doc(400, "HaVip can be operated by this action only when it's status is Available "
                                          "or InUse.", meaning="target HAVIP is neither Available nor InUse"),
        "InvalidParameter": _doc(400, "The specified parameter is not valid.", meaning="a parameter value is wrong"),
        "TaskConflict": _doc(400, "The eip operate too frequent, TaskConflict.",
                             meaning="another task on the EIP is running"),
        "InvalidBindingStatus": _doc(400, "The eip binding status invalid.", meaning="binding state does not allow it"),
        "BIND_INSTANCE_HAVE_PORTMAP_OR_BIND_EIP": _doc(400, "The instance may have portMap or already bind eip."),
        "EIP_CAN_NOT_ASSOCIATE_WITH_PUBLIC_IP": _doc(400, "instance already bind natpublicip,cannot bind eip."),
        "BIND_INSTANCE_OWENER_ERROR": _doc(400, "Cannot operate the eip."),
        "NATGATEWAY_FINANCIALLOCKED": _doc(400, "The NatGateway has expire, cannot do bind operation."),
        "InvalidParameter.InstanceTypeNotSupport": _doc(400, "The specified instance type is not support.",
                                                        meaning="InstanceType does not fit the instance"),
        "QuotaExceeded.NumberOfTrafficEip": _doc(400, "The number of traffic eip on natgw exceed limitation."),
        "QuotaExceeded.NumberOfEip": _doc(400, "Binded eip Quota exceed on this NatGw.",
                                          meaning="the NAT gateway holds its maximum of EIPs"),
        "Forbidden.EipCanNotBindGatgw": _doc(400, "Eip can not bind on natgw."),
        "InvalidAction.Denied": _doc(400, "Action is denied due to unfinished Eip configuration modification."),
        "InstanceType.NotSupport": _doc(400, "The instance type is invalid."),
        "InvalidParams.NotFound": _doc(400, "instance not found"),
        "BindInstance.NotSupported": _doc(400, "bind instance type %s is not supported."),
        "Forbidden.InstanceBandwidthNotZero": _doc(400, "Eip can not bind with instance when it's bandwidth is not "
                                                        "zero."),
        "INSTANCE_TYPE_NOT_SUPPORT": _doc(400, "The instance type is invalid."),
        "ServerRegion.Invalid": _doc(400, "Eip bind remote server region invalid."),
        "Eni.Attached": _doc(400, "The eni should be detached from ecs when associating with direct eip."),
        "Eni.HasSubIp": _doc(400, "Eni has sub ip can not bind direct eip."),
        "Invalid.DirectEip.BindType": _doc(400, "The direct eip can be only associated with eni."),
        "InvalidStatus.EcsStatusNotSupport": _doc(400, "The special instance status is not support operate"),
        "Invalid.Function.NotSupported": _doc(400, "Multi-IP function is under test, the region or uid is not "
                                                   "supported."),
        "InvalidStatus.EniStatusNotSupport": _doc(400, "%s"),
        "InvalidParameter.EniInstanceId": _doc(400, "%s", meaning="the ENI cannot take an EIP (a primary ENI)"),
        "InvalidNexthop.DirectEni": _doc(400, "The direct Eni cannot be nexthop."),
        "Mode.Conflict": _doc(400, "The eni can bind only one mode of eip."),
        "Mode.NotSupport": _doc(400, "The user cannot use multi direct eip."),
        "QuotaExceed.MultiBindedEip": _doc(400, "The number of multi binded eip is over limit."),
        "InvalidEIPStatus.BizDisabled": _doc(400, "The EIP has been locked.", meaning="the EIP has an operation lock"),
        "OperationFailed.EniSubIp": _doc(400, "Eni has sub ip can not bind direct eip."),
        "InvalidEip.EipQuotaExceeded": _doc(400, "The specified eni assigned eip is more than privateIp."),
        "OperationFailed.QueryCommodityInfo": _doc(400, "Operation failed because quey commodity info error."),
        "OperationUnsupported.MultiIp": _doc(400, "Multi ip function is not support."),
        "InvalidNicOrVm.NotFound": _doc(400, "Bind nic or vm not exist."),
        "OperationUnsupported.EipBindModel": _doc(400, "The instance type of ecs does not support MULTI_BINDED model "
                                                       "Eip."),
        "IncorrectStatus.NatGateway": _doc(400, "%s"),
        "EipBindRemote.BackendRegionMustBeSingle": _doc(400, "eip bind remote instance, backend region must be "
                                                             "single"),
        "InvalidParameter.BindingInstanceRegion": _doc(400, "The specified BindingInstanceRegion is not supported."),
        "OperationFailed.HavipBoundPortmap": _doc(400, "%s"),
        "IllegalParam.Mode": _doc(400, "%s", meaning="Mode is wrong or given for a non-ENI target"),
        "InvalidStatus.NotAllow": _doc(400, "Bind instance status invalid"),
        "InvalidInstance.NotExist": _doc(400, "Bind instance data not exist"),
        "InvalidBandwidthPackageId.NotFound": _doc(400, "The specified BandwidthPackageId not exist."),
        "ResourceQueryError": _doc(400, "The specified resource is queried error."),
        "InvalidStatus.InstanceHasBandWidth": _doc(400, "The specified instance bandwidth invalid."),
        "OperationDenied.CloudBoxResourceExist": _doc(400, "The operation is not allowed because there are resources "
                                                           "related to the cloud box in VPC."),
        "OperationDenied.CloudBoxVSwitchExist": _doc(400, "The operation is not allowed because a cloud box type "
                                                          "vSwitch exists in VPC."),
        "OperationDenied.NoAvailablePrivateIp": _doc(400, "The operation is failed because of vSwitch has not "
                                                          "availalbe private ip"),
        "UnsupportedRegion": _doc(400, "%s"),
        "ResourceAlreadyAssociated.IpAddress": _doc(400, "%s"),
        "OperationFailed.Ipv4GatewayNotOpenedInVpc": _doc(400, "The operation is failed because Ipv4Gateway is not "
                                                               "opened in Vpc.",
                                                          meaning="IpAddress target: the VPC's IPv4 gateway is off"),
        "OperationFailed.Ipv4GatewayNotActivatedInVpc": _doc(400, "The operation is failed because Ipv4Gateway is "
                                                                  "not activated in Vpc."),
        "OperationDenied.L2EipBindIpAddress": _doc(400, "%s"),
        "Forbidden": _doc(400, "The eip instance owner error", meaning="the EIP is not the caller's"),
        "Forbidden.FinancialLocked": _doc(400, "The ip business status is invalid.", meaning="overdue payment"),
        "UnsupportedFeature.EipBindIpAddress": _doc(400, "The feature of EipBindIpAddress is not supported."),
        "OperationFailed.InstanceNotExist": _doc(400, "The ECS instance does not exist, or is not a VPC VM."),
        "OperationDenied.Ipv4GatewayExist": _doc(400, "The operation is not allowed because of Ipv4GatewayExist."),
        "OperationFailed.EipBindModeConflict": _doc(400, "Eips can not bind Eni with NAT mode and MULTI_BINDED mode "
                                                         "at the same time."),
        "OperationFailed.EcsMigrating": _doc(400, "The operation is failed because of ECS is migrating.",
                                             meaning="the ECS instance is being migrated"),
        "OperationFailed.IpPrefixConflict": _doc(400, "The operation failed due to the IP prefix of the ENI."),
        "UnsupportedFeature.EipBindPrefixIp": _doc(400, "The feature of EipBindPrefixIp is not supported."),
        "OperationDenied.UnsupportedEipBindMode": _doc(400, "The operation is not supported for the NAT gateway due "
                                                            "to its EIP binding mode."),
        "OperationDenied.Unauthorized": _doc(400, "The operation is not allowed because the user is not in the "
                                                  "whitelist."),
        "OperationFailed.SystemBusy": _doc(400, "Operation failed because system is busy.",
                                           meaning="busy; try again later"),
        "InvalidAllocationId.NotFound": _doc(404, "Specified allocation ID is not found.",
                                             meaning="no such EIP (in this region)"),
        "InvalidInstanId.NotFound": _doc(404, "Specified instance does not exist.",
                                         meaning="no such instance (the code is spelled so)"),
        "InvalidRegionId.NotFound": _doc(404, "Specified value of InstanceRegionId is not supported."),
        "Forbidden.RegionNotFound": _doc(404, "Specified instance is not found during access authentication."),
        "OperationDenied.VpcIpv4GatewayEnabled": _doc(404, "The operation is not allowed because of the VPC of the "
                                                           "NAT gateway has opened IPv4 Gateway."),
        "ServiceUnavailable": _doc(503, "The request has failed due to a temporary failure of the server.",
                                   meaning="temporary server failure"),
    },
    "vpc:UnassociateEipAddress": {
        "IncorrectEipStatus": _doc(400, "Current elastic IP status does not support this operation.",
                                   meaning="the EIP is not InUse, or busy"),
        "InvalidInstanceId.NotFound": _doc(400, "Specified instance does not exist.",
                                           meaning="no such instance (note: 400, and spelled unlike Associate's)"),
        "IncorrectInstanceStatus": _doc(400, "The current status of instance does not support this operation.",
                                        meaning="the instance's status forbids the change"),
        "InvalidInstanceType.ValueNotSupported": _doc(400, "The specified value of InstanceType is not supported.",
                                                      meaning="InstanceType is not one of the documented values"),
        "IncorrectHaVipStatus": _doc(400, "This operation is denied because satus of the specified HaVip is neither "
                                          "Available nor InUse.", meaning="bound HAVIP is busy"),
        "OperationDenied": _doc(400, "Eip of default vpc not allow this operation", meaning="EIP of a default VPC"),
        "InvalidParameter": _doc(400, "The specified parameter is not valid.",
                                 meaning="a parameter does not match the EIP's association"),
        "TaskConflict": _doc(400, "The eip operate too frequent, TaskConflict.", meaning="another task on the EIP"),
        "InvalidBindingStatus": _doc(400, "The eip binding status invalid.", meaning="binding state does not allow it"),
        "Forbidden.FinancialLocked": _doc(400, "The ip business status is invalid.", meaning="overdue payment"),
        "InvalidIpStatus.HasBeenUsedBySnatTable": _doc(400, "The removed ip address has been used by snat table.",
                                                       meaning="a NAT gateway SNAT entry uses the EIP (see Force)"),
        "InvalidIpStatus.HasBeenUsedByForwardEntry": _doc(400, "The specified address has been used by forwardTable.",
                                                          meaning="a NAT gateway DNAT entry uses the EIP (see Force)"),
        "Eni.Attached": _doc(400, "The eni should be detached from ecs when associating with direct eip."),
        "InvalidEIPStatus.BizDisabled": _doc(400, "The EIP has been locked.", meaning="the EIP has an operation lock"),
        "InvalidStatus.EcsStatusNotSupport": _doc(400, "The special instance status Pending is not support operate",
                                                  meaning="the ECS instance is in a status that forbids it"),
        "InvalidStatus.EniStatusNotSupport": _doc(400, "%s"),
        "InvalidStatus.SnatOrDnat": _doc(400, "Operation failed because snat or dnat in unstable status.",
                                         meaning="an SNAT/DNAT entry is changing: busy"),
        "DependencyViolation.SnatEntry": _doc(400, "The specified eip is in ip pool.",
                                              "The specified resource of Snat depends on Eip, so the operation cannot "
                                              "be completed.", meaning="an SNAT entry depends on the EIP"),
        "InvalidStatus.NotAllow": _doc(400, "Bind instance status invalid", meaning="bound instance's status"),
        "Forbidden": _doc(400, "The eip instance owener error", meaning="the EIP is not the caller's"),
        "InvalidLoadBalancerId.NotFound": _doc(400, "LoadBalancerId does not exist.", meaning="no such CLB"),
        "OperationFailed.SystemBusy": _doc(400, "Operation failed because system is busy.",
                                           meaning="busy; try again later"),
        "InvalidAllocationId.NotFound": _doc(404, "Specified allocation ID is not found.",
                                             "Specified allocation ID is not found",
                                             meaning="no such EIP (in this region)"),
        "InvalidBindInstance.NotFound": _doc(404, "The specified bind instance does not exist."),
        "Forbidden.RegionNotFound": _doc(404, "Specified region is not found during access authentication.",
                                         meaning="unknown region"),
    },
    "vpc:DescribeEipAddresses": {
        "InvalidIAssociatedInstanceType.ValueNotSupported": _doc(
            400, "The specified value of AssociatedInstanceType is not supported.",
            meaning="AssociatedInstanceType is not a documented type (the code is spelled so)"),
        "InvalidChargeType.ValueNotSupported": _doc(400, "The specified ChargeType is not supported.",
                                                    meaning="ChargeType is neither PostPaid nor PrePaid"),
        "InvalidAliuid": _doc(400, "User Id is not valid."),
        "InvalidResourceGroupId": _doc(400, "The specified ResourceGroupId does not exist.",
                                       meaning="unknown resource group"),
        "InstanceType.Invalid": _doc(400, "InstanceType is not null"),
        "InstanceIdLength.Exceed": _doc(400, "InstanceId length is exceed",
                                        meaning="too many IDs in the AllocationId list"),
        "InvalidTagKey": _doc(400, "The tag keys are not valid.", meaning="bad tag key"),
        "InvalidTagValue": _doc(400, "The tag values are not valid.", meaning="bad tag value"),
        "OperationUnsupported.ResourceGroupId": _doc(400, "ResourceGroup is not supported in this region."),
        "IellgalParameter.OwnerAccount": _doc(400, "The specified parameter OwnerAccount is not valid.",
                                              meaning="bad OwnerAccount (the code is spelled so)"),
        "InvalidFilterValue": _doc(404, "The specified FilterValue is not supported.", meaning="bad Filter value"),
        "Forbidden.RegionNotFound": _doc(404, "Specified region is not found during access authentication.",
                                         meaning="unknown region"),
        "InvalidFilterKey.NotFound": _doc(404, "The specified Filterkey is not supported.", meaning="bad Filter key"),
        "InvalidLockReason.NotFound": _doc(404, "The specified LockReason is not found",
                                           meaning="LockReason is neither financial nor security"),
    },
    "ens:AssociateHaVip": {
        "InstanceNotFound": _doc(400, "The input parameter instancdId that is not found.",
                                 meaning="no such ENS instance (message spelled so)"),
        **{k: ENS_COMMON[k] for k in ("Invalid%s", "Missing%s")},
        "HaVipNotFound": _doc(400, "The input parameter haVipId that is not found.", meaning="no such HAVIP"),
        "IncorrectHaVipStatus": _doc(400, "The status of the haVip is invalid.",
                                     meaning="HAVIP is neither Available nor InUse"),
        "SystemError": ENS_COMMON["SystemError"],
        "InstanceAlreadyAssociated": _doc(400, "The instance is already bound.",
                                          meaning="this instance is already a member"),
        "IncorrectNetworkInterfaceStatus": _doc(400, "The operation could not be completed because the status of the "
                                                     "specified network interface is invalid for this action.",
                                                meaning="ENI status forbids it"),
        "NetworkInterfaceNotFound": _doc(400, "The specified network interface does not exist.", meaning="no such ENI"),
        "NetworkInterfaceTypeNotSupported": _doc(400, "This network interface type cannot be used with the current "
                                                      "operation.", meaning="ENI of a type that cannot take a HAVIP"),
        "IncorrectInstanceVSwitch": _doc(400, "The binding instance must be under the same VSwitch.",
                                         meaning="instance and HAVIP on different vSwitches"),
        "IncorrectInstanceStatus": _doc(400, "The current status of the instance does not support this operation.",
                                        meaning="ENS instance neither Running nor Stopped"),
        "CountLimitExceed.HaVipOnInstance": _doc(400, "The amount of HaVip associated with the specified Instance "
                                                      "reach its limits.", meaning="instance holds its maximum"),
        "CountLimitExceed.InstanceOnHaVip": _doc(400, "The number of instances bound to HaVip has reached the limit.",
                                                 meaning="HAVIP holds its maximum"),
        "NoPermission": ENS_COMMON["NoPermission"],
        "InvalidParameter.%s": _doc(400, "The specified field %s invalid. Please check it again.",
                                    meaning="a field is invalid"),
    },
    "ens:UnassociateHaVip": {
        "InstanceNotFound": _doc(400, "The input parameter instancdId that is not found.",
                                 meaning="no such ENS instance or ENI"),
        **{k: ENS_COMMON[k] for k in ("Invalid%s", "Missing%s", "SystemError")},
        "HaVipNotFound": _doc(400, "The input parameter haVipId that is not found.", meaning="no such HAVIP"),
        "InstanceNotAssociated": _doc(400, "The instance is not associated.",
                                      meaning="the instance is not a member: what was asked already holds"),
        "IncorrectInstanceAssociationStatus": _doc(400, "The status of the instance association is incorrect.",
                                                   meaning="the member's association is changing: busy"),
        "NoPermission": ENS_COMMON["NoPermission"],
    },
    "ens:DescribeHaVips": {},
    "sts:AssumeRole": {
        "NoPermission": _doc(403, "You are not authorized to do this action. You should be authorized by RAM.",
                             "Roles may not be assumed by root accounts.",
                             "No permission perform sts:AssumeRole on this Role.",
                             meaning="caller lacks the grant, is a root account, or the role does not trust it"),
        "MissingSecurityToken": _doc(400, "SecurityToken is mandatory for this action.",
                                     meaning="STS key used without its token"),
        "InvalidAccessKeyId.NotFound": _doc(404, "Specified access key is not found.", meaning="unknown key"),
        "InvalidAccessKeyId.Inactive": _doc(400, "Specified access key is disabled.", meaning="disabled key"),
        "InvalidParameter.PolicyGrammar": _doc(400, "The parameter Policy has not passed grammar check.",
                                               meaning="session policy is malformed"),
        "InvalidParameter.RoleSessionName": _doc(400, "The parameter RoleSessionName is wrongly formed.",
                                                 meaning="session name not 2-32 of [A-Za-z0-9.@_-]"),
        "InvalidParameter.DurationSeconds": _doc(400, "The Min/Max value of DurationSeconds is 15min/1hr.",
                                                 meaning="duration out of the allowed range"),
    },
    # "vpc:AssociateEipAddressBatch": below, AssociateEipAddress's entries (its page has the table).
    "vpc:AssociateHaVip": {
        "InvalidHaVipId.NotFound": _doc(404, "The specified HaVip does not exist in the specified region.",
                                        meaning="the HAVIP does not exist in RegionId"),
        "InvalidInstanceId.NotFound": _doc(404, "The specified Instance does not exist in the specified region.",
                                           meaning="the ECS instance / ENI does not exist in RegionId"),
        "IncorrectHaVipStatus": _doc(400, "HaVip can be operated by this action only when it's status is Available "
                                          "or InUse.", meaning="the HAVIP is not Available or InUse"),
        "IncorrectInstanceStatus": _doc(400, "ECS instance can be operated by this action only when it's status is "
                                             "Running or Stopped.", meaning="the ECS instance is not Running or Stopped"),
        "NotBelongToSameVSwitch": _doc(400, "The specified HaVip and ECS Instance do not belong to same VSwitch.",
                                       meaning="HAVIP and instance are on different vSwitches"),
        "CountLimitExceeded.HaVipOnECSInstance": _doc(400, "The amount of Instance associated with the specified "
                                                           "HaVip reach its limits.",
                                                      meaning="the HAVIP already has its maximum of instances"),
        "CountLimitExceed.HaVipOnInstance": _doc(400, "The amount of HaVip associated with the specified Instance "
                                                      "reach its limits.",
                                                 meaning="the instance already has its maximum of HAVIPs"),
        "InvalidVip.Status": _doc(400, "vip invalid status", meaning="vip invalid status (not produced by state)"),
        "IdempotentParameterMismatch": _doc(400, "Request uses a client token in a previous request but is not "
                                                 "identical to that request.",
                                            meaning="ClientToken reused with other parameters"),
    },
    "vpc:UnassociateHaVip": {
        "InvalidHaVipId.NotFound": _doc(404, "The specified HaVip does not exist in the specified region.",
                                        meaning="the HAVIP does not exist in RegionId"),
        "InvalidInstanceId.NotFound": _doc(404, "The specified Instance does not exist in the specified region.",
                                           meaning="the instance does not exist in RegionId"),
        "IncorrectHaVipStatus": _doc(400, "HaVip can be operated by this action only when it's status is InUse.",
                                     meaning="the HAVIP's status does not allow the change"),
        "IncorrectInstanceStatus": _doc(400, "ECS instance can be operated by this action only when it's status is "
                                             "Running or Stopped.", meaning="the ECS instance is not Running or Stopped"),
        "ResourceNotAssociated": _doc(400, "The HaVip and ECS instance are not associated.",
                                      meaning="the instance is not associated with the HAVIP"),
        "Forbidden.UnassociateMaster": _doc(400, "Unassociating a master instance is not allowed unless the parameter "
                                                 "Force is True.",
                                            meaning="the instance is the master and Force is not True"),
        "OperationFailed.DistibuteLock": _doc(400, "Distibute lock fail.",
                                              meaning="distributed lock failed (not produced by state)"),
        "Forbidden.HaVip": _doc(400, "No permissions to perform operations on HAV",
                                meaning="no permission on the HAVIP (not produced by state; the stored copy cuts "
                                        "the message off)"),
        "IdempotentParameterMismatch": _doc(400, "Request uses a client token in a previous request but is not "
                                                 "identical to that request.",
                                            meaning="ClientToken reused with other parameters"),
    },
    "vpc:DescribeHaVips": {},
    "ens:AssociateEnsEipAddress": {
        "RegionAccessDenied": _doc(400, "Could not operate this region's resource",
                                   meaning="the caller may not use the node (not produced by state)"),
        "InstanceNotFound": _doc(400, "The input parameter instancdId that is not found.",
                                 meaning="the instance of InstanceType does not exist"),
        "ens.interface.error": _doc(400, "An error occurred while call the API.",
                                    meaning="internal call failed (not produced by state)"),
        **{k: ENS_COMMON[k] for k in ("Invalid%s", "Missing%s")},
        "IncorrectEipStatus": _doc(400, "The current status of the resource does not support this operation.",
                                   meaning="the EIP is not Available (busy, bound or locked)"),
    },
    "ens:UnAssociateEnsEipAddress": {
        "InstanceNotFound": _doc(400, "The input parameter instancdId that is not found.",
                                 meaning="the bound instance does not exist (not produced by state)"),
        **{k: ENS_COMMON[k] for k in ("Invalid%s", "Missing%s")},
        "IncorrectEipStatus": _doc(400, "The current status of the resource does not support this operation.",
                                   meaning="the EIP is not InUse"),
        "EipNotFound": _doc(400, "The input parameter allocationId that is not found.", meaning="the EIP does not exist"),
        "IncorrectEipIpStatus": _doc(400, "The ip status of EIP is invalid.",
                                     meaning="the EIP's IP status is invalid (not produced by state)"),
        "InvalidUnAssociation.UnAssociateStandbyEipFist": _doc(400, "Unassociate standby eip first.",
                                                               meaning="the instance still has a standby EIP"),
        "ens.interface.error": _doc(400, "Failed to call API.", meaning="internal call failed (not produced by state)"),
        "InvalidIpStatus.HasBeenUsedByForwardEntry": _doc(400, "The eip has been used by dnat.",
                                                          meaning="a DNAT entry uses the EIP (not in the seed)"),
        "InvalidIpStatus.HasBeenUsedBySnatTable": _doc(400, "The eip has been used by snat.",
                                                       meaning="an SNAT entry uses the EIP and Force is not true"),
        "NoPermission": ENS_COMMON["NoPermission"],
        "InvalidParameter.%s": _doc(400, "The specified field %s invalid. Please check it again.",
                                    meaning="a field value is invalid"),
    },
    "ens:DescribeEnsEipAddresses": {},
}


def _as_associate_eip(code, meaning):
    """AssociateEipAddress's entry for ``code`` with the batch's ``meaning``: the batch's table is that page's."""
    return DOCUMENTED_ERRORS["vpc:AssociateEipAddress"][code]._replace(meaning=meaning)


DOCUMENTED_ERRORS["vpc:AssociateEipAddressBatch"] = {code: _as_associate_eip(code, meaning) for code, meaning in (
    ("InvalidAllocationId.NotFound", "an EIP of InstanceIds does not exist in RegionId"),
    ("InvalidInstanId.NotFound", "BindedInstanceId does not exist (the documented spelling)"),
    ("InvalidAssociation.Duplicated", "an EIP of InstanceIds is already associated"),
    ("IncorrectEipStatus", "an EIP is Associating, Unassociating or Releasing"),
    ("InvalidEIPStatus.BizDisabled", "an EIP is locked"),
    ("InvalidInstanceType.ValueNotSupported", "BindedInstanceType is not Nat or NetworkInterface"),
    ("InvalidParameter.InstanceTypeNotSupport", "BindedInstanceType does not fit the instance"),
    ("InvalidParameter.Mismatch", "instance and EIPs are in different regions"),
    ("InvalidParameter.EniInstanceId", "a primary ENI (only secondary ENIs take EIPs)"),
    ("InvalidParameter", "a parameter value is wrong (more than 50 or repeated InstanceIds)"),
    ("IllegalParam.Mode", "Mode is not MULTI_BINDED for an ENI, or given for a NAT gateway"),
    ("QuotaExceeded.NumberOfEip", "the NAT gateway would hold more EIPs than its quota"),
    ("InvalidEip.EipQuotaExceeded", "more EIPs than the ENI has free private IPs"),
    ("OperationFailed.EipBindModeConflict", "the ENI already has an EIP in another mode than MULTI_BINDED"),
    ("TaskConflict", "another task on the EIP is running"),
    ("OperationFailed.SystemBusy", "busy, try again"),
    ("ServiceUnavailable", "temporary server failure"),
)}

GATEWAY_MISSING = Assumed(400, ("%s is mandatory for this action.",),
                          "a required parameter is absent: no code on the page; the API gateway's Missing<Name> form")
GATEWAY_INVALID = Assumed(400, ("The specified parameter %s is not valid.",),
                          "a value outside what the page allows (type, range, list length, enumeration): no code on "
                          "the page; the gateway's Invalid<Name> form")
CLIENT_TOKEN_MISMATCH = Assumed(400, ("Request uses a client token in a previous request but is not identical to that "
                                      "request.",),
                                "ClientToken reused with other parameters: Alibaba's idempotency documentation, not "
                                "this page")

# Codes the emulator answers that the action's page does not list (or whose table was not readable), each
# with the reason. Tests assert these too, so a change of mind is one edit here.
ASSUMED_ERRORS = {
    "vpc:AssociateEipAddress": {
        "MissingParameter": Assumed(400, ("The input parameter VpcId that is mandatory for processing this request "
                                          "is not supplied.",),
                                    "InstanceType IpAddress without VpcId: the page says VpcId is then required "
                                    "but names no code; the gateway's generic missing-parameter code"),
        "InvalidVpcId.NotFound": Assumed(404, ("Specified VPC does not exist.",),
                                         "IpAddress with an unknown VpcId: not on the page; VPC's usual "
                                         "not-found form"),
        "IdempotentParameterMismatch": CLIENT_TOKEN_MISMATCH,
        "Missing%s": GATEWAY_MISSING,
    },
    "vpc:UnassociateEipAddress": {
        "IdempotentParameterMismatch": CLIENT_TOKEN_MISMATCH,
        "Missing%s": GATEWAY_MISSING,
        "Invalid%s": GATEWAY_INVALID,
    },
    "vpc:DescribeEipAddresses": {
        # More than the documented 50 EipAddress values, PageSize outside the documented 1..100, PageNumber
        # below 1, a Status that is not a documented value; RegionId missing.
        "Invalid%s": GATEWAY_INVALID,
        "Missing%s": GATEWAY_MISSING,
    },
    "ens:AssociateHaVip": {},
    "ens:UnassociateHaVip": {},
    "ens:DescribeHaVips": {
        "Invalid%s": Assumed(400, ("The specified parameter %s is invalid.",),
                             "bad PageSize/PageNumber/Status/EnsRegionIds: the page's error table was not readable; "
                             "every ENS page read documents Invalid%s for a bad value"),
    },
    "sts:AssumeRole": {
        "EntityNotExist.Role": Assumed(404, ("The role not exists: %s.",),
                                       "unknown role ARN: not in the readable list; RAM's entity-not-found form"),
        "Missing%s": GATEWAY_MISSING,
    },
    "vpc:AssociateEipAddressBatch": {
        "IdempotentParameterMismatch": CLIENT_TOKEN_MISMATCH,
        "Missing%s": GATEWAY_MISSING,
    },
    "vpc:AssociateHaVip": {
        "InvalidParameter": Assumed(400, ("The specified instance is already associated with the HaVip.",
                                          "An HaVip cannot be associated with ECS instances and ENIs at the same "
                                          "time."),
                                    "instance already a member, or ECS and ENI members mixed: the page names no "
                                    "code; InvalidParameter is VPC's generic code for a request that cannot apply"),
        "Invalid%s": GATEWAY_INVALID,
        "Missing%s": GATEWAY_MISSING,
    },
    "vpc:UnassociateHaVip": {
        "Invalid%s": GATEWAY_INVALID,
        "Missing%s": GATEWAY_MISSING,
    },
    "vpc:DescribeHaVips": {
        "InvalidParameter": Assumed(400, ("The specified parameter is not valid.",),
                                    "unknown filter key, or N / M of Filter.N.Value.M outside 1..5: the page lists no "
                                    "errors; VPC's generic code"),
        "Invalid%s": GATEWAY_INVALID,  # PageSize above the documented 50, PageNumber below 1
        "Missing%s": GATEWAY_MISSING,
    },
    "ens:AssociateEnsEipAddress": {
        "EipNotFound": Assumed(400, ("The input parameter allocationId that is not found.",),
                               "unknown AllocationId: the page's table is cut off; EipNotFound is the code "
                               "UnAssociateEnsEipAddress documents for the same situation"),
        "InvalidParameter.%s": Assumed(400, ("The specified field %s invalid. Please check it again.",),
                                       "instance on another node than the EIP, or the instance already holds an EIP "
                                       "(a standby one with Standby=true): ENS's documented field error "
                                       "(UnAssociateEnsEipAddress page)"),
    },
    "ens:UnAssociateEnsEipAddress": {},
    "ens:DescribeEnsEipAddresses": {
        "Invalid%s": Assumed(400, ("The specified parameter %s is invalid.",),
                             "PageSize above 100, more than 50 IDs or addresses, unknown Status: ENS's documented "
                             "parameter error"),
    },
}

# Answered for every action before the handler runs (signature, routing): Alibaba's common error codes.
GATEWAY_ERRORS = {
    "InvalidAccessKeyId.NotFound": 404, "SignatureDoesNotMatch": 400, "IncompleteSignature": 400,
    "InvalidTimeStamp.Expired": 400, "InvalidTimeStamp.Format": 400, "SignatureNonceUsed": 400,
    "InvalidSecurityToken.Malformed": 400, "InvalidSecurityToken.MismatchWithAccessKey": 400,
    "InvalidSecurityToken.Expired": 400, "InvalidAction.NotFound": 404, "InvalidVersion": 400,
    "MissingAction": 400, "MissingVersion": 400, "Throttling.User": 400,
}

STATUSES = {
    # DescribeEipAddresses page, Status parameter.
    "eip": ("Associating", "Unassociating", "InUse", "Available", "Releasing"),
    # ENS DescribeHaVips page and SDK model (DescribeHaVipsResponseBodyHaVips.status); the AssociateHaVip page
    # also names Associating for the HAVIP while it is being associated (see REFERENCE.md, Assumptions).
    "havip": ("Creating", "Available", "InUse", "Deleting"),
    "havip_reported": ("Creating", "Available", "InUse", "Deleting", "Associating", "Unassociating"),
    # SDK model DescribeHaVipsResponseBodyHaVipsAssociatedInstances.status.
    "havip_member": ("Associating", "InUse", "Unassociating"),
    # VPC DescribeHaVips: the SDK model's four, plus Associating / Unassociating (the Associate/Unassociate pages).
    "vpc_havip": ("Creating", "Available", "InUse", "Deleting", "Associating", "Unassociating"),
    # ENS DescribeEnsEipAddresses page, Status parameter.
    "ens_eip": ("Associating", "Unassociating", "InUse", "Available"),
}
# Statuses that pass by themselves; None = the resource is gone afterwards.
TRANSIENT = {
    "eip": {"Associating": "InUse", "Unassociating": "Available", "Releasing": None},
    "havip": {"Creating": "Available", "Deleting": None},
    # A member's Associating/Unassociating pass after the emulator's transition time (InUse / removed).
}

LIMITS = {
    "vpc:DescribeEipAddresses": {"AllocationId": 50, "EipAddress": 50, "PageSize": (1, 100, 10), "PageNumber_default": 1},
    "ens:DescribeHaVips": {"EnsRegionIds": 100, "PageSize": (1, 100, 10), "PageNumber_default": 1},
    "sts:AssumeRole": {"DurationSeconds": (900, 43200, 3600)},
    "vpc:AssociateEipAddressBatch": {"InstanceIds": 50},
    # InstanceOnHaVip: "at most two ECS instances" (page); HaVipOnInstance: no page gives it (assumption).
    "vpc:AssociateHaVip": {"InstanceOnHaVip": 2, "HaVipOnInstance": 5},
    "vpc:DescribeHaVips": {"PageSize": (1, 50, 10), "Filter": 5, "Filter.Value": 5},
    "ens:DescribeEnsEipAddresses": {"AllocationId": 50, "EipAddress": 50, "PageSize": (1, 100, 10)},
}


# Every table is keyed "<product>:<Action>" (product: vpc, ens, sts), because VPC and ENS both have
# AssociateHaVip, UnassociateHaVip and DescribeHaVips. ``key(product, action)`` builds one.
ACTIONS = tuple(DOCUMENTED_ERRORS)
# The six actions of the two modules (issue 11); sts:AssumeRole is the credentials chain's.
MODULE_ACTIONS = ("vpc:AssociateEipAddress", "vpc:UnassociateEipAddress", "vpc:DescribeEipAddresses",
                  "ens:AssociateHaVip", "ens:UnassociateHaVip", "ens:DescribeHaVips")
# The actions of issues 14 and 16 (vpc_batch.py, vpc_havip.py, ens_eip.py).
NEW_ACTIONS = ("vpc:AssociateEipAddressBatch", "vpc:AssociateHaVip", "vpc:UnassociateHaVip", "vpc:DescribeHaVips",
               "ens:AssociateEnsEipAddress", "ens:UnAssociateEnsEipAddress", "ens:DescribeEnsEipAddresses")


def key(product, action):
    """The tables' key for ``action`` of ``product``: ``key("ens", "AssociateHaVip") == "ens:AssociateHaVip"``."""
    return f"{product}:{action}"


def resolve(action):
    """The key for ``action``: a key is kept; a bare name must be one only one product serves (else KeyError)."""
    if action in DOCUMENTED_ERRORS:
        return action
    keys = [k for k in ACTIONS if k.partition(":")[2] == action]
    if len(keys) != 1:
        raise KeyError(f"{action!r} names {'several actions: ' + ', '.join(keys) if keys else 'no action'} in "
                       f"emulator/reference.py; use a key such as {key('ens', 'AssociateHaVip')!r}")
    return keys[0]


def concrete(code, name="InstanceId"):
    """A code as the service sends it: a pattern's ``%s`` filled with a name (Invalid%s -> InvalidInstanceId)."""
    return code.replace("%s", name)


def documented_codes(actions=MODULE_ACTIONS):
    """[(action, code as sent)] for every documented code of ``actions``: what tests parametrise over."""
    return [(action, concrete(code)) for action in actions for code in DOCUMENTED_ERRORS[action]]


# ---- lookups -------------------------------------------------------------------------------------
def _match(table, code):
    """(key, entry, pattern fill) for ``code`` in ``table``: exact, or a ``%s`` pattern it instantiates."""
    if code in table:
        return code, table[code], None
    for key, entry in table.items():
        if "%s" in key:
            found = re.fullmatch(re.escape(key).replace("%s", "([A-Za-z0-9]+)"), code)
            if found:
                return key, entry, found.group(1)
    return None


def documented(action, code):
    """The ``HttpCodeAndMeaning`` the page of ``action`` (a key, or see ``resolve``) lists for ``code``
    (pattern codes match), or None."""
    hit = _match(DOCUMENTED_ERRORS[resolve(action)], code)
    return hit[1] if hit else None


def error(action, code, detail=None, message=None):
    """The ``ApiError`` for ``code`` as ``action`` (a key, or see ``resolve``) answers it: documented first, else
    an assumed one.

    ``detail`` fills a ``%s`` in the message (default: the pattern's fill, or the code). ``message`` picks one of
    the entry's documented messages. A code in neither table is a bug in the emulator: KeyError.
    """
    action = resolve(action)
    hit = _match(DOCUMENTED_ERRORS[action], code) or _match(ASSUMED_ERRORS[action], code)
    if hit is None:
        raise KeyError(f"{action} has no documented or assumed error {code!r} (see emulator/reference.py)")
    entry, fill = hit[1:]
    if message is not None and message not in entry.messages:
        raise KeyError(f"{message!r} is not a documented message of {action} {code}")
    text = message or entry.messages[0]
    if "%s" in text:
        text = text.replace("%s", str(detail if detail is not None else (fill or code)))
    return ApiError(entry.http_status, code, text)


def check_injectable(action, code):
    """The key of the action whose page documents ``code`` (what the ``error`` fault may inject), else ValueError.

    ``action`` is a key, or a bare name: of the actions with that name, the one whose page documents ``code``
    (``"UnassociateHaVip"`` + ``"SystemError"`` is ENS's); when both products document it, name the product.
    """
    candidates = [k for k in ACTIONS if action in (k, k.partition(":")[2])] if action else []
    hits = [k for k in candidates if _match(DOCUMENTED_ERRORS[k], code or "")]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise ValueError(f"{code!r} is documented for {hits}: give the action as one of these keys")
    known = {k: sorted(DOCUMENTED_ERRORS[k]) for k in candidates}
    raise ValueError(f"the reference documents no error {code!r} for action {action!r}; documented: {known}")


# ---- rendering (REFERENCE.md's error tables are generated from here) --------------------------------
def error_table(action):
    """The markdown error table of ``action``: documented rows, then assumed rows."""
    lines = ["| HTTP | code | message | meaning |", "|---|---|---|---|"]
    for code, entry in DOCUMENTED_ERRORS[action].items():
        lines.append(f"| {entry.http_status} | `{code}` | {' / '.join(entry.messages)} | {entry.meaning or '—'} |")
    for code, entry in ASSUMED_ERRORS.get(action, {}).items():
        lines.append(f"| {entry.http_status} | `{code}` (assumed) | {' / '.join(entry.messages)} | {entry.reason} |")
    return "\n".join(lines)


def error_tables():
    """Every action's table, each under a marker REFERENCE.md keeps: ``<!-- errors:product:Action -->``."""
    return {action: error_table(action) for action in DOCUMENTED_ERRORS}


def write_reference_md(path=None):
    """Rewrite the generated error tables inside REFERENCE.md (the prose around them is kept)."""
    import os
    path = path or os.path.join(os.path.dirname(__file__), "REFERENCE.md")
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    missing = [name for name in error_tables() if f"<!-- errors:{name} -->" not in text]
    if missing:
        raise SystemExit(f"REFERENCE.md has no marker for {missing}: add <!-- errors:KEY --> <!-- /errors:KEY -->")
    for name, table in error_tables().items():
        block = f"<!-- errors:{name} -->\n{table}\n<!-- /errors:{name} -->"
        text = re.sub(rf"<!-- errors:{re.escape(name)} -->\n.*?<!-- /errors:{re.escape(name)} -->",
                      lambda found, block=block: block, text, flags=re.S)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


if __name__ == "__main__":  # PYTHONPATH=tests python -m emulator.reference [--write]
    import sys
    if "--write" in sys.argv:
        write_reference_md()
    else:
        for name, table in error_tables().items():
            print(f"<!-- errors:{name} -->\n{table}\n<!-- /errors:{name} -->\n")
