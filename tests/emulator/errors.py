"""API errors as Alibaba Cloud answers them: HTTP status, Code, Message.

Handlers raise ``ApiError`` built by ``call.error(code)`` = ``reference.error(call.key, code)`` (the action's
documented or assumed codes); this module keeps the class and the gateway/transient errors every action
shares. The server turns an
``ApiError`` into the JSON error body ``{"RequestId", "HostId", "Code", "Message", "Recommend"}``.
"""


class ApiError(Exception):
    def __init__(self, status, code, message, headers=None):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def missing(name):
    """A gateway-level parameter (Action, Version, a signature parameter) is absent.

    An action's own parameters go through ``call.required(name)`` (``Missing<Name>`` from reference.py) instead.
    """
    return ApiError(400, f"Missing{name}", f"{name} is mandatory for this action.")


# Gateway errors (any product): authentication, routing.
def access_key_not_found():
    return ApiError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")


def signature_mismatch(detail="Specified signature is not matched with our calculation."):
    return ApiError(400, "SignatureDoesNotMatch", detail)


def incomplete_signature(detail="The request signature does not conform to Aliyun standards."):
    return ApiError(400, "IncompleteSignature", detail)


def timestamp_expired():
    return ApiError(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")


def timestamp_malformed():
    return ApiError(400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.")


def nonce_used():
    return ApiError(400, "SignatureNonceUsed", "Specified signature nonce was used already.")


def token_missing():
    return ApiError(400, "InvalidSecurityToken.Malformed", "Specified SecurityToken is malformed.")


def token_mismatch():
    return ApiError(400, "InvalidSecurityToken.MismatchWithAccessKey",
                    "Specified SecurityToken mismatch with the AccessKey.")


def token_expired():
    return ApiError(400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.")


def unknown_action():
    return ApiError(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")


def unknown_version():
    return ApiError(400, "InvalidVersion", "Specified parameter Version is not valid.")


# Transient errors, used by fault injection.
def throttled():
    return ApiError(400, "Throttling.User", "Request was denied due to user flow control.")


def unavailable():
    return ApiError(503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.")


def task_conflict():
    return ApiError(400, "TaskConflict", "The eip operate too frequent, TaskConflict.")


def system_busy():
    return ApiError(400, "OperationFailed.SystemBusy", "Operation failed because system is busy.")
