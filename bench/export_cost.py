#!/usr/bin/env python3
"""What IPFIX export costs a capture file: the SYN-flood capture (tools/pcapgen synflood, a
connection per SYN at 100k a second of capture time, the table bounded so evictions stream
out as they happen) read with -T, export off and on (to nfcapd on loopback, UDP), wall
time and CPU time per round, and what the export counted and nfcapd stored.

Usage (from the repository root, as in bench/README.md):
    PYTHONPATH=tools python3 bench/export_cost.py --ringtrack build/frontend/ringtrack \\
        --pcapgen build/tools/pcapgen/ringtrack-pcapgen [--syns 1000000] [--rounds 3]
"""
import argparse
import json
import os
import resource
import subprocess
import tempfile
import time

from ringtrack_testlib.flow_collectors import Nfcapd


def run(argv):
    """Wall seconds, CPU seconds of the child, and its last summary (rows are read and dropped)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    summary = None
    for line in proc.stdout:
        if line.startswith('{"type":"summary"'):
            summary = json.loads(line)
    rc = proc.wait()
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if rc != 0:
        raise SystemExit(f"{argv[0]} exited {rc}")
    return wall, cpu, summary


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ringtrack", required=True)
    ap.add_argument("--pcapgen", required=True)
    ap.add_argument("--syns", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--max-flows", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        flood = os.path.join(tmp, "flood.pcap")
        subprocess.run([args.pcapgen, "synflood", "-o", flood, "--count", str(args.syns), "--established", "100",
                        "--pps", "100000"], check=True, capture_output=True)
        common = [args.ringtrack, "-T", flood, "--batch", "--format", "json", "--max-flows", str(args.max_flows)]
        print(f"{args.syns} SYNs + 100 connections at 100k SYN/s of capture time, --max-flows {args.max_flows}")
        for r in range(args.rounds):
            wall, cpu, s = run(common)
            print(f"round {r + 1} export off: {wall:.2f} s wall, {cpu:.2f} s CPU, {s['connections']} connections, "
                  f"{s['connections'] / wall / 1e3:.0f}k connections/s")
            nfcapd = Nfcapd(os.path.join(tmp, f"nfcapd{r}"), echo=False)
            try:
                wall, cpu, s = run(common + ["--ipfix", f"127.0.0.1:{nfcapd.port}"])
                nfcapd.stop(timeout=120)
                stored = nfcapd.stored_flows()
            finally:
                nfcapd.close()
            print(f"round {r + 1} export on:  {wall:.2f} s wall, {cpu:.2f} s CPU, "
                  f"{s['export_sent'] / wall / 1e3:.0f}k records/s; sent {s['export_sent']}, "
                  f"dropped {s['export_dropped']}, nfcapd stored {stored}")


if __name__ == "__main__":
    main()
