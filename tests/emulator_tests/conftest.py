"""Fixtures for the emulator's own tests: a fresh emulator and official-SDK clients pointed at it."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/, for `emulator`

from alibabacloud_ens20171110.client import Client as EnsClient  # noqa: E402
from alibabacloud_tea_openapi.models import Config  # noqa: E402
from alibabacloud_vpc20160428.client import Client as VpcClient  # noqa: E402

from emulator import Emulator  # noqa: E402

ACCESS_KEY = ("LTAI5tEmuTestAccessKey", "EmuSecret-0c3a9f7e-do-not-leak")
STS_KEY = ("STS.EmuTempKey", "EmuStsSecret-77b1-do-not-leak", "EmuStsToken-ffee-do-not-leak")
EXPIRED_STS_KEY = ("STS.EmuExpiredKey", "EmuExpiredSecret-1d2e-do-not-leak", "EmuExpiredToken-aa11-do-not-leak")
TRANSITION = 0.3


class ManualClock:
    """A monotonic clock that moves only when told: transitions without sleeps or timing flakes."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture
def clock():
    return ManualClock()


@pytest.fixture
def emu(clock):
    emulator = Emulator(transition_seconds=TRANSITION, clock=clock).start()
    yield emulator
    emulator.stop()


def sdk_config(emu, key=ACCESS_KEY, style="v3", token=None):
    config = Config(access_key_id=key[0], access_key_secret=key[1], endpoint=emu.url.split("://")[1],
                    protocol="http", region_id="cn-hangzhou", security_token=token, read_timeout=10000,
                    connect_timeout=5000)
    if style == "v1":
        config.signature_algorithm = "v2"  # the SDK's name for the V1 HMAC-SHA1 query signature
    return config


@pytest.fixture(params=["v3", "v1"])
def style(request):
    return request.param


@pytest.fixture
def vpc(emu, style):
    return VpcClient(sdk_config(emu, style=style))


@pytest.fixture
def ens(emu, style):
    return EnsClient(sdk_config(emu, style=style))
