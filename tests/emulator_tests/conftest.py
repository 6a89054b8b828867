"""Fixtures for the emulator's own tests: a fresh emulator and official-SDK clients pointed at it."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/, for `emulator`

from alibabacloud_ens20171110.client import Client as EnsClient  # noqa: E402
from alibabacloud_vpc20160428.client import Client as VpcClient  # noqa: E402

from emulator import Emulator  # noqa: E402
from sdk_support import TRANSITION, ManualClock, sdk_config  # noqa: E402


@pytest.fixture
def clock():
    return ManualClock()


@pytest.fixture
def emu(clock):
    emulator = Emulator(transition_seconds=TRANSITION, clock=clock).start()
    yield emulator
    emulator.stop()


@pytest.fixture(params=["v3", "v1"])
def style(request):
    return request.param


@pytest.fixture
def vpc(emu, style):
    return VpcClient(sdk_config(emu, style=style))


@pytest.fixture
def ens(emu, style):
    return EnsClient(sdk_config(emu, style=style))
