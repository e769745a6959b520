"""An interface's own counters, from /sys/class/net.

Owns: reading what the kernel counted on an interface (frames received, dropped). Does
not own: the interface (netns_lab makes the lab's).
"""


def interface_counter(interface, name):
    """/sys/class/net/IFACE/statistics/NAME: rx_packets, rx_dropped, ..."""
    with open(f"/sys/class/net/{interface}/statistics/{name}") as f:
        return int(f.read())


def rx_packets(interface):
    return interface_counter(interface, "rx_packets")
