#!/usr/bin/env python3
"""ringtrack's live demo: a throwaway network namespace behind a veth pair, real kernel
TCP through it, and ringtrack capturing on the host side.

Traffic: two long transfers at different rates, short requests several times a second, an
idle connection held open, refused connections (RESET) and aborted ones (RST). Only the
lab's private addresses are used; everything is removed on exit (q, Ctrl-C, the end of
--seconds, SIGTERM, or SIGHUP when its terminal goes away).

  demo.py [--ringtrack PATH] [--seconds N] [--batch] [--lab-file PATH] [-- extra ringtrack options]

--lab-file: where to write the lab's names (namespace, host interface) as JSON once it is
set up, so a test can check they are gone afterwards and remove them if they are not.

On a terminal ringtrack draws its screen; without one (or with --batch) it prints a text
report every two seconds and stops after --seconds (default 20).
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import threading

from ringtrack_testlib.netns_lab import Lab, TRAFFIC

HERE = os.path.dirname(os.path.abspath(__file__))


class Workers:
    """Traffic commands run again and again, each on its own thread, until stop(): then
    the running ones are killed, so none outlives the lab (a 30 MB transfer to a removed
    interface would hang for minutes)."""

    def __init__(self):
        self._stopped = threading.Event()
        self._lock = threading.Lock()  # no command starts after stop() swept the running ones
        self._running = set()
        self._threads = []

    def start(self, argv, pause):
        th = threading.Thread(target=self._loop, args=(argv, pause), daemon=True)
        self._threads.append(th)
        th.start()

    def _loop(self, argv, pause):
        while True:
            with self._lock:
                if self._stopped.is_set():
                    return
                proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                self._running.add(proc)
            proc.wait()
            with self._lock:
                self._running.discard(proc)
            self._stopped.wait(pause)

    def stop(self):
        with self._lock:
            self._stopped.set()
            for proc in self._running:
                proc.kill()
        for th in self._threads:
            th.join(timeout=10)


def run_in_lab(lab, args, batch, seconds, stop, workers):
    """Serves, starts the traffic and runs ringtrack on the lab's host side until it ends
    or stop is set; returns ringtrack's exit status."""
    if args.lab_file:
        with open(args.lab_file, "w") as f:
            json.dump({"ns": lab.ns, "host_if": lab.host_if}, f)
    lab.serve(80, reply=3000)
    lab.serve(443, reply=0)
    lab.serve(22, reply=100)
    t, ip = TRAFFIC, lab.ns_ip
    commands = [
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
    for argv, pause in commands:
        workers.start(argv, pause)

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
        while ringtrack.poll() is None and not stop.wait(0.2):
            pass
        if ringtrack.poll() is None:
            ringtrack.send_signal(signal.SIGTERM)
        return ringtrack.wait()
    except KeyboardInterrupt:
        ringtrack.send_signal(signal.SIGINT)
        return ringtrack.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ringtrack", default=os.path.join(HERE, "..", "build", "frontend", "ringtrack"))
    ap.add_argument("--seconds", type=float, default=None)
    ap.add_argument("--batch", action="store_true")
    ap.add_argument("--lab-file")
    ap.add_argument("extra", nargs="*")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("demo: run as root (it creates a network namespace and captures packets)")
    batch = args.batch or not sys.stdout.isatty()
    seconds = args.seconds if args.seconds is not None else (20 if batch else 0)

    stop = threading.Event()
    # SIGHUP: the terminal went away (a closed window, a killed tmux). Leave through the
    # lab's exit like SIGTERM does, or the namespace and veth pair outlive the demo.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: stop.set())
    workers = Workers()
    with Lab(prefix="demo") as lab:
        try:
            rc = run_in_lab(lab, args, batch, seconds, stop, workers)
        finally:
            # Before the lab goes: no traffic command may outlive its interface.
            stop.set()
            workers.stop()
    return rc


if __name__ == "__main__":
    sys.exit(main())
