"""STS 2015-04-01 AssumeRole and the ECS metadata credentials, both issuing temporary keys.

Issued keys go into ``State.credentials`` so the emulator accepts them (with their token) until they
expire, like real STS credentials.
"""
import re
import secrets
import time

from . import reference

METADATA_PREFIX = "/latest/meta-data/ram/security-credentials/"
METADATA_LIFETIME = 6 * 3600
SESSION_NAME = re.compile(r"[A-Za-z0-9.@_-]{2,64}")  # documented characters; length: see REFERENCE.md


def iso(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def issue_credentials(state, lifetime):
    """A new STS key pair with token, registered as accepted; returns the stored entry."""
    suffix = secrets.token_hex(8)
    expires_at = time.time() + lifetime
    entry = {
        "access_key_id": f"STS.Emu{suffix}",
        "access_key_secret": f"EmuIssuedSecret-{secrets.token_hex(6)}-do-not-leak",
        "security_token": f"EmuIssuedToken-{secrets.token_hex(12)}-do-not-leak",
        "expiration": iso(expires_at),
        "expires_at": expires_at,
    }
    state.credentials[entry["access_key_id"]] = entry
    return entry


def assume_role(call):
    arn = call.required("RoleArn")
    session = call.required("RoleSessionName")
    if not SESSION_NAME.fullmatch(session):
        raise reference.error("sts:AssumeRole", "InvalidParameter.RoleSessionName")
    low, high, default = reference.LIMITS["sts:AssumeRole"]["DurationSeconds"]
    try:
        duration = int(call.optional("DurationSeconds", default))
    except ValueError:
        duration = -1
    if not low <= duration <= high:
        raise reference.error("sts:AssumeRole", "InvalidParameter.DurationSeconds")
    role = call.state.ram_roles.get(arn)
    if role is None:
        raise reference.error("sts:AssumeRole", "EntityNotExist.Role", arn)
    if call.identity.access_key_id != role["grants"]:
        raise reference.error("sts:AssumeRole", "NoPermission")
    entry = issue_credentials(call.state, duration)
    role_name = arn.rsplit("/", 1)[-1]
    return {
        "AssumedRoleUser": {"Arn": f"{arn}/{session}", "AssumedRoleId": f"3{secrets.token_hex(8)}:{session}"},
        "Credentials": {"AccessKeyId": entry["access_key_id"], "AccessKeySecret": entry["access_key_secret"],
                        "SecurityToken": entry["security_token"], "Expiration": entry["expiration"]},
        "SourceIdentity": role_name,
    }


class Metadata:
    """The ECS instance metadata service, as far as the credentials chain uses it (IMDSv1 and v2)."""

    def __init__(self):
        self.tokens = set()
        self.issued = {}  # role -> entry, reused until it nears expiry (as ECS does)

    def new_token(self):
        token = secrets.token_urlsafe(24)
        self.tokens.add(token)
        return token

    def answer(self, state, path, token):
        """(HTTP status, content type, body) for a GET under /latest/meta-data/."""
        if token is not None and token not in self.tokens:
            return 401, "text/plain", "Unauthorized"
        if path == METADATA_PREFIX:
            return 200, "text/plain", "\n".join(state.metadata_roles)
        role = path[len(METADATA_PREFIX):] if path.startswith(METADATA_PREFIX) else None
        if role not in state.metadata_roles:
            return 404, "text/plain", "Not Found"
        entry = self._credentials_for(state, role)
        return 200, "application/json", {
            "Code": "Success", "AccessKeyId": entry["access_key_id"], "AccessKeySecret": entry["access_key_secret"],
            "SecurityToken": entry["security_token"], "Expiration": entry["expiration"],
            "LastUpdated": iso(time.time()),
        }

    def _credentials_for(self, state, role):
        entry = self.issued.get(role)
        stale = entry is None or entry["access_key_id"] not in state.credentials \
            or entry["expires_at"] - time.time() < 900
        if stale:
            entry = self.issued[role] = issue_credentials(state, METADATA_LIFETIME)
        return entry


ACTIONS = {"AssumeRole": assume_role}
MUTATING = frozenset()
