"""Constants and helpers for the emulator's tests (imported by name; conftest.py holds only fixtures)."""
from alibabacloud_tea_openapi.models import Config
from ansible_process import TEST_ACCESS_KEY, TEST_SECRET_KEY

ACCESS_KEY = (TEST_ACCESS_KEY, TEST_SECRET_KEY)
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


def sdk_config(emu, key=ACCESS_KEY, style="v3", token=None):
    config = Config(access_key_id=key[0], access_key_secret=key[1], endpoint=emu.url.split("://")[1],
                    protocol="http", region_id="cn-hangzhou", security_token=token, read_timeout=10000,
                    connect_timeout=5000)
    if style == "v1":
        config.signature_algorithm = "v2"  # the SDK's name for the V1 HMAC-SHA1 query signature
    return config
