#!/usr/bin/env python3
"""Live capture against real kernel TCP through a veth pair into a network namespace.

Run as root (CI is). Each test builds its own uniquely named namespace and removes it.
Usage: live_capture_test.py RINGTRACK [unittest test names...]
"""
import concurrent.futures
import json
import os
import resource
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import unittest

from ringtrack_testlib.link_counters import wait_until_quiet, wait_until_up
from ringtrack_testlib.live_capture import by_client_port, capture_for
from ringtrack_testlib.netns_lab import Lab, TRAFFIC
from ringtrack_testlib.proc_stats import capabilities_by_thread, status as proc_status
from ringtrack_testlib.ready_line import wait_for_line
from ringtrack_testlib.tcpdump_file import wait_for_records

RINGTRACK = None


def steer_next_unique_fanout_id(wanted):
    """Makes `wanted` the group id the kernel hands the next PACKET_FANOUT_FLAG_UNIQUEID
    join: its counter moves one id per new group, so groups are made and dropped until
    the one before `wanted` has been handed out. Closing a packet socket waits for an RCU
    grace period, so each batch of sockets is closed from many threads at once (they share
    the grace periods): the whole 16-bit round takes seconds, not minutes."""
    sol_packet, packet_fanout, flag_uniqueid = 263, 18, 0x2000
    last = (wanted - 1) & 0xffff
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    batch = 1000
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, batch + 1024)), hard))
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=250) as closer:
            for _ in range(65536 // batch + 2):
                sockets, reached = [], False
                for _ in range(batch):
                    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
                    sockets.append(s)
                    s.setsockopt(sol_packet, packet_fanout, struct.pack("I", flag_uniqueid << 16))
                    got = struct.unpack("I", s.getsockopt(sol_packet, packet_fanout, 4))[0] & 0xffff
                    if got == last:
                        reached = True
                        break
                list(closer.map(lambda s: s.close(), sockets))
                if reached:
                    return
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    raise AssertionError(f"the kernel never handed out fanout group id {last}")


def bounce_interface(lab, cap):
    """Takes the lab's host interface down and up, as the capture notices each."""
    subprocess.run(["ip", "link", "set", lab.host_if, "down"], check=True)
    cap.wait_stderr("went down")
    subprocess.run(["ip", "link", "set", lab.host_if, "up"], check=True)
    cap.wait_stderr("up again")
    subprocess.run(["ip", "-n", lab.ns, "link", "set", lab.ns_if, "up"], check=True)
    # Both ends up again: the veth has its carrier back and carries the next connection.
    wait_until_up(lab.host_if)
    wait_until_up(lab.ns_if, lab.ns)


class LiveCapture(unittest.TestCase):
    def assertClean(self, cap):
        self.assertEqual(cap.rc, 0, cap.stderr_lines)
        self.assertIsNotNone(cap.summary)
        self.assertEqual(cap.summary["record"], "final")

    def test_transfer_merges_directions_and_follows_states(self):
        with Lab() as lab:
            lab.serve(8080, reply=1000)
            cap = capture_for(self, RINGTRACK, lab.host_if, "--interval", "0.3")
            sent = lab.send(lab.ns_ip, 8080, 300000, hold=1.2)
            refused = subprocess.run([*TRAFFIC, "refused", "--to", lab.ns_ip, "--port", "9"],
                                     capture_output=True, text=True)
            self.assertIn("refused", refused.stdout)
            wait_until_quiet(lab.host_if)
            cap.stop()
        self.assertClean(cap)
        port = sent["local_port"]
        finals = by_client_port(cap.finals, port)
        self.assertEqual(len(finals), 1, cap.finals)
        conn = finals[0]
        self.assertEqual((conn["client_ip"], conn["server_ip"], conn["server_port"]),
                         (lab.host_ip, lab.ns_ip, 8080))
        self.assertEqual(conn["c2s_payload"], 300000)
        self.assertEqual(conn["s2c_payload"], 1000)
        self.assertEqual(conn["state"], "CLOSED")
        self.assertIsNotNone(conn["handshake_rtt_us"])
        states = {c["state"] for c in by_client_port(cap.interims, port)}
        self.assertIn("ESTABLISHED", states)
        resets = [c for c in cap.finals if c["server_port"] == 9]
        self.assertEqual(len(resets), 1)
        self.assertEqual(resets[0]["state"], "RESET")
        self.assertEqual(resets[0]["client_ip"], lab.host_ip)
        self.assertEqual(cap.summary["kernel_drops"], 0)

    def check_fanout(self, threads, fanout="hash", first_group_id=None):
        with Lab() as lab, tempfile.TemporaryDirectory() as tmp:
            lab.serve(8080, reply=3000)
            pcap = os.path.join(tmp, "ref.pcap")
            # The reference: tcpdump with a large buffer, stopped only after its ring's
            # block timeout (1 s) has handed it every packet.
            dump = lab.popen(["tcpdump", "-i", lab.host_if, "-w", pcap, "-U", "-B", "32768", "tcp"],
                             stderr=subprocess.PIPE, text=True)
            wait_for_line(dump.stderr, "listening on")
            if first_group_id is not None:
                steer_next_unique_fanout_id(first_group_id)
            cap = capture_for(self, RINGTRACK, lab.host_if, "--threads", str(threads), "--fanout", fanout)
            if first_group_id is not None:
                self.assertIn(f"fanout group {first_group_id}", cap.stderr_lines[0])
            many = subprocess.run([*TRAFFIC, "many", "--to", lab.ns_ip, "--port", "8080",
                                   "--connections", "120", "--bytes", "5000", "--parallel", "6"],
                                  check=True, capture_output=True, text=True)
            ports = json.loads(many.stdout)["local_ports"]
            wait_until_quiet(lab.host_if)
            cap.stop()
            # The reference has written every TCP packet ringtrack read (a stopped tcpdump
            # reads no more, and its ring hands over a partly filled block only after 1 s).
            wait_for_records(pcap, cap.summary["tcp_packets"])
            dump.send_signal(signal.SIGINT)
            dump_err = dump.communicate(timeout=10)[1]
            reference = subprocess.run([RINGTRACK, "-T", pcap, "--batch", "--format", "json", "--no-timeouts"],
                                       check=True, capture_output=True, text=True).stdout
        self.assertClean(cap)
        self.assertIn("\n0 packets dropped by kernel", dump_err)
        seen = [c["client_port"] for c in cap.finals if c["server_port"] == 8080]
        for port in ports:
            self.assertEqual(seen.count(port), 1, f"port {port} seen {seen.count(port)} times")
        ref_summary = [json.loads(l) for l in reference.splitlines()][-1]
        self.assertEqual(cap.summary["tcp_packets"], ref_summary["tcp_packets"], cap.summary)
        self.assertEqual(cap.summary["kernel_drops"], 0)
        self.assertEqual(cap.summary["handoff_drops"], 0)
        self.assertEqual(cap.summary["kernel_packets"], cap.summary["frames_read"])
        self.assertEqual(cap.summary["shards"], threads)
        for c in cap.finals:
            if c["server_port"] == 8080:
                self.assertEqual((c["c2s_payload"], c["s2c_payload"]), (5000, 3000))

    def test_two_readers_see_each_connection_once(self):
        self.check_fanout(2)

    def test_readers_share_fanout_group_zero(self):
        # The kernel hands out unique group ids from 0 up: the first run after boot (and
        # every 65536th) gets group 0, which the other readers must join like any other.
        self.check_fanout(2, first_group_id=0)

    def test_four_readers_see_each_connection_once(self):
        self.check_fanout(4)

    def test_load_balanced_fanout_hands_records_to_owning_shards(self):
        self.check_fanout(4, "lb")

    def test_filter_keeps_only_matching_connections(self):
        with Lab() as lab:
            lab.serve(8080)
            lab.serve(9090)
            cap = capture_for(self, RINGTRACK, lab.host_if, "port", "8080")
            a = lab.send(lab.ns_ip, 8080, 1000)
            b = lab.send(lab.ns_ip, 9090, 1000)
            wait_until_quiet(lab.host_if)
            cap.stop()
        self.assertClean(cap)
        ports = {c["server_port"] for c in cap.finals}
        self.assertEqual(ports, {8080})
        self.assertEqual(len(by_client_port(cap.finals, a["local_port"])), 1)
        self.assertEqual(by_client_port(cap.finals, b["local_port"]), [])

    def test_vlan_tags_stripped_by_the_kernel_and_vlan_filter(self):
        # This kernel has no 8021q module, so no VLAN sub-interface: real tagged frames are
        # replayed onto the veth instead and captured on the receiving side, where the
        # kernel strips the outer tag into the ring's metadata (the path a gateway sees).
        # The capture holds one 4-tuple untagged, in VLAN 42 and in QinQ 10/20.
        # (A larger MTU: the receiving veth allows one tag's length beyond it, not two.)
        pcap = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pcaps", "zeek__vlan-collisions.pcap")
        results = {}
        with Lab(mtu=1600) as lab:  # room for two tags on full-size frames
            for name, expression in (("all", []), ("vlan42", ["vlan", "42"])):
                cap = capture_for(self, RINGTRACK, lab.ns_if, "--threads", "2", "--no-timeouts", *expression,
                                  netns=lab.ns)
                subprocess.run(["tcpreplay", "-q", "-i", lab.host_if, "--topspeed", pcap], check=True,
                               capture_output=True)
                wait_until_quiet(lab.ns_if, lab.ns)
                results[name] = cap.stop()
        for cap in results.values():
            self.assertClean(cap)
        stacks = sorted((c["vlan"], c["c2s_packets"], c["s2c_packets"], c["state"]) for c in results["all"].finals)
        self.assertEqual(stacks, [([], 7, 7, "CLOSED"), ([10, 20], 7, 7, "CLOSED"), ([42], 7, 7, "CLOSED")])
        only = [(c["vlan"], c["c2s_bytes"] + c["s2c_bytes"]) for c in results["vlan42"].finals]
        self.assertEqual(len(only), 1, only)
        self.assertEqual(only[0][0], [42])
        # Bytes count the stripped tag, as libpcap's re-inserted tag would.
        tagged = [c for c in results["all"].finals if c["vlan"] == [42]][0]
        self.assertEqual(only[0][1], tagged["c2s_bytes"] + tagged["s2c_bytes"])

    def test_ipv6_connection_on_one_row(self):
        with Lab() as lab:
            lab.serve(8080, reply=500, bind=lab.ns_ip6)
            cap = capture_for(self, RINGTRACK, lab.host_if)
            sent = lab.send(lab.ns_ip6, 8080, 7000)
            wait_until_quiet(lab.host_if)
            cap.stop()
        self.assertClean(cap)
        conn = by_client_port(cap.finals, sent["local_port"])[0]
        self.assertEqual((conn["client_ip"], conn["server_ip"]), (lab.host_ip6, lab.ns_ip6))
        self.assertEqual((conn["c2s_payload"], conn["s2c_payload"]), (7000, 500))

    def test_forced_drops_are_reported(self):
        with Lab() as lab:
            lab.serve(8080)
            # Eight 128 KiB blocks (retired every 10 ms when traffic is light), read one per
            # 100 ms: any steady traffic overflows it.
            cap = capture_for(self, RINGTRACK, lab.host_if, "--threads", "1", "--ring-mb", "1", "--block-kb", "128",
                          "--slow-reader-us", "100000")
            # Traffic for two seconds, however fast this machine moves it: a block retires
            # every 10 ms while packets come, so eight fill long before the reader's next
            # read. (A fixed amount of traffic took 1 s on a busy machine and overflowed the
            # ring, but 20 ms on an idle one and did not.)
            deadline = time.monotonic() + 2.0
            while time.monotonic() < deadline:
                lab.popen([*TRAFFIC, "many", "--to", lab.ns_ip, "--port", "8080", "--connections", "40",
                           "--bytes", "20000", "--parallel", "8"], stdout=subprocess.DEVNULL).wait(timeout=60)
            # Stopped while the ring is still full: the reader must read every block the
            # kernel handed over (one per 100 ms), however long that takes.
            cap.stop()
        self.assertClean(cap)
        self.assertGreater(cap.summary["kernel_drops"], 0)
        self.assertEqual(cap.summary["readers"][0]["kernel_drops"], cap.summary["kernel_drops"])
        # Every packet the kernel saw is either read or counted as dropped.
        self.assertEqual(cap.summary["kernel_packets"], cap.summary["frames_read"] + cap.summary["kernel_drops"])

    def test_interface_down_and_up_resumes_capture(self):
        with Lab() as lab:
            lab.serve(8080)
            cap = capture_for(self, RINGTRACK, lab.host_if)
            first = lab.send(lab.ns_ip, 8080, 1000)
            bounce_interface(lab, cap)
            second = lab.send(lab.ns_ip, 8080, 2000)
            wait_until_quiet(lab.host_if)
            cap.stop()
        self.assertClean(cap)
        self.assertEqual(by_client_port(cap.finals, first["local_port"])[0]["c2s_payload"], 1000)
        self.assertEqual(by_client_port(cap.finals, second["local_port"])[0]["c2s_payload"], 2000)

    def test_connections_across_down_and_up_stay_with_their_reader(self):
        # The kernel takes every ring out of the fanout group when the interface goes down
        # and puts them back in socket order when it comes up: that must be the order they
        # joined in, or connections open across the outage move to another reader's shard
        # and show twice (the second time as a mid-stream pickup).
        with Lab() as lab:
            lab.serve(8080)
            cap = capture_for(self, RINGTRACK, lab.host_if, "--threads", "4")
            conns = [socket.create_connection((lab.ns_ip, 8080), timeout=10) for _ in range(16)]
            for c in conns:
                c.sendall(b"a" * 1000)
            wait_until_quiet(lab.host_if)  # the first data seen before the outage
            bounce_interface(lab, cap)
            ports = []
            for c in conns:
                c.sendall(b"b" * 500)
                c.shutdown(socket.SHUT_WR)
                ports.append(c.getsockname()[1])
            for c in conns:
                while c.recv(1 << 16):
                    pass
                c.close()
            wait_until_quiet(lab.host_if)
            cap.stop()
        self.assertClean(cap)
        for port in ports:
            rows = by_client_port(cap.finals, port)
            self.assertEqual(len(rows), 1, f"port {port}: {rows}")
            self.assertEqual(rows[0]["c2s_payload"], 1500)
            self.assertFalse(rows[0]["midstream"])

    def test_interface_removed_ends_with_table_and_message(self):
        lab = Lab()
        with lab:
            lab.serve(8080)
            cap = capture_for(self, RINGTRACK, lab.host_if)
            first = lab.send(lab.ns_ip, 8080, 1000)
        # The lab is gone: its interfaces with it.
        cap.finish()
        self.assertEqual(cap.rc, 1)
        self.assertTrue(any("disappeared" in l for l in cap.stderr_lines), cap.stderr_lines)
        self.assertEqual(by_client_port(cap.finals, first["local_port"])[0]["c2s_payload"], 1000)

    def test_interface_made_again_ends_with_table_and_message(self):
        # Removed and made again between two probes (a VPN or PPP restart): the rings stay
        # bound to the old interface and would see nothing; the run ends and says why.
        with Lab() as lab:
            lab.serve(8080)
            cap = capture_for(self, RINGTRACK, lab.host_if)
            first = lab.send(lab.ns_ip, 8080, 1000)
            # One ip process for both steps (a millisecond apart); the new one is a veth pair
            # of the same name (this kernel has no dummy module), removed by Lab's exit.
            subprocess.run(["ip", "-batch", "-"], check=True, text=True,
                           input=f"link del {lab.host_if}\n"
                                 f"link add {lab.host_if} type veth peer name {lab.host_if[:13]}x2\n")
            cap.finish()
        self.assertEqual(cap.rc, 1)
        # (A probe that falls in the millisecond between says "disappeared" instead.)
        self.assertTrue(any("was removed and made again" in l or "disappeared" in l for l in cap.stderr_lines),
                        cap.stderr_lines)
        self.assertEqual(by_client_port(cap.finals, first["local_port"])[0]["c2s_payload"], 1000)

    def test_without_cap_net_raw_one_clear_line(self):
        with Lab() as lab:
            run = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                  "--inh-caps=-all", "--bounding-set=-all", RINGTRACK, "-i", lab.host_if,
                                  "--batch"], capture_output=True, text=True)
        self.assertEqual(run.returncode, 1)
        lines = run.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, lines)
        self.assertIn("CAP_NET_RAW", lines[0])
        self.assertIn("setcap cap_net_raw+ep", lines[0])
        self.assertEqual(run.stdout, "")

    def test_unknown_interface_one_clear_line(self):
        run = subprocess.run([RINGTRACK, "-i", "rtnosuch0", "--batch"], capture_output=True, text=True)
        self.assertEqual(run.returncode, 1)
        self.assertEqual(run.stderr, "ringtrack: no such interface 'rtnosuch0' (see `ip link`)\n")

    def test_rejected_filter_one_clear_line(self):
        with Lab() as lab:
            run = subprocess.run([RINGTRACK, "-i", lab.host_if, "--batch", "port", "notaport"],
                                 capture_output=True, text=True)
        self.assertEqual(run.returncode, 1)
        self.assertEqual(len(run.stderr.strip().splitlines()), 1, run.stderr)
        self.assertIn("filter expression rejected", run.stderr)

    def test_drop_to_user_after_opening_sockets(self):
        with Lab() as lab:
            lab.serve(8080)
            cap = capture_for(self, RINGTRACK, lab.host_if, "-Z", "nobody", "--threads", "2")
            status = proc_status(cap.proc.pid)
            sent = lab.send(lab.ns_ip, 8080, 1234)
            wait_until_quiet(lab.host_if)
            cap.stop()
        self.assertEqual(status["Uid"].split()[:2], ["65534", "65534"])
        self.assertEqual(status["CapEff"].strip(), "0000000000000000")
        self.assertClean(cap)
        self.assertEqual(by_client_port(cap.finals, sent["local_port"])[0]["c2s_payload"], 1234)

    def test_duration_and_count_end_the_run(self):
        with Lab() as lab:
            lab.serve(8080)
            started = time.monotonic()
            cap = capture_for(self, RINGTRACK, lab.host_if, "--duration", "1")
            cap.finish()
            self.assertClean(cap)
            self.assertLess(time.monotonic() - started, 10)
            cap = capture_for(self, RINGTRACK, lab.host_if, "--count", "5")
            lab.send(lab.ns_ip, 8080, 100000)
            cap.finish()
        self.assertClean(cap)
        self.assertGreaterEqual(cap.summary["tcp_packets"], 5)
        # Stopped mid-transfer: the connection's last record says so (a live capture's input
        # never ends).
        ends = [row["end"] for row in cap.finals]
        self.assertIn("stopped", ends)
        self.assertNotIn("input_ended", ends)

    def check_signal_ends_with_the_report(self, sig, nbytes):
        with Lab() as lab:
            lab.serve(8080)
            cap = capture_for(self, RINGTRACK, lab.host_if)
            sent = lab.send(lab.ns_ip, 8080, nbytes)
            wait_until_quiet(lab.host_if)
            cap.stop(sig)
        self.assertClean(cap)
        self.assertEqual(by_client_port(cap.finals, sent["local_port"])[0]["c2s_payload"], nbytes)

    def test_sigterm_prints_the_final_report(self):
        self.check_signal_ends_with_the_report(signal.SIGTERM, 999)

    def test_sighup_prints_the_final_report(self):
        self.check_signal_ends_with_the_report(signal.SIGHUP, 777)

    def test_closed_output_pipe_ends_with_one_line(self):
        with Lab() as lab:
            lab.serve(8080)
            proc = lab.popen([RINGTRACK, "-i", lab.host_if, "--batch", "--interval", "0.2"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            lab.send(lab.ns_ip, 8080, 1000)
            proc.stdout.readline()
            proc.stdout.close()  # the reader of the pipe goes away: the next write gets EPIPE
            _, err = proc.communicate(timeout=20)
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(err.decode(), "ringtrack: cannot write the output: Broken pipe\n")

    def test_ring_refused_by_the_kernel_retries_smaller(self):
        # 2 million 4 KiB blocks: the kernel cannot even allocate the block table (kcalloc
        # beyond its largest slab), says ENOMEM, and ringtrack halves the block count until
        # it can. The ring it settles on (about 2 GiB) exists only for this short run.
        with Lab() as lab:
            lab.serve(8080)
            cap = capture_for(self, RINGTRACK, lab.host_if, "--threads", "1", "--ring-mb", "8192", "--block-kb", "4",
                              ready=False)
            note = cap.wait_stderr("the kernel refused", timeout=60)
            cap.wait_stderr("capturing on", timeout=60)
            sent = lab.send(lab.ns_ip, 8080, 4321)
            wait_until_quiet(lab.host_if)
            cap.stop()
        self.assertRegex(note, rf"^ringtrack: ring on {lab.host_if}: \d+ MiB \(the kernel refused 8192 MiB\)$")
        self.assertLess(int(note.split(": ")[2].split()[0]), 8192)
        self.assertClean(cap)
        self.assertEqual(by_client_port(cap.finals, sent["local_port"])[0]["c2s_payload"], 4321)

    def test_default_ring_follows_the_link_speed(self):
        # A TAP device takes whatever speed ethtool gives it (a veth is always 10000 Mb/s).
        tap = f"rtsz{os.getpid() % 100000}"
        subprocess.run(["ip", "tuntap", "add", "dev", tap, "mode", "tap"], check=True)
        self.addCleanup(subprocess.run, ["ip", "link", "del", tap], stderr=subprocess.DEVNULL)
        subprocess.run(["ip", "link", "set", tap, "up"], check=True)

        def ring_line(*args, interface=tap):
            run = subprocess.run([RINGTRACK, "-i", interface, "--batch", "--duration", "0.2", "--verbose", *args],
                                 capture_output=True, text=True, timeout=30)
            self.assertEqual(run.returncode, 0, run.stderr)
            return [l for l in run.stderr.splitlines() if "capturing on" in l][0]

        for speed, mib in ((1000, 16), (5000, 32), (10000, 64), (40000, 64)):
            subprocess.run(["ethtool", "-s", tap, "speed", str(speed), "duplex", "full", "autoneg", "off"],
                           check=True)
            with self.subTest(speed=speed):
                self.assertTrue(ring_line().endswith(f", rings of {mib} MiB"))
        self.assertTrue(ring_line("--ring-mb", "8").endswith(", rings of 8 MiB"))  # the option wins
        # Loopback reports no speed: the full size.
        self.assertTrue(ring_line(interface="lo").endswith(", rings of 64 MiB"))

    def test_cap_net_raw_alone_instead_of_root(self):
        # The documented set-up for non-root use: a copy given only CAP_NET_RAW, run as nobody.
        with Lab() as lab, tempfile.TemporaryDirectory() as tmp:
            os.chmod(tmp, 0o755)
            binary = os.path.join(tmp, "ringtrack")
            shutil.copy(RINGTRACK, binary)
            subprocess.run(["setcap", "cap_net_raw+ep", binary], check=True)
            lab.serve(8080)
            cap = capture_for(self, binary, lab.host_if, "--threads", "2",
                          prefix=["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"])
            threads = capabilities_by_thread(cap.proc.pid)
            sent = lab.send(lab.ns_ip, 8080, 2468)
            wait_until_quiet(lab.host_if)
            cap.stop()
        self.assertClean(cap)
        self.assertEqual(by_client_port(cap.finals, sent["local_port"])[0]["c2s_payload"], 2468)
        # Once the sockets are open no thread keeps CAP_NET_RAW (or anything else).
        self.assertEqual(len(threads), 3, threads)  # main and two readers
        for uid, permitted, effective in threads:
            self.assertEqual((uid, permitted, effective), ("65534", "0000000000000000", "0000000000000000"))

    def test_root_keeps_no_capability_once_capturing(self):
        with Lab() as lab:
            cap = capture_for(self, RINGTRACK, lab.host_if, "--threads", "2")
            threads = capabilities_by_thread(cap.proc.pid)
            cap.stop()
        self.assertClean(cap)
        for uid, permitted, effective in threads:
            self.assertEqual((permitted, effective), ("0000000000000000", "0000000000000000"))

    def test_sends_nothing_onto_the_network(self):
        # Every network system call of a live run: only packet, netlink and local (unix or
        # interface ioctl) sockets, no connect or send anywhere, no name resolution files.
        with Lab() as lab, tempfile.TemporaryDirectory() as tmp:
            lab.serve(8080)
            trace = os.path.join(tmp, "trace")
            # (LeakSanitizer cannot run under ptrace: in the ASan build it stands aside here.)
            env = dict(os.environ, ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0")
            cap = capture_for(self, RINGTRACK, lab.host_if, "--threads", "2", "--duration", "2", env=env,
                          prefix=["strace", "-f", "-qq", "-o", trace, "-e", "trace=%network,openat"])
            lab.send(lab.ns_ip, 8080, 5000)
            cap.finish()  # at the duration (strace does not pass SIGINT on)
            with open(trace) as f:
                calls = f.read().splitlines()
        self.assertClean(cap)
        sockets = [c for c in calls if " socket(" in c]
        self.assertTrue(any("AF_PACKET" in c for c in sockets), sockets)
        for c in sockets:
            self.assertRegex(c, r"socket\((AF_PACKET|AF_NETLINK|AF_UNIX|AF_INET, SOCK_DGRAM)", c)
        for c in calls:
            self.assertNotRegex(c, r" (connect|sendto|sendmsg|sendmmsg)\(", c)
            self.assertNotRegex(c, r"/etc/(resolv\.conf|hosts|services|nsswitch\.conf)", c)


if __name__ == "__main__":
    if os.geteuid() != 0:
        sys.exit("live tests need root (network namespaces, packet sockets)")
    RINGTRACK = os.path.abspath(sys.argv[1])
    unittest.main(argv=[sys.argv[0]] + sys.argv[2:], verbosity=2)
