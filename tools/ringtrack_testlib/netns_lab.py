"""A throwaway test network: a network namespace joined to this one by a veth pair.

Owns: making the namespace, veth pair and addresses, the processes started through it,
and removing them all (with anything else still running in the namespace). Does not own:
the traffic itself (tcp_traffic) or any capture.

Used by the live tests, the live benchmarks and the demo. Every name is unique per lab
(process id plus a serial), every address is private (10.x and fd00::/8 only,
never anything outside the lab), and everything is removed on exit, even on failure.

    with Lab() as lab:
        lab.serve(8080)             # tcp_traffic serve, inside the namespace
        lab.ns_popen([*TRAFFIC, "send", ...])
        # capture on lab.host_if; the namespace side is lab.ns_if at lab.ns_ip
"""
import ipaddress
import itertools
import json
import os
import random
import signal
import subprocess
import sys

# The traffic generator's command line. Run by its path: it needs only the standard
# library, so it runs alike inside a namespace, under setpriv, with any environment.
TRAFFIC = [sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "tcp_traffic.py")]


_serials = itertools.count(random.randrange(1000))
_second_octets_in_use = set()


def unique_tag():
    """Digits for the names a lab makes: the process id keeps them apart between processes,
    the serial between the labs of one process (a random suffix collided: 1 in 300 for
    three labs at once)."""
    return f"{os.getpid()}{next(_serials) % 1000:03d}"


def run(*cmd, check=True):
    return subprocess.run(cmd, check=check, capture_output=True, text=True)


class Lab:
    def __init__(self, vlan=None, prefix="rt", mtu=None):
        tag = unique_tag()
        self.prefix, self.tag = prefix, tag
        self.ns = f"{prefix}ns{tag}"
        self.host_if = f"{prefix}h{tag}"[:15]
        self.ns_if = f"{prefix}n{tag}"[:15]
        # 10.a.0.0/16 is this lab's alone among the labs of this process.
        a = random.choice(sorted(set(range(100, 250)) - _second_octets_in_use))
        _second_octets_in_use.add(a)
        b = random.randrange(0, 255)
        self._a, self._b = a, b
        self.host_ip, self.ns_ip = f"10.{a}.{b}.1", f"10.{a}.{b}.2"
        # Written as the tool writes them (RFC 5952): with b = 0, "fd00:e0:0::1" is "fd00:e0::1".
        self.host_ip6, self.ns_ip6 = (str(ipaddress.IPv6Address(f"fd00:{a:x}:{b:x}::{h}")) for h in (1, 2))
        self.vlan = vlan
        self.mtu = mtu
        if vlan is not None:
            self.host_vlan_if = f"{self.host_if[:10]}.{vlan}"[:15]
            self.ns_vlan_if = f"{self.ns_if[:10]}.{vlan}"[:15]
            self.host_vlan_ip, self.ns_vlan_ip = f"10.{a}.{(b + 1) % 255}.1", f"10.{a}.{(b + 1) % 255}.2"
        self._procs = []
        self.host_links = []  # more interfaces on this side (tunnels): close() removes them

    def __enter__(self):
        try:
            self._setup()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def _setup(self):
        run("ip", "netns", "add", self.ns)
        run("ip", "link", "add", self.host_if, "type", "veth", "peer", "name", self.ns_if)
        run("ip", "link", "set", self.ns_if, "netns", self.ns)
        run("ip", "addr", "add", f"{self.host_ip}/24", "dev", self.host_if)
        run("ip", "-6", "addr", "add", f"{self.host_ip6}/64", "dev", self.host_if, "nodad")
        run("ip", "link", "set", self.host_if, "up")
        n = ["ip", "-n", self.ns]
        run(*n, "addr", "add", f"{self.ns_ip}/24", "dev", self.ns_if)
        run(*n, "-6", "addr", "add", f"{self.ns_ip6}/64", "dev", self.ns_if, "nodad")
        run(*n, "link", "set", self.ns_if, "up")
        run(*n, "link", "set", "lo", "up")
        if self.mtu:
            run("ip", "link", "set", self.host_if, "mtu", str(self.mtu))
            run(*n, "link", "set", self.ns_if, "mtu", str(self.mtu))
        if self.vlan is not None:
            run("ip", "link", "add", "link", self.host_if, "name", self.host_vlan_if, "type", "vlan",
                "id", str(self.vlan))
            run("ip", "addr", "add", f"{self.host_vlan_ip}/24", "dev", self.host_vlan_if)
            run("ip", "link", "set", self.host_vlan_if, "up")
            run(*n, "link", "add", "link", self.ns_if, "name", self.ns_vlan_if, "type", "vlan",
                "id", str(self.vlan))
            run(*n, "addr", "add", f"{self.ns_vlan_ip}/24", "dev", self.ns_vlan_if)
            run(*n, "link", "set", self.ns_vlan_if, "up")

    def close(self):
        for p in self._procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        for name in self.host_links:
            run("ip", "link", "del", name, check=False)
        # Whatever else still runs in the namespace (started by a caller with `ip netns
        # exec`, or a child of a process above): `ip netns del` only unlinks the name, and
        # the namespace with its servers lives on while they do.
        remove_namespace(self.ns, self.host_if)
        _second_octets_in_use.discard(self._a)


    def link_name(self, letters):
        """A name for another interface of this lab, unique per lab like its veth's."""
        return f"{self.prefix}{letters}{self.tag}"[:15]

    def subnet(self, n):
        """(host side, namespace side): addresses in the lab's n-th /24 after the veth's
        (n >= 2: the first is the VLAN's)."""
        net = f"10.{self._a}.{(self._b + n) % 255}"
        return f"{net}.1", f"{net}.2"

    def ns_popen(self, argv, **kw):
        p = subprocess.Popen(["ip", "netns", "exec", self.ns] + argv, **kw)
        self._procs.append(p)
        return p

    def popen(self, argv, **kw):
        p = subprocess.Popen(argv, **kw)
        self._procs.append(p)
        return p

    def serve(self, port, reply=0, bind=None, connections=0):
        """A tcp_traffic.py server inside the namespace; returns once it listens."""
        argv = [*TRAFFIC, "serve", "--bind", bind or self.ns_ip, "--port", str(port),
                "--reply", str(reply)]
        if connections:
            argv += ["--connections", str(connections)]
        p = self.ns_popen(argv, stdout=subprocess.PIPE, text=True)
        line = p.stdout.readline()
        if "listening" not in line:
            raise RuntimeError(f"server did not start: {line!r}")
        return p

    def send(self, to, port, nbytes, hold=0.0, expect_reply=True):
        """A client in this namespace; returns its JSON report (local port, bytes)."""
        argv = [*TRAFFIC, "send", "--to", to, "--port", str(port), "--bytes", str(nbytes),
                "--hold", str(hold)]
        out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
        return json.loads(out)


def remove_namespace(ns, host_if):
    """Kills every process in network namespace ns, then deletes interface host_if (its veth
    peer goes with it) and the namespace; any of them may be gone already."""
    for pid in run("ip", "netns", "pids", ns, check=False).stdout.split():
        try:
            os.kill(int(pid), signal.SIGKILL)
        except ProcessLookupError:
            pass
    run("ip", "link", "del", host_if, check=False)
    run("ip", "netns", "del", ns, check=False)


def namespace_exists(ns):
    return ns in run("ip", "netns", "list", check=False).stdout.split()


def interface_exists(name, ns=None):
    return run(*(["ip", "-n", ns] if ns else ["ip"]), "link", "show", name, check=False).returncode == 0
