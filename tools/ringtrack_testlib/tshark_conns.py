#!/usr/bin/env python3
"""Wireshark's view of the TCP connections in a capture, as ringtrack NDJSON.

Owns: the reference the golden tests hold ringtrack to: tshark's TCP
dissector run with pinned preferences, its frames grouped into connections.
Does not own: the comparison (conn_compare).

Usage: python3 -m ringtrack_testlib.tshark_conns FILE [--max-frames N]
                                [--ts minmax|order] [--tshark PATH]
In process: reference_lines(FILE, max_frames=N) gives the same lines.

Runs tshark (Wireshark's TCP dissector) over FILE and prints one
{"type":"conn",...} line per (tcp.stream, VLAN id stack, tunnel) in order of
first frame, then one {"type":"summary",...} line.  A tunnelled frame's
tunnel is every IP header outside the one that carries TCP (its address
pair, unordered), every GRE key, VXLAN/Geneve VNI and ERSPAN session id,
and its VLAN tags, which then are no "vlan" of its own (ringtrack hashes
them all into the tunnel id); GTP-U TEIDs are left out (each direction has
its own).  Per direction: packets, wire
bytes (frame.len) and TCP payload (tcp.len; absent for IP fragments and
short segments, counted as 0).  Not counted: frames without a tcp.stream
(under 16 bytes of TCP header) and TCP headers quoted in ICMP errors.
tcp.stream ignores VLANs and tunnels, so a group that starts without a SYN
is merged into the previous group of its VLAN stack, tunnel and 4-tuple.  Client = sender of
the first SYN without ACK, else the higher port.  first_ts/last_ts: earliest
and latest frame time (--ts order: first and last frame in file order).

--max-frames N reads only the first N frames (tshark -c N), for files that
libpcap stops reading early.  Exit status: 0 ok, 1 error, 77 tshark missing
(meson's "skip").
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

# Preferences pinned so that a user's preferences file cannot change
# tcp.stream, tcp.len or the frames that reach TCP.
PREFS = {
    "ip.defragment": "FALSE",       # first fragment counts, as in ringtrack
    "ipv6.defragment": "FALSE",
    "ip.tso_support": "TRUE",        # IPv4 total length 0 => frame length
    "ipv6.tso_support": "FALSE",
    "ip.check_checksum": "FALSE",
    "tcp.check_checksum": "FALSE",
    "tcp.desegment_tcp_streams": "FALSE",  # speed; no effect on stream/len
    "tcp.analyze_sequence_numbers": "TRUE",
    "tcp.relative_sequence_numbers": "TRUE",
}

FIELDS = [
    "frame.number",
    "frame.protocols",
    "frame.time_epoch",
    "frame.len",
    "vlan.id",
    "ieee8021ad.id",
    "ip.src",
    "ip.dst",
    "ipv6.src",
    "ipv6.dst",
    "tcp.stream",
    "tcp.srcport",
    "tcp.dstport",
    "tcp.len",
    "tcp.flags",
    "gre.key",
    "vxlan.vni",
    "geneve.vni",
    "erspan.spanid",
    "ip.len",
    "ipv6.plen",
    "tcp.analysis.retransmission",
    "tcp.analysis.fast_retransmission",
    "tcp.analysis.spurious_retransmission",
    "tcp.analysis.out_of_order",
    "tcp.analysis.zero_window",
]
# What a direction's sent list holds, in ringtrack's field names (c2s_NAME).
SENT = ("packets", "bytes", "payload", "ip_bytes", "retrans", "out_of_order",
        "zero_window", "tcp_flags")
# The counts that come from Wireshark's sequence analysis.
ANALYSIS = ("retrans", "out_of_order", "zero_window")
# Wireshark's analysis flags that ringtrack counts as one retransmission.
RETRANSMISSION_FLAGS = ("tcp.analysis.retransmission",
                        "tcp.analysis.fast_retransmission",
                        "tcp.analysis.spurious_retransmission")
# A tunnel's keys: part of its identity, as in ringtrack's key.
TUNNEL_KEYS = ("gre.key", "vxlan.vni", "geneve.vni", "erspan.spanid")
IDX = {name: i for i, name in enumerate(FIELDS)}

# tshark's own messages for a file damaged part-way: frames before the damage
# were printed and count; tshark exits non-zero.
DAMAGE_MARKERS = ("cut short in the middle of a packet", "damaged or corrupt")


def tshark_command(tshark, path, max_frames):
    cmd = [tshark, "-n", "-r", path]
    for key, value in PREFS.items():
        cmd += ["-o", f"{key}:{value}"]
    if max_frames is not None:
        cmd += ["-c", str(max_frames)]
    cmd += ["-T", "fields", "-E", "header=n", "-E", "separator=/t",
            "-E", "quote=n", "-E", "occurrence=a", "-E", "aggregator=,"]
    for field in FIELDS:
        cmd += ["-e", field]
    return cmd


def tcp_layer(protocols):
    """Locate the outer TCP header in frame.protocols.

    Returns (ip_kind, ip_index, tags, outer) where ip_kind/ip_index name the
    occurrence of ip.* or ipv6.* fields of the IP header that carries the
    TCP header and tags lists ("vlan", i) / ("ieee8021ad", i) occurrences of
    the VLAN tags before it, outermost first; None when the frame has no
    TCP or only a TCP header quoted inside an ICMP error.  outer lists the
    (ip_kind, index) of the IP headers outside that one: a tunnel's."""
    layers = protocols.split(":")
    if "tcp" not in layers:
        return None
    count = {"ip": 0, "ipv6": 0, "vlan": 0, "ieee8021ad": 0}
    last = None
    tags = []
    ips = []
    for layer in layers[: layers.index("tcp")]:
        if layer in ("icmp", "icmpv6"):
            return None
        if layer in count:
            if layer in ("vlan", "ieee8021ad"):
                tags.append((layer, count[layer]))
            else:
                last = layer
                ips.append((layer, count[layer]))
            count[layer] += 1
    if last is None:
        return None
    return last, count[last] - 1, tags, ips[:-1]


def first(value):
    return value.split(",")[0] if value else ""


class Conn:
    __slots__ = ("first_frame", "vlan", "stream", "ends", "syn_sender",
                 "first_ts", "last_ts", "first_ts_s", "last_ts_s", "sent", "analysed")

    def __init__(self, frame_no, vlan, stream):
        self.first_frame = frame_no
        self.vlan = vlan
        self.stream = stream
        self.ends = []        # endpoints in order of first appearance
        self.syn_sender = None
        self.first_ts = self.last_ts = None     # comparable (sec, ns)
        self.first_ts_s = self.last_ts_s = None  # as tshark printed it
        self.analysed = True  # Wireshark's analysis flags are this connection's own
        self.sent = {}        # endpoint -> [packets, bytes, payload, ip_bytes,
        #                         retrans, out_of_order, zero_window]

    def add_ts(self, ts, text, minmax):
        if self.first_ts is None or (minmax and ts < self.first_ts):
            self.first_ts, self.first_ts_s = ts, text
        if self.last_ts is None or not minmax or ts > self.last_ts:
            self.last_ts, self.last_ts_s = ts, text


def parse_ts(text):
    # Exact ordering without float rounding: (seconds, fraction digits).
    sec, _, frac = text.partition(".")
    return (int(sec), int((frac + "000000000")[:9]))


def collect(lines, minmax=False, warn=None):
    conns = {}
    seen = {}   # (vlan, endpoint pair) -> its latest Conn
    frames = tcp_packets = 0
    for line in lines:
        line = line.rstrip("\n")
        if not line:
            continue
        col = line.split("\t")
        if len(col) < len(FIELDS):
            col += [""] * (len(FIELDS) - len(col))
        frames += 1
        stream = first(col[IDX["tcp.stream"]])
        if stream == "":
            continue
        where = tcp_layer(col[IDX["frame.protocols"]])
        if where is None:
            continue
        kind, occ, tags, outer = where
        try:
            src = col[IDX[kind + ".src"]].split(",")[occ]
            dst = col[IDX[kind + ".dst"]].split(",")[occ]
            ids = {"vlan": col[IDX["vlan.id"]].split(","),
                   "ieee8021ad": col[IDX["ieee8021ad.id"]].split(",")}
            # id 0 is a priority tag, not a VLAN: not part of a connection's identity
            vlan = tuple(v for v in (int(ids[name][i]) for name, i in tags) if v != 0)
            tunnel = ()
            if outer:
                ends = tuple(tuple(sorted((col[IDX[k + ".src"]].split(",")[i],
                                           col[IDX[k + ".dst"]].split(",")[i])))
                             for k, i in outer)
                keys = tuple(col[IDX[f]] for f in TUNNEL_KEYS)
                tunnel, vlan = (ends, keys, vlan), ()
        except (IndexError, ValueError):
            continue
        sport = int(first(col[IDX["tcp.srcport"]]))
        dport = int(first(col[IDX["tcp.dstport"]]))
        key = (int(stream), vlan, tunnel)
        frame_no = int(col[IDX["frame.number"]])
        sender, receiver = (src, sport), (dst, dport)
        flags = int(first(col[IDX["tcp.flags"]]) or "0", 16)
        conn = conns.get(key)
        if conn is None:
            # tshark's streams ignore VLANs: a SYN with a new ISN in one VLAN
            # stack also moves the other stacks' later packets to the new
            # stream.  A group that starts without a SYN continues the last
            # group of its own VLAN stack and 4-tuple.
            pair = (vlan, tunnel, tuple(sorted((sender, receiver))))
            prev = seen.get(pair)
            if prev is not None and flags & 0x12 != 0x02:
                conn = conns[key] = prev
                if warn:
                    warn(f"frame {frame_no}: tcp.stream {stream} continues "
                         f"stream {prev.stream} in VLAN stack {list(vlan)} "
                         "without a SYN; merged into it")
            else:
                conn = conns[key] = Conn(frame_no, vlan, int(stream))
            seen[pair] = conn
        tcp_packets += 1
        for end in (sender, receiver):
            if end not in conn.sent:
                conn.sent[end] = [0] * len(SENT)
                conn.ends.append(end)
        stats = conn.sent[sender]
        stats[0] += 1
        stats[1] += int(col[IDX["frame.len"]])
        tcp_len = first(col[IDX["tcp.len"]])
        stats[2] += int(tcp_len) if tcp_len else 0
        # The IP header that carries the TCP header: IPv4's total length, IPv6's
        # payload length (extension headers included) plus its own 40 bytes.
        try:
            if kind == "ip":
                stats[3] += int(col[IDX["ip.len"]].split(",")[occ])
            else:
                stats[3] += int(col[IDX["ipv6.plen"]].split(",")[occ]) + 40
        except (IndexError, ValueError):
            pass
        if any(col[IDX[f]] for f in RETRANSMISSION_FLAGS):
            stats[4] += 1
        stats[5] += 1 if col[IDX["tcp.analysis.out_of_order"]] else 0
        stats[6] += 1 if col[IDX["tcp.analysis.zero_window"]] else 0
        stats[7] |= flags & 0xff  # the union IPFIX's tcpControlBits carries (no NS bit)
        if conn.syn_sender is None and flags & 0x12 == 0x02:
            conn.syn_sender = sender
        ts_s = col[IDX["frame.time_epoch"]]
        conn.add_ts(parse_ts(ts_s), ts_s, minmax)
    unique = {id(c): c for c in conns.values()}
    # Wireshark analyses a tcp.stream as one sequence space, and a stream ignores VLANs
    # and tunnels: where one stream holds several connections (the same 4-tuple in two
    # VLANs), its analysis flags belong to none of them and are not given.
    holders = {}
    for (stream, _, _), c in conns.items():
        holders.setdefault(stream, set()).add(id(c))
    for (stream, _, _), c in conns.items():
        if len(holders[stream]) > 1:
            c.analysed = False
    return list(unique.values()), frames, tcp_packets


def orient(conn):
    ends = conn.ends
    if len(ends) == 1:          # both ends equal (same address and port)
        return ends[0], ends[0]
    a, b = ends[0], ends[1]
    if conn.syn_sender is not None:
        client = conn.syn_sender
    elif a[1] != b[1]:
        client = a if a[1] > b[1] else b
    else:
        client = a              # first sender
    server = b if client == a else a
    return client, server


def ts_json(text):
    sec, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    return f"{int(sec)}.{frac}" if frac else f"{int(sec)}"


def conn_line(conn):
    client, server = orient(conn)
    none = [0] * len(SENT)
    c2s = conn.sent.get(client, none)
    s2c = conn.sent.get(server, none) if server != client else none
    head = json.dumps({
        "type": "conn",
        "client_ip": client[0], "client_port": client[1],
        "server_ip": server[0], "server_port": server[1],
        "vlan": list(conn.vlan),
    })[:-1]
    counts = {}
    for i, name in enumerate(SENT):
        given = conn.analysed or name not in ANALYSIS
        counts["c2s_" + name] = c2s[i] if given else None
        counts["s2c_" + name] = s2c[i] if given else None
    counts["tshark_stream"] = conn.stream
    tail = json.dumps(counts)[1:]
    # Timestamps copied digit for digit (no float rounding).
    return (f'{head}, "first_ts": {ts_json(conn.first_ts_s)}, '
            f'"last_ts": {ts_json(conn.last_ts_s)}, {tail}')


class TsharkFailed(Exception):
    """tshark could not give the reference; the message says why."""


class TsharkMissing(TsharkFailed):
    pass


def warn(msg):
    print(f"tshark_conns: warning: {msg}", file=sys.stderr)


def reference_lines(path, max_frames=None, minmax=True, tshark=None):
    """The NDJSON lines (without newlines) main prints for path: one per
    connection in order of first frame, then the summary.  tshark: the
    binary (default: $TSHARK or tshark).  Warnings go to stderr; raises
    TsharkMissing when tshark is not found, TsharkFailed when it fails."""
    tshark = tshark or os.environ.get("TSHARK", "tshark")
    found = shutil.which(tshark)
    if found is None:
        raise TsharkMissing(f"{tshark} not found")
    if not os.path.exists(path):
        raise TsharkFailed(f"{path}: no such file")
    if max_frames is not None and max_frames <= 0:
        conns, frames, tcp_packets = [], 0, 0
    else:
        with tempfile.TemporaryDirectory(prefix="tshark_conns.") as confdir:
            env = dict(os.environ, WIRESHARK_CONFIG_DIR=confdir, LC_ALL="C")
            proc = subprocess.Popen(
                tshark_command(found, path, max_frames),
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                text=True, encoding="utf-8", errors="replace")
            conns, frames, tcp_packets = collect(proc.stdout, minmax, warn)
            err = proc.stderr.read()
            rc = proc.wait()
        err = "\n".join(l for l in err.splitlines()
                        if l and not l.startswith("Running as user"))
        if rc != 0:
            if any(m in err for m in DAMAGE_MARKERS):
                warn(err)
            else:
                raise TsharkFailed(f"tshark failed (exit {rc}): {err}")
        elif err:
            print(f"tshark_conns: tshark: {err}", file=sys.stderr)

    lines = [conn_line(conn)
             for conn in sorted(conns, key=lambda c: c.first_frame)]
    lines.append(json.dumps({"type": "summary", "source": "tshark",
                             "frames_read": frames,
                             "tcp_packets": tcp_packets,
                             "connections": len(conns)}))
    return lines


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--max-frames", type=int, metavar="N",
                    help="read only the first N frames (tshark -c N)")
    ap.add_argument("--ts", choices=("minmax", "order"), default="minmax",
                    help="first_ts/last_ts: earliest and latest (default) "
                         "or first and last frame in file order")
    ap.add_argument("--tshark", default=os.environ.get("TSHARK", "tshark"),
                    help="tshark binary (default: $TSHARK or tshark)")
    args = ap.parse_args(argv)

    try:
        lines = reference_lines(args.file, args.max_frames,
                                args.ts == "minmax", args.tshark)
    except TsharkMissing as e:
        print(f"tshark_conns: {e}", file=sys.stderr)
        return 77
    except TsharkFailed as e:
        print(f"tshark_conns: {e}", file=sys.stderr)
        return 1
    out = sys.stdout
    try:
        out.writelines(line + "\n" for line in lines)
        out.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
