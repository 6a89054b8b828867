"""Which integration tests also run on the declared minimum ansible-core.

`make test` runs the whole suite in .venv (the newest Python and ansible-core), then `scripts/test-min.sh` runs
the tests marked ``minimum`` again in .venv-min (Python 3.11 with the ansible-core that meta/runtime.yml's
requires_ansible names). That is every test in this folder (the modules run by real ansible processes, the
client against the emulator, the reliability matrix, the version table) except the ecosystem gates below, which
check the project's tooling rather than what the collection does on an ansible-core. A test file added here is
included without further ado.
"""
from __future__ import annotations

import pytest

# The gates need the lint and docs tools, which only .venv has, and prove nothing version-specific.
NOT_ON_MINIMUM = {"test_gates.py", "test_packaging.py"}


def pytest_itemcollected(item):
    if item.path.name not in NOT_ON_MINIMUM:
        item.add_marker(pytest.mark.minimum)
