#!/usr/bin/env python3
"""IPFIX export of a live capture: real kernel TCP through a veth pair into a namespace,
captured by ringtrack and exported to nfcapd on loopback (or to a TCP receiver: nfcapd
takes UDP only). What the collector stored equals ringtrack's own NDJSON; long connections
come every active timeout; a collector that goes away and comes back costs no packet and
repeats no record; one that never answers does not hold up the end.

Run as root. Each test makes its own uniquely named namespace and collectors and removes them.
Usage: ipfix_live_export_test.py RINGTRACK [unittest test names...]
"""
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest

from ringtrack_testlib.flow_collectors import (Nfacctd, Nfcapd, TcpIpfixReceiver, collector_env, flows_by_connection,
                                               free_port, wait_until)
from ringtrack_testlib.link_counters import wait_until_quiet
from ringtrack_testlib.live_capture import capture_for
from ringtrack_testlib.netns_lab import Lab, TRAFFIC

RINGTRACK = None
NDJSON_FIELDS = ("client_ip", "client_port", "server_ip", "server_port",
                 "c2s_packets", "s2c_packets", "c2s_ip_bytes", "s2c_ip_bytes")
NFDUMP_FIELDS = ("src", "src_port", "dst", "dst_port", "in_packets", "out_packets", "in_bytes", "out_bytes")
# IANA element ids in TcpIpfixReceiver's records.
SOURCE_PORT, START_MS, PACKETS = 7, 152, 2
# Closed connections leave the table after this long: their records go out during the run.
LINGER = ["-r", "0.2"]


def nfdump_flows(flows):
    for f in flows:
        f["src"] = f.get("src4_addr") or f.get("src6_addr")
        f["dst"] = f.get("dst4_addr") or f.get("dst6_addr")
    return flows


def send_many(lab, port, count, nbytes=20000):
    """count connections, one after the other, each closed by the client."""
    subprocess.run([*TRAFFIC, "many", "--to", lab.ns_ip, "--port", str(port), "--bytes", str(nbytes),
                    "--connections", str(count)], check=True, capture_output=True, text=True)


class LiveExport(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def nfcapd(self, name, port=None):
        collector = Nfcapd(os.path.join(self.tmp.name, name), port=port)
        self.addCleanup(collector.close)
        return collector

    def assertCaptureClean(self, cap):
        self.assertEqual(cap.rc, 0, cap.stderr_lines)
        self.assertEqual(cap.summary["kernel_drops"], 0)
        # Nothing but the ready line: libfixbuf's own warnings never reach the terminal.
        self.assertEqual([l for l in cap.stderr_lines if "capturing on" not in l], [])

    def test_live_run_to_nfcapd_matches_ndjson(self):
        nfcapd = self.nfcapd("live")
        with Lab() as lab:
            lab.serve(8080, reply=5000)
            cap = capture_for(self, RINGTRACK, lab.host_if, "--ipfix", f"127.0.0.1:{nfcapd.port}", *LINGER)
            send_many(lab, 8080, 20)
            lab.send(lab.ns_ip, 8080, 300000)
            subprocess.run([*TRAFFIC, "refused", "--to", lab.ns_ip, "--port", "9"], check=True, capture_output=True)
            wait_until_quiet(lab.host_if)
            cap.stop()
        self.assertCaptureClean(cap)
        self.assertEqual(cap.summary["export_dropped"], 0, cap.summary)
        self.assertEqual(cap.summary["export_sent"], len(cap.finals))
        nfcapd.wait_for_flows(len(cap.finals))
        nfcapd.stop()
        self.assertEqual(nfcapd.sequence_errors(), 0)
        flows = nfdump_flows(nfcapd.flows())
        self.assertEqual(len(flows), len(cap.finals))
        self.assertEqual(flows_by_connection(flows, NFDUMP_FIELDS), flows_by_connection(cap.finals, NDJSON_FIELDS))

    def test_active_timeout_exports_a_long_connection_every_interval(self):
        nfcapd = self.nfcapd("active")
        with Lab() as lab:
            lab.serve(8080)
            cap = capture_for(self, RINGTRACK, lab.host_if, "--ipfix", f"127.0.0.1:{nfcapd.port}",
                              "--active-timeout", "1", *LINGER)
            # 3.5 s of traffic: records at the active timeouts, then its last one.
            subprocess.run([*TRAFFIC, "send", "--to", lab.ns_ip, "--port", "8080", "--bytes", "350000",
                            "--rate", "100000"], check=True, capture_output=True)
            wait_until_quiet(lab.host_if)
            cap.stop()
        self.assertCaptureClean(cap)
        nfcapd.wait_for_flows(cap.summary["export_sent"])
        nfcapd.stop()
        flows = nfdump_flows(nfcapd.flows())
        conn = [c for c in cap.finals if c["server_port"] == 8080]
        self.assertEqual(len(conn), 1)
        parts = [f for f in flows if int(f["src_port"]) == conn[0]["client_port"]]
        self.assertGreaterEqual(len(parts), 3, parts)
        self.assertEqual(flows_by_connection(parts, NFDUMP_FIELDS), flows_by_connection(conn, NDJSON_FIELDS))
        # The NDJSON is what it is without export: no interim rows unless --interval.
        self.assertEqual(cap.interims, [])

    def test_udp_collector_restarted_loses_no_packet_and_repeats_no_record(self):
        port = free_port()
        first = self.nfcapd("before", port)
        with Lab() as lab:
            lab.serve(8080)
            cap = capture_for(self, RINGTRACK, lab.host_if, "--ipfix", f"127.0.0.1:{port}", *LINGER)
            send_many(lab, 8080, 10)
            first.wait_for_flows(10)
            first.stop()
            send_many(lab, 8080, 10)  # nothing listens: refused, counted, or queued
            time.sleep(0.5)  # the down time itself: the rows of these connections come meanwhile
            second = self.nfcapd("after", port)
            # Templates come again within the refresh (2 s, on the exporter's clock): records
            # the new collector gets before them it cannot read (UDP, RFC 7011 8.4). So
            # connections go on, ten at a time, until ten of their records are stored.
            sent_after = 0
            deadline = time.monotonic() + 30
            while second.flows_seen() < 10:
                self.assertLess(time.monotonic(), deadline, "timed out waiting for records after the restart")
                send_many(lab, 8080, 10)
                sent_after += 10
                poll_until = time.monotonic() + 3  # longer than a refresh
                while second.flows_seen() < 10 and time.monotonic() < poll_until:
                    time.sleep(0.05)
            wait_until_quiet(lab.host_if)
            cap.stop()
        self.assertCaptureClean(cap)
        second.wait_for_flows(second.flows_seen())
        second.stop()
        stored = nfdump_flows(first.flows()) + nfdump_flows(second.flows())
        keys = [(f["src_port"], f["first"]) for f in stored]
        self.assertEqual(len(keys), len(set(keys)), "a record stored twice")
        total = len(cap.finals)
        self.assertEqual(total, 20 + sent_after)
        # UDP has no acknowledgement: records sent into the down time are lost uncounted.
        self.assertLessEqual(len(stored), cap.summary["export_sent"])
        self.assertEqual(cap.summary["export_sent"] + cap.summary["export_dropped"], total, cap.summary)
        self.assertGreaterEqual(len(stored), 20)
        # The refused sends reopened the socket: the templates went again at once.
        self.assertGreaterEqual(cap.summary["export_connects"], 2, cap.summary)

    def test_tcp_collector_restarted_gets_templates_again_and_no_record_twice(self):
        receiver = TcpIpfixReceiver()
        self.addCleanup(receiver.close)
        with Lab() as lab:
            lab.serve(8080)
            cap = capture_for(self, RINGTRACK, lab.host_if, "--ipfix", f"127.0.0.1:{receiver.port}",
                              "--ipfix-transport", "tcp", *LINGER)
            send_many(lab, 8080, 10)
            wait_until(lambda: len(receiver.records) >= 10, 15, "records before the restart")
            receiver.close()
            send_many(lab, 8080, 10)
            time.sleep(0.5)  # the down time
            again = TcpIpfixReceiver(port=receiver.port)
            self.addCleanup(again.close)
            send_many(lab, 8080, 10)
            # The exporter retries with a backoff of at most 8 s.
            wait_until(lambda: len(again.records) >= 10, 20, "records after the restart")
            wait_until_quiet(lab.host_if)
            cap.stop()
        self.assertCaptureClean(cap)
        self.assertGreaterEqual(cap.summary["export_connects"], 2)
        stored = receiver.records + again.records
        keys = [(r[SOURCE_PORT], r[START_MS]) for r in stored]
        self.assertEqual(len(keys), len(set(keys)), "a record delivered twice")
        self.assertEqual(len(cap.finals), 30)
        self.assertEqual(cap.summary["export_sent"] + cap.summary["export_dropped"], 30, cap.summary)
        self.assertLessEqual(len(stored), cap.summary["export_sent"])

    def test_live_run_to_nfacctd_matches_ndjson(self):
        nfacctd = Nfacctd(os.path.join(self.tmp.name, "nfacctd"))
        self.addCleanup(nfacctd.close)
        with Lab() as lab:
            lab.serve(8080, reply=5000)
            cap = capture_for(self, RINGTRACK, lab.host_if, "--ipfix", f"127.0.0.1:{nfacctd.port}",
                              "--ipfix-uniflow", *LINGER)
            send_many(lab, 8080, 20)
            wait_until_quiet(lab.host_if)
            cap.stop()
        self.assertCaptureClean(cap)
        self.assertEqual(cap.summary["export_dropped"], 0, cap.summary)
        self.assertEqual(cap.summary["export_sent"], 2 * len(cap.finals))
        flows = nfacctd.wait_for_flows(2 * len(cap.finals))
        nfacctd.stop()
        got = flows_by_connection(flows, ("ip_src", "port_src", "ip_dst", "port_dst", "packets", "bytes"))
        want = {}
        for (ci, cp, si, sp), (cpk, spk, cb, sb) in flows_by_connection(cap.finals, NDJSON_FIELDS).items():
            want[(ci, cp, si, sp)] = (cpk, cb)
            want[(si, sp, ci, cp)] = (spk, sb)
        self.assertEqual(got, want)

    def test_three_probes_in_three_namespaces_into_one_nfcapd(self):
        # A fleet in miniature: each probe in its own namespace on its own veth, with its
        # own traffic and observation domain, all exporting to one nfcapd on this side.
        nfcapd = Nfcapd(os.path.join(self.tmp.name, "fleet"), bind=None)
        self.addCleanup(nfcapd.close)
        caps = []
        with Lab() as a, Lab() as b, Lab() as c:
            for domain, lab in enumerate((a, b, c), start=1):
                lab.serve(8080, reply=1000 * domain)
                caps.append(capture_for(self, RINGTRACK, lab.ns_if, "--ipfix", f"{lab.host_ip}:{nfcapd.port}",
                                        "--observation-domain", str(domain), *LINGER, netns=lab.ns))
            for domain, lab in enumerate((a, b, c), start=1):
                send_many(lab, 8080, 5 * domain, nbytes=10000 * domain)
            for lab in (a, b, c):
                wait_until_quiet(lab.ns_if, netns=lab.ns)
            for cap in caps:
                cap.stop()
        finals = []
        for cap in caps:
            self.assertCaptureClean(cap)
            self.assertEqual(cap.summary["export_dropped"], 0)
            finals += cap.finals
        self.assertEqual(len(finals), 5 + 10 + 15)
        nfcapd.wait_for_flows(len(finals))
        nfcapd.stop()
        # One exporter per probe, told apart by its observation domain, each in sequence.
        self.assertEqual(nfcapd.observation_domains(), [1, 2, 3])
        self.assertEqual(nfcapd.sequence_errors(), 0)
        flows = nfdump_flows(nfcapd.flows())
        self.assertEqual(flows_by_connection(flows, NFDUMP_FIELDS), flows_by_connection(finals, NDJSON_FIELDS))
        # nfdump's own aggregation over the three: the totals of the three NDJSON streams.
        out = subprocess.run(["nfdump", "-R", nfcapd.directory, "-q", "-a", "-A", "proto", "-o",
                              "fmt:%ipkt %opkt %ibyt %obyt %fl"], capture_output=True, text=True, check=True,
                             env=collector_env()).stdout.split()
        totals = tuple(sum(f[k] for f in finals) for k in ("c2s_packets", "s2c_packets", "c2s_ip_bytes",
                                                           "s2c_ip_bytes"))
        self.assertEqual(tuple(int(v) for v in out), totals + (len(finals),))

    def black_hole(self, port):
        """Drops every SYN to 127.0.0.1:port (a TCP collector that never answers); removed
        at the end of the test."""
        table = f"rtbh{os.getpid()}"
        subprocess.run(["nft", "add", "table", "inet", table], check=True)
        self.addCleanup(subprocess.run, ["nft", "delete", "table", "inet", table])
        subprocess.run(["nft", "add", "chain", "inet", table, "out",
                        "{ type filter hook output priority 0 ; }"], check=True)
        subprocess.run(["nft", "add", "rule", "inet", table, "out", "tcp", "dport", str(port), "drop"], check=True)

    def test_black_holed_tcp_collector_does_not_hold_up_the_end(self):
        # Side by side with the same run without export, so a busy machine slows both: the
        # end may wait for the collectors one second (the exporter's patience), not more.
        allowed = 1.0 + 0.8
        if os.environ.get("RINGTRACK_SANITIZER") == "thread":
            allowed += 1.0  # TSan sleeps a second at exit while a thread runs (atexit_sleep_ms)
        port = free_port(socket.SOCK_STREAM)
        self.black_hole(port)
        pcap = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pcaps", "ndpi__1kxun.pcap")

        def file_run(*export):
            started = time.monotonic()
            run = subprocess.run([RINGTRACK, "-T", pcap, "--batch", "--format", "json", *export],
                                 capture_output=True, text=True, timeout=30)
            self.assertEqual(run.returncode, 0, run.stderr)
            return time.monotonic() - started, run.stdout

        plain, _ = file_run()
        # Two collectors, both black-holed: the end waits for them together.
        took, out = file_run("--ipfix", f"127.0.0.1:{port}", "--ipfix", f"localhost:{port}",
                             "--ipfix-transport", "tcp")
        self.assertLess(took - plain, allowed, f"file run: {took:.2f} s with export, {plain:.2f} s without")
        summary = [l for l in out.splitlines() if '"summary"' in l][-1]
        self.assertIn('"export_sent":0', summary)
        with Lab() as lab:
            lab.serve(8080)

            def live_run(*export):
                cap = capture_for(self, RINGTRACK, lab.host_if, *export, *LINGER)
                send_many(lab, 8080, 5)
                wait_until_quiet(lab.host_if)
                started = time.monotonic()
                cap.stop()
                self.assertCaptureClean(cap)
                return time.monotonic() - started, cap

            plain, _ = live_run()
            took, cap = live_run("--ipfix", f"127.0.0.1:{port}", "--ipfix-transport", "tcp")
        self.assertLess(took - plain, allowed, f"live stop: {took:.2f} s with export, {plain:.2f} s without")
        self.assertEqual(cap.summary["export_sent"], 0)
        self.assertEqual(cap.summary["export_dropped"], len(cap.finals))


if __name__ == "__main__":
    if os.geteuid() != 0:
        sys.exit("live tests need root (network namespaces, packet sockets)")
    RINGTRACK = os.path.abspath(sys.argv[1])
    unittest.main(argv=[sys.argv[0]] + sys.argv[2:], verbosity=2)
