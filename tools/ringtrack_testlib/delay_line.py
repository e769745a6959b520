#!/usr/bin/env python3
"""A wire with a fixed delay between two interfaces, made in user space, run as a program.

Owns: two packet sockets, one on each interface, and the frames in flight between them:
what arrives on one leaves the other DELAY later, in order. Does not own: the namespace it
runs in or the interfaces (the test lab makes them; tcp_health_test starts it with
`ip netns exec`), or the traffic through it.

For kernels without netem (CONFIG_NET_SCH_NETEM is not set on the test machines): a
round trip of milliseconds, steady and the same at the handshake as in a transfer, where
the lab's veth pairs give tens of microseconds that any scheduling hiccup doubles. Each
frame's delay counts from the kernel's receive timestamp (SO_TIMESTAMPNS), so time this
process spends busy or descheduled delays a frame only past its due time, never adds to a
frame that waited in the socket. Frames the kernel sends out of a socket here are not read
back (PACKET_OUTGOING is skipped). The interfaces need their offloads off (GRO), so one
frame read is one frame of the wire, at most the MTU.

  --reorder-every N --reorder-extra-ms X: every Nth frame with TCP payload arriving on B is
  held X ms more, so the frames after it overtake it (reordering before whatever lies on
  A's side). Standard library only, and no import from this package, like tcp_traffic.

  delay_line.py --a IF_A --b IF_B --delay-ms D [--reorder-every N --reorder-extra-ms X]
      prints "ready" once both sockets are bound, runs until killed; on SIGTERM prints
      {"frames_a_to_b", "frames_b_to_a", "reordered", "late_ms_max"} and exits.
"""
import argparse
import heapq
import json
import select
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
SO_RCVBUFFORCE, SO_SNDBUFFORCE = 33, 32
SO_TIMESTAMPNS = 35
BUFFER_BYTES = 32 << 20  # far beyond what a shaped transfer holds in flight: this wire never drops


def open_port(interface):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)  # no frames before bind
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, BUFFER_BYTES)
    s.setsockopt(socket.SOL_SOCKET, SO_SNDBUFFORCE, BUFFER_BYTES)
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    s.bind((interface, ETH_P_ALL))
    s.setblocking(False)
    return s


def tcp_payload_bytes(frame):
    """TCP payload length of an untagged IPv4 Ethernet frame; 0 for anything else."""
    if len(frame) < 34 or frame[12:14] != b"\x08\x00" or frame[23] != 6:
        return 0
    ihl = (frame[14] & 0x0F) * 4
    total = struct.unpack_from("!H", frame, 16)[0]
    if len(frame) < 14 + ihl + 13:
        return 0
    return total - ihl - (frame[14 + ihl + 12] >> 4) * 4


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--a", required=True)
    ap.add_argument("--b", required=True)
    ap.add_argument("--delay-ms", type=float, required=True)
    ap.add_argument("--reorder-every", type=int, default=0)
    ap.add_argument("--reorder-extra-ms", type=float, default=0.0)
    args = ap.parse_args()
    side_a, side_b = open_port(args.a), open_port(args.b)
    other = {side_a: side_b, side_b: side_a}
    delay_s, extra_s = args.delay_ms / 1000, args.reorder_extra_ms / 1000
    counts = {"frames_a_to_b": 0, "frames_b_to_a": 0, "reordered": 0, "late_ms_max": 0.0}
    in_flight = []  # heap of (due, arrival number, socket out, frame): FIFO among equal delays
    arrivals = payload_frames_from_b = 0

    def report(*_):
        print(json.dumps(counts), flush=True)
        sys.exit(0)
    signal.signal(signal.SIGTERM, report)
    print("ready", flush=True)

    while True:
        timeout = max(0.0, in_flight[0][0] - time.time()) if in_flight else None
        readable, _, _ = select.select([side_a, side_b], [], [], timeout)
        for s in readable:
            while True:
                try:
                    frame, ancillary, _, address = s.recvmsg(65536, 64)
                except BlockingIOError:
                    break
                if address[2] == PACKET_OUTGOING:
                    continue
                received = time.time()
                for level, kind, data in ancillary:
                    if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                        sec, nsec = struct.unpack("qq", data[:16])
                        received = sec + nsec / 1e9
                due = received + delay_s
                if s is side_b:
                    counts["frames_b_to_a"] += 1
                    if args.reorder_every and tcp_payload_bytes(frame) > 0:
                        payload_frames_from_b += 1
                        if payload_frames_from_b % args.reorder_every == 0:
                            due += extra_s
                            counts["reordered"] += 1
                else:
                    counts["frames_a_to_b"] += 1
                arrivals += 1
                heapq.heappush(in_flight, (due, arrivals, other[s], frame))
        now = time.time()
        while in_flight and in_flight[0][0] <= now:
            due, _, out, frame = heapq.heappop(in_flight)
            counts["late_ms_max"] = max(counts["late_ms_max"], (now - due) * 1000)
            out.send(frame)


if __name__ == "__main__":
    main()
