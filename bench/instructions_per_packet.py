#!/usr/bin/env python3
"""Instructions a packet costs in decode_bench's BM_DecodeAndUpdate, split into decoding
and flow work (hash, lookup, counters, state), counted by callgrind: unlike the timings,
the same build gives the same count on any run of any machine.

  instructions_per_packet.py [--build DIR] [--connections 1000] [--baseline DIR]

DIR is a build with line tables, so that callgrind can tell which source each inlined
instruction came from:  meson setup build-prof -Ddebug=true -Doptimization=3
With --baseline, a second build (another commit) is counted the same way beside it.
The packet count is read from a line that runs exactly once per decoded packet, in the
annotated sources (`out.flow_hash = 0;` in fill_tcp_fields; `out.kind = packet_kind::tcp;`
in builds before 2026-12-04): the sources on disk must be the ones each build was made from.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

PER_PACKET_LINE = re.compile(r"^\s*([\d,]+) .*(?:out\.flow_hash = 0;|out\.kind = packet_kind::tcp;)", re.M)
BY_FILE = re.compile(r"^\s*([\d,]+) \(.*?\)\s+(\S+?):\S", re.M)


def count(build, connections):
    program = os.path.abspath(os.path.join(build, "bench", "decode_bench"))
    if not os.access(program, os.X_OK):
        sys.exit(f"instructions_per_packet.py: no decode_bench in {build}/bench (build it first)")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                        "--collect-atstart=no", "--toggle-collect=*BM_DecodeAndUpdate*", program,
                        f"--benchmark_filter=BM_DecodeAndUpdate/{connections}$",
                        "--benchmark_min_time=0.01"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        text = subprocess.run(["callgrind_annotate", "--auto=yes", "--threshold=100", out], check=True,
                              capture_output=True, text=True).stdout
    found = PER_PACKET_LINE.search(text)
    if not found:
        sys.exit(f"instructions_per_packet.py: {build} has no line tables (set it up with -Ddebug=true)")
    packets = int(found.group(1).replace(",", ""))
    decode = flow = 0
    for m in BY_FILE.finditer(text):
        instructions, path = int(m.group(1).replace(",", "")), m.group(2)
        # The key's compare is inlined from decode/flow_key.hpp into the shard's lookups.
        if "/engine/decode/" in path and not path.endswith("flow_key.hpp"):
            decode += instructions
        elif "/engine/flow/" in path or path.endswith("flow_key.hpp"):
            flow += instructions
    return packets, decode / packets, flow / packets


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default="build-prof")
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--baseline")
    args = parser.parse_args()
    print(f"BM_DecodeAndUpdate/{args.connections}: instructions per packet")
    print(f"{'build':<24} {'packets':>10} {'decode':>8} {'flow':>8} {'total':>8}")
    for build in [args.build] + ([args.baseline] if args.baseline else []):
        packets, decode, flow = count(build, args.connections)
        print(f"{build:<24} {packets:>10} {decode:>8.1f} {flow:>8.1f} {decode + flow:>8.1f}")


if __name__ == "__main__":
    main()
