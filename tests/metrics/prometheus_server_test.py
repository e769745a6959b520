#!/usr/bin/env python3
"""A real Prometheus scrapes a live ringtrack: real kernel TCP through a veth pair into a
namespace, ringtrack capturing on its host side with --metrics, Prometheus (its own
configuration and data directory, a free port) scraping it every second. At the end its
query API returns ringtrack_frames_total equal to the run's own final summary.

Run as root. The namespace, Prometheus and its directory are removed on every path.
Usage: prometheus_server_test.py RINGTRACK [unittest test names...]
"""
import os
import socket
import sys
import unittest

from ringtrack_testlib.flow_collectors import free_port, wait_until
from ringtrack_testlib.link_counters import wait_until_quiet
from ringtrack_testlib.live_capture import capture_for
from ringtrack_testlib.metrics_text import samples, scrape, total, value
from ringtrack_testlib.netns_lab import Lab
from ringtrack_testlib.prometheus_server import PrometheusServer

RINGTRACK = None


class PrometheusScrape(unittest.TestCase):
    def test_prometheus_query_api_agrees_with_the_final_summary(self):
        port = free_port(socket.SOCK_STREAM)
        target = f"127.0.0.1:{port}"
        with Lab() as lab, PrometheusServer([target], scrape_interval="1s") as prom:
            lab.serve(8080, reply=2000)
            cap = capture_for(self, RINGTRACK, lab.host_if, "--threads", "2", "--metrics", target, "-r", "0.2",
                              "tcp port 8080")
            wait_until(lambda: set(prom.target_health().values()) == {"up"}, timeout=20, what="target up")
            for _ in range(8):
                lab.send(lab.ns_ip, 8080, 50000)
            wait_until_quiet(lab.host_if)
            # The endpoint is up to a second behind: its counters are whole once every
            # connection was removed (after its last frame); Prometheus has them once a scrape
            # came after that.
            def endpoint_whole():
                found = samples(scrape(port))
                return value(found, "ringtrack_connections_opened_total") == 8 and \
                    value(found, "ringtrack_connections_tracked") == 0

            wait_until(endpoint_whole, timeout=20, what="every connection counted and removed")
            endpoint = total(samples(scrape(port)), "ringtrack_frames_total")
            stored = lambda: sum(v for _, v in prom.query("ringtrack_frames_total"))
            wait_until(lambda: stored() == endpoint, timeout=20, what="Prometheus to store the last frames")
            frames_per_reader = prom.query("ringtrack_frames_total")
            opened = prom.query("ringtrack_connections_opened_total")
            drops = prom.query("sum(ringtrack_kernel_drops_total)")
            cap.stop()
        self.assertEqual(cap.rc, 0, cap.stderr_lines)
        self.assertEqual(sum(v for _, v in frames_per_reader), cap.summary["frames_read"])
        self.assertEqual(sorted(m["reader"] for m, _ in frames_per_reader), ["0", "1"])
        self.assertTrue(all(m["job"] == "ringtrack" and m["instance"] == target for m, _ in frames_per_reader))
        self.assertEqual(opened[0][1], 8)
        self.assertEqual(cap.summary["connections"], 8)
        self.assertEqual(drops[0][1], 0)
        # Removed with everything else: the namespace and Prometheus's directory.
        self.assertFalse(os.path.exists(prom.dir))


if __name__ == "__main__":
    RINGTRACK = os.path.abspath(sys.argv[1])
    unittest.main(argv=[sys.argv[0]] + sys.argv[2:], verbosity=2)
