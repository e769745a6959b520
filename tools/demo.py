#!/usr/bin/env python3
"""ringtrack's live demo: a throwaway network namespace behind a veth pair, real kernel
TCP through it, and ringtrack capturing on the host side.

Traffic: two long transfers at different rates, short requests several times a second, an
idle connection held open, refused connections (RESET) and aborted ones (RST). Only the
lab's private addresses are used; everything is removed on exit (q, Ctrl-C, or the end
of --seconds).

  demo.py [--ringtrack PATH] [--seconds N] [--batch] [-- extra ringtrack options]

On a terminal ringtrack draws its screen; without one (or with --batch) it prints a text
report every two seconds and stops after --seconds (default 20).
"""
import argparse
import os
import signal
import subprocess
import sys
import threading
import time

from ringtrack_testlib.netns_lab import Lab, TRAFFIC

HERE = os.path.dirname(os.path.abspath(__file__))


def loop(stop, argv, pause):
    """Runs a traffic command again and again until stop is set."""
    while not stop.is_set():
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stop.wait(pause)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ringtrack", default=os.path.join(HERE, "..", "build", "frontend", "ringtrack"))
    ap.add_argument("--seconds", type=float, default=None)
    ap.add_argument("--batch", action="store_true")
    ap.add_argument("extra", nargs="*")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("demo: run as root (it creates a network namespace and captures packets)")
    batch = args.batch or not sys.stdout.isatty()
    seconds = args.seconds if args.seconds is not None else (20 if batch else 0)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with Lab(prefix="demo") as lab:
        lab.serve(80, reply=3000)
        lab.serve(443, reply=0)
        lab.serve(22, reply=100)
        t, ip = TRAFFIC, lab.ns_ip
        workers = [
            # long transfers at two rates, restarted when they end
            ([*t, "send", "--to", ip, "--port", "443", "--bytes", "30000000", "--rate", "1500000"], 0.5),
            ([*t, "send", "--to", ip, "--port", "443", "--bytes", "4000000", "--rate", "200000"], 0.5),
            # short requests
            ([*t, "many", "--to", ip, "--port", "80", "--connections", "3", "--bytes", "400"], 0.3),
            # an idle session held open for a minute at a time
            ([*t, "send", "--to", ip, "--port", "22", "--bytes", "64", "--hold", "60"], 0.1),
            # refused and aborted connections
            ([*t, "refused", "--to", ip, "--port", "8081"], 2.0),
            ([*t, "reset", "--to", ip, "--port", "80", "--bytes", "2000"], 3.0),
        ]
        threads = [threading.Thread(target=loop, args=(stop, argv, pause), daemon=True) for argv, pause in workers]
        for th in threads:
            th.start()

        argv = [args.ringtrack, "-i", lab.host_if]
        if batch:
            argv += ["--batch", "--interval", "2"]
        if seconds:
            argv += ["--duration", str(seconds)] if batch else []
        argv += args.extra
        ringtrack = subprocess.Popen(argv)
        try:
            if seconds and not batch:
                try:
                    ringtrack.wait(timeout=seconds)
                except subprocess.TimeoutExpired:
                    ringtrack.send_signal(signal.SIGTERM)
            while ringtrack.poll() is None and not stop.is_set():
                time.sleep(0.2)
            if ringtrack.poll() is None:
                ringtrack.send_signal(signal.SIGTERM)
            rc = ringtrack.wait()
        except KeyboardInterrupt:
            ringtrack.send_signal(signal.SIGINT)
            rc = ringtrack.wait()
        finally:
            stop.set()
    return rc


if __name__ == "__main__":
    sys.exit(main())
