#!/usr/bin/env python3
"""Soak: live capture for a given time under steady connection churn through a veth pair,
with ringtrack's RSS sampled every second. Root (network namespace, packet sockets).

  soak.py --ringtrack build/frontend/ringtrack [--seconds 600] [--max-flows 1000]
          [--workers 6] [--csv rss.csv] [--export]

The churn: worker threads in this namespace open connections to a server in the lab's
namespace, send a few kB and close (ending CLOSED); every fifth attempt goes to a closed
port (RESET); four long transfers trickle throughout. --max-flows is kept below what the
churn keeps in the table (closed rows stay 2 s), so eviction runs all the time.

Reports RSS at start, after the first minute (warm: every table page that will ever be
touched has been), the peak and at the end, against the bound the README states:
214 bytes x --max-flows plus 2.25 MiB a shard plus the rings. Exit status 1 if the peak passes the bound or RSS
grew after the first minute by more than 1 MiB.

--export: the run exports every connection to a real nfcapd on loopback (IPFIX over UDP,
--active-timeout 10), and the report adds records sent and dropped and what nfcapd stored.
"""
import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

from ringtrack_testlib.flow_collectors import Nfcapd
from ringtrack_testlib.netns_lab import Lab, TRAFFIC
from ringtrack_testlib.proc_stats import status_kib
from ringtrack_testlib.ready_line import wait_for_line

BYTES_PER_FLOW_SLOT = 214
BYTES_PER_SHARD = 2304 << 10


def churn(to, port, closed_port, stop, counts, lock):
    n = 0
    while not stop.is_set():
        n += 1
        try:
            if n % 5 == 0:
                try:
                    socket.create_connection((to, closed_port), timeout=2).close()
                except ConnectionRefusedError:
                    pass
                kind = "reset"
            else:
                c = socket.create_connection((to, port), timeout=5)
                c.sendall(b"c" * 3000)
                c.shutdown(socket.SHUT_WR)
                while c.recv(65536):
                    pass
                c.close()
                kind = "closed"
        except OSError:
            kind = "error"
        with lock:
            counts[kind] = counts.get(kind, 0) + 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ringtrack", required=True)
    ap.add_argument("--seconds", type=int, default=600)
    ap.add_argument("--max-flows", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=6)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--ring-mb", type=int, default=16)
    ap.add_argument("--csv")
    ap.add_argument("--export", action="store_true")
    args = ap.parse_args()

    samples = []
    counts, lock, stop = {}, threading.Lock(), threading.Event()
    with contextlib.ExitStack() as stack:
        lab = stack.enter_context(Lab(prefix="rtsk"))
        out = stack.enter_context(tempfile.TemporaryFile(mode="w+"))
        export = []
        if args.export:
            flows_dir = stack.enter_context(tempfile.TemporaryDirectory())
            nfcapd = Nfcapd(os.path.join(flows_dir, "flows"), echo=False)
            stack.callback(nfcapd.close)
            export = ["--ipfix", f"127.0.0.1:{nfcapd.port}", "--active-timeout", "10"]
        lab.serve(8080)
        cap = subprocess.Popen([args.ringtrack, "-i", lab.host_if, "--batch", "--format", "json", "--verbose",
                                "--threads", str(args.threads), "--ring-mb", str(args.ring_mb),
                                "--max-flows", str(args.max_flows), *export],
                               stdout=out, stderr=subprocess.PIPE, text=True)
        wait_for_line(cap.stderr, "capturing on")
        trickles = [lab.popen([*TRAFFIC, "send", "--to", lab.ns_ip, "--port", "8080",
                               "--bytes", str(20000 * args.seconds), "--rate", "20000"],
                              stdout=subprocess.DEVNULL) for _ in range(4)]
        workers = [threading.Thread(target=churn, args=(lab.ns_ip, 8080, 9, stop, counts, lock), daemon=True)
                   for _ in range(args.workers)]
        for w in workers:
            w.start()
        started = time.monotonic()
        while time.monotonic() - started < args.seconds:
            samples.append((round(time.monotonic() - started, 1), status_kib(cap.pid)))
            time.sleep(1.0)
        peak = status_kib(cap.pid, "VmHWM")
        stop.set()
        for w in workers:
            w.join()
        for t in trickles:
            t.kill()
        cap.send_signal(2)
        cap.wait(timeout=60)
        out.seek(0)
        summary = None
        for line in out:
            if line.startswith('{"type":"summary"'):
                summary = json.loads(line)
        stored = None
        if args.export:
            nfcapd.stop()
            stored = nfcapd.stored_flows()

    if args.csv:
        with open(args.csv, "w") as f:
            f.write("seconds,rss_kib\n")
            f.writelines(f"{t},{r}\n" for t, r in samples)
    start = samples[0][1]
    warm = next((r for t, r in samples if t >= 60), samples[-1][1])
    end = samples[-1][1]
    bound_kib = (BYTES_PER_FLOW_SLOT * args.max_flows + args.threads * (args.ring_mb * (1 << 20) + BYTES_PER_SHARD)) // 1024
    growth_after_warm = max(r for t, r in samples if t >= 60) - warm if args.seconds > 60 else 0
    print(f"soak {args.seconds} s, --max-flows {args.max_flows}, {args.threads} readers, {args.ring_mb} MiB rings")
    print(f"churn: {counts.get('closed', 0)} closed + {counts.get('reset', 0)} refused connections "
          f"({(counts.get('closed', 0) + counts.get('reset', 0)) / args.seconds:.0f}/s), errors {counts.get('error', 0)}")
    if summary:
        print(f"ringtrack: connections {summary['connections']}, evictions {summary['evictions']}, "
              f"expired {summary['expired']}, kernel packets {summary['kernel_packets']}, "
              f"drops {summary['kernel_drops']}, reports lost {summary['reports_lost']}")
        if args.export:
            print(f"export: records sent {summary['export_sent']}, dropped {summary['export_dropped']}, "
                  f"nfcapd stored {stored}")
    print(f"RSS KiB: start {start}, at 60 s {warm}, end {end}, peak {peak}; "
          f"growth after 60 s {growth_after_warm}; bound over start {bound_kib}")
    ok = peak - start <= bound_kib and growth_after_warm <= 1024
    print("within the bound" if ok else "BOUND EXCEEDED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
