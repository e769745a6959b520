#!/usr/bin/env python3
"""TCP health live: ringtrack's retransmissions, out-of-order segments and RTTs against the kernel's own.

The lab (ringtrack_testlib.router_lab): client, router and server namespaces, veth pairs
with every offload off (one segment, one frame), the client's and the server's sends shaped
by HTB to 30 Mbit/s, and between router and server a wire namespace whose delay line holds
every frame 5 ms each way (the kernel has no netem): a round trip of about 10 ms, steady
from the handshake on. iperf3 moves 4 MiB, from the client or, with -R, from the server,
over its data connection (client port fixed with --cport, so rules and rows find it; the
control connection is also to port 5201). ringtrack runs in the router on its
client-facing veth r0, and tcpdump beside it on the same interface for Wireshark's view.

Where the losses are. A retransmission is visible at the capture point only if the loss
that caused it is after the capture point on the sender's path: then every original and
every retransmission of the sender passes r0, and what the sending kernel counts is what
ringtrack can see. r0's packet tap sees both directions: client->server frames as they
enter the router, server->client frames as they leave it. So:
  - client sends: the router's forward chain (after r0's ingress tap) drops 2 % of the data
    segments toward the server;
  - server sends (-R): the client's input chain (after r0's egress tap and the veth) drops
    2 % of the data segments toward the client.
Only the data connection's segments with payload are dropped (never SYN, FIN, pure ACKs or
the control connection), and only within the first 2 MB of them (an nftables quota): iperf3
reads its retransmission count when the sender has written its last byte, with up to a send
buffer still in flight, so a loss near the end would be retransmitted after iperf3 counted.
Every retransmission happens long before that; the kernel's namespace counter (Tcp
RetransSegs in the sender's /proc/net/snmp) is read after the connections are closed and
holds them all.

What is compared, and why it is exact:
  - every segment the sending kernel retransmitted passes r0 again after its original,
    starting below the highest sequence number sent: ringtrack counts it once, as a
    retransmission or, by Wireshark's rule, as out of order when it comes sooner than the
    handshake RTT (here 10 ms) after the newest segment, which in a running transfer is
    nearly always. So the exact equality is retrans + out_of_order of the sender's direction
    == iperf3's retransmits == the sender namespace's RetransSegs; retrans alone holds only
    the retransmissions after a pause of a round trip (a timeout, the tail).
  - Wireshark (tshark on tcpdump's file of r0) against ringtrack per connection and
    direction. ringtrack reading the same file (-T: the same frames and timestamps):
    retrans equal to Wireshark's retransmission, fast and spurious flags together, and
    out_of_order to its out-of-order flag, exactly. Live: retrans + out_of_order within
    LIVE_SUM_SLACK of the four flags together. Which of the two a segment is depends on
    times (the handshake RTT, the 20 ms after a duplicate ACK), and the live ring's clock
    reads differ from tcpdump's by microseconds; the sum does not depend on them, but the
    two sockets' order can: two CPUs delivering frames at once (a sender moved between
    CPUs enqueues to two veth backlogs) may hand them to each socket in another order. Once
    in a CI run tcpdump's file held one out-of-order segment more than ringtrack's ring,
    whose count equalled the kernel's retransmissions (20) exactly.
  - RTT: rtt_min_us within 20 % of the sending kernel's min_rtt (ss's minrtt, polled while
    the transfer runs; iperf3's "min_rtt" is the least of its per-interval smoothed RTTs, not
    the kernel's minimum); rtt_client_us + rtt_server_us within 20 % of the sender's smoothed
    RTT, each averaged over the transfer (ringtrack's interim rows, ss's readings: the last
    values of two smoothings of different samples each follow their last few samples);
    handshake_rtt_us at least the wire's two delays and within 1 us (ringtrack counts whole
    microseconds) of Wireshark's tcp.analysis.initial_rtt when ringtrack reads tcpdump's
    file (-T, the same nanosecond timestamps); live, within 200 us of it. Each packet socket
    reads the clock for a frame on its own, one delivery after the other (a socket holding
    SO_TIMESTAMPNS, which turns on the kernel's shared receive timestamps, changed nothing):
    1-4 us apart here, 29 us once on a loaded CI machine. Counting from the SYN-ACK instead
    of the ACK would differ by the client's turnaround (about 100 us), which the replay tells
    exactly; a timestamp per ring block instead of per frame would be off by milliseconds.
  - Reordering: the delay line holds every 25th data frame from the server 1 ms more, so
    later frames overtake it before r0; ringtrack's s2c out_of_order must be non-zero and
    match Wireshark as above.
  - Timestamps off in the client namespace: no frame carries the option (tshark), and the
    connection still has RTT samples from sequence/ACK matching: rtt_min_us within 20 % of
    the kernel's min_rtt; the sum of the sides between the kernel's min_rtt and its smoothed
    RTT (it cannot see the sender's own queue: check_rtt says why).

Each test prints its figures (ringtrack's against the kernel's, iperf3's and Wireshark's) as
one JSON line on stderr. With TCP_HEALTH_KEEP=DIR the capture of each test is kept there.
Run as root (CI is). Usage: tcp_health_test.py RINGTRACK [unittest test names...]
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

from ringtrack_testlib.live_capture import capture_for
from ringtrack_testlib.ready_line import wait_for_line
from ringtrack_testlib.router_lab import RouterLab
from ringtrack_testlib.tshark_conns import PREFS

RINGTRACK = None
IPERF_PORT = 5201
TRANSFER = "4M"
DELAY_MS = 10.0
DROP_PERCENT = 2
DROP_WINDOW_BYTES = 2_000_000
RTT_TOLERANCE = 0.20
LIVE_SUM_SLACK = 2  # frames two packet sockets may see in another order (docstring)
REORDER_EVERY, REORDER_EXTRA_MS = 25, 1.0
# Wireshark's flags. A fast or spurious retransmission carries the retransmission flag too:
# each frame is counted once, by the first of these it has.
FLAGS = ("tcp.analysis.fast_retransmission", "tcp.analysis.spurious_retransmission",
         "tcp.analysis.retransmission", "tcp.analysis.out_of_order")


def tool(name):
    path = shutil.which(name)
    if path is None:
        raise AssertionError(f"{name} is not installed: this test needs it (apt-get install {name})")
    return path


class SenderSocket:
    """The sending kernel's view of the data connection (`ss -ti` in its namespace), polled
    until stopped: min_rtt never grows while the socket lives, the last srtt is the latest."""

    def __init__(self, lab, role, cport):
        self._argv = lab.exec_argv(role, ["ss", "-tinH", "state", "established",
                                          f"( sport = :{cport} or dport = :{cport} )"])
        self.min_rtt_us = self.srtt_us = None
        self.srtt_readings_us = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self):
        while not self._stop.is_set():
            text = subprocess.run(self._argv, capture_output=True, text=True).stdout
            minrtt, srtt = re.search(r"\bminrtt:([\d.]+)", text), re.search(r"\brtt:([\d.]+)/", text)
            if minrtt and srtt:
                self.min_rtt_us, self.srtt_us = float(minrtt.group(1)) * 1000, float(srtt.group(1)) * 1000
                self.srtt_readings_us.append(self.srtt_us)
            self._stop.wait(0.05)  # the poll interval; the loop ends when stop() is called

    def stop(self):
        self._stop.set()
        self._thread.join()


def pcap_frames(path):
    """Frames in a pcap file written so far (tcpdump -U writes whole records)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return 0
    order = "little" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else "big"
    count, at = 0, 24
    while at + 16 <= len(data):
        at += 16 + int.from_bytes(data[at + 8:at + 12], order)  # record header, captured length
        if at <= len(data):
            count += 1
    return count


def wireshark_flags(pcap):
    """{(src port, dst port): {flag: frames}} and the connections' initial RTTs and timestamp
    options, from tshark with the golden tests' pinned preferences."""
    argv = [tool("tshark"), "-n", "-r", pcap]
    for key, value in PREFS.items():
        argv += ["-o", f"{key}:{value}"]
    argv += ["-T", "fields", "-E", "separator=/t", "-E", "occurrence=f", "-e", "tcp.srcport", "-e", "tcp.dstport",
             "-e", "tcp.analysis.initial_rtt", "-e", "tcp.options.timestamp.tsval",
             *(x for f in FLAGS for x in ("-e", f))]
    with tempfile.TemporaryDirectory() as confdir:
        out = subprocess.run(argv, check=True, capture_output=True, text=True,
                             env=dict(os.environ, WIRESHARK_CONFIG_DIR=confdir, LC_ALL="C")).stdout
    counts, initial_rtt_us, with_timestamps = {}, {}, 0
    for line in out.splitlines():
        col = line.split("\t") + [""] * (4 + len(FLAGS))
        ports = (int(col[0]), int(col[1]))
        per = counts.setdefault(ports, dict.fromkeys(FLAGS, 0))
        for flag, value in zip(FLAGS, col[4:]):
            if value:
                per[flag] += 1
                break
        if col[2]:
            initial_rtt_us[frozenset(ports)] = float(col[2]) * 1e6
        with_timestamps += 1 if col[3] else 0
    return counts, initial_rtt_us, with_timestamps


class Run:
    """One iperf3 transfer through the lab, watched by ringtrack, tcpdump and ss."""


def data_port():
    """The data connection's client port (iperf3 --cport): per process, as the lab's names."""
    return 10000 + os.getpid() % 20000  # below the ephemeral ports (32768 on)


def loss_rules(hook, match):
    """An nftables table dropping DROP_PERCENT of the data segments (IP length over 100: a
    payload) that match, within the first DROP_WINDOW_BYTES of them, at hook."""
    return f"""table inet tcp_health {{
  chain lossy {{
    type filter hook {hook} priority 0; policy accept;
    {match} ip length > 100 quota {DROP_WINDOW_BYTES} bytes numgen random mod 100 < {DROP_PERCENT} counter drop
  }}
}}
"""


def transfer(test, lab, cport, reverse, ruleset_role=None):
    """Runs iperf3 (-R when reverse) with the data connection's client port fixed, everything
    watching; returns a Run with the iperf3 JSON, ringtrack's rows and summary, the kernel's
    counters and the sender's socket, and Wireshark's flags."""
    run = Run()
    run.cport = cport
    run.sender_role = "server" if reverse else "client"
    server = lab.ns_popen("server", [tool("iperf3"), "-s", "-1", "--forceflush", "-B", lab.server_ip],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wait_for_line(server.stdout, "Server listening")
    tmp = tempfile.mkdtemp(prefix="tcp_health.")
    test.addCleanup(shutil.rmtree, tmp)
    run.pcap = os.path.join(tmp, "r0.pcap")
    dump = lab.ns_popen("router", [tool("tcpdump"), "-i", lab.capture_if, "-w", run.pcap, "-U",
                                   "--time-stamp-precision=nano", "--immediate-mode", "-B", "16384", "tcp"],
                        stderr=subprocess.PIPE, text=True)
    wait_for_line(dump.stderr, "listening on")
    cap = capture_for(test, RINGTRACK, lab.capture_if, "--interval", "0.2", netns=lab.ns["router"],
                      keep=lambda line: line.strip() != "")
    before = {role: lab.retransmitted_segments(role) for role in ("client", "server")}
    sender = SenderSocket(lab, run.sender_role, cport)
    try:
        client = subprocess.run(lab.exec_argv("client", [tool("iperf3"), "-c", lab.server_ip, "--cport", str(cport),
                                                         "-n", TRANSFER, "-J", *(["-R"] if reverse else [])]),
                                capture_output=True, text=True, timeout=60)
    finally:
        sender.stop()
    test.assertEqual(client.returncode, 0, client.stdout[-2000:] + client.stderr)
    run.iperf = json.loads(client.stdout)
    run.sender = sender

    # Both connections end (FIN or RST) before the capture stops: nothing of theirs is still
    # on the wire, and the kernel's counters are final.
    deadline = time.monotonic() + 20
    while True:
        rows = [json.loads(line) for line in list(cap.out)]
        ended = {r["client_port"] for r in rows if r.get("type") == "conn" and r["server_port"] == IPERF_PORT
                 and r["state"] in ("CLOSED", "RESET")}
        if cport in ended and len(ended) >= 2:
            break
        if time.monotonic() > deadline:
            raise AssertionError(f"iperf3's connections never ended in ringtrack's rows: {rows[-4:]}")
        time.sleep(0.05)  # the poll interval, not the wait: the loop ends on the rows
    cap.stop()
    run.retransmitted = {role: lab.retransmitted_segments(role) - before[role] for role in before}
    run.delay_line = lab.delay_line_counts()
    test.assertEqual(cap.rc, 0, cap.stderr_lines)
    test.assertEqual(cap.summary["kernel_drops"], 0, "ringtrack's rings dropped frames: nothing is exact")
    run.rows = [r for r in cap.finals if r["server_port"] == IPERF_PORT]
    run.interims = [r for r in cap.interims if r["client_port"] == cport]
    run.summary = cap.summary

    # tcpdump has every frame ringtrack saw once its file holds as many TCP frames.
    deadline = time.monotonic() + 10
    while pcap_frames(run.pcap) < cap.summary["tcp_packets"]:
        if time.monotonic() > deadline:
            raise AssertionError(f"tcpdump wrote {pcap_frames(run.pcap)} frames, ringtrack read "
                                 f"{cap.summary['tcp_packets']} TCP packets")
        time.sleep(0.05)  # the poll interval, not the wait: the loop ends on the file
    dump.send_signal(signal.SIGINT)
    dump_err = dump.communicate(timeout=10)[1]
    test.assertIn("\n0 packets dropped by kernel", dump_err)
    run.flags, run.initial_rtt_us, run.frames_with_timestamps = wireshark_flags(run.pcap)
    if os.environ.get("TCP_HEALTH_KEEP"):
        shutil.copy(run.pcap, os.path.join(os.environ["TCP_HEALTH_KEEP"], test._testMethodName + ".pcap"))
    if ruleset_role:
        run.ruleset = lab.ns_run(ruleset_role, "nft", "list", "ruleset", what="the loss rules")
        run.dropped = int(re.search(r"counter packets (\d+)", run.ruleset).group(1))
    return run


def replayed_rows(test, pcap):
    """ringtrack's final rows for a capture file (-T, batch): the same frames and timestamps
    Wireshark reads."""
    out = subprocess.run([RINGTRACK, "-T", pcap, "--batch", "--format", "json"], capture_output=True, text=True,
                         timeout=60)
    test.assertEqual(out.returncode, 0, out.stderr)
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    return [r for r in rows if r.get("type") == "conn" and r["record"] == "final"]


def data_row(test, run):
    rows = [r for r in run.rows if r["client_port"] == run.cport]
    test.assertEqual(len(rows), 1, run.rows)
    data = rows[0]
    # The data connection is the one with the most payload (the control connection's is bytes).
    test.assertEqual(max(run.rows, key=lambda r: r["c2s_payload"] + r["s2c_payload"]), data)
    return data


def directions(row):
    return (("c2s", row["client_port"], row["server_port"]), ("s2c", row["server_port"], row["client_port"]))


class TcpHealth(unittest.TestCase):
    def report(self, name, run, data):
        figures = {k: data[k] for k in data if k.startswith(("c2s_retrans", "s2c_retrans", "c2s_out", "s2c_out", "rtt",
                                                              "handshake"))}
        figures.update(iperf3_retransmits=run.iperf["end"]["sum_sent"].get("retransmits"),
                       kernel_retrans_segs=run.retransmitted, dropped=getattr(run, "dropped", None),
                       kernel_min_rtt_us=run.sender.min_rtt_us, kernel_srtt_us=run.sender.srtt_us,
                       interim_rtt_sums_us=[r["rtt_client_us"] + r["rtt_server_us"] for r in run.interims
                                            if r["rtt_client_us"] is not None and r["rtt_server_us"] is not None],
                       kernel_srtt_mean_us=sum(run.sender.srtt_readings_us) / max(1, len(run.sender.srtt_readings_us)),
                       wireshark={f"{a}>{b}": {k.split(".")[-1]: v for k, v in c.items() if v}
                                  for (a, b), c in run.flags.items()},
                       wireshark_initial_rtt_us=list(run.initial_rtt_us.values()), delay_line=run.delay_line)
        print(f"{name}: {json.dumps(figures)}", file=sys.stderr)

    def check_wireshark(self, run):
        """Per connection and direction: on tcpdump's file, ringtrack's retrans and
        out_of_order each equal Wireshark's; live, their sum is within LIVE_SUM_SLACK of
        Wireshark's four flags together. Handshake RTT as Wireshark's initial RTT."""
        replayed = {r["client_port"]: r for r in replayed_rows(self, run.pcap)}
        self.assertEqual(sorted(replayed), sorted(r["client_port"] for r in run.rows), "connections live and replayed")
        for row in run.rows:
            file_row = replayed[row["client_port"]]
            for way, src, dst in directions(row):
                flags = run.flags.get((src, dst), dict.fromkeys(FLAGS, 0))
                where = f"{row['client_port']} {way}: ringtrack {row} Wireshark {flags}"
                live_sum = row[f"{way}_retrans"] + row[f"{way}_out_of_order"]
                self.assertLessEqual(abs(live_sum - sum(flags.values())), LIVE_SUM_SLACK, where)
                where = f"{row['client_port']} {way}: ringtrack -T {file_row} Wireshark {flags}"
                self.assertEqual(file_row[f"{way}_out_of_order"], flags["tcp.analysis.out_of_order"], where)
                self.assertEqual(file_row[f"{way}_retrans"], sum(flags.values()) - flags["tcp.analysis.out_of_order"],
                                 where)
            initial = run.initial_rtt_us.get(frozenset((row["client_port"], row["server_port"])))
            self.assertIsNotNone(initial, row)
            # Exact on the file's timestamps (within 1 us: ringtrack counts whole µs); live,
            # within the two sockets' clock reads (the docstring says why 200 us).
            self.assertAlmostEqual(file_row["handshake_rtt_us"], initial, delta=1, msg=file_row)
            self.assertAlmostEqual(row["handshake_rtt_us"], initial, delta=200, msg=row)
            # The wire's two delays are the least a handshake can take.
            self.assertGreaterEqual(row["handshake_rtt_us"], 2000 * DELAY_MS, row)

    def check_rtt(self, run, data, timestamps=True):
        """ringtrack's end-to-end RTTs against the sending kernel's (ss, in its namespace)."""
        self.assertIsNotNone(run.sender.min_rtt_us, "ss never showed the sender's socket")
        self.assertAlmostEqual(data["rtt_min_us"], run.sender.min_rtt_us, delta=run.sender.min_rtt_us * RTT_TOLERANCE,
                               msg=f"rtt_min_us against the kernel's min_rtt: {data}")
        # Two smoothed RTTs (gain 1/8 both) over different samples: the kernel's per ACK, from
        # the sender's own clock; ringtrack's one a TSval tick per side, from the capture
        # point. Each last value follows its last few samples, and a receiver held back a few
        # ms by a busy CPU moves one more than the other; the final row's last sample is the
        # closing handshake's, a FIN answered when the application closes (in one -R run 22 ms
        # later, lifting rtt_client_us from a median sample of 53 us to 2.7 ms). So their
        # means over the transfer are compared (ringtrack's interim rows every 0.2 s, ss's
        # readings every 0.05 s), not the last values.
        sums = [r["rtt_client_us"] + r["rtt_server_us"] for r in run.interims
                if r["rtt_client_us"] is not None and r["rtt_server_us"] is not None]
        self.assertTrue(sums and run.sender.srtt_readings_us, (run.interims, run.sender.srtt_readings_us))
        ours, kernels = sum(sums) / len(sums), sum(run.sender.srtt_readings_us) / len(run.sender.srtt_readings_us)
        what = f"mean rtt_client_us + rtt_server_us {sums} against the kernel's mean srtt {run.sender.srtt_readings_us}"
        if timestamps:
            self.assertAlmostEqual(ours, kernels, delta=kernels * RTT_TOLERANCE, msg=what)
        else:
            # Without timestamps a data segment's time in its sender's own queue (the HTB
            # shaper, before the capture point) shows in no sample: only the receiver's ACK
            # of it is timed, and the sender's side has no data to time but its handshake.
            # The kernel's srtt counts that queue (1 to 3 ms here, more on a busy machine),
            # so the sum lies between the kernel's least RTT and its smoothed one.
            self.assertGreaterEqual(ours, run.sender.min_rtt_us * (1 - RTT_TOLERANCE), what)
            self.assertLessEqual(ours, kernels * (1 + RTT_TOLERANCE), what)

    def check_losses(self, run, way):
        data = data_row(self, run)
        self.report(self._testMethodName, run, data)
        retransmitted = data[f"{way}_retrans"] + data[f"{way}_out_of_order"]
        self.assertGreater(run.dropped, 0, run.ruleset)
        self.assertGreaterEqual(retransmitted, run.dropped)
        self.assertEqual(retransmitted, run.iperf["end"]["sum_sent"]["retransmits"], data)
        # Every retransmission of the sender's namespace, the control connection's too.
        self.assertEqual(sum(r[f"{way}_retrans"] + r[f"{way}_out_of_order"] for r in run.rows),
                         run.retransmitted[run.sender_role], run.rows)
        self.assertEqual(run.retransmitted["server" if run.sender_role == "client" else "client"], 0)
        self.check_wireshark(run)
        self.check_rtt(run, data)

    def test_client_losses_are_its_retransmissions(self):
        with RouterLab(delay_ms=DELAY_MS) as lab:
            cport = data_port()
            # After r0's ingress tap: the router forwards what it captured, or drops it.
            lab.nft("router", loss_rules("forward",
                                         f"ip daddr {lab.server_ip} tcp sport {cport} tcp dport {IPERF_PORT}"))
            run = transfer(self, lab, cport, reverse=False, ruleset_role="router")
        self.check_losses(run, "c2s")

    def test_server_losses_are_its_retransmissions(self):
        with RouterLab(delay_ms=DELAY_MS) as lab:
            cport = data_port()
            # After r0's egress tap: the client takes in what passed it, or drops it.
            lab.nft("client", loss_rules("input", f"ip saddr {lab.server_ip} tcp sport {IPERF_PORT} tcp dport {cport}"))
            run = transfer(self, lab, cport, reverse=True, ruleset_role="client")
        self.check_losses(run, "s2c")


    def test_reordering_before_the_capture_matches_wireshark(self):
        with RouterLab(delay_ms=DELAY_MS, reorder_every=REORDER_EVERY, reorder_extra_ms=REORDER_EXTRA_MS) as lab:
            run = transfer(self, lab, data_port(), reverse=True)
        data = data_row(self, run)
        self.report(self._testMethodName, run, data)
        self.assertGreater(run.delay_line["reordered"], 0, run.delay_line)
        self.assertGreater(data["s2c_out_of_order"], 0, data)
        # An overtaken frame is one: no more out of order than the delay line held back,
        # but what the server retransmitted (a reordering taken for a loss) may add some.
        self.assertLessEqual(data["s2c_out_of_order"], run.delay_line["reordered"] + run.retransmitted["server"])
        self.check_wireshark(run)
        self.check_rtt(run, data)

    def test_rtt_without_timestamps_from_sequence_and_ack(self):
        with RouterLab(delay_ms=DELAY_MS) as lab:
            # Per namespace: the client offers no timestamps, so the connection has none.
            lab.ns_run("client", "sysctl", "-qw", "net.ipv4.tcp_timestamps=0", what="timestamps off in the client")
            run = transfer(self, lab, data_port(), reverse=False)
        data = data_row(self, run)
        self.report(self._testMethodName, run, data)
        self.assertEqual(run.frames_with_timestamps, 0, "a frame carried the timestamps option")
        self.assertGreater(data["rtt_samples"], 0, data)
        self.assertIsNotNone(data["rtt_server_us"], data)
        self.assertIsNotNone(data["rtt_client_us"], data)
        self.check_wireshark(run)
        self.check_rtt(run, data, timestamps=False)


if __name__ == "__main__":
    if os.geteuid() != 0:
        sys.exit("live tests need root (network namespaces, packet sockets, nftables)")
    RINGTRACK = os.path.abspath(sys.argv[1])
    # meson's timeout ends a test with SIGTERM: unwind, so the lab removes its namespaces.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))
    unittest.main(argv=[sys.argv[0]] + sys.argv[2:], verbosity=2)
