"""Fixtures for the module_utils unit tests: a local stub HTTP server and a fake clock."""
import pytest

from module_utils_doubles import FakeClock, StubServer


@pytest.fixture
def stub():
    server = StubServer()
    yield server
    server.close()


@pytest.fixture
def clock():
    return FakeClock()
