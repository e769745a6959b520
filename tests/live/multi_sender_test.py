#!/usr/bin/env python3
"""Live capture under load from tools/blast (the live benchmarks' multi-core sender): every
frame counted once, on the right connection; large interim reports on time.

Usage: multi_sender_test.py RINGTRACK PCAPGEN BLAST [unittest test names...]  (root)

ringtrack-blast sends a deck of frames from two threads, each starting half-way round the
deck from the other; with --count twice the deck, each sends the whole deck exactly once, so
the capture must hold every frame of the deck exactly twice, whatever the interleaving. The
deck is the data part of pcapgen's `bench` capture (no handshakes or closes, so connection
lifetimes do not depend on the order): each connection's live counts must be exactly twice
what `ringtrack -T` reports for the deck as a file.

Then 100k connections and --interval 1 on a link that goes quiet: each report is larger
than the output queue, and must still come every second. And a burst of evictions: every
removed connection's row must reach the output, the aggregator woken by the reader as its
queue fills rather than at its 100 ms housekeeping.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

from ringtrack_testlib.flow_collectors import wait_until
from ringtrack_testlib.link_counters import wait_until_quiet
from ringtrack_testlib.live_capture import capture_for
from ringtrack_testlib.netns_lab import Lab
from ringtrack_testlib.proc_stats import thread_names

RINGTRACK = PCAPGEN = BLAST = None
CONNS = 500
PACKETS = 12000


def per_endpoint(conns):
    """{frozenset of both endpoints: {endpoint: (packets, bytes, payload) it sent}}."""
    table = {}
    for c in conns:
        client, server = (c["client_ip"], c["client_port"]), (c["server_ip"], c["server_port"])
        key = frozenset((client, server))
        if key in table:
            raise AssertionError(f"connection {sorted(key)} appears twice")
        table[key] = {client: (c["c2s_packets"], c["c2s_bytes"], c["c2s_payload"]),
                      server: (c["s2c_packets"], c["s2c_bytes"], c["s2c_payload"])}
    return table


class MultiSender(unittest.TestCase):
    def test_two_senders_into_two_readers_count_every_frame_once(self):
        with tempfile.TemporaryDirectory() as tmp, Lab(prefix="ms") as lab:
            whole, deck = os.path.join(tmp, "bench.pcap"), os.path.join(tmp, "deck.pcap")
            subprocess.run([PCAPGEN, "bench", "--conns", str(CONNS), "--packets", str(PACKETS), "-o", whole],
                           check=True, capture_output=True)
            first, last = 3 * CONNS, PACKETS - 3 * CONNS  # bench: 3 handshake frames a connection first, 3 closing last
            subprocess.run(["editcap", "-r", whole, deck, f"{first + 1}-{last}"], check=True, capture_output=True)
            deck_frames = last - first

            file_run = subprocess.run([RINGTRACK, "-T", deck, "--batch", "--format", "json"],
                                      capture_output=True, text=True, check=True)
            records = [json.loads(line) for line in file_run.stdout.splitlines()]
            expected = per_endpoint([r for r in records if r["type"] == "conn"])
            self.assertGreater(len(expected), CONNS // 2)

            cap = capture_for(self, RINGTRACK, lab.host_if, "--threads", "2")
            names = sorted(thread_names(cap.proc.pid).values())
            self.assertIn("rt-reader0", names)
            self.assertIn("rt-reader1", names)
            sent = subprocess.run(["ip", "netns", "exec", lab.ns, BLAST, "-i", lab.ns_if, "-r", whole,
                                   "--frames", f"{first}-{last}", "--senders", "2", "--count", str(2 * deck_frames),
                                   "--pps", "40000"], capture_output=True, text=True, check=True)
            report = json.loads(sent.stdout)
            self.assertEqual(report["sent_frames"], 2 * deck_frames)
            self.assertEqual(report["per_sender"], [deck_frames, deck_frames])
            wait_until_quiet(lab.host_if)
            cap.stop()

        self.assertEqual(cap.rc, 0, cap.stderr_lines)
        s = cap.summary
        self.assertEqual(s["kernel_drops"], 0)
        self.assertEqual(s["kernel_packets"], s["frames_read"])
        self.assertEqual(s["tcp_packets"], 2 * deck_frames)  # the host's own frames are not TCP
        self.assertTrue(all(r["kernel_packets"] > 0 for r in s["readers"]), s["readers"])
        live = per_endpoint(cap.finals)
        self.assertEqual(set(live), set(expected))
        for key, sides in expected.items():
            doubled = {end: tuple(2 * n for n in counts) for end, counts in sides.items()}
            self.assertEqual(live[key], doubled, sorted(key))

    def test_interim_reports_of_many_connections_keep_their_interval(self):
        # A report larger than the output queue (4096 rows) goes out in parts, the reader
        # returning to its ring between them; on a quiet link it must not wait its 100 ms
        # idle poll before each part (100k rows took 2.4 s, so --interval 1 fell behind).
        # Under a sanitizer rows are written several times slower: 40k, still ten parts.
        conns = 40000 if os.environ.get("RINGTRACK_SANITIZER") else 100000
        packets = 10 * conns
        with tempfile.TemporaryDirectory() as tmp, Lab(prefix="ms") as lab:
            whole = os.path.join(tmp, "bench.pcap")
            subprocess.run([PCAPGEN, "bench", "--conns", str(conns), "--packets", str(packets), "-o", whole],
                           check=True, capture_output=True)
            cap = capture_for(self, RINGTRACK, lab.host_if, "--threads", "1", "--interval", "1",
                              keep=lambda l: '"summary"' in l)
            subprocess.run(["ip", "netns", "exec", lab.ns, BLAST, "-i", lab.ns_if, "-r", whole,
                            "--frames", f"{3 * conns}-{packets - 3 * conns}", "--count", str(packets - 6 * conns),
                            "--pps", "300000"], capture_output=True, text=True, check=True)
            quiet_from = time.time()

            def full_reports(summaries):  # interim reports of the whole table on the quiet link
                return [s for s in summaries if s["type"] == "summary" and s["record"] == "interim"
                        and s["as_of"] >= quiet_from and s["tracked"] > conns // 2]

            wait_until(lambda: len(full_reports(json.loads(line) for line in list(cap.out))) >= 6, 30,
                       "six interim reports of the quiet link")
            cap.stop()
        self.assertEqual(cap.rc, 0, cap.stderr_lines)
        full = full_reports(cap.summaries)
        # Asked every second: six in the 6.3 s after the link went quiet (one may slip under a
        # sanitizer). Held up by idle polls, a report took 2.4 s to write and the next was
        # asked only then.
        on_time = [s for s in full if s["as_of"] < quiet_from + 6.3]
        self.assertGreaterEqual(len(on_time), 5, [(round(s["as_of"] - quiet_from, 2), s["tracked"]) for s in full])

    def test_eviction_burst_rows_all_reach_the_output(self):
        # 60k SYNs into a 2048-connection table: ~58k evictions, each a removed row. At 50k
        # a second, 100 ms of them overflow the 4096-row queue: without the reader's
        # wake-ups the aggregator slept through 5652 of them (reports_lost).
        syns = 60000
        # Under a sanitizer the aggregator writes rows several times slower: half the rate.
        pps = 25000 if os.environ.get("RINGTRACK_SANITIZER") else 50000
        with tempfile.TemporaryDirectory() as tmp, Lab(prefix="ms") as lab:
            flood = os.path.join(tmp, "flood.pcap")
            subprocess.run([PCAPGEN, "synflood", "--count", str(syns), "--established", "0", "-o", flood],
                           check=True, capture_output=True)
            cap = capture_for(self, RINGTRACK, lab.host_if, "--threads", "1", "--max-flows", "2048")
            subprocess.run(["ip", "netns", "exec", lab.ns, BLAST, "-i", lab.ns_if, "-r", flood,
                            "--count", str(syns), "--pps", str(pps)], capture_output=True, text=True, check=True)
            wait_until_quiet(lab.host_if)
            cap.stop()
        self.assertEqual(cap.rc, 0, cap.stderr_lines)
        s = cap.summary
        self.assertEqual(s["kernel_drops"], 0)
        self.assertEqual(s["connections"], syns)
        self.assertGreater(s["evictions"], syns - 2048 - 1)
        self.assertEqual(s["reports_lost"], 0)
        self.assertEqual(len(cap.conns), syns)  # every connection once: removed or final


if __name__ == "__main__":
    RINGTRACK, PCAPGEN, BLAST = (os.path.abspath(p) for p in sys.argv[1:4])
    unittest.main(argv=[sys.argv[0]] + sys.argv[4:], verbosity=2)
