#!/usr/bin/env python3
"""Live capture side by side: packets pushed through a veth pair at a fixed rate (or as fast
as this machine can), and what ringtrack (1, 2, ... readers), tcpdump -w /dev/null (one
TPACKET_V3 ring, the libpcap baseline) and tcptrack each saw and lost.

  live_compare.py [--build DIR] [--seconds 5] [--rates topspeed,200000,...] [--readers 1,2]
                  [--no-tcptrack]

The many-core run (8 senders, 1 to 8 readers, the readers' drain rate) is capture_scaling.py.

Run as root. Traffic: a synthetic capture (tools/pcapgen, small TCP frames) replayed with
tcpreplay from inside a throwaway namespace onto its veth; captures run on the host end.
Offered = frames the host end received (its rx counter). Each tool gets the same load in
turn. tcptrack reports no counts: its CPU time is shown instead.
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

from ringtrack_testlib.baseline_tools import run_tcpdump, run_tcptrack
from ringtrack_testlib.link_counters import rx_packets
from ringtrack_testlib.netns_lab import Lab
from ringtrack_testlib.proc_stats import cpu_seconds
from ringtrack_testlib.ready_line import wait_for_line

HERE = os.path.dirname(os.path.abspath(__file__))


def blast(lab, pcap, rate, seconds):
    """Replays pcap onto the veth from inside the namespace; returns offered frames."""
    before = rx_packets(lab.host_if)
    speed = ["--topspeed"] if rate == "topspeed" else ["--pps", str(rate)]
    replay = subprocess.run(["ip", "netns", "exec", lab.ns, "tcpreplay", "-q", "-i", lab.ns_if, "--loop", "0", "-K",
                             "--duration", str(seconds), *speed, pcap], capture_output=True, text=True)
    if replay.returncode != 0:
        sys.exit(f"tcpreplay failed: {replay.stderr.strip()}")
    time.sleep(0.5)
    return rx_packets(lab.host_if) - before


def run_ringtrack(ringtrack, lab, pcap, rate, seconds, readers):
    proc = subprocess.Popen([ringtrack, "-i", lab.host_if, "--batch", "--format", "json", "--verbose",
                             "--threads", str(readers), "--max-flows", "262144"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for_line(proc.stderr, "capturing on")
    start = cpu_seconds(proc.pid)
    offered = blast(lab, pcap, rate, seconds)
    used = cpu_seconds(proc.pid) - start
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    summary = json.loads(out.strip().splitlines()[-1])
    return offered, summary["frames_read"], summary["kernel_drops"], used


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(HERE, "..", "build"))
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--rates", default="topspeed")
    ap.add_argument("--readers", default="1,2")
    ap.add_argument("--no-tcptrack", action="store_true")
    args = ap.parse_args()
    ringtrack = os.path.abspath(os.path.join(args.build, "frontend", "ringtrack"))
    pcapgen = os.path.join(args.build, "tools", "pcapgen", "ringtrack-pcapgen")
    with tempfile.TemporaryDirectory() as tmp, Lab(prefix="rb") as lab:
        pcap = os.path.join(tmp, "traffic.pcap")
        # Small frames (ACKs and short segments) over 5000 connections: a packet-rate load.
        subprocess.run([pcapgen, "many", "--conns", "5000", "-o", pcap], check=True, capture_output=True)
        print(f"{'rate (pps)':>10} {'tool':24} {'offered':>10} {'seen':>10} {'dropped':>9} {'seen %':>7} "
              f"{'CPU s':>6} {'ns CPU/pkt':>10}")
        for rate in args.rates.split(","):
            rows = []
            for readers in [int(r) for r in args.readers.split(",")]:
                offered, seen, dropped, cpu = run_ringtrack(ringtrack, lab, pcap, rate, args.seconds, readers)
                rows.append((f"ringtrack {readers} reader" + ("s" if readers > 1 else ""), offered, seen, dropped, cpu))
            rows.append(("tcpdump -w /dev/null",
                         *run_tcpdump(lab.host_if, lambda: blast(lab, pcap, rate, args.seconds))))
            for name, offered, seen, dropped, cpu in rows:
                print(f"{rate:>10} {name:24} {offered:10d} {seen:10d} {dropped:9d} {100.0 * seen / max(1, offered):6.1f}% "
                      f"{cpu:6.2f} {1e9 * cpu / max(1, seen):10.0f}")
            if not args.no_tcptrack:
                offered, cpu = run_tcptrack(lab.host_if, lambda: blast(lab, pcap, rate, args.seconds))
                print(f"{rate:>10} {'tcptrack':24} {offered:10d} {'(reports no counts)':>29} {cpu:6.2f} "
                      f"{1e9 * cpu / max(1, offered):10.0f}")


if __name__ == "__main__":
    main()
