"""The kernel's table of TCP sockets, read with ss, for the connections a test made.

Owns: listing this namespace's TCP sockets to one server (state, bytes acknowledged) and
waiting for them to reach a state. Does not own: the connections (tcp_traffic).
"""
import subprocess
import time


def sockets_to(ip, port):
    """[(state, payload bytes the peer acknowledged)] for this namespace's TCP sockets
    connected to ip:port (ss's bytes_acked counts the SYN too)."""
    out = subprocess.run(["ss", "-Htani", "dst", ip, "dport", "=", f":{port}"], check=True, capture_output=True,
                         text=True).stdout
    found = []
    for line in out.splitlines():
        if not line.strip():
            continue
        if not line[0].isspace():
            found.append([line.split()[0], 0])
        elif found:
            for field in line.split():
                if field.startswith("bytes_acked:"):
                    found[-1][1] = max(0, int(field.split(":")[1]) - 1)
    return [tuple(f) for f in found]


def wait_for_sockets(ip, port, predicate, what, timeout=30.0):
    """Polls sockets_to(ip, port) until predicate(sockets) holds; returns the sockets."""
    deadline = time.monotonic() + timeout
    while True:
        sockets = sockets_to(ip, port)
        if predicate(sockets):
            return sockets
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; sockets to {ip}:{port}: {sockets}")
        time.sleep(0.05)
