"""The emulator's resources, loaded from the seed, and how they look through the Describe APIs.

Transitions are lazy: an association stores when it settles (``until``, on the monotonic clock), and
every read first settles whatever is due. No timer threads. All access goes through ``State.lock``.
"""
import copy
import ipaddress
import json
import os
import threading
import time

from . import reference

DEFAULT_SEED = os.path.join(os.path.dirname(__file__), "data", "seed.json")
SEED_TIME = "2024-01-01T00:00:00Z"


def load_seed(seed=None):
    """The seed as a dict: ``seed`` may be a path, a dict, or None for data/seed.json."""
    if isinstance(seed, dict):
        return copy.deepcopy(seed)
    with open(seed or DEFAULT_SEED, encoding="utf-8") as handle:
        return json.load(handle)


def expand_bulk(entry):
    """Numbered resources from a ``bulk`` entry: prefix + zero-padded 1..count, IPs counting up."""
    fields = {k: v for k, v in entry.items()
              if k not in ("kind", "prefix", "count", "digits", "first_ip", "first_private_ip")}
    for index in range(entry["count"]):
        item = dict(fields, Id=f"{entry['prefix']}{index + 1:0{entry['digits']}d}")
        for key in ("first_ip", "first_private_ip"):
            if key in entry:
                item[key] = str(ipaddress.ip_address(entry[key]) + index)
        yield item


class State:
    """Every resource of both products. Callers hold ``lock`` around reads and changes."""

    def __init__(self, seed, clock=time.monotonic):
        self.lock = threading.RLock()
        self.clock = clock
        self.credentials = {c["access_key_id"]: dict(c) for c in seed.get("credentials", [])}
        self.ram_roles = {r["arn"]: r for r in seed.get("ram_roles", [])}
        self.metadata_roles = list(seed.get("ecs_metadata_roles", []))
        vpc, ens = seed.get("vpc", {}), seed.get("ens", {})
        self.vpcs = {v["VpcId"]: v for v in vpc.get("vpcs", [])}
        self.eips, self.vpc_instances = {}, {}
        self.ens_instances, self.havips = {}, {}
        self.ens_limits = dict(ens.get("limits", {}))
        self._load_vpc(vpc)
        self._load_ens(ens)
        self.stale = {}  # (kind, id) -> (view, until): what Describe shows until `until`

    # ---- loading -------------------------------------------------------------------------------
    def _load_vpc(self, vpc):
        for entry in vpc.get("bulk", []):
            for item in expand_bulk(entry):
                if entry["kind"] == "eip":
                    self._add_eip(dict(item, AllocationId=item["Id"], IpAddress=item["first_ip"]))
                elif entry["kind"] == "ecs":
                    self.vpc_instances[item["Id"]] = dict(
                        item, InstanceId=item["Id"], InstanceType="EcsInstance",
                        PrivateIpAddress=item["first_private_ip"])
        for eip in vpc.get("eips", []):
            self._add_eip(eip)
        for inst in vpc.get("instances", []):
            self.vpc_instances[inst["InstanceId"]] = dict(inst)

    def _add_eip(self, seed):
        eip = {
            "AllocationId": seed["AllocationId"], "IpAddress": seed["IpAddress"],
            "RegionId": seed["RegionId"], "Status": seed.get("Status", "Available"),
            "InstanceId": seed.get("InstanceId", ""), "InstanceType": seed.get("InstanceType", ""),
            "PrivateIpAddress": seed.get("PrivateIpAddress", ""), "Mode": seed.get("Mode", ""),
            "VpcId": seed.get("VpcId", ""), "OperationLocks": list(seed.get("OperationLocks", [])),
            "Bandwidth": str(seed.get("Bandwidth", "5")), "Name": seed.get("Name", ""),
            "until": None, "settles_to": None,
            # A status set to pass by itself (set_status / seed "settles_after"): when, and into what.
            "status_until": None, "status_then": None,
        }
        if eip["InstanceId"] and not eip["Mode"]:
            eip["Mode"] = "NAT"
        self.eips[eip["AllocationId"]] = eip
        self._seed_timer("eip", eip["AllocationId"], seed)

    def _load_ens(self, ens):
        for entry in ens.get("bulk", []):
            for item in expand_bulk(entry):
                if entry["kind"] == "ens_instance":
                    self.ens_instances[item["Id"]] = dict(item, InstanceId=item["Id"], InstanceType="EnsInstance")
                elif entry["kind"] == "havip":
                    self._add_havip(dict(item, HaVipId=item["Id"], IpAddress=item["first_ip"]))
        for inst in ens.get("instances", []):
            self.ens_instances[inst["InstanceId"]] = dict(inst)
        for havip in ens.get("havips", []):
            self._add_havip(havip)

    def _add_havip(self, seed):
        members = [{"InstanceId": m["InstanceId"], "InstanceType": m.get("InstanceType", "EnsInstance"),
                    "Status": "InUse", "CreationTime": SEED_TIME, "until": None}
                   for m in seed.get("AssociatedInstances", [])]
        self.havips[seed["HaVipId"]] = {
            "HaVipId": seed["HaVipId"], "IpAddress": seed["IpAddress"], "EnsRegionId": seed["EnsRegionId"],
            "NetworkId": seed.get("NetworkId", ""), "VSwitchId": seed["VSwitchId"],
            "Name": seed.get("Name", ""), "Description": seed.get("Description", ""),
            # Only Creating (or another non-association status) is stored; the rest derives from members.
            "BaseStatus": seed.get("Status") if seed.get("Status") not in ("Available", "InUse") else None,
            "members": members, "status_until": None, "status_then": None,
        }
        self._seed_timer("havip", seed["HaVipId"], seed)

    def _seed_timer(self, kind, resource_id, seed):
        if "settles_after" in seed:
            self.set_status(kind, resource_id, seed["Status"], seed["settles_after"], seed.get("then", "default"))

    # ---- statuses that pass by themselves (Creating, Deleting, Releasing) -------------------------
    def set_status(self, kind, resource_id, status, settles_after=None, then="default"):
        """Put an EIP or HAVIP into ``status``; after ``settles_after`` seconds it becomes ``then``.

        ``then`` defaults to what the reference says the status leads to (``reference.TRANSIENT``): Creating ->
        Available, Deleting/Releasing -> gone (None). ``settles_after=None`` keeps ``status`` until changed.
        """
        if status not in reference.STATUSES[kind]:
            raise ValueError(f"{status!r} is not a documented {kind} status: {reference.STATUSES[kind]}")
        if then == "default":
            then = reference.TRANSIENT[kind].get(status, status)
        if then is not None and then not in reference.STATUSES[kind]:
            raise ValueError(f"{then!r} is not a documented {kind} status: {reference.STATUSES[kind]}")
        resource = (self.eips if kind == "eip" else self.havips).get(resource_id)
        if resource is None:
            raise KeyError(f"no {kind} {resource_id!r}")
        self._apply_status(kind, resource, status)
        until = None if settles_after is None else self.clock() + float(settles_after)
        resource.update(status_until=until, status_then=then)

    @staticmethod
    def _apply_status(kind, resource, status):
        if kind == "eip":
            resource["Status"] = status
        else:  # Available/InUse derive from the members; only the others are stored
            resource["BaseStatus"] = None if status in ("Available", "InUse") else status

    def sweep(self):
        """Let every due Creating/Deleting/Releasing pass: into its next status, or out of existence."""
        now = self.clock()
        for kind, table in (("eip", self.eips), ("havip", self.havips)):
            for resource_id, resource in list(table.items()):
                if resource["status_until"] is None or now < resource["status_until"]:
                    continue
                if resource["status_then"] is None:
                    del table[resource_id]
                else:
                    self._apply_status(kind, resource, resource["status_then"])
                    resource.update(status_until=None, status_then=None)

    # ---- transitions ---------------------------------------------------------------------------
    def settle_eip(self, eip):
        """Finish an association or disassociation whose time has come."""
        if eip["until"] is not None and self.clock() >= eip["until"]:
            eip["Status"], eip["until"] = eip["settles_to"], None
            if eip["Status"] == "Available":
                eip.update(InstanceId="", InstanceType="", PrivateIpAddress="", Mode="", VpcId="")
        return eip

    def settle_havip(self, havip):
        now = self.clock()
        kept = []
        for member in havip["members"]:
            if member["until"] is not None and now >= member["until"]:
                if member["Status"] == "Unassociating":
                    continue
                member.update(Status="InUse", until=None)
            kept.append(member)
        havip["members"] = kept
        return havip

    @staticmethod
    def havip_status(havip):
        if havip["BaseStatus"]:
            return havip["BaseStatus"]
        statuses = {m["Status"] for m in havip["members"]}
        for transitional in ("Associating", "Unassociating"):
            if transitional in statuses:
                return transitional
        return "InUse" if statuses else "Available"

    # ---- Describe shapes -----------------------------------------------------------------------
    def eip_view(self, eip, instance_region=None):
        """One item of DescribeEipAddresses ``EipAddresses.EipAddress``."""
        self.settle_eip(eip)
        view = {k: v for k, v in eip.items() if k not in ("until", "settles_to", "OperationLocks")}
        view.update({
            "InstanceRegionId": eip["RegionId"] if eip["InstanceId"] else "",
            "OperationLocks": {"LockReason": [{"LockReason": r} for r in eip["OperationLocks"]]},
            "AllocationTime": SEED_TIME, "ChargeType": "PostPaid", "InternetChargeType": "PayByTraffic",
            "ISP": "BGP", "Netmode": "public", "Description": "", "BandwidthPackageId": "",
            "Tags": {"Tag": []}, "ResourceGroupId": "rg-emu0001",
        })
        return view

    def havip_view(self, havip):
        """One item of DescribeHaVips ``HaVips``."""
        self.settle_havip(havip)
        members = [{"InstanceId": m["InstanceId"], "InstanceType": m["InstanceType"], "Status": m["Status"],
                    "CreationTime": m["CreationTime"], "IpAddress": self._member_ip(m)}
                   for m in havip["members"]]
        view = {k: havip[k] for k in ("HaVipId", "IpAddress", "EnsRegionId", "NetworkId", "VSwitchId",
                                      "Name", "Description")}
        view.update(Status=self.havip_status(havip), CreationTime=SEED_TIME,
                    AssociatedInstances=members, AssociatedEipAddresses=[])
        return view

    def _member_ip(self, member):
        instance = self.ens_instances.get(member["InstanceId"], {})
        return instance.get("PrivateIpAddress", "")

    # ---- eventual consistency (the ``stale`` fault) --------------------------------------------
    def hide_change(self, kind, resource_id, view, seconds):
        """Describe keeps answering ``view`` for ``resource_id`` during the next ``seconds``."""
        self.stale[(kind, resource_id)] = (copy.deepcopy(view), self.clock() + seconds)

    def visible(self, kind, resource_id, live_view):
        """What Describe shows: a hidden earlier view while it lasts, else the live one."""
        hidden = self.stale.get((kind, resource_id))
        if hidden and self.clock() < hidden[1]:
            return copy.deepcopy(hidden[0])
        self.stale.pop((kind, resource_id), None)
        return live_view
