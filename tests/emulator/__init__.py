"""Alibaba Cloud API emulator (VPC, ENS, STS, ECS metadata) for the collection's tests. See README.md."""
from .app import Emulator

__all__ = ["Emulator"]
