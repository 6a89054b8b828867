# -*- coding: utf-8 -*-
# Copyright: alicloud.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of option values that can be made locally, before any request goes out: one place for every rule.

Each check returns a message naming the option (or None when the value is fine); the caller collects them and
fails once. Patterns are matched whole (fullmatch, or anchored with \\Z): a trailing newline is not a region.
"""

from __future__ import annotations

import ipaddress
import math
import re
from urllib.parse import urlsplit

# \Z, not $: "$" also matches before a final newline, so "cn-hangzhou\n" would pass a .match().
REGION_PATTERN = re.compile(r"^[a-z]{2,}(-[a-z0-9]+)+\Z")

# Resource IDs: letters, digits and the separators Alibaba Cloud uses; no whitespace, sane length.
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}\Z")

# Numeric options: (lowest, highest, whether the lowest itself is allowed). Timeouts of 0 would make requests
# wait for ever or fail at once; nan or inf would never end a retry loop or overflow a deadline.
NUMBER_RANGES = {
    "connect_timeout": (0, 300, False),
    "read_timeout": (0, 3600, False),
    "max_retry_time": (0, 3600, True),
    "assume_role_duration": (900, 43200, True),  # STS AssumeRole DurationSeconds
    "wait_timeout": (0, 86400, True),
}

# The option that lets credentials go over plain http:// to a host that is not this machine.
INSECURE_OPTION = "allow_insecure_endpoint"


def id_problem(option, value):
    """The message for an option value that cannot be a resource ID, or None (also for an unset option).

    Modules check every ID with this before their first call, so a malformed one never reaches a mutating action.
    """
    if value is None or ID_PATTERN.fullmatch(value):
        return None
    return ("%s %r is not a valid ID (letters, digits, '-', '_', '.', ':'; no spaces; at most 128 characters)"
            % (option, value))


def region_problem(option, value):
    """The message for a value of `option` that cannot be a region ID, or None (also when unset)."""
    if value is None or (isinstance(value, str) and REGION_PATTERN.fullmatch(value)):
        return None
    return "%s %r does not look like an Alibaba Cloud region id (e.g. cn-hangzhou)" % (option, value)


def number_problem(option, value):
    """The message for a numeric option outside its range (or not finite), or None; unknown options pass."""
    if option not in NUMBER_RANGES:
        return None
    low, high, low_allowed = NUMBER_RANGES[option]
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        number = math.nan
    if math.isfinite(number) and (low <= number if low_allowed else low < number) and number <= high:
        return None
    return "%s must be a number %s %s and at most %s, got %s" % (
        option, "from" if low_allowed else "greater than", _plain(low), _plain(high), _shown(value))


def number_problems(params):
    """Messages for every numeric option present in `params` that is out of range."""
    problems = [number_problem(option, params[option]) for option in NUMBER_RANGES if option in params]
    return [problem for problem in problems if problem]


def userinfo_problem(url, source):
    """A URL carrying user:password@ is refused, without repeating what it carries: the password would go out
    as Basic auth and in the Host header, and show in messages."""
    try:
        netloc = urlsplit(url).netloc
    except ValueError:
        return None
    if "@" not in netloc:
        return None
    return ("%s must not contain a user name or password (user:password@host); Alibaba Cloud APIs are "
            "authenticated by signed requests only" % source)


def userinfo_secrets(url):
    """The user name and password a URL carries (to add to no_log_values before any failure echoes the option)."""
    try:
        parts = urlsplit(url or "")
        return [value for value in (parts.username, parts.password) if value]
    except ValueError:
        return []


def is_loopback(host):
    """True for localhost and loopback addresses (127.0.0.0/8, ::1): traffic that never leaves this machine."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def insecure_endpoint_problem(url, source, allowed):
    """Plain http:// to another host sends the (signed) requests and any security token readable by anyone on
    the way: refused unless `allow_insecure_endpoint` says so. Loopback (a local emulator, a tunnel) is fine."""
    parts = urlsplit(url)
    if parts.scheme != "http" or allowed or is_loopback(parts.hostname):
        return None
    return ("%s %s://%s uses plain http to a host that is not this machine: requests and security tokens would "
            "travel unencrypted. Use https, or set %s: true if the network is trusted"
            % (source, parts.scheme, parts.hostname, INSECURE_OPTION))


def _plain(number):
    return int(number) if float(number).is_integer() else number


def _shown(value):
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
