#!/usr/bin/env python3
"""Real kernel TCP for tests, benchmarks and the demo, run as a program.

Owns: the client and server ends of the lab's connections. Does not own: where they run
(netns_lab starts them, as netns_lab.TRAFFIC). Standard library only, and no import from
this package, so it runs by its path inside a namespace with no PYTHONPATH; by hand it is
also `python3 -m ringtrack_testlib.tcp_traffic ...`.

  serve --bind ADDR --port P [--reply BYTES] [--connections N]
      accept connections; read each to EOF, send BYTES back, close. Prints "listening".
  send --to ADDR --port P --bytes N [--hold S] [--rate BYTES_PER_S]
      connect, send N bytes (paced when --rate), wait S seconds with the connection
      open, half-close, read the reply, close; prints {"local_port", "sent", "received"}.
  refused --to ADDR --port P      connect to a closed port (the peer answers RST).
  reset --to ADDR --port P --bytes N   send N bytes, then abort with RST (SO_LINGER 0).
  many --to ADDR --port P --connections N --bytes M [--parallel K]
      N short request/response connections.
"""
import argparse
import json
import socket
import struct
import sys
import threading
import time


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def serve(args):
    s = socket.socket(family_of(args.bind), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((args.bind, args.port))
    s.listen(512)
    print("listening", flush=True)
    reply = b"r" * args.reply

    def handle(c):
        try:
            while c.recv(1 << 16):
                pass
            if reply:
                c.sendall(reply)
        except OSError:
            pass
        finally:
            c.close()

    served = 0
    while not args.connections or served < args.connections:
        c, _ = s.accept()
        served += 1
        threading.Thread(target=handle, args=(c,), daemon=True).start()


def send_one(to, port, nbytes, hold=0.0, rate=0):
    c = socket.create_connection((to, port), timeout=30)
    local_port = c.getsockname()[1]
    chunk = b"s" * 65536
    left = nbytes
    started = time.monotonic()
    while left:
        n = min(left, len(chunk))
        if rate:
            # Pace: never more than `rate` bytes per second since the start.
            due = started + (nbytes - left) / rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            n = min(n, max(1, rate // 20))
        c.sendall(chunk[:n])
        left -= n
    if hold:
        time.sleep(hold)
    c.shutdown(socket.SHUT_WR)
    received = 0
    while True:
        d = c.recv(1 << 16)
        if not d:
            break
        received += len(d)
    c.close()
    return {"local_port": local_port, "sent": nbytes, "received": received}


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("serve")
    p.add_argument("--bind", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--reply", type=int, default=0)
    p.add_argument("--connections", type=int, default=0)
    for name in ("send", "refused", "reset", "many"):
        p = sub.add_parser(name)
        p.add_argument("--to", required=True)
        p.add_argument("--port", type=int, required=True)
        p.add_argument("--bytes", type=int, default=0)
        p.add_argument("--hold", type=float, default=0.0)
        p.add_argument("--rate", type=int, default=0)
        p.add_argument("--connections", type=int, default=1)
        p.add_argument("--parallel", type=int, default=1)
    args = ap.parse_args()

    if args.cmd == "serve":
        serve(args)
    elif args.cmd == "send":
        print(json.dumps(send_one(args.to, args.port, args.bytes, args.hold, args.rate)))
    elif args.cmd == "refused":
        try:
            socket.create_connection((args.to, args.port), timeout=5)
            sys.exit("connection was accepted")
        except ConnectionRefusedError:
            print(json.dumps({"refused": True}))
    elif args.cmd == "reset":
        c = socket.create_connection((args.to, args.port), timeout=30)
        local_port = c.getsockname()[1]
        c.sendall(b"s" * args.bytes)
        time.sleep(0.2)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        c.close()
        print(json.dumps({"local_port": local_port, "sent": args.bytes}))
    elif args.cmd == "many":
        results = []
        lock = threading.Lock()

        def worker(n):
            for _ in range(n):
                r = send_one(args.to, args.port, args.bytes)
                with lock:
                    results.append(r["local_port"])

        per = [args.connections // args.parallel + (1 if i < args.connections % args.parallel else 0)
               for i in range(args.parallel)]
        threads = [threading.Thread(target=worker, args=(n,)) for n in per]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(json.dumps({"connections": len(results), "local_ports": sorted(results)}))


if __name__ == "__main__":
    main()
