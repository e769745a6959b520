#!/usr/bin/env python3
"""Compare ringtrack's NDJSON connections with an expected NDJSON file.

Owns: matching connections between two NDJSON files and listing differences.
Does not own: where the expected side comes from (tshark_conns, pcapgen).

Usage: python3 -m ringtrack_testlib.golden_compare [--state] [--times]
           [--max-lines N] EXPECTED.ndjson ACTUAL.ndjson   (either may be -)
In process: main(argv) prints the same and returns the status.

Only {"type":"conn"} lines are compared (those with a "record" field only
when it is "final"); other lines are ignored.
Connections are matched by (unordered pair of endpoints, VLAN id list);
several on one key (4-tuple reuse) are paired in order of first_ts.  For each
endpoint (address, port) the packets, bytes and payload it sent must be
equal, whichever side is labelled client.  --state also compares "state"
where the expected connection has one; --times compares first_ts and
last_ts to the microsecond (difference under 1 us).

Prints at most --max-lines (20) difference lines, then a count, and exits
1 on any difference, missing or extra connection, 2 on unreadable input,
0 when equal.
"""

import argparse
import ipaddress
import json
import sys
from decimal import Decimal, InvalidOperation

COUNTS = ("packets", "bytes", "payload")
# TCP health, IP bytes and the flags union: compared where both sides give them (a generator's
# expectations may not).
COUNTS += ("ip_bytes", "retrans", "out_of_order", "zero_window", "tcp_flags")
OPTIONAL_COUNTS = frozenset(("ip_bytes", "retrans", "out_of_order", "zero_window", "tcp_flags"))
ONE_US = Decimal("0.000001")
MAX_NS_SECONDS = 2**64 / 1e9  # the largest time in uint64 nanoseconds


class InputError(Exception):
    pass


def count(obj, name):
    """A count field; None when an optional one is absent."""
    value = obj.get(name)
    if value is None:
        return None if name.split("_", 1)[1] in OPTIONAL_COUNTS else 0
    return int(value)


def norm_ip(text):
    try:
        return ipaddress.ip_address(str(text)).packed
    except ValueError:
        return str(text)


def show_end(packed, fallback, port):
    addr = str(ipaddress.ip_address(packed)) if isinstance(packed, bytes) \
        else str(fallback)
    return f"[{addr}]:{port}" if ":" in addr else f"{addr}:{port}"


class Conn:
    def __init__(self, obj, where):
        self.where = where
        try:
            c_ip, s_ip = obj["client_ip"], obj["server_ip"]
            c_port, s_port = int(obj["client_port"]), int(obj["server_port"])
            vlan = obj.get("vlan") or []
            self.vlan = tuple(int(v) for v in vlan)
            client = (norm_ip(c_ip), c_port)
            server = (norm_ip(s_ip), s_port)
            c2s = tuple(count(obj, "c2s_" + k) for k in COUNTS)
            s2c = tuple(count(obj, "s2c_" + k) for k in COUNTS)
        except (KeyError, TypeError, ValueError) as e:
            raise InputError(f"{where}: bad conn record ({e!r})")
        self.names = {client: show_end(client[0], c_ip, c_port),
                      server: show_end(server[0], s_ip, s_port)}
        self.key = (tuple(sorted((client, server), key=repr)), self.vlan)
        if client == server:
            # Both ends equal: the two directions can't be told apart.
            self.sent = {client: tuple(sorted((c2s[:3], s2c[:3])))}
        else:
            self.sent = {client: c2s, server: s2c}
        self.state = obj.get("state")
        self.first_ts = self._ts(obj.get("first_ts"))
        self.last_ts = self._ts(obj.get("last_ts"))

    def _ts(self, value):
        if value is None:
            return None
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise InputError(f"{self.where}: bad timestamp {value!r}")

    def label(self):
        ends = sorted(self.names, key=repr)
        vlan = f" vlan {list(self.vlan)}" if self.vlan else ""
        ts = f" first_ts {self.first_ts}" if self.first_ts is not None else ""
        return f"{self.names[ends[0]]} <-> {self.names[ends[-1]]}{vlan}{ts}"

    def order(self):
        inf = Decimal("Infinity")
        return (self.first_ts if self.first_ts is not None else inf,
                self.where)


def load(path):
    name = "stdin" if path == "-" else path
    try:
        stream = sys.stdin if path == "-" else open(path, encoding="utf-8")
    except OSError as e:
        raise InputError(f"{name}: {e.strerror}")
    conns = []
    with stream:
        for n, line in enumerate(stream, 1):
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line, parse_float=Decimal)
            except ValueError as e:
                raise InputError(f"{name}:{n}: not JSON ({e})")
            if (isinstance(obj, dict) and obj.get("type") == "conn"
                    and obj.get("record", "final") == "final"):
                conns.append(Conn(obj, f"{name}:{n}"))
    return conns


def group(conns):
    by_key = {}
    for c in conns:
        by_key.setdefault(c.key, []).append(c)
    for lst in by_key.values():
        lst.sort(key=Conn.order)
    return by_key


def compare(exp, act, want_state, want_times):
    """Yields one text line per difference."""
    e_by, a_by = group(exp), group(act)
    keys = list(e_by) + [k for k in a_by if k not in e_by]
    for key in keys:
        e_list, a_list = e_by.get(key, []), a_by.get(key, [])
        for i in range(max(len(e_list), len(a_list))):
            if i >= len(a_list):
                yield f"missing: {e_list[i].label()}"
                continue
            if i >= len(e_list):
                yield f"extra:   {a_list[i].label()}"
                continue
            e, a = e_list[i], a_list[i]
            diffs = []
            for end in sorted(e.sent, key=repr):
                ev = e.sent[end]
                av = a.sent.get(end)
                if av is None:
                    continue
                if len(e.sent) == 1:     # both ends equal: sorted pairs
                    if ev != av:
                        diffs.append(f"directions {ev} != {av}")
                    continue
                for k, x, y in zip(COUNTS, ev, av):
                    if x is not None and y is not None and x != y:
                        diffs.append(f"{e.names[end]} sent {k} "
                                     f"expected {x} got {y}")
            if want_state and e.state is not None and e.state != a.state:
                diffs.append(f"state expected {e.state} got {a.state}")
            if want_times:
                for k in ("first_ts", "last_ts"):
                    x, y = getattr(e, k), getattr(a, k)
                    # After 2554-07-21 a time does not fit ringtrack's 64-bit
                    # nanoseconds (a capture's bogus clock): counts still compare.
                    if x is None or x >= MAX_NS_SECONDS:
                        continue
                    if y is None or abs(x - y) >= ONE_US:
                        diffs.append(f"{k} expected {x} got {y}")
            if diffs:
                yield f"differs: {e.label()}: " + "; ".join(diffs)


def load_known(path, capture):
    """{difference line: why} of capture from a TSV of capture, line, why."""
    known = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, difference, why = line.rstrip("\n").split("\t")
            if name == capture:
                known[difference] = why
    return known


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Compare ringtrack NDJSON connections with expected ones.")
    ap.add_argument("expected")
    ap.add_argument("actual")
    ap.add_argument("--state", action="store_true",
                    help="also compare state where expected has one")
    ap.add_argument("--times", action="store_true",
                    help="also compare first_ts/last_ts to the microsecond")
    ap.add_argument("--max-lines", type=int, default=20, metavar="N",
                    help="difference lines to print (default 20)")
    ap.add_argument("--known", metavar="TSV",
                    help="differences that must occur (capture, line, why)")
    ap.add_argument("--capture", default="",
                    help="this comparison's capture, as named in --known")
    args = ap.parse_args(argv)
    known = load_known(args.known, args.capture) if args.known else {}

    try:
        exp = load(args.expected)
        act = load(args.actual)
    except InputError as e:
        print(f"golden_compare: {e}", file=sys.stderr)
        return 2

    n = 0
    kinds = {"missing": 0, "extra": 0, "differs": 0}
    for line in compare(exp, act, args.state, args.times):
        if line in known:
            print(f"known:   {line[len('differs: '):]} ({known.pop(line)})")
            continue
        n += 1
        kinds[line.split(":", 1)[0]] += 1
        if n <= args.max_lines:
            print(line)
    if n > args.max_lines:
        print(f"... and {n - args.max_lines} more")
    for line in known:  # a known difference that no longer occurs: the list is stale
        n += 1
        kinds["absent"] = kinds.get("absent", 0) + 1
        print(f"known difference did not occur: {line}")
    summary = (f"golden_compare: {len(exp)} expected, {len(act)} actual "
               f"connections: {kinds['differs']} differ, "
               f"{kinds['missing']} missing, {kinds['extra']} extra")
    print(summary if n else summary.replace(": 0 differ, 0 missing, 0 extra",
                                            ": all equal"))
    return 1 if n else 0


if __name__ == "__main__":
    sys.exit(main())
