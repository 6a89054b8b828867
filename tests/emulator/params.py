"""Reading request parameters the way the services validate them."""
from . import reference


class Call:
    """One API call as a handler sees it: parameters, state, and the emulator's settings.

    Handlers set ``mutated = True`` when they change state (that is what ``mutating_calls`` counts) and
    call ``before_change`` first so a ``stale`` fault can keep the old view visible. ``key`` names the action
    in emulator/reference.py (``"ens:AssociateHaVip"``): every error is ``call.error(code)``.
    """

    def __init__(self, action, params, state, transition_seconds, product, stale_for, identity=None):
        self.action = action
        self.params = params
        self.state = state
        self.transition_seconds = transition_seconds
        self.product = product
        self.key = reference.key(product, action)
        self.identity = identity
        self.mutated = False
        self._stale_for = stale_for

    def required(self, name):
        value = self.params.get(name, "")
        if value == "":
            raise self.error(f"Missing{name}", name)
        return value

    def optional(self, name, default=None):
        value = self.params.get(name, "")
        return default if value == "" else value

    def choice(self, name, allowed, default=None, error=None):
        value = self.optional(name, default)
        if value is not None and value not in allowed:
            raise error or self.invalid(name)
        return value

    def integer(self, name, default, low, high):
        value = self.optional(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise self.invalid(name) from None
        if not low <= number <= high:
            raise self.invalid(name)
        return number

    def ens_regions(self, limit=None):
        """The ENS nodes asked for: EnsRegionIds.N and EnsRegionId together (at most `limit` of the first)."""
        regions = [v for k, v in self.params.items() if k.startswith("EnsRegionIds.")]
        if limit is not None and len(regions) > limit:
            raise self.invalid("EnsRegionIds")
        if self.optional("EnsRegionId") is not None:
            regions.append(self.optional("EnsRegionId"))
        return regions

    def comma_list(self, name, limit=50, error=None):
        value = self.optional(name)
        if value is None:
            return None
        items = [v.strip() for v in value.split(",") if v.strip()]
        if len(items) > limit:
            raise error or self.invalid(name)
        return items

    def error(self, code, detail=None, message=None):
        """The ``ApiError`` this call's action answers for ``code`` (reference.py decides status and message)."""
        return reference.error(self.key, code, detail, message)

    def invalid(self, name):
        """The action's error for a bad ``name`` value: ENS documents Invalid%s; VPC/STS assume that form."""
        return self.error(f"Invalid{name}", name)

    def before_change(self, kind, resource_id, view):
        """Record ``view`` (the resource before this call changes it) if a stale fault is armed."""
        seconds = self._stale_for(self.key)
        if seconds:
            self.state.hide_change(kind, resource_id, view, seconds)
        self.mutated = True

    def deadline(self):
        return self.state.clock() + self.transition_seconds


def page(items, number, size):
    return items[(number - 1) * size: number * size]
