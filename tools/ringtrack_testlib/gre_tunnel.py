#!/usr/bin/env python3
"""One end of a GRE tunnel (RFC 2784/2890) made in user space, run as a program.

Owns: a TUN device carrying the tunnel's inner addresses, and a raw IP socket (protocol 47)
that sends what the kernel routes into the device to the far end wrapped in GRE, and hands
what comes back from it, unwrapped, to the kernel. Does not own: the namespace it runs in
(netns_lab starts it) or the traffic through it.

For kernels without GRE (`ip link add ... type gre` needs CONFIG_NET_IPGRE, which the
test machines lack, with no modules to load): the TCP inside is the kernel's own, and the
outer packets are the kernel's own IP datagrams, protocol 47, so the wire holds what a
kernel GRE device would send (flags, key, protocol 0x0800 or 0x86dd, the inner packet).
Standard library only, and no import from this package, so it runs by its path inside a
namespace, like tcp_traffic.

  gre_tunnel.py --name IF --local A --remote B --address X/PREFIX [--key N] [--mtu M]
      makes TUN device IF with address X/PREFIX (up, MTU M), tunnels to B from A,
      prints "ready" and runs until killed. The device goes with the process.
"""
import argparse
import fcntl
import os
import selectors
import socket
import struct
import subprocess
import sys

TUNSETIFF = 0x400454CA
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000
SO_RCVBUFFORCE = 33
GRE_CSUM, GRE_KEY, GRE_SEQ = 0x8000, 0x2000, 0x1000
ETHERTYPE_BY_VERSION = {4: 0x0800, 6: 0x86DD}


def open_tun(name):
    try:
        fd = os.open("/dev/net/tun", os.O_RDWR)
    except OSError as e:
        sys.exit(f"gre_tunnel: cannot open /dev/net/tun ({e}): this kernel needs CONFIG_TUN")
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def ip(*args):
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True)


def gre_header(proto, key):
    if key is None:
        return struct.pack("!HH", 0, proto)
    return struct.pack("!HHI", GRE_KEY, proto, key)


def unwrap(datagram, key):
    """The inner packet of an IPv4 datagram holding GRE with our key, or None."""
    ihl = (datagram[0] & 0x0F) * 4
    gre = datagram[ihl:]
    if len(gre) < 4:
        return None
    flags, _proto = struct.unpack("!HH", gre[:4])
    at = 4
    if flags & GRE_CSUM:
        at += 4
    got_key = None
    if flags & GRE_KEY:
        got_key = struct.unpack("!I", gre[at:at + 4])[0]
        at += 4
    if flags & GRE_SEQ:
        at += 4
    if got_key != key:
        return None
    return gre[at:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True)
    ap.add_argument("--local", required=True)
    ap.add_argument("--remote", required=True)
    ap.add_argument("--address", required=True)
    ap.add_argument("--key", type=int)
    ap.add_argument("--mtu", type=int, default=1400)
    args = ap.parse_args()

    tun = open_tun(args.name)
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_GRE)
    sock.bind((args.local, 0))
    # Room for a whole window while this process waits for a CPU: a datagram dropped here
    # would be a TCP retransmission, counted again in the capture's payload.
    sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 32 << 20)
    # Not connected: a connected raw socket fails its next call with the far end's ICMP
    # "protocol unreachable", which its kernel sends until the far end's socket is open.
    ip("addr", "add", args.address, "dev", args.name)
    # The same on the way in: the device's queue (500 by default) drops when it is full.
    ip("link", "set", args.name, "mtu", str(args.mtu), "txqueuelen", "20000", "up")
    print("ready", flush=True)

    sel = selectors.DefaultSelector()
    sel.register(tun, selectors.EVENT_READ, "tun")
    sel.register(sock, selectors.EVENT_READ, "sock")
    while True:
        for ready, _ in sel.select():
            if ready.data == "tun":
                packet = os.read(tun, 65536)
                proto = ETHERTYPE_BY_VERSION.get(packet[0] >> 4) if packet else None
                if proto:
                    sock.sendto(gre_header(proto, args.key) + packet, (args.remote, 0))
            else:
                datagram, (source, _) = sock.recvfrom(65536)
                inner = unwrap(datagram, args.key) if source == args.remote else None
                if inner:
                    try:
                        os.write(tun, inner)
                    except OSError:  # not a packet the kernel takes: dropped, as a device would
                        pass


if __name__ == "__main__":
    main()
