#!/usr/bin/env python3
"""Bad input to `ringtrack -T`: each problem gives exactly one line on stderr naming it, a
non-zero exit, and everything already read is still printed.

Usage: file_errors_test.py RINGTRACK [unittest names...]
"""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

RINGTRACK = None
PCAPS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pcaps")


def ringtrack(*args, user=None):
    argv = [RINGTRACK, *args]
    if user:
        argv = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"] + argv
    return subprocess.run(argv, capture_output=True, text=True)


def ringtrack_from_pipe(feeder, *args):
    """ringtrack -T - reading what `feeder` (a command) writes into a real pipe."""
    source = subprocess.Popen(feeder, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        return subprocess.run([RINGTRACK, "-T", "-", *args], stdin=source.stdout, capture_output=True, text=True)
    finally:
        source.stdout.close()
        source.wait()


def sorted_rows(stdout):
    return sorted(stdout.splitlines())


class FileErrors(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        os.chmod(self.tmp, 0o755)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def path(self, name):
        return os.path.join(self.tmp, name)

    def assertOneLine(self, run, *needles, status=1):
        self.assertEqual(run.returncode, status, run.stderr)
        lines = run.stderr.splitlines()
        self.assertEqual(len(lines), 1, lines)
        self.assertTrue(lines[0].startswith("ringtrack: "), lines[0])
        for needle in needles:
            self.assertIn(needle, lines[0])
        return lines[0]

    def test_missing_file(self):
        run = ringtrack("-T", self.path("absent.pcap"), "--batch")
        self.assertOneLine(run, "absent.pcap", "No such file or directory")
        self.assertEqual(run.stdout, "")

    def test_unreadable_file(self):
        target = self.path("secret.pcap")
        shutil.copy(os.path.join(PCAPS, "zeek__smtp.pcap"), target)
        os.chmod(target, 0)
        run = ringtrack("-T", target, "--batch", user=65534)
        self.assertOneLine(run, "secret.pcap", "Permission denied")

    def test_directory(self):
        self.assertOneLine(ringtrack("-T", self.tmp, "--batch"), "is a directory")

    def test_empty_file(self):
        open(self.path("empty.pcap"), "w").close()
        self.assertOneLine(ringtrack("-T", self.path("empty.pcap"), "--batch"), "empty.pcap", "is empty")

    def test_not_a_capture(self):
        with open(self.path("notes.txt"), "w") as f:
            f.write("these are not packets\n" * 10)
        self.assertOneLine(ringtrack("-T", self.path("notes.txt"), "--batch"), "notes.txt", "not a capture file")

    def test_truncated_file_header(self):
        with open(os.path.join(PCAPS, "zeek__smtp.pcap"), "rb") as f:
            head = f.read(12)
        with open(self.path("cut.pcap"), "wb") as f:
            f.write(head)
        self.assertOneLine(ringtrack("-T", self.path("cut.pcap"), "--batch"), "cut.pcap", "truncated")

    def test_truncated_mid_packet_prints_what_was_read(self):
        source = os.path.join(PCAPS, "zeek__methods.pcap")
        size = os.path.getsize(source)
        with open(source, "rb") as f:
            data = f.read(size // 2)
        with open(self.path("half.pcap"), "wb") as f:
            f.write(data)
        run = ringtrack("-T", self.path("half.pcap"), "--batch", "--format", "json", "--no-timeouts")
        line = self.assertOneLine(run, "half.pcap", "damaged after frame")
        records = [json.loads(l) for l in run.stdout.splitlines()]
        summary = records[-1]
        self.assertEqual(summary["type"], "summary")
        frames = int(line.split("after frame ")[1].split(":")[0])
        self.assertEqual(summary["frames_read"], frames)
        self.assertGreater(frames, 100)
        conns = [r for r in records if r["type"] == "conn"]
        self.assertEqual(sum(c["c2s_packets"] + c["s2c_packets"] for c in conns), summary["tcp_packets"])
        self.assertGreater(len(conns), 5)

    def test_corrupt_record_in_the_middle(self):
        run = ringtrack("-T", os.path.join(PCAPS, "suricata__tls_DER-incomplete-header.pcap"), "--batch")
        self.assertOneLine(run, "damaged after frame 6", "bigger than snaplen")
        self.assertIn("# connections 1", run.stdout)

    def test_unsupported_link_type(self):
        with open(self.path("wifi.pcap"), "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 105))  # IEEE 802.11
            f.write(struct.pack("<IIII", 1700000000, 0, 4, 4) + b"\x00" * 4)
        self.assertOneLine(ringtrack("-T", self.path("wifi.pcap"), "--batch"), "link type 105", "not supported")

    def test_rejected_filter(self):
        run = ringtrack("-T", os.path.join(PCAPS, "zeek__smtp.pcap"), "--batch", "port", "notaport")
        self.assertOneLine(run, "filter expression rejected")
        self.assertEqual(run.stdout, "")

    def test_filter_applies_to_files(self):
        run = ringtrack("-T", os.path.join(PCAPS, "zeek__methods.pcap"), "--batch", "--format", "json",
                        "--no-timeouts", "tcp[tcpflags] & tcp-syn != 0")
        summary = json.loads(run.stdout.splitlines()[-1])
        self.assertEqual(run.returncode, 0)
        self.assertEqual(summary["tcp_packets"], 98)  # 49 SYNs and 49 SYN+ACKs
        self.assertEqual(summary["filtered_out"], summary["frames_read"] - 98)

    def test_bad_option_value(self):
        run = ringtrack("-T", os.path.join(PCAPS, "zeek__smtp.pcap"), "--batch", "--threads", "0")
        self.assertEqual(run.returncode, 2)
        self.assertIn("--threads wants a whole number", run.stderr.splitlines()[0])

    def test_standard_input_reads_like_the_file(self):
        # tcpdump -w - into a pipe, as on a gateway: the same rows and summary as the file.
        for name in ("zeek__methods.pcap", "ndpi__alexa-app.pcapng"):
            source = os.path.join(PCAPS, name)
            # One hash seed for both runs: the shard's endpoint book is direct-mapped by the
            # flow hash, and a collision under another seed may lose an RTT sample.
            opts = ["--batch", "--format", "json", "--no-timeouts", "--seed", "7"]
            from_file = ringtrack("-T", source, *opts)
            piped = ringtrack_from_pipe(["tcpdump", "-n", "-r", source, "-w", "-"], *opts)
            self.assertEqual(piped.returncode, 0, piped.stderr)
            self.assertEqual(piped.stderr, "")
            self.assertGreater(len(piped.stdout.splitlines()), 5)
            self.assertEqual(sorted_rows(piped.stdout), sorted_rows(from_file.stdout), name)

    def test_standard_input_problems(self):
        run = ringtrack_from_pipe(["true"], "--batch")
        self.assertOneLine(run, "'-' (standard input)", "is empty")
        run = ringtrack_from_pipe(["echo", "these are not packets"], "--batch")
        self.assertOneLine(run, "'-' (standard input)", "not a capture file")
        source = os.path.join(PCAPS, "zeek__methods.pcap")
        run = ringtrack_from_pipe(["head", "-c", str(os.path.getsize(source) // 2), source],
                                  "--batch", "--format", "json", "--no-timeouts")
        self.assertOneLine(run, "'-' (standard input)", "damaged after frame")
        self.assertEqual(json.loads(run.stdout.splitlines()[-1])["type"], "summary")
        # The screen reads keys from the terminal: standard input cannot also be the capture.
        run = ringtrack_from_pipe(["cat", source])
        self.assertEqual(run.returncode, 2)
        self.assertIn("-T - reads the capture from standard input and needs --batch", run.stderr.splitlines()[0])

    def test_closed_output_pipe_is_not_a_crash(self):
        p = subprocess.Popen([RINGTRACK, "-T", os.path.join(PCAPS, "zeek__echo-connections.pcap"), "--batch"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        p.stdout.read(100)
        p.stdout.close()
        _, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(err.decode(), "ringtrack: cannot write the output: Broken pipe\n")


if __name__ == "__main__":
    RINGTRACK = os.path.abspath(sys.argv[1])
    unittest.main(argv=[sys.argv[0]] + sys.argv[2:], verbosity=2)
