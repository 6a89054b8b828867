"""The ``Emulator``: state, signatures, faults and the call log behind one HTTP server.

``Emulator.handle(request)`` is the whole request path (the HTTP layer in server.py only parses and
writes): control API, ECS metadata, or a signed API call routed by version to vpc/ens/sts handlers.
"""
import json
import threading
import time
import uuid

from . import ens, ens_eip, errors, reference, sts, vpc, vpc_batch, vpc_havip
from .errors import ApiError
from .faults import AFTER_ACTING_KINDS, ERROR_KINDS, INSTEAD_KINDS, LOGGED_CODES, Faults
from .params import Call
from .products import Product
from .ratelimit import RateLimit
from .server import serve
from .signing import V1_AUTH_PARAMS, Verifier
from .state import State, load_seed

PRODUCTS = {"2016-04-28": ("vpc", Product(vpc, vpc_batch, vpc_havip)), "2017-11-10": ("ens", Product(ens, ens_eip)),
            "2015-04-01": ("sts", Product(sts))}
HOSTS = {"vpc": "vpc.aliyuncs.com", "ens": "ens.aliyuncs.com", "sts": "sts.aliyuncs.com"}
# Parameters every RPC call carries that are not the action's own (left out of ``calls[...]["params"]``).
COMMON_PARAMS = V1_AUTH_PARAMS | {"Action", "Version", "Format"}
CLIENT_TOKEN_TTL = 600  # seconds a ClientToken is remembered
DROP = object()  # handle() result: close the connection without an answer


class Request:
    def __init__(self, method, path, query, params, headers, body):
        self.method = method
        self.path = path
        self.query = query      # decoded query string parameters
        self.params = params    # query plus form body
        self.headers = headers  # lower-case name -> list of values
        self.body = body        # bytes

    def header(self, name, default=None):
        return (self.headers.get(name) or [default])[0]


class Response:
    def __init__(self, status, body, content_type="application/json;charset=utf-8", headers=None):
        self.status = status
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        self.body = body.encode() if isinstance(body, str) else body
        self.headers = dict(headers or {}, **{"Content-Type": content_type})


class Emulator:
    def __init__(self, seed=None, transition_seconds=1.0, port=0, host="127.0.0.1", tls=None,
                 clock=time.monotonic, rate_limit=None):
        """``clock`` (seconds, monotonic) times transitions, stale views and the rate limit; tests may pass a
        manual one. ``rate_limit``: requests per second per action before ``Throttling.User`` (ratelimit.py)."""
        self._seed = load_seed(seed)
        self._clock = clock
        self._initial_transition = float(transition_seconds)
        self._initial_rate_limit = rate_limit
        self._address = (host, port)
        self._tls = tls
        self._server = None
        self.faults = Faults()
        self._log_lock = threading.Lock()
        self._load()

    def _load(self):
        self.state = State(self._seed, clock=self._clock)
        for _product_name, product in PRODUCTS.values():
            product.load(self.state, self._seed)
        self.rate_limit = RateLimit(self._clock, self._initial_rate_limit)
        self.verifier = Verifier(self.state.credentials)
        self.metadata = sts.Metadata()
        self.transition_seconds = self._initial_transition
        self._calls = []
        self._client_tokens = {}

    # ---- lifecycle -----------------------------------------------------------------------------
    def start(self):
        self._server = serve(self, self._address, self._tls)
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def port(self):
        return self._server.server_address[1]

    @property
    def url(self):
        scheme = "https" if self._tls else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    # ---- inspection and control ----------------------------------------------------------------
    def eip(self, allocation_id):
        """The EIP as DescribeEipAddresses shows it (true state, transitions applied), or None."""
        with self.state.lock:
            self.state.sweep()
            eip = self.state.eips.get(allocation_id)
            return self.state.eip_view(eip) if eip else None

    def havip(self, havip_id):
        """The HAVIP as DescribeHaVips shows it (true state), or None."""
        with self.state.lock:
            self.state.sweep()
            havip = self.state.havips.get(havip_id)
            return self.state.havip_view(havip) if havip else None

    @property
    def calls(self):
        with self._log_lock:
            return [dict(c) for c in self._calls]

    def mutating_calls(self, action=None):
        return [c for c in self.calls if c["mutated"] and action in (None, c["action"])]

    def vpc_havip(self, havip_id):
        """The VPC HAVIP as VPC DescribeHaVips shows it (true state), or None."""
        with self.state.lock:
            return vpc_havip.view_of(self.state, havip_id)

    def ens_eip(self, allocation_id):
        """The ENS EIP as DescribeEnsEipAddresses shows it (true state), or None."""
        with self.state.lock:
            return ens_eip.view_of(self.state, allocation_id)

    def set_transition(self, seconds):
        self.transition_seconds = float(seconds)

    def set_rate_limit(self, per_second, actions=None):
        """At most ``per_second`` requests per action per rolling second (None/0: off); see ratelimit.py."""
        self.rate_limit.configure(per_second, actions)

    def set_eip_status(self, allocation_id, status, settles_after=None, then="default"):
        """Put an EIP into a documented status, e.g. ``("eip-emu0001", "Releasing", settles_after=2)``.

        After ``settles_after`` seconds (emulator clock) it becomes ``then``; the default is what the status
        leads to (Releasing -> gone, Associating -> InUse, Unassociating -> Available); ``then=None`` removes
        it. ``settles_after=None``: the status stays until changed. Binding fields are left as they are.
        """
        with self.state.lock:
            self.state.set_status("eip", allocation_id, status, settles_after, then)

    def set_havip_status(self, havip_id, status, settles_after=None, then="default"):
        """Put an ENS HAVIP into Creating / Available / InUse / Deleting, optionally passing by itself.

        ``emu.set_havip_status("havip-emuens0001", "Creating", settles_after=5)`` answers Creating for 5 s,
        then Available (Deleting defaults to gone afterwards). Members are kept.
        """
        with self.state.lock:
            self.state.set_status("havip", havip_id, status, settles_after, then)

    def reset(self):
        """Back to the seed: state, issued credentials, nonces, calls, client tokens and faults."""
        with self.state.lock, self._log_lock:
            self.faults.clear()
            self._load()

    def snapshot(self):
        """Everything, for ``GET /_emulator/state``."""
        with self.state.lock:
            self.state.sweep()
            return {
                "transition_seconds": self.transition_seconds,
                "eips": {i: self.state.eip_view(e) for i, e in self.state.eips.items()},
                "havips": {i: self.state.havip_view(h) for i, h in self.state.havips.items()},
                "vpc_havips": {h["HaVipId"]: vpc_havip.view(self.state, h) for h in vpc_havip.havips(self.state)},
                "ens_eips": {i: ens_eip.view(self.state, e) for i, e in self.state.ens_eips.items()},
                **self.rate_limit.settings(),
                "faults": self.faults.active(),
            }

    # ---- request path --------------------------------------------------------------------------
    def handle(self, request):
        """A ``Response`` for ``request``, or ``DROP``."""
        if request.path.startswith("/_emulator/"):
            return self._control(request)
        if request.path.startswith("/latest/"):
            return self._metadata(request)
        return self._api(request)

    def _api(self, request):
        started = time.time()
        request_id = str(uuid.uuid4()).upper()
        record = {"action": None, "product": None, "params": {}, "http_status": None, "code": None,
                  "request_id": request_id, "time": started, "signature": None, "access_key_id": None,
                  "mutated": False, "method": request.method}
        product = "vpc"
        try:
            product, module, action = self._route(request)
            record.update(action=action, product=product,
                          params={k: v for k, v in request.params.items() if k not in COMMON_PARAMS})
            identity = self.verifier.verify(request.method, request.path, request.query, request.params,
                                            request.headers, request.body)
            record.update(signature=identity.style, access_key_id=identity.access_key_id)
            if not self.rate_limit.admit(reference.key(product, action)):
                raise errors.throttled()
            fault = self.faults.take(reference.key(product, action))
            if fault and (fault.kind in ERROR_KINDS or fault.kind == "error"):
                raise fault.error()
            if fault and fault.kind in INSTEAD_KINDS:
                return self._spoilt(record, fault, fault.answer_instead(request))
            if fault and fault.kind == "drop" and not fault.opts.get("after"):
                return self._dropped(record)
            body, answer_id, mutated = self._run(product, module, action, record["params"], identity, request_id)
            response = Response(200, {"RequestId": answer_id, **body})
            record.update(http_status=200, request_id=answer_id, mutated=mutated)
            if fault and fault.kind == "slow":
                time.sleep(float(fault.opts["seconds"]))
            if fault and fault.kind == "drop":
                return self._dropped(record)
            if fault and fault.kind in AFTER_ACTING_KINDS:
                response.headers["x-acs-request-id"] = answer_id
                return self._spoilt(record, fault, fault.spoil(response))
        except ApiError as err:
            record.update(http_status=err.status, code=err.code)
            response = Response(err.status, {
                "RequestId": request_id, "HostId": HOSTS[product], "Code": err.code, "Message": err.message,
                "Recommend": f"https://api.aliyun.com/troubleshoot?q={err.code}&product={product}"
                             f"&requestId={request_id}"}, headers=err.headers)
        response.headers["x-acs-request-id"] = record["request_id"]
        self._log(record)
        return response

    def _dropped(self, record):
        record.update(code="ConnectionDropped")
        self._log(record)
        return DROP

    def _spoilt(self, record, fault, answer):
        """Log and return a faults.Streamed answer (issue 17's misbehaviours)."""
        record.update(http_status=answer.status, code=LOGGED_CODES[fault.kind])
        self._log(record)
        return answer

    def _log(self, record):
        with self._log_lock:
            self._calls.append(record)

    @staticmethod
    def _route(request):
        """(product, handler module, action) from the V3 headers or the V1 parameters."""
        version = request.header("x-acs-version") or request.params.get("Version")
        action = request.header("x-acs-action") or request.params.get("Action")
        if not action:
            raise errors.missing("Action")
        if version not in PRODUCTS:
            raise errors.unknown_version() if version else errors.missing("Version")
        product, module = PRODUCTS[version]
        if action not in module.ACTIONS:
            raise errors.unknown_action()
        return product, module, action

    def _run(self, product, module, action, params, identity, request_id):
        """Run the handler under the state lock.

        Returns (body, RequestId to answer with, whether state changed). A VPC ClientToken replay
        answers the first call's RequestId and changes nothing.
        """
        with self.state.lock:
            token = params.get("ClientToken") if product == "vpc" and action in module.MUTATING else None
            self.state.sweep()
            replayed = self._replayed(reference.key(product, action), token, params)
            if replayed:
                return {}, replayed, False
            call = Call(action, params, self.state, self.transition_seconds, product,
                        self.faults.take_stale, identity)
            body = module.ACTIONS[action](call)
            if call.mutated and token:
                self._client_tokens[(call.key, token)] = {"params": dict(params), "time": time.time(),
                                                          "request_id": request_id}
            return body, request_id, call.mutated

    def _replayed(self, key, token, params):
        """The first RequestId when ``token`` was used recently with the same parameters (``key``: the action's)."""
        if not token:
            return None
        prior = self._client_tokens.get((key, token))
        if prior is None or time.time() - prior["time"] > CLIENT_TOKEN_TTL:
            return None
        if prior["params"] != params:
            raise reference.error(key, "IdempotentParameterMismatch")
        return prior["request_id"]

    # ---- control API (no signature: it exists only on the emulator) ----------------------------
    def _control(self, request):
        route = (request.method, request.path.rstrip("/"))
        try:
            payload = json.loads(request.body or b"{}")
        except ValueError:
            return Response(400, {"error": "body is not JSON"})
        if route == ("GET", "/_emulator/state"):
            return Response(200, self.snapshot())
        if route == ("GET", "/_emulator/calls"):
            return Response(200, self.calls)
        if route == ("POST", "/_emulator/faults"):
            try:
                self.faults.add(**payload)
            except (TypeError, ValueError) as err:
                return Response(400, {"error": str(err)})
            return Response(200, {"faults": self.faults.active()})
        if route == ("DELETE", "/_emulator/faults"):
            self.faults.clear()
            return Response(200, {"faults": []})
        if route == ("POST", "/_emulator/reset"):
            self.reset()
            return Response(200, {"reset": True})
        if route == ("POST", "/_emulator/status"):
            setter = {"eip": self.set_eip_status, "havip": self.set_havip_status}.get(payload.pop("kind", None))
            if setter is None:
                return Response(400, {"error": 'kind must be "eip" or "havip"'})
            try:
                setter(payload.pop("id", None), **payload)
            except (TypeError, ValueError, KeyError) as err:
                return Response(400, {"error": str(err)})
            return Response(200, {"status": "set"})
        if route == ("POST", "/_emulator/config"):
            if "transition_seconds" in payload:
                self.set_transition(payload["transition_seconds"])
            if "rate_limit" in payload:
                try:
                    self.set_rate_limit(payload["rate_limit"], payload.get("rate_limit_actions"))
                except (TypeError, ValueError) as err:
                    return Response(400, {"error": str(err)})
            return Response(200, {"transition_seconds": self.transition_seconds, **self.rate_limit.settings()})
        return Response(404, {"error": f"no control endpoint {request.method} {request.path}"})

    # ---- ECS instance metadata -----------------------------------------------------------------
    def _metadata(self, request):
        if request.method == "PUT" and request.path == "/latest/api/token":
            return Response(200, self.metadata.new_token(), content_type="text/plain")
        if request.method != "GET":
            return Response(405, "Method Not Allowed", content_type="text/plain")
        with self.state.lock:
            status, content_type, body = self.metadata.answer(
                self.state, request.path, request.header("x-aliyun-ecs-metadata-token"))
        return Response(status, body, content_type=content_type)
