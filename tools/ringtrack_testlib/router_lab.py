"""A routed test network: client, router and server namespaces, a delay line on the server's wire.

Owns: making four namespaces, their veth pairs, addresses, routes, offloads and shapers,
the delay line between router and server, the processes started in them, and removing it
all (with anything else still running there), even on failure. Does not own: the traffic,
the captures or what a test makes of them (tests/live/tcp_health_test.py); the one-namespace
lab joined to this one is netns_lab.

    client ns          router ns (ip_forward)            wire ns                server ns
    c0 10.A.B.2 ---- r0 10.A.B.1   r1 10.A.C.1 ---- w0 [delay_line] w1 ---- s0 10.A.C.2

r1 and s0 share one /24 through the wire namespace, where delay_line.py copies each frame
from w0 to w1 and back DELAY later (netem is not in the kernel). Every veth end has TSO,
GSO and GRO off: one TCP segment is one frame everywhere. The client's c0 and the server's
s0 send through an HTB shaper: the senders' own queues (held short by TCP small queues)
set the rate, so nothing between sender and receiver overflows, and the delay line never
falls behind. Every name is unique per lab (process id plus a serial) and every
address private (10.x); interface names are per namespace.
"""
import json
import os
import random
import subprocess
import sys

from ringtrack_testlib.netns_lab import run, unique_tag

DELAY_LINE = [sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "delay_line.py")]
ROLES = ("client", "router", "wire", "server")


def must(argv, what):
    """Runs a set-up command; a failure names what this machine lacks rather than skipping."""
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        raise AssertionError(f"cannot make {what}: `{' '.join(argv)}` said {done.stderr.strip()!r}")
    return done.stdout


class RouterLab:
    def __init__(self, delay_ms=5.0, rate_mbit=30, reorder_every=0, reorder_extra_ms=0.0, prefix="hl"):
        tag = unique_tag()
        self.ns = {role: f"{prefix}{role[0]}{tag}" for role in ROLES}
        a, b = random.randrange(100, 250), random.randrange(0, 254)
        self.client_ip, self.router_client_ip = f"10.{a}.{b}.2", f"10.{a}.{b}.1"
        self.router_server_ip, self.server_ip = f"10.{a}.{b + 1}.1", f"10.{a}.{b + 1}.2"
        self.capture_if = "r0"  # the router's client-facing veth
        self.delay_ms, self.rate_mbit = delay_ms, rate_mbit
        self._reorder = ["--reorder-every", str(reorder_every), "--reorder-extra-ms", str(reorder_extra_ms)]
        self._procs = []
        self.delay_line = None

    def __enter__(self):
        try:
            self._setup()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def ip(self, role, *args, what="the lab's links"):
        return must(["ip", "-n", self.ns[role], *args], what)

    def exec_argv(self, role, argv):
        return ["ip", "netns", "exec", self.ns[role], *argv]

    def ns_run(self, role, *argv, what):
        return must(self.exec_argv(role, list(argv)), what)

    def ns_popen(self, role, argv, **kw):
        p = subprocess.Popen(self.exec_argv(role, argv), **kw)
        self._procs.append(p)
        return p

    def _setup(self):
        for role in ROLES:
            must(["ip", "netns", "add", self.ns[role]], "a network namespace")
            self.ip(role, "link", "set", "lo", "up")
        self.ip("client", "link", "add", "c0", "type", "veth", "peer", "name", "r0", "netns", self.ns["router"])
        self.ip("router", "link", "add", "r1", "type", "veth", "peer", "name", "w0", "netns", self.ns["wire"])
        self.ip("server", "link", "add", "s0", "type", "veth", "peer", "name", "w1", "netns", self.ns["wire"])
        for role, dev, addr in (("client", "c0", self.client_ip), ("router", "r0", self.router_client_ip),
                                ("router", "r1", self.router_server_ip), ("server", "s0", self.server_ip)):
            self.ip(role, "addr", "add", f"{addr}/24", "dev", dev)
        for role, dev in (("client", "c0"), ("router", "r0"), ("router", "r1"), ("wire", "w0"), ("wire", "w1"),
                          ("server", "s0")):
            self.ns_run(role, "ethtool", "-K", dev, "tx", "off", "tso", "off", "gso", "off", "gro", "off",
                        what="offloads off (ethtool)")
            self.ip(role, "link", "set", dev, "up")
        self.ip("client", "route", "add", "default", "via", self.router_client_ip)
        self.ip("server", "route", "add", "default", "via", self.router_server_ip)
        self.ns_run("router", "sysctl", "-qw", "net.ipv4.ip_forward=1", what="forwarding in the router")
        # Neighbours known from the start: no ARP exchange (a round trip through the delay
        # line) holds back the first SYN and lengthens its handshake.
        for role, dev, ip, peer_role, peer_dev in (("client", "c0", self.router_client_ip, "router", "r0"),
                                                   ("router", "r0", self.client_ip, "client", "c0"),
                                                   ("router", "r1", self.server_ip, "server", "s0"),
                                                   ("server", "s0", self.router_server_ip, "router", "r1")):
            mac = json.loads(self.ip(peer_role, "-j", "link", "show", "dev", peer_dev))[0]["address"]
            self.ip(role, "neigh", "replace", ip, "lladdr", mac, "dev", dev, "nud", "permanent")
        for role, dev in (("client", "c0"), ("server", "s0")):
            self.ns_run(role, "tc", "qdisc", "add", "dev", dev, "root", "handle", "1:", "htb", "default", "1",
                        what="an HTB shaper (CONFIG_NET_SCH_HTB)")
            self.ns_run(role, "tc", "class", "add", "dev", dev, "parent", "1:", "classid", "1:1", "htb",
                        "rate", f"{self.rate_mbit}mbit", what="an HTB class")
        self.delay_line = self.ns_popen("wire", [*DELAY_LINE, "--a", "w0", "--b", "w1", "--delay-ms",
                                                 str(self.delay_ms), *self._reorder],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.delay_line.stdout.readline()
        if "ready" not in line:
            raise AssertionError(f"delay line did not start: {line!r} {self.delay_line.stderr.read()!r}")

    def delay_line_counts(self):
        """Stops the delay line; its account (frames each way, reordered, latest frame's lateness)."""
        self.delay_line.terminate()
        out, _ = self.delay_line.communicate(timeout=10)
        return json.loads(out.strip().splitlines()[-1])

    def nft(self, role, ruleset):
        """Loads an nftables ruleset (text) into a namespace."""
        p = subprocess.run(self.exec_argv(role, ["nft", "-f", "-"]), input=ruleset, capture_output=True, text=True)
        if p.returncode != 0:
            raise AssertionError(f"cannot load nftables rules into {role}: {p.stderr.strip()!r}\n{ruleset}")

    def retransmitted_segments(self, role):
        """The namespace's Tcp RetransSegs (/proc/net/snmp): every segment its TCP retransmitted."""
        text = self.ns_run(role, "cat", "/proc/net/snmp", what="the namespace's TCP counters")
        tcp = [line.split() for line in text.splitlines() if line.startswith("Tcp:")]
        return int(tcp[1][tcp[0].index("RetransSegs")])

    def close(self):
        for p in self._procs:
            if p.poll() is None:
                p.kill()
                p.wait()
            for stream in (p.stdout, p.stderr):
                if stream:
                    stream.close()
        for ns in self.ns.values():
            for pid in run("ip", "netns", "pids", ns, check=False).stdout.split():
                try:
                    os.kill(int(pid), 9)
                except ProcessLookupError:
                    pass
            run("ip", "netns", "del", ns, check=False)
