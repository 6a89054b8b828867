"""One API version served by several handler modules.

``app.PRODUCTS`` routes a version to a ``Product``: its ``ACTIONS`` and ``MUTATING`` are the union of the
modules', so new actions live in their own files (vpc_batch.py, vpc_havip.py, ens_eip.py) next to the
original ones (vpc.py, ens.py) without editing them.
"""


class Product:
    def __init__(self, *modules):
        self.ACTIONS = {}
        mutating = set()
        for module in modules:
            clash = set(self.ACTIONS) & set(module.ACTIONS)
            if clash:
                raise ValueError(f"actions defined twice for one version: {sorted(clash)}")
            self.ACTIONS.update(module.ACTIONS)
            mutating |= set(module.MUTATING)
        self.MUTATING = frozenset(mutating)
        self.modules = modules

    def load(self, state, seed):
        """Let each module add its resources from the seed (modules without ``load`` add none)."""
        for module in self.modules:
            if hasattr(module, "load"):
                module.load(state, seed)
