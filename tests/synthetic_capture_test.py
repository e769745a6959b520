#!/usr/bin/env python3
"""Synthetic captures from tools/pcapgen: ringtrack must report exactly what the generator
says it wrote (its --expect file: every connection's counts, state and times, and the
summary's frame, fragment and undecodable counts), and, for the smaller scenarios, what
Wireshark's TCP dissector reports.

Usage: synthetic_capture_test.py --ringtrack BIN --pcapgen BIN [--no-tshark]
                                 [--threads N] SCENARIO [pcapgen options...]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

from ringtrack_testlib import golden_compare

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ringtrack", required=True)
    ap.add_argument("--pcapgen", required=True)
    ap.add_argument("--no-tshark", action="store_true")
    ap.add_argument("--threads", default="2")
    ap.add_argument("scenario")
    ap.add_argument("options", nargs=argparse.REMAINDER)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        pcap = os.path.join(tmp, "capture.pcap")
        expect = os.path.join(tmp, "expect.ndjson")
        subprocess.run([args.pcapgen, args.scenario, "-o", pcap, "--expect", expect, *args.options], check=True)
        run = subprocess.run([args.ringtrack, "-T", pcap, "--batch", "--format", "json", "--no-timeouts",
                              "--threads", args.threads], capture_output=True, text=True)
        if run.returncode != 0 or run.stderr:
            sys.exit(f"ringtrack failed ({run.returncode}): {run.stderr}")
        records = [json.loads(l) for l in run.stdout.splitlines() if l.strip()]
        summary = records[-1]
        # The generator lists mid-stream flows only once they went both ways; ringtrack
        # reports one-sided flows too, flagged. Compare like with like.
        listed = [r for r in records if r["type"] == "conn" and not r["one_sided"]]
        actual = os.path.join(tmp, "actual.ndjson")
        with open(actual, "w") as f:
            f.writelines(json.dumps(r) + "\n" for r in listed)

        expected_summary = None
        expected = os.path.join(tmp, "expected.ndjson")
        with open(expect) as f, open(expected, "w") as out:
            for line in f:
                row = json.loads(line)
                if row.get("type") == "expect_summary":
                    expected_summary = row
                else:
                    out.write(json.dumps(dict(row, type="conn")) + "\n")
        failures = []
        for ours, theirs in (("frames_read", "frames"), ("untracked_fragments", "untracked_fragments"),
                             ("undecodable", "undecodable")):
            if summary[ours] != expected_summary[theirs]:
                failures.append(f"summary {ours} = {summary[ours]}, generator says {expected_summary[theirs]}")
        if len(listed) != expected_summary["connections"]:
            failures.append(f"{len(listed)} connections listed, generator says {expected_summary['connections']}")
        packets = sum(r["c2s_packets"] + r["s2c_packets"] for r in listed)
        if packets != expected_summary["tcp_packets"]:
            failures.append(f"listed connections hold {packets} packets, generator says {expected_summary['tcp_packets']}")
        # Every tunnel of a generated capture fits the shards' tunnel books: each tunnelled
        # row shows its outer endpoints.
        for r in listed:
            if r.get("tunnel") and "outer" not in r["tunnel"]:
                failures.append(f"{r['client_ip']}:{r['client_port']} tunnel {r['tunnel']} without its endpoints")
        for line in failures:
            print(line)

        rc = golden_compare.main(["--state", "--times", expected, actual])
        if not args.no_tshark:
            sys.stdout.flush()  # the lines above before the child's
            rc |= subprocess.run([sys.executable, os.path.join(HERE, "golden_pcap_test.py"), "--ringtrack",
                                  args.ringtrack, "--threads", args.threads, pcap]).returncode
    sys.exit(1 if failures or rc else 0)


if __name__ == "__main__":
    main()
