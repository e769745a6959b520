#!/usr/bin/env python3
"""ringtrack's Prometheus metrics, scraped from the running program: `promtool check
metrics` finds nothing to say, and every value equals the run's own summary: a capture file
replayed on the screen (its batch run's summary) and a live run on a veth pair into a
namespace (its final summary). Bad --metrics addresses and ports in use are one line;
--output none writes nothing, and SIGHUP does not end it.

Live cases run as root; each makes its own uniquely named namespace and removes it.
Usage: metrics_scrape_test.py RINGTRACK PCAPS_DIR [unittest test names...]
"""
import json
import os
import signal
import socket
import subprocess
import sys
import unittest

from metrics_expect import assert_matches_summary, assert_rtt_histogram
from ringtrack_testlib.flow_collectors import free_port, wait_until
from ringtrack_testlib.link_counters import wait_until_quiet
from ringtrack_testlib.live_capture import capture_for
from ringtrack_testlib.metrics_text import promtool_problems, require, samples, scrape, total, try_scrape, value
from ringtrack_testlib.netns_lab import Lab
from ringtrack_testlib.proc_stats import capabilities_by_thread
from ringtrack_testlib.ready_line import wait_for_line
from ringtrack_testlib.tmux_session import Tmux

RINGTRACK = None
PCAPS = None
# Closed connections leave the table this long after their close: the histogram sees them
# during the run.
LINGER = ["-r", "0.2"]


def batch_records(pcap, *args):
    out = subprocess.run([RINGTRACK, "-T", pcap, "--batch", "--format", "json", *args], check=True,
                         capture_output=True, text=True).stdout
    records = [json.loads(line) for line in out.splitlines()]
    return [r for r in records if r["type"] == "conn"], records[-1]


def metrics_port():
    return free_port(socket.SOCK_STREAM)


class FileMetrics(unittest.TestCase):
    def test_screen_replay_metrics_pass_promtool_and_equal_the_batch_summary(self):
        require("promtool", "tmux")
        # Removals and handshakes (bruteforce), a tunnel (VXLAN).
        for name in ("zeek__bruteforce.pcap", "suricata__vxlan-decoder-03.pcap"):
            with self.subTest(pcap=name):
                pcap = os.path.join(PCAPS, name)
                options = ["--threads", "2", "--max-flows", "4096"]
                conns, summary = batch_records(pcap, *options)
                port = metrics_port()
                # As fast as it reads; the replay then holds at its last packet until q.
                with Tmux(["env", "LC_ALL=C", "TERM=xterm", RINGTRACK, "-T", pcap, "--speed", "0", *options,
                           "--metrics", f"127.0.0.1:{port}"], name="rtmetrics") as term:
                    self.addCleanup(term.close)
                    text = None

                    def whole_file_counted():
                        nonlocal text
                        text = try_scrape(port)
                        return text is not None and total(samples(text), "ringtrack_frames_total") == \
                            summary["frames_read"]

                    wait_until(whole_file_counted, timeout=20, what="the whole file in the metrics")
                    self.assertEqual(promtool_problems(text), "")
                    found = samples(text)
                    assert_matches_summary(self, found, summary, live=False)
                    self.assertEqual(value(found, "ringtrack_connections_capacity"), 4096)
                    # The screen's replay holds the last connections: the histogram has those
                    # removed before the end (the batch run adds the rest at its end).
                    removed = [c["handshake_rtt_us"] for c in conns
                               if c["end"] != "input_ended" and c["handshake_rtt_us"]]
                    assert_rtt_histogram(self, found, removed)
                    term.keys("q")


class LiveMetrics(unittest.TestCase):
    def test_live_metrics_pass_promtool_and_equal_the_final_summary(self):
        require("promtool")
        port = metrics_port()
        with Lab() as lab:
            lab.serve(8080, reply=3000)
            cap = capture_for(self, RINGTRACK, lab.host_if, "--threads", "2", "--max-flows", "8192",
                              "--metrics", f"127.0.0.1:{port}", *LINGER, "tcp port 8080")
            for _ in range(12):
                lab.send(lab.ns_ip, 8080, 40000)
            wait_until_quiet(lab.host_if)
            text = None

            def settled():
                # Every connection removed (its RTT observed) and the last counters in.
                nonlocal text
                text = scrape(port)
                found = samples(text)
                return value(found, "ringtrack_connections_opened_total") == 12 and \
                    value(found, "ringtrack_connections_tracked") == 0

            wait_until(settled, timeout=20, what="every connection counted and removed")
            threads = capabilities_by_thread(cap.proc.pid)
            cap.stop()
        self.assertEqual(cap.rc, 0, cap.stderr_lines)
        self.assertEqual(promtool_problems(text), "")
        found = samples(text)
        assert_matches_summary(self, found, cap.summary, live=True)
        self.assertEqual(value(found, "ringtrack_connections_capacity"), 8192)
        self.assertEqual(len(cap.finals), 12)
        assert_rtt_histogram(self, found, [c["handshake_rtt_us"] for c in cap.finals if c["handshake_rtt_us"]])
        self.assertEqual(value(found, "ringtrack_handshake_rtt_seconds_count"), 12)
        # Run as root: the endpoint's threads, which serve the network, keep no capability
        # either (main, two readers, civetweb's master and workers).
        self.assertGreater(len(threads), 3, threads)
        for uid, permitted, effective in threads:
            self.assertEqual((permitted, effective), ("0000000000000000", "0000000000000000"))

    def test_output_none_serves_metrics_writes_nothing_and_outlives_sighup(self):
        port = metrics_port()
        with Lab() as lab:
            lab.serve(8080)
            proc = lab.popen([RINGTRACK, "-i", lab.host_if, "--batch", "--output", "none", "--verbose",
                              "--metrics", f"127.0.0.1:{port}", "tcp port 8080"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            wait_for_line(proc.stderr, "capturing on")
            lab.send(lab.ns_ip, 8080, 1000)
            wait_until(lambda: value(samples(scrape(port)), "ringtrack_connections_opened_total") == 1,
                       what="the first connection in the metrics")
            proc.send_signal(signal.SIGHUP)
            # Still capturing after the hangup: the next connection is counted.
            lab.send(lab.ns_ip, 8080, 1000)
            wait_until(lambda: value(samples(scrape(port)), "ringtrack_connections_opened_total") == 2,
                       what="a connection after SIGHUP in the metrics")
            self.assertIsNone(proc.poll())
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 0, err)
        self.assertEqual(out, "")
        self.assertEqual(err, "")


class MetricsErrors(unittest.TestCase):
    def run_ringtrack(self, *args):
        pcap = os.path.join(PCAPS, "zeek__smtp.pcap")
        return subprocess.run([RINGTRACK, "-T", pcap, "--batch", *args], capture_output=True, text=True, timeout=30)

    def assertOneLine(self, run, rc, *needles):
        self.assertEqual(run.returncode, rc, run.stderr)
        self.assertEqual(run.stdout, "")
        lines = run.stderr.splitlines()
        self.assertEqual(len(lines), 1 if rc == 1 else 2, lines)  # usage errors add the -h hint
        for needle in needles:
            self.assertIn(needle, lines[0])

    def test_port_in_use_is_one_line(self):
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            self.assertOneLine(self.run_ringtrack("--metrics", f"127.0.0.1:{port}"), 1,
                               f"cannot serve metrics on 127.0.0.1:{port}", "in use")
            self.assertOneLine(self.run_ringtrack("--metrics", f":{port}", "--output", "none"), 1, "in use")

    def test_bad_addresses_are_one_line(self):
        self.assertOneLine(self.run_ringtrack("--metrics", "abc"), 2, "--metrics")
        self.assertOneLine(self.run_ringtrack("--metrics", "127.0.0.1:70000"), 2, "--metrics")
        self.assertOneLine(self.run_ringtrack("--metrics", "[::1"), 2, "--metrics")
        self.assertOneLine(self.run_ringtrack("--metrics", "no-such-host.invalid:9469"), 1, "does not resolve")
        # An address of no local interface (TEST-NET-1).
        self.assertOneLine(self.run_ringtrack("--metrics", "192.0.2.1:9469"), 1, "cannot serve metrics")

    def test_output_none_needs_something_to_report(self):
        self.assertOneLine(self.run_ringtrack("--output", "none"), 2, "--metrics or --ipfix")
        self.assertOneLine(self.run_ringtrack("--output", "none", "--format", "json", "--metrics", "1"), 2, "--format")
        self.assertOneLine(self.run_ringtrack("--output", "file"), 2, "--output")


if __name__ == "__main__":
    RINGTRACK = os.path.abspath(sys.argv[1])
    PCAPS = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2)
