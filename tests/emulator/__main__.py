"""``python -m emulator``: serve the emulator until SIGTERM/SIGINT (tests/ must be on PYTHONPATH)."""
import argparse
import signal
import sys
import threading

from .app import Emulator


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--seed", help="seed JSON file (default: the packaged data/seed.json)")
    parser.add_argument("--transition", type=float, default=1.0,
                        help="seconds a resource stays Associating/Unassociating")
    parser.add_argument("--rate-limit", type=int, default=None,
                        help="requests per action per second before Throttling.User (default: no limit)")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--port-file", help="write the chosen port to this file")
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    return args


def main(argv=None):
    args = parse_args(argv)
    tls = (args.tls_cert, args.tls_key) if args.tls_cert else None
    emulator = Emulator(seed=args.seed, transition_seconds=args.transition, port=args.port,
                        host=args.host, tls=tls, rate_limit=args.rate_limit).start()
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopped.set())
    if args.port_file:
        with open(args.port_file, "w", encoding="utf-8") as handle:
            handle.write(str(emulator.port))
    print(f"listening on {emulator.url}", flush=True)
    stopped.wait()
    emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
