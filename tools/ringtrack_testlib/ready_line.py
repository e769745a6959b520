"""Waiting for a child process to say it is ready.

Owns: reading a child's text stream up to its readiness line (ringtrack's "capturing on",
tcpdump's "listening on"), with a deadline. Does not own: starting or stopping the child.
"""
import time


def wait_for_line(stream, needle, timeout=15.0):
    """Reads lines from a text stream until one contains needle (a readiness marker)."""
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = stream.readline()
        if not line:
            break
        seen.append(line)
        if needle in line:
            return line
    raise RuntimeError(f"no line with {needle!r}; got {seen!r}")
