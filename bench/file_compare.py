#!/usr/bin/env python3
"""Side by side on one capture: ringtrack's batch mode against tshark's TCP conversations
and tcpdump merely reading the file; and ringtrack's peak memory per tracked connection.

  file_compare.py [--build DIR] [--connections 100000] [--packets 1000000] [--pps 250000] [--runs 5]
                  [--baseline RINGTRACK] [--no-tshark] [--threads N]

Generates the capture with ringtrack-pcapgen (all connections open at once, then closed),
times each command (median of --runs, wall clock, runs interleaved), prints the ratios.
Memory: how much peak RSS grows per tracked connection, from a capture with half the
connections to the full one (same options), so fixed costs cancel out. They cancel only
while both runs touch the same fixed memory: with many shards (--threads), each shard's
output queue and the huge pages of its arena are touched in steps that depend on how many
connections the shard holds, so the figure is only meaningful with one or few shards.
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(argv, runs):
    """Median wall seconds and the largest peak RSS (KiB) of running argv `runs` times."""
    walls, peaks = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"failed: {' '.join(argv)}")
        del before
    return statistics.median(walls), max(peaks)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(HERE, "..", "build"))
    ap.add_argument("--connections", type=int, default=100000)
    ap.add_argument("--packets", type=int, default=1000000)
    ap.add_argument("--runs", type=int, default=5)
    # Another ringtrack binary (say, an older commit's build) timed in the same rounds.
    ap.add_argument("--baseline")
    # tshark takes ~70 times as long as the rest together: leave it out for quick rounds.
    ap.add_argument("--no-tshark", action="store_true")
    # A gateway with 100k open connections sees hundreds of thousands of packets a second;
    # the capture's clock matters because removal timers sweep the table every second.
    ap.add_argument("--pps", type=int, default=250000)
    ap.add_argument("--threads", type=int, help="ringtrack's shard count (default: its own, CPUs - 1)")
    args = ap.parse_args()
    threads = ["--threads", str(args.threads)] if args.threads else []
    ringtrack = os.path.join(args.build, "frontend", "ringtrack")
    pcapgen = os.path.join(args.build, "tools", "pcapgen", "ringtrack-pcapgen")

    with tempfile.TemporaryDirectory() as tmp:
        capture = os.path.join(tmp, "bench.pcap")
        subprocess.run([pcapgen, "bench", "--conns", str(args.connections), "--packets", str(args.packets),
                        "--pps", str(args.pps), "-o", capture], check=True, capture_output=True)
        size_mb = os.path.getsize(capture) / 1e6
        print(f"capture: {args.packets} packets, {args.connections} connections, {size_mb:.0f} MB, "
              f"{args.packets / args.pps:.0f} s at {args.pps} packets/s")
        ours = [ringtrack, "-T", capture, "--batch", "--format", "json"] + threads
        rows = [
            ("ringtrack -T f --batch --format json", ours),
            ("tshark -r f -q -z conv,tcp", ["tshark", "-n", "-r", capture, "-q", "-z", "conv,tcp"]),
            ("tcpdump -r f -w /dev/null", ["tcpdump", "-n", "-r", capture, "-w", "/dev/null"]),
        ]
        if args.no_tshark:
            rows = [row for row in rows if not row[0].startswith("tshark")]
        if args.baseline:
            rows.append(("baseline ringtrack, same options", [args.baseline] + ours[1:]))
        walls = {name: [] for name, _ in rows}
        for _ in range(args.runs):  # interleaved, so machine noise hits every command alike
            for name, argv in rows:
                walls[name].append(timed(argv, 1)[0])
        results = {name: (statistics.median(w), 0) for name, w in walls.items()}
        base = results[rows[0][0]][0]
        print(f"{'command':42} {'median s':>9} {'Mpps':>7} {'vs ringtrack':>13}")
        for name, (wall, _) in results.items():
            print(f"{name:42} {wall:9.3f} {args.packets / wall / 1e6:7.2f} {wall / base:12.1f}x")

        # Memory per tracked connection: the growth of peak RSS between a capture with half
        # the connections and the full one, at the same table size, divided by the extra
        # connections (fixed costs, the table's index included, cancel out); at the
        # default --max-flows and with --max-flows sized to the load.
        half = os.path.join(tmp, "half.pcap")
        subprocess.run([pcapgen, "bench", "--conns", str(args.connections // 2), "--packets",
                        str(args.packets // 2), "--pps", str(args.pps), "-o", half], check=True, capture_output=True)
        print(f"\npeak RSS per tracked connection ({args.connections // 2} -> {args.connections} at once):")
        for label, extra in (("default --max-flows 1048576", []),
                             (f"--max-flows {args.connections}", ["--max-flows", str(args.connections)])):
            fulls = [timed(ours + extra, 1)[1] for _ in range(3)]
            halves = [timed([ringtrack, "-T", half] + ours[3:] + extra, 1)[1] for _ in range(3)]
            full, halfway = statistics.median(fulls), statistics.median(halves)
            per = (full - halfway) * 1024 / (args.connections - args.connections // 2)
            print(f"  {label:28} peak {full / 1024:7.1f} MiB (half: {halfway / 1024:6.1f} MiB): {per:6.1f} bytes")

if __name__ == "__main__":
    main()
