#!/usr/bin/env python3
"""Live capture on a many-core machine: how far ringtrack's readers scale, and where it and
tcpdump start dropping. Run as root; made for the 16-core device machine (see bench/README.md),
also runs anywhere with enough CPUs.

  capture_scaling.py [--bin DIR] [--readers 1,2,4,8] [--reader-cpus 0-7] [--sender-cpus 8-15]
                     [--seconds 4] [--fractions 0.25,0.5,0.75] [--drain-frames 3000000] [--loopback]
                     [--parts full,paced,drain]

Traffic: the data frames of ringtrack-pcapgen's `bench` capture (100k connections, ACKs and
data segments; its handshakes and closes left out, so the same 100k connections stay open,
picked up mid-stream, however often the frames loop), looped by ringtrack-blast from one
pinned sender per sender CPU inside a throwaway namespace onto its veth. Captures run on the host end, readers pinned
to the reader CPUs. veth hands each frame to the host end on the sending CPU, so the kernel's
side of capture (fanout, copy into the ring) runs on the sender CPUs and the readers' CPUs
do only what the capture program itself does. --loopback sends onto lo instead (for a
kernel without veth); everything else is the same.

Three parts, each printed as a table:
  1. full speed: every sender as fast as it goes, ringtrack with 1, 2, 4, 8 readers,
     tcpdump -w /dev/null with its default 2 MiB buffer and with -B 65536 (one ringtrack
     ring's 64 MiB): offered (frames the host end received), seen, dropped by the kernel;
     and tcptrack in a tmux terminal, which reports no counts: its CPU only.
  2. paced: the same total rate for tcpdump and ringtrack (1 reader and the most readers),
     at fractions of the full-speed rate: where each starts dropping.
  3. drain: ringtrack is stopped (SIGSTOP), K frames are sent into its rings (big enough to
     hold them all), then it is let go; each reader's CPU time until its ring is empty
     (/proc schedstat of the threads named rt-readerN) gives the rate the readers take
     frames off the rings, with no sender competing: the capture capacity of N readers.
"""
import argparse
import io
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from ringtrack_testlib.baseline_tools import run_tcpdump, run_tcptrack
from ringtrack_testlib.link_counters import interface_counter, rx_packets
from ringtrack_testlib.netns_lab import Lab
from ringtrack_testlib.proc_stats import cpu_seconds, on_cpu_ns, thread_names
from ringtrack_testlib.ready_line import wait_for_line

HERE = os.path.dirname(os.path.abspath(__file__))

# ringtrack's live snap length is 256 bytes: a ring slot is its header (~80 bytes) plus at
# most 256 captured bytes. Rings for the drain are sized for this, with room to spare.
RING_SLOT_BYTES = 352


def cpu_list(text):
    cpus = []
    for part in text.split(","):
        first, _, last = part.partition("-")
        cpus += list(range(int(first), int(last or first) + 1))
    return cpus


def spans(cpus):
    return ",".join(str(c) for c in cpus)


class LoopbackLab:
    """lo in this namespace, shaped like netns_lab.Lab for what this script uses."""
    ns = None
    host_if = ns_if = "lo"

    def __init__(self):
        self._procs = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for p in self._procs:
            if p.poll() is None:
                p.kill()
                p.wait()

    def popen(self, argv, **kw):
        p = subprocess.Popen(argv, **kw)
        self._procs.append(p)
        return p


class Bench:
    def __init__(self, args, lab, pcap, frames):
        self.args, self.lab, self.pcap, self.frames = args, lab, pcap, frames
        self.ringtrack = os.path.join(args.bin, "ringtrack")
        self.blaster = os.path.join(args.bin, "ringtrack-blast")
        self.readers = cpu_list(args.reader_cpus)
        self.senders = cpu_list(args.sender_cpus)

    def blast(self, pps=0, count=0):
        """Sends from every sender CPU; returns (offered, backlog drops, blaster report)."""
        before, dropped_before = rx_packets(self.lab.host_if), interface_counter(self.lab.host_if, "rx_dropped")
        argv = ["ip", "netns", "exec", self.lab.ns] if self.lab.ns else []
        argv += [self.blaster, "-i", self.lab.ns_if, "-r", self.pcap, "--frames", self.frames, "--senders", str(len(self.senders)), "--cpus", spans(self.senders)]
        argv += ["--count", str(count)] if count else ["--seconds", str(self.args.seconds)]
        if pps:
            argv += ["--pps", str(int(pps))]
        run = subprocess.run(argv, capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"ringtrack-blast failed: {run.stderr.strip()}")
        time.sleep(0.3)
        offered = rx_packets(self.lab.host_if) - before
        return offered, interface_counter(self.lab.host_if, "rx_dropped") - dropped_before, json.loads(run.stdout)

    def start_ringtrack(self, readers, ring_mb=None):
        argv = [self.ringtrack, "-i", self.lab.host_if, "--batch", "--format", "json", "--verbose",
                "--threads", str(readers), "--cpus", spans(self.readers[:readers])]
        if ring_mb:
            argv += ["--ring-mb", str(ring_mb)]
        # Started through the lab, which kills what is still running when it closes.
        proc = self.lab.popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # stdout stays binary (millions of rows, only the last line wanted); stderr is read as text.
        proc.err_text = io.TextIOWrapper(proc.stderr, errors="replace")
        wait_for_line(proc.err_text, "capturing on", timeout=120)
        return proc

    @staticmethod
    def stop_ringtrack(proc):
        """SIGINT, then the summary: the last line of what may be millions of rows."""
        proc.send_signal(signal.SIGINT)
        tail = b""
        while chunk := proc.stdout.read(1 << 20):
            tail = (tail + chunk)[-4096:]
        err = proc.err_text.read()
        if proc.wait(timeout=120) != 0:
            sys.exit(f"ringtrack failed: {err.strip()}")
        return json.loads(tail.strip().splitlines()[-1])

    def ringtrack_row(self, readers, pps=0):
        proc = self.start_ringtrack(readers)
        start = cpu_seconds(proc.pid)
        offered, backlog, sent = self.blast(pps)
        cpu = cpu_seconds(proc.pid) - start
        s = self.stop_ringtrack(proc)
        return (f"ringtrack {readers} reader" + ("s" if readers > 1 else ""), offered, backlog, s["frames_read"],
                s["kernel_drops"], cpu, sent)

    def tcpdump_row(self, buffer_kib=None, pps=0):
        # -Z root: tcpdump would drop to a "tcpdump" user, which a bare machine lacks.
        extra = ["-Z", "root"] + (["-B", str(buffer_kib)] if buffer_kib else [])
        cpu0 = self.readers[0]
        (offered, backlog, sent), captured, dropped, cpu = run_tcpdump(
            self.lab.host_if, lambda: self.blast(pps), extra, popen=self.lab.popen,
            preexec_fn=lambda: os.sched_setaffinity(0, {cpu0}))
        name = "tcpdump -w /dev/null" + (f" -B {buffer_kib}" if buffer_kib else "")
        return name, offered, backlog, captured, dropped, cpu, sent

    def drain(self, readers, frames):
        ring_mb = max(64, math.ceil(frames * RING_SLOT_BYTES * 2 / readers / (1 << 20)))
        proc = self.start_ringtrack(readers, ring_mb)
        try:
            threads = reader_threads(proc.pid, readers)
            os.kill(proc.pid, signal.SIGSTOP)
            offered, backlog, _ = self.blast(count=frames)
            time.sleep(1.0)  # every ring block retired (its timeout), the last frames in place
            base = [on_cpu_ns(proc.pid, t) for t in threads]
            go = time.monotonic()
            os.kill(proc.pid, signal.SIGCONT)
            # Sampled every 2 ms: a reader is busy in a sample where it ran most of it; it is
            # done once it has not been busy for 50 ms. Wall time runs to the last busy sample.
            last, last_t = list(base), go
            last_busy = [go] * len(threads)
            while True:
                time.sleep(0.002)
                now, t = [on_cpu_ns(proc.pid, th) for th in threads], time.monotonic()
                for i, (n, l) in enumerate(zip(now, last)):
                    if n - l >= 0.5 * (t - last_t) * 1e9:
                        last_busy[i] = t
                last, last_t = now, t
                if t - max(last_busy) >= 0.05:
                    break
            wall = max(last_busy) - go
            busy = [(n - b) / 1e9 for n, b in zip(last, base)]
        except BaseException:
            os.kill(proc.pid, signal.SIGCONT)
            proc.kill()
            proc.wait()
            raise
        s = self.stop_ringtrack(proc)
        return dict(readers=readers, ring_mb=ring_mb, offered=offered, backlog=backlog, read=s["frames_read"],
                    drops=s["kernel_drops"], busy=busy, wall=wall)


def reader_threads(pid, count):
    """The thread ids of ringtrack's readers, once all `count` have named themselves."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = [tid for tid, name in thread_names(pid).items() if name.startswith("rt-reader")]
        if len(found) == count:
            return found
        time.sleep(0.05)
    sys.exit(f"expected {count} threads named rt-readerN in ringtrack {pid}")


def tcptrack_row(bench):
    (offered, backlog, _), cpu = run_tcptrack(bench.lab.host_if, bench.blast)
    return offered, backlog, cpu


def print_rows(title, rows, seconds):
    print(f"\n{title}")
    print(f"{'tool':30} {'offered':>11} {'backlog':>8} {'seen':>11} {'dropped':>10} {'seen/s':>11} "
          f"{'CPU s':>6} {'ns CPU/pkt':>10}")
    for name, offered, backlog, seen, dropped, cpu, _ in rows:
        print(f"{name:30} {offered:11d} {backlog:8d} {seen:11d} {dropped:10d} {seen / seconds:11.0f} "
              f"{cpu:6.2f} {1e9 * cpu / max(1, seen):10.0f}", flush=True)


def main():
    # A timeout's SIGTERM unwinds like an exception: namespaces and processes are cleaned up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", help="folder with ringtrack, ringtrack-blast, ringtrack-pcapgen (default: the build)")
    ap.add_argument("--build", default=os.path.join(HERE, "..", "build"))
    ap.add_argument("--readers", default="1,2,4,8")
    ap.add_argument("--reader-cpus", default="0-7")
    ap.add_argument("--sender-cpus", default="8-15")
    ap.add_argument("--seconds", type=int, default=4)
    ap.add_argument("--fractions", default="0.25,0.5,0.75")
    ap.add_argument("--drain-frames", type=int, default=3_000_000)
    ap.add_argument("--conns", type=int, default=100_000)
    ap.add_argument("--packets", type=int, default=1_000_000)
    ap.add_argument("--loopback", action="store_true", help="send on lo, not through a veth pair")
    ap.add_argument("--parts", default="full,paced,drain")
    args = ap.parse_args()
    if args.bin is None:
        b = os.path.abspath(args.build)
        args.bin = tempfile.mkdtemp(prefix="rtbin")
        for rel in ("frontend/ringtrack", "tools/blast/ringtrack-blast", "tools/pcapgen/ringtrack-pcapgen"):
            os.symlink(os.path.join(b, rel), os.path.join(args.bin, os.path.basename(rel)))
    args.bin = os.path.abspath(args.bin)
    readers = [int(r) for r in args.readers.split(",")]

    print(f"{os.cpu_count()} CPUs, kernel {os.uname().release}; readers on CPUs {args.reader_cpus}, "
          f"senders on CPUs {args.sender_cpus}, {args.seconds} s a run", flush=True)
    with tempfile.TemporaryDirectory() as tmp, (LoopbackLab() if args.loopback else Lab(prefix="cs")) as lab:
        pcap = os.path.join(tmp, "traffic.pcap")
        subprocess.run([os.path.join(args.bin, "ringtrack-pcapgen"), "bench", "--conns", str(args.conns),
                        "--packets", str(args.packets), "-o", pcap], check=True, capture_output=True)
        # bench writes 3 handshake frames per connection first and 3 closing ones last.
        bench = Bench(args, lab, pcap, f"{3 * args.conns}-{args.packets - 3 * args.conns}")

        parts = args.parts.split(",")
        full = []
        if "full" in parts or "paced" in parts:  # the paced rates are fractions of the full-speed one
            full = [bench.ringtrack_row(n) for n in readers]
            full += [bench.tcpdump_row(), bench.tcpdump_row(65536)]
        if "full" in parts:
            print_rows("1. every sender at full speed", full, args.seconds)
            if shutil.which("tcptrack") and shutil.which("tmux"):
                offered, backlog, cpu = tcptrack_row(bench)
                print(f"{'tcptrack':30} {offered:11d} {backlog:8d} {'(reports no counts)':>33} {cpu:6.2f} "
                      f"{1e9 * cpu / max(1, offered):10.0f}", flush=True)
            else:
                print("tcptrack: tcptrack or tmux not found, no row", flush=True)
        top_rate = max((r[1] for r in full), default=0) / args.seconds

        for fraction in [float(f) for f in args.fractions.split(",")] if "paced" in parts else []:
            pps = fraction * top_rate
            rows = [bench.tcpdump_row(pps=pps), bench.tcpdump_row(65536, pps=pps),
                    bench.ringtrack_row(readers[0], pps), bench.ringtrack_row(readers[-1], pps)]
            print_rows(f"2. paced at {pps:.0f} frames/s in total ({fraction:g} of the fastest offered rate)",
                       rows, args.seconds)

        if "drain" not in parts:
            return
        print(f"\n3. drain: {args.drain_frames} frames queued in the rings while ringtrack is stopped, then read")
        print("   (busy: the slowest reader's CPU time until its ring was empty; wall: from SIGCONT to the last")
        print("   2 ms sample in which a reader still ran; the kernel's copy into the rings is not in either)")
        print(f"{'readers':>7} {'ring MiB':>8} {'queued':>10} {'read':>10} {'dropped':>8} {'busy s':>7} {'wall s':>7} "
              f"{'frames/s busy':>13} {'x 1':>5} {'frames/s wall':>13} {'x 1':>5} {'ns CPU/pkt':>10}")
        one = None
        for n in readers:
            d = bench.drain(n, args.drain_frames)
            rate, rate_wall = d["offered"] / max(d["busy"]), d["offered"] / max(d["wall"], 1e-9)
            one = one or (rate, rate_wall)
            print(f"{n:7d} {d['ring_mb']:8d} {d['offered']:10d} {d['read']:10d} {d['drops']:8d} {max(d['busy']):7.3f} "
                  f"{d['wall']:7.3f} {rate:13.0f} {rate / one[0]:5.2f} {rate_wall:13.0f} {rate_wall / one[1]:5.2f} "
                  f"{1e9 * sum(d['busy']) / d['offered']:10.1f}", flush=True)


if __name__ == "__main__":
    main()
