#!/usr/bin/env python3
"""IPFIX export of capture files (`-T FILE --batch --ipfix`) to real collectors: what nfcapd
wrote (read with nfdump) and what pmacct's nfacctd printed list the same connections with
the same packets and octets per direction as ringtrack's own NDJSON of the same run.

Each test starts its collectors on free ports in a temporary directory and stops them.
Usage: ipfix_file_export_test.py RINGTRACK PCAP_DIR [unittest test names...]
"""
import datetime
import ipaddress
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import unittest

from ringtrack_testlib.flow_collectors import Nfacctd, Nfcapd, flows_by_connection, wait_until
from ringtrack_testlib.tmux_session import Tmux

RINGTRACK = None
PCAPS = None
# Captures with what export must carry: many connections, VLANs, IPv6, a tunnel, reuse.
CAPTURES = ["zeek__smtp.pcap", "ndpi__1kxun.pcap", "zeek__vlan-collisions.pcap",
            "suricata__frag-eth-vlan-ipv6-tcp.pcap", "zeek__tunnel-vxlan-encapsulated-http.pcap",
            "pcpp__650HttpResponses.pcap", "zeek__ipv6-http-atomic-frag.pcap"]
# NDJSON's names for what IPFIX carries: client, server, packets and IP octets each way.
NDJSON_FIELDS = ("client_ip", "client_port", "server_ip", "server_port",
                 "c2s_packets", "s2c_packets", "c2s_ip_bytes", "s2c_ip_bytes")


def canonical(records, ip_fields):
    """IP addresses in one form (nfdump and pmacct print IPv6 their own way)."""
    for r in records:
        for f in ip_fields:
            r[f] = str(ipaddress.ip_address(r[f]))
    return records


def run_ringtrack(pcap, *args):
    proc = subprocess.run([RINGTRACK, "-T", pcap, "--batch", "--format", "json", *args],
                          capture_output=True, text=True, timeout=120)
    records = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    conns = [r for r in records if r["type"] == "conn"]
    summary = [r for r in records if r["type"] == "summary"][-1]
    return proc, canonical(conns, ("client_ip", "server_ip")), summary


def write_syns(path, count):
    """A classic pcap of count SYNs (Ethernet, IPv4, TCP), each from its own port: as many
    connections, each exported as one record."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i in range(count):
            tcp = struct.pack("!HHIIBBHHH", 1024 + i % 60000, 80, i, 0, 5 << 4, 0x02, 64240, 0, 0)
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40, 0, 0, 64, 6, 0,
                             bytes([10, 1 + i // 60000, 0, 1]), bytes([10, 0, 0, 2]))
            frame = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00" + ip + tcp
            f.write(struct.pack("<IIII", 1_700_000_000 + i // 100_000, (i % 100_000) * 10, len(frame), len(frame)))
            f.write(frame)


def nfdump_flows(flows):
    for f in flows:
        f["src"] = f.get("src4_addr") or f.get("src6_addr")
        f["dst"] = f.get("dst4_addr") or f.get("dst6_addr")
    return canonical(flows, ("src", "dst"))


def nfdump_tcp_flags(text):
    """nfdump's flags string ("...AP.SF", CWR first) as the flags byte."""
    return sum(1 << (7 - i) for i, c in enumerate(text) if c != ".")


class FileExport(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def expected(self, conns):
        return flows_by_connection(conns, NDJSON_FIELDS)

    def check_nfcapd(self, capture, *extra):
        nfcapd = Nfcapd(os.path.join(self.tmp.name, capture + "".join(extra)))
        self.addCleanup(nfcapd.close)
        proc, conns, summary = run_ringtrack(os.path.join(PCAPS, capture), "--ipfix", f"127.0.0.1:{nfcapd.port}",
                                             *extra)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stderr, "")
        nfcapd.wait_for_flows(summary["export_sent"])  # stored, not only read off its socket
        nfcapd.stop()
        self.assertEqual(nfcapd.sequence_errors(), 0)
        flows = nfdump_flows(nfcapd.flows())
        self.assertGreater(len(conns), 0)
        self.assertEqual(summary["export_dropped"], 0, summary)
        self.assertEqual(summary["export_sent"], len(flows), summary)
        got = flows_by_connection(flows, ("src", "src_port", "dst", "dst_port",
                                          "in_packets", "out_packets", "in_bytes", "out_bytes"))
        self.assertEqual(got, self.expected(conns))
        return conns, flows

    def test_nfcapd_lists_what_ndjson_lists(self):
        for capture in CAPTURES:
            with self.subTest(capture=capture):
                self.check_nfcapd(capture)

    def test_nfcapd_uniflow_records_carry_each_sides_flags(self):
        # tcpControlBits: the union of the flags each side sent, as Wireshark sees them (the
        # golden tests check c2s_/s2c_tcp_flags against tshark). nfdump keeps one flags field
        # per flow and fills it from a biflow's reverseTcpControlBits, so each side goes in a
        # record of its own here.
        for capture in CAPTURES[:4]:
            with self.subTest(capture=capture):
                nfcapd = Nfcapd(os.path.join(self.tmp.name, capture + "uniflow"))
                self.addCleanup(nfcapd.close)
                proc, conns, summary = run_ringtrack(os.path.join(PCAPS, capture), "--ipfix",
                                                     f"127.0.0.1:{nfcapd.port}", "--ipfix-uniflow")
                self.assertEqual(proc.returncode, 0, proc.stderr)
                nfcapd.wait_for_flows(summary["export_sent"])
                nfcapd.stop()
                flows = nfdump_flows(nfcapd.flows())
                self.assertEqual(summary["export_sent"], 2 * len(conns), summary)
                self.assertEqual(len(flows), 2 * len(conns))
                want = {}
                for c in conns:
                    client = (c["client_ip"], c["client_port"], c["server_ip"], c["server_port"])
                    server = (c["server_ip"], c["server_port"], c["client_ip"], c["client_port"])
                    want[client] = want.get(client, 0) | c["c2s_tcp_flags"]
                    want[server] = want.get(server, 0) | c["s2c_tcp_flags"]
                got = {}
                for f in flows:
                    key = (f["src"], int(f["src_port"]), f["dst"], int(f["dst_port"]))
                    got[key] = got.get(key, 0) | nfdump_tcp_flags(f["tcp_flags"])
                self.assertEqual(got, want)

    def test_nfcapd_flow_times_are_the_capture_times(self):
        conns, flows = self.check_nfcapd("zeek__smtp.pcap")
        want = {(c["client_port"], c["server_port"]): (int(round(c["first_ts"] * 1e6)) // 1000,
                                                       int(round(c["last_ts"] * 1e6)) // 1000) for c in conns}
        utc = datetime.timezone.utc
        got = {}
        for f in flows:
            times = [datetime.datetime.fromisoformat(f[k]).replace(tzinfo=utc).timestamp() for k in ("first", "last")]
            got[(int(f["src_port"]), int(f["dst_port"]))] = tuple(int(round(t * 1000)) for t in times)
        self.assertEqual(got, want)

    def test_active_timeout_splits_long_connections_into_deltas(self):
        # A 7.6 s SMTP session exported every second of capture time: several records
        # whose deltas add up to the connection, each starting where the last ended.
        conns, flows = self.check_nfcapd("zeek__smtp.pcap", "--active-timeout", "1")
        smtp = sorted((f for f in flows if int(f["src_port"]) == 1470), key=lambda f: f["first"])
        self.assertGreaterEqual(len(smtp), 4, smtp)
        for earlier, later in zip(smtp, smtp[1:]):
            self.assertEqual(earlier["last"], later["first"])
        self.assertEqual(sum(int(f["in_packets"]) for f in smtp), 28)

    def test_screen_replay_exports_what_batch_exports(self):
        # The screen streams no removed rows of its own; with --ipfix they go to the exporter.
        _, conns, _ = run_ringtrack(os.path.join(PCAPS, "zeek__smtp.pcap"))
        nfcapd = Nfcapd(os.path.join(self.tmp.name, "screen"))
        self.addCleanup(nfcapd.close)
        argv = [RINGTRACK, "-T", os.path.join(PCAPS, "zeek__smtp.pcap"), "--speed", "0", "--ipfix",
                f"127.0.0.1:{nfcapd.port}", "--active-timeout", "1"]
        with Tmux(argv, width=100, height=30, name="rtipfix") as term:
            term.wait_for(lambda text: "49655" in text, "the last connection on screen")
            term.keys("q")
            wait_until(lambda: "ringtrack" not in subprocess.run(["tmux", "-L", term.socket, "list-panes", "-F",
                                                                  "#{pane_current_command}"], capture_output=True,
                                                                 text=True).stdout, 10, "ringtrack to quit")
        nfcapd.stop()
        got = flows_by_connection(nfdump_flows(nfcapd.flows()), ("src", "src_port", "dst", "dst_port",
                                                                  "in_packets", "out_packets", "in_bytes", "out_bytes"))
        self.assertEqual(got, self.expected(conns))

    def test_nfacctd_reads_uniflow_records_in_both_directions(self):
        for capture in CAPTURES[:4]:
            with self.subTest(capture=capture):
                nfacctd = Nfacctd(os.path.join(self.tmp.name, capture))
                self.addCleanup(nfacctd.close)
                proc, conns, summary = run_ringtrack(os.path.join(PCAPS, capture), "--ipfix",
                                                     f"127.0.0.1:{nfacctd.port}", "--ipfix-uniflow")
                self.assertEqual(proc.returncode, 0, proc.stderr)
                self.assertEqual(summary["export_dropped"], 0)
                self.assertEqual(summary["export_sent"], 2 * len(conns))
                with_packets = sum(bool(c["c2s_packets"]) + bool(c["s2c_packets"]) for c in conns)
                flows = canonical(nfacctd.wait_for_flows(with_packets), ("ip_src", "ip_dst"))
                nfacctd.stop()
                got = flows_by_connection(flows, ("ip_src", "port_src", "ip_dst", "port_dst", "packets", "bytes"))
                want = {}
                for (ci, cp, si, sp), (cpk, spk, cb, sb) in self.expected(conns).items():
                    for key, value in (((ci, cp, si, sp), (cpk, cb)), ((si, sp, ci, cp), (spk, sb))):
                        if value[0]:  # a direction without packets is a record pmacct keeps nothing of
                            old = want.get(key, (0, 0))
                            want[key] = (old[0] + value[0], old[1] + value[1])
                got = {k: v for k, v in got.items() if v[0]}
                self.assertEqual(got, want)

    def test_nfacctd_reads_only_the_forward_half_of_a_biflow(self):
        # pmacct 1.7.7 skips RFC 5103's reverse elements (enterprise 29305): a biflow is
        # the client's direction alone there, hence --ipfix-uniflow.
        nfacctd = Nfacctd(os.path.join(self.tmp.name, "biflow"))
        self.addCleanup(nfacctd.close)
        proc, conns, _ = run_ringtrack(os.path.join(PCAPS, "zeek__smtp.pcap"), "--ipfix", f"127.0.0.1:{nfacctd.port}")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        flows = canonical(nfacctd.wait_for_flows(len(conns)), ("ip_src", "ip_dst"))
        nfacctd.stop()
        got = flows_by_connection(flows, ("ip_src", "port_src", "ip_dst", "port_dst", "packets", "bytes"))
        want = {k: (v[0], v[2]) for k, v in self.expected(conns).items()}
        self.assertEqual(got, want)

    def test_two_collectors_each_get_every_record(self):
        a = Nfcapd(os.path.join(self.tmp.name, "a"))
        self.addCleanup(a.close)
        b = Nfcapd(os.path.join(self.tmp.name, "b"))
        self.addCleanup(b.close)
        proc, conns, summary = run_ringtrack(os.path.join(PCAPS, "ndpi__1kxun.pcap"), "--ipfix",
                                             f"127.0.0.1:{a.port}", "--ipfix", f"localhost:{b.port}",
                                             "--observation-domain", "7")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        for nfcapd in (a, b):
            nfcapd.wait_for_flows(len(conns))
            nfcapd.stop()
        self.assertEqual(summary["export_sent"], 2 * len(conns))
        for nfcapd in (a, b):
            self.assertEqual(len(nfcapd.flows()), len(conns))

    def test_collector_that_stops_reading_leaves_no_record_uncounted(self):
        # A TCP collector that accepts, then reads nothing: the exporter's socket fills and
        # its thread stays in send() with a message and the rest of its batch in hand. The
        # run still ends, and every record is counted once: sent or dropped.
        listener = socket.create_server(("127.0.0.1", 0))
        self.addCleanup(listener.close)
        held = []
        self.addCleanup(lambda: [s.close() for s in held])
        acceptor = threading.Thread(target=lambda: held.append(listener.accept()[0]), daemon=True)
        acceptor.start()
        pcap = os.path.join(self.tmp.name, "syns.pcap")
        write_syns(pcap, 150000)  # about 10 MB of records: more than both sockets' buffers
        proc, conns, summary = run_ringtrack(pcap, "--ipfix", f"127.0.0.1:{listener.getsockname()[1]}",
                                             "--ipfix-transport", "tcp")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(len(conns), 150000)
        self.assertTrue(held, "ringtrack never connected to the collector")
        self.assertGreater(summary["export_sent"], 0, summary)
        self.assertGreater(summary["export_dropped"], 0, summary)
        self.assertEqual(summary["export_sent"] + summary["export_dropped"], len(conns), summary)

    def test_collector_that_does_not_resolve_is_one_line(self):
        proc, _, _ = (subprocess.run([RINGTRACK, "-T", os.path.join(PCAPS, "zeek__smtp.pcap"), "--batch",
                                      "--ipfix", "no-such-collector.invalid:4739"],
                                     capture_output=True, text=True, timeout=30), None, None)
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(proc.stdout, "")
        lines = proc.stderr.splitlines()
        self.assertEqual(len(lines), 1, proc.stderr)
        self.assertRegex(lines[0], r"^ringtrack: IPFIX collector no-such-collector\.invalid:4739 does not resolve: ")

    def test_bad_export_options_are_one_line(self):
        pcap = os.path.join(PCAPS, "zeek__smtp.pcap")
        for args, message in [
            (["--ipfix", "127.0.0.1"], "--ipfix wants HOST:PORT"),
            (["--ipfix", "127.0.0.1:0"], "port"),
            (["--ipfix", "127.0.0.1:70000"], "port"),
            (["--ipfix", "127.0.0.1:4739", "--ipfix-transport", "sctp"], "--ipfix-transport wants udp or tcp"),
            (["--active-timeout", "5"], "--active-timeout is for flow export"),
            (["--ipfix", "127.0.0.1:4739", "--active-timeout", "0"], "--active-timeout wants seconds"),
            (["--ipfix", "127.0.0.1:1", "--ipfix", "127.0.0.1:2", "--ipfix", "127.0.0.1:3"], "at most two"),
        ]:
            with self.subTest(args=args):
                proc = subprocess.run([RINGTRACK, "-T", pcap, "--batch", *args], capture_output=True, text=True,
                                      timeout=30)
                self.assertEqual(proc.returncode, 2, proc.stderr)
                self.assertIn(message, proc.stderr.splitlines()[0])


if __name__ == "__main__":
    RINGTRACK = os.path.abspath(sys.argv[1])
    PCAPS = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2)
