#!/usr/bin/env python3
"""Live capture of real kernel TCP through tunnels between a network namespace and this one.

Each test lays a tunnel over the lab's veth pair (outer endpoints: the veth addresses),
with inner addresses on a subnet of its own, runs a connection over the inner addresses
and captures on the host side of the veth, where only the outer frames pass. The one row
of the connection must carry the inner addresses and ports, what the application sent,
and the tunnel: its kind, the veth addresses as its outer endpoints, its key or VNI. No
row may show the inner addresses untunnelled, and nothing else may be tracked (the veth
carries nothing but the tunnel). Without tunnel decoding the veth holds no TCP at all
(GRE is IP protocol 47, VXLAN UDP), no row appears, and each test fails waiting for it.

  VXLAN: a kernel VXLAN device on each side (ip link add ... type vxlan), VNI random per
    run (the kernel allows one device per VNI and port in a namespace, and runs of other
    builds may share this one). The kernel hands the veth's packet taps GSO super-frames
    (the veth takes UDP-tunnel segmentation offload): one outer frame holds many segments.
  GRE: this kernel has no GRE (CONFIG_NET_IPGRE is not set, and it takes no modules), so
    each end is tools' gre_tunnel.py: a TUN device whose packets it wraps in GRE with a
    key and sends as the kernel's own IP protocol 47 datagrams; the wire holds what a GRE
    device would send.

Run as root (CI is). Usage: tunnel_capture_test.py RINGTRACK [unittest test names...]
"""
import ipaddress
import json
import os
import random
import subprocess
import sys
import time
import unittest

from ringtrack_testlib.link_counters import wait_until_quiet
from ringtrack_testlib.live_capture import capture_for
from ringtrack_testlib.netns_lab import Lab

RINGTRACK = None
GRE_TUNNEL = [sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools",
                                           "ringtrack_testlib", "gre_tunnel.py")]
PORT = 8080


def must(argv, what):
    """Runs a set-up command; a failure names what this kernel lacks rather than skipping."""
    run = subprocess.run(argv, capture_output=True, text=True)
    if run.returncode != 0:
        raise AssertionError(f"cannot make {what}: `{' '.join(argv)}` said {run.stderr.strip()!r}")


def vxlan_pair(lab, vni):
    """A VXLAN device on each side of the lab's veth; returns their inner addresses."""
    host_in, ns_in = lab.subnet(3)
    host_dev, ns_dev = lab.link_name("xh"), lab.link_name("xn")
    lab.host_links.append(host_dev)  # before it exists: removed on every path
    for ns, dev, local, remote, link, inner in ((None, host_dev, lab.host_ip, lab.ns_ip, lab.host_if, host_in),
                                                (lab.ns, ns_dev, lab.ns_ip, lab.host_ip, lab.ns_if, ns_in)):
        ip = ["ip", "-n", ns] if ns else ["ip"]
        must([*ip, "link", "add", dev, "type", "vxlan", "id", str(vni), "local", local, "remote", remote,
              "dstport", "4789", "dev", link],
             "a VXLAN device (the kernel needs CONFIG_VXLAN)")
        must([*ip, "addr", "add", f"{inner}/24", "dev", dev], "the VXLAN device's address")
        must([*ip, "link", "set", dev, "up"], "the VXLAN device up")
    return host_in, ns_in


def gre_pair(lab, key):
    """A user-space GRE tunnel end (gre_tunnel.py) on each side of the lab's veth; returns
    their inner addresses. Each TUN device goes with its process, which the lab kills."""
    host_in, ns_in = lab.subnet(2)
    ends = ((lab.popen, lab.link_name("gh"), lab.host_ip, lab.ns_ip, host_in),
            (lab.ns_popen, lab.link_name("gn"), lab.ns_ip, lab.host_ip, ns_in))
    for popen, dev, local, remote, inner in ends:
        p = popen([*GRE_TUNNEL, "--name", dev, "--local", local, "--remote", remote, "--address", f"{inner}/24",
                   "--key", str(key)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = p.stdout.readline()
        if "ready" not in line:
            raise AssertionError(f"cannot make a GRE tunnel end: {line!r} {p.stderr.read()!r}")
    return host_in, ns_in


def wait_for_row(cap, matches, timeout=20.0):
    """The first interim or final row that matches, read as ringtrack writes it (its
    --interval reports); fails at the deadline naming what came instead."""
    deadline = time.monotonic() + timeout
    while True:
        for line in list(cap.out):
            row = json.loads(line)
            if row.get("type") == "conn" and matches(row):
                return row
        if time.monotonic() > deadline or cap.proc.poll() is not None:
            seen = [json.loads(l) for l in list(cap.out)]
            raise AssertionError(f"no such row after {timeout} s; ringtrack wrote {seen[-5:]}")
        time.sleep(0.05)  # the poll interval, not the wait: the loop ends on the row


class LiveTunnels(unittest.TestCase):
    def check_tunnelled_connection(self, lab, host_in, ns_in, kind, nbytes, reply, *capture_args):
        """Sends nbytes to a server over the inner addresses, reply back; returns the
        connection's final row after checking it and everything else the capture held."""
        lab.serve(PORT, reply=reply, bind=ns_in)
        cap = capture_for(self, RINGTRACK, lab.host_if, "--interval", "0.2", *capture_args,
                          keep=lambda line: line.strip() != "")
        sent = lab.send(ns_in, PORT, nbytes)
        self.assertEqual((sent["sent"], sent["received"]), (nbytes, reply))
        inner = (host_in, sent["local_port"], ns_in, PORT)

        def the_closed_connection(r):
            return (r["client_ip"], r["client_port"], r["server_ip"], r["server_port"]) == inner and \
                r["state"] == "CLOSED"
        wait_for_row(cap, the_closed_connection)
        cap.stop()

        self.assertEqual(cap.rc, 0, cap.stderr_lines)
        self.assertEqual(cap.summary["record"], "final")
        self.assertEqual(cap.summary["kernel_drops"], 0)
        inner_ips = {host_in, ns_in}
        plain = [r for r in cap.conns if {r["client_ip"], r["server_ip"]} & inner_ips and r["tunnel"] is None]
        self.assertEqual(plain, [], "inner addresses on a row without its tunnel")
        # The veth carries the tunnel and nothing else: one connection in all.
        self.assertEqual(len(cap.finals), 1, cap.finals)
        conn = cap.finals[0]
        self.assertEqual((conn["client_ip"], conn["client_port"], conn["server_ip"], conn["server_port"]), inner)
        self.assertEqual((conn["c2s_payload"], conn["s2c_payload"]), (nbytes, reply))
        self.assertEqual(conn["state"], "CLOSED")
        self.assertFalse(conn["midstream"])
        self.assertEqual(conn["vlan"], [])
        tunnel = conn["tunnel"]
        self.assertIsNotNone(tunnel, conn)
        self.assertEqual(tunnel["kind"], kind)
        self.assertRegex(tunnel["id"], r"^[0-9a-f]{8}$")
        self.assertEqual(tunnel["outer"], sorted([lab.host_ip, lab.ns_ip], key=ipaddress.ip_address))
        # Every row of the connection, interim ones too, shows the same tunnel.
        for r in cap.conns:
            self.assertEqual(r["tunnel"], tunnel, r)
        self.assertGreater(cap.summary["tunnelled_frames"], 0)
        by_kind = cap.summary["tunnelled_by_kind"]
        self.assertEqual({k for k, n in by_kind.items() if n}, {kind}, by_kind)
        return conn

    def test_vxlan_device_inner_connection_with_its_vni(self):
        vni = random.randrange(1 << 12, 1 << 24)
        with Lab(prefix="tx") as lab:
            host_in, ns_in = vxlan_pair(lab, vni)
            # One reader, so the state is exact: with more, one direction reaches the owning
            # shard through a hand-off (test_vxlan_connections_stay_whole_across_two_readers).
            conn = self.check_tunnelled_connection(lab, host_in, ns_in, "vxlan", 1000000, 20000, "--threads", "1")
        self.assertEqual(conn["tunnel"]["vni"], vni)
        self.assertNotIn("key", conn["tunnel"])

    def test_vxlan_connections_stay_whole_across_two_readers(self):
        # The default fanout (the kernel's hash) keeps a flow's packets on one reader only
        # if its hash is the same both ways. The kernel hashes the outer addresses and UDP
        # ports of a VXLAN packet (its flow dissector does not open UDP tunnels), and each
        # side picks its source port from its own flow hash: the two directions of one
        # inner connection land on either reader by chance, and a split one shows as two
        # one-sided rows. Eight connections: a split-prone build passes one run in 256.
        # ringtrack hands tunnelled records to the shard its own hash of the inner key picks.
        # One direction then reaches that shard through another reader's hand-off, later
        # than its own ring's packets: an ACK of a FIN may be applied before the FIN, and the
        # connection stay CLOSING (removed by the CLOSING timer) instead of CLOSED, as with
        # fanout lb. The counts are exact either way.
        vni = random.randrange(1 << 12, 1 << 24)
        with Lab(prefix="tx") as lab:
            host_in, ns_in = vxlan_pair(lab, vni)
            lab.serve(PORT, reply=3000, bind=ns_in)
            cap = capture_for(self, RINGTRACK, lab.host_if, "--threads", "2", "--interval", "0.2",
                              keep=lambda line: line.strip() != "")
            ports = [lab.send(ns_in, PORT, 50000)["local_port"] for _ in range(8)]
            # (Waits for the link, not for rows: a split connection never closes.)
            wait_until_quiet(lab.host_if)
            cap.stop()
        self.assertEqual(cap.rc, 0, cap.stderr_lines)
        rows = {port: [r for r in cap.finals if (r["client_ip"], r["client_port"]) == (host_in, port)]
                for port in ports}
        for port, found in rows.items():
            self.assertEqual([(r["c2s_payload"], r["s2c_payload"], r["one_sided"]) for r in found],
                             [(50000, 3000, False)], f"port {port}: {found}")
            self.assertIn(found[0]["state"], ("CLOSED", "CLOSING"), found)
            self.assertEqual(found[0]["tunnel"]["vni"], vni)
        self.assertEqual(len(cap.finals), len(ports), cap.finals)

    def test_gre_tunnel_inner_connection_with_its_key(self):
        key = random.randrange(1, 1 << 32)
        with Lab(prefix="tg") as lab:
            host_in, ns_in = gre_pair(lab, key)
            # Two readers: the kernel's fanout hash looks inside GRE, both directions agree.
            conn = self.check_tunnelled_connection(lab, host_in, ns_in, "gre", 300000, 5000, "--threads", "2")
        self.assertEqual(conn["tunnel"]["key"], key)
        self.assertNotIn("vni", conn["tunnel"])


if __name__ == "__main__":
    if os.geteuid() != 0:
        sys.exit("live tests need root (network namespaces, packet sockets, TUN devices)")
    RINGTRACK = os.path.abspath(sys.argv[1])
    unittest.main(argv=[sys.argv[0]] + sys.argv[2:], verbosity=2)
