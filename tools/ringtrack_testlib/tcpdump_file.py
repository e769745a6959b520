"""What a running tcpdump has written so far, and waiting until it has written enough.

Owns: counting the records of a classic pcap file that may still be growing, and the wait
for a reference tcpdump (-U, packet-buffered) to catch up with a count. Does not own:
starting or stopping tcpdump (the tests do, through their lab).
"""
import os
import struct
import time

PCAP_HEADER = 24
RECORD_HEADER = 16


def pcap_record_count(path):
    """Whole records in the classic pcap file at path (a record still being written is not
    counted); 0 before the file header is there."""
    try:
        size = os.path.getsize(path)
    except FileNotFoundError:
        return 0
    if size < PCAP_HEADER:
        return 0
    count, at = 0, PCAP_HEADER
    with open(path, "rb") as f:
        magic = struct.unpack("<I", f.read(4))[0]
        order = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
        while at + RECORD_HEADER <= size:
            f.seek(at + 8)
            caplen = struct.unpack(order + "I", f.read(4))[0]
            if at + RECORD_HEADER + caplen > size:
                break
            count += 1
            at += RECORD_HEADER + caplen
    return count


def wait_for_records(path, count, timeout=10.0):
    """Polls until the pcap at path holds count records, or timeout seconds passed;
    returns how many it holds. libpcap hands tcpdump a partly filled ring block only after
    the block's timeout (1 s), so the last packets reach the file about a second late. Not
    reaching count is not an error here: the test compares what the file holds."""
    deadline = time.monotonic() + timeout
    while True:
        have = pcap_record_count(path)
        if have >= count or time.monotonic() >= deadline:
            return have
        time.sleep(0.05)  # the poll interval; the loop ends on the count
