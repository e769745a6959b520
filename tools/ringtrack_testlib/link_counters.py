"""An interface's own counters, from /sys/class/net or `ip -s`, and waiting for them to settle.

Owns: reading what the kernel counted on an interface (frames received, sent, dropped) and
waiting until its traffic has stopped. Does not own: the interface (netns_lab makes the
lab's) or the traffic.
"""
import json
import subprocess
import time


def interface_counter(interface, name):
    """/sys/class/net/IFACE/statistics/NAME: rx_packets, rx_dropped, ..."""
    with open(f"/sys/class/net/{interface}/statistics/{name}") as f:
        return int(f.read())


def rx_packets(interface):
    return interface_counter(interface, "rx_packets")


def frame_counts(interface, netns=None):
    """(frames received, frames sent) on interface, in network namespace netns when given."""
    ip = ["ip", "-n", netns] if netns else ["ip"]
    out = subprocess.run([*ip, "-j", "-s", "link", "show", "dev", interface], check=True, capture_output=True,
                         text=True).stdout
    stats = json.loads(out)[0]["stats64"]
    return stats["rx"]["packets"], stats["tx"]["packets"]


def wait_until_quiet(interface, netns=None, quiet_s=0.1, timeout=15.0):
    """Returns once interface has neither received nor sent a frame for quiet_s: what a test
    sent through it has passed its packet taps, so a capture stopped now has all of it.
    (A frame is counted before the taps see it; the taps run within microseconds, far
    inside quiet_s.) Fails after timeout seconds of traffic that never stops."""
    deadline = time.monotonic() + timeout
    last = frame_counts(interface, netns)
    moved_at = time.monotonic()
    while time.monotonic() - moved_at < quiet_s:
        if time.monotonic() > deadline:
            raise AssertionError(f"{interface} never went quiet for {quiet_s} s (counts {last})")
        time.sleep(0.02)  # the poll interval, not the wait: the loop ends on the counters
        counts = frame_counts(interface, netns)
        if counts != last:
            last, moved_at = counts, time.monotonic()
    return last


def wait_until_up(interface, netns=None, timeout=15.0):
    """Returns once interface is operationally up (a veth: both ends up, carrier on)."""
    ip = ["ip", "-n", netns] if netns else ["ip"]
    deadline = time.monotonic() + timeout
    while True:
        out = subprocess.run([*ip, "-j", "link", "show", "dev", interface], check=True, capture_output=True,
                             text=True).stdout
        if json.loads(out)[0].get("operstate") == "UP":
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{interface} not up after {timeout} s")
        time.sleep(0.02)
