#!/usr/bin/env python3
"""Golden test for one capture: ringtrack's per-connection counts equal Wireshark's.

Runs `ringtrack -T FILE --batch --format json --no-timeouts` and ringtrack_testlib's
tshark reference on the same frames (libpcap may stop early on a damaged file: tshark then
reads only as many frames), and compares every connection's per-direction packets, wire
bytes, payload bytes, IP bytes, retransmissions, out-of-order segments and zero windows, and
its first/last timestamps, with ringtrack_testlib.golden_compare; the differences listed in
pcaps/known_health_differences.tsv must occur, and no other.

A damaged file (--damaged) must end with exit status 1 and exactly one line on stderr that
names the file, after printing everything read before the damage.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

from ringtrack_testlib import golden_compare, tshark_conns

# Where ringtrack's TCP health rules deliberately differ from Wireshark's, by connection.
KNOWN_DIFFERENCES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pcaps",
                                 "known_health_differences.tsv")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ringtrack", required=True)
    ap.add_argument("--threads", default="2")
    ap.add_argument("--damaged", action="store_true")
    ap.add_argument("pcap")
    args = ap.parse_args()
    # One hash seed every run: the shard's endpoint book is direct-mapped by the flow hash,
    # and two connections sharing a pair under some seed may lose an ACK or RTT memory,
    # and with it a retransmission's kind (as file_errors_test pins its seed).
    run = subprocess.run([args.ringtrack, "-T", args.pcap, "--batch", "--format", "json",
                          "--no-timeouts", "--threads", args.threads, "--seed", "7"],
                         capture_output=True, text=True)
    errors = [l for l in run.stderr.splitlines() if l.strip()]
    if args.damaged:
        if run.returncode != 1 or len(errors) != 1 or os.path.basename(args.pcap) not in errors[0]:
            sys.exit(f"damaged file: want exit 1 and one stderr line naming the file, got "
                     f"{run.returncode} and {errors!r}")
        print("error line:", errors[0])
    elif run.returncode != 0 or errors:
        sys.exit(f"ringtrack failed ({run.returncode}): {run.stderr}")

    rows = [json.loads(l) for l in run.stdout.splitlines() if l.strip()]
    summaries = [r for r in rows if r.get("type") == "summary"]
    conns = [r for r in rows if r.get("type") == "conn"]
    if len(summaries) != 1 or rows[-1].get("type") != "summary":
        sys.exit("want exactly one summary, last")
    summary = summaries[0]
    attributed = sum(c["c2s_packets"] + c["s2c_packets"] for c in conns)
    unattributed = summary["untracked_tcp"] + summary["stray_tcp"]
    if attributed != summary["tcp_packets"] - unattributed:
        sys.exit(f"connections hold {attributed} packets, summary says "
                 f"{summary['tcp_packets']} - {summary['untracked_tcp']} - {summary['stray_tcp']}")
    if summary["connections"] != len(conns):
        sys.exit(f"summary counts {summary['connections']} connections, {len(conns)} printed")

    try:
        expected = tshark_conns.reference_lines(args.pcap, summary["frames_read"] if args.damaged else None)
    except tshark_conns.TsharkFailed as e:
        sys.exit(f"tshark_conns failed: {e}")

    with tempfile.TemporaryDirectory() as tmp:
        exp_path = os.path.join(tmp, "expected.ndjson")
        act_path = os.path.join(tmp, "actual.ndjson")
        with open(exp_path, "w") as f:
            f.writelines(line + "\n" for line in expected)
        with open(act_path, "w") as f:
            f.write(run.stdout)
        status = golden_compare.main(["--times", "--known", KNOWN_DIFFERENCES,
                                      "--capture", os.path.basename(args.pcap), exp_path, act_path])
    print(f"{len(conns)} connections, {attributed} packets, frames read {summary['frames_read']}")
    sys.exit(status)


if __name__ == "__main__":
    main()
