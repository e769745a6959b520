#!/usr/bin/env python3
"""The command line and the installed program: -h fits one screen, -v, usage errors exit 2
with one line and a hint, and `meson install` puts the binary and a man page that renders
without warnings.

Usage: cli_install_test.py RINGTRACK BUILD_DIR [unittest names...]
"""
import os
import subprocess
import sys
import tempfile
import unittest

RINGTRACK = None
BUILD = None


class CommandLine(unittest.TestCase):
    def test_help_fits_one_screen(self):
        run = subprocess.run([RINGTRACK, "-h"], capture_output=True, text=True)
        self.assertEqual(run.returncode, 0)
        lines = run.stdout.splitlines()
        self.assertLessEqual(len(lines), 23)
        self.assertLessEqual(max(len(l) for l in lines), 80)
        self.assertIn("-i interface [filter expression]", lines[0])
        self.assertIn("pcap-filter(7)", run.stdout)

    def test_version(self):
        run = subprocess.run([RINGTRACK, "-v"], capture_output=True, text=True)
        self.assertEqual(run.returncode, 0)
        self.assertRegex(run.stdout, r"^ringtrack \d+\.\d+\.\d+\n$")

    def test_usage_errors(self):
        for argv, needle in (([], "nothing to watch"),
                             (["-i", "eth0", "-T", "x.pcap"], "not both"),
                             (["-i", "eth0", "--fanout", "rr"], "--fanout wants"),
                             (["-i", "eth0", "-r"], "needs a value"),
                             (["-i", "eth0", "--bogus"], "unknown option"),
                             (["-T", "x.pcap", "--duration", "5"], "for live capture"),
                             (["-T", "x.pcap", "-p"], "-p is for live capture"),
                             (["-T", "x.pcap", "--batch", "--ring-mb=8"], "--ring-mb is for live capture"),
                             (["-i", "eth0", "--speed", "2"], "--speed paces a capture file"),
                             (["-T", "x.pcap", "--batch", "--speed", "2"], "--speed paces a capture file"),
                             (["-T", "x.pcap", "--batch", "--bits"], "--bits is for the screen"),
                             (["-i", "eth0", "--interval", "5"], "for --batch")):
            run = subprocess.run([RINGTRACK, *argv], capture_output=True, text=True)
            self.assertEqual(run.returncode, 2, argv)
            lines = run.stderr.splitlines()
            self.assertEqual(len(lines), 2, lines)  # the problem, then the -h hint
            self.assertIn(needle, lines[0])
            self.assertIn("ringtrack -h", lines[1])

    def test_options_after_the_filter(self):
        # tcptrack's order: the filter expression may come first, options after it; `--`
        # ends the options.
        pcap = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pcaps", "zeek__smtp.pcap")
        runs = [subprocess.run([RINGTRACK, *argv], capture_output=True, text=True)
                for argv in (["-T", pcap, "--batch", "--format", "json", "port", "25"],
                             ["port", "25", "-T", pcap, "--batch", "--format", "json"],
                             ["-T", pcap, "port", "25", "--batch", "--format=json"],
                             ["-T", pcap, "--batch", "--format", "json", "--", "port", "25"])]
        for run in runs:
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertIn('"type":"conn"', run.stdout)
        self.assertEqual(len({run.stdout for run in runs}), 1)
        # Live as well: `-i IF port 8080 -d` is the filter "port 8080" and the option -d.
        for argv in (["-i", "lo", "port", "8080", "-d"], ["port", "8080", "-i", "lo", "-d"]):
            run = subprocess.run([RINGTRACK, *argv, "--batch", "--duration", "0.2"], capture_output=True, text=True,
                                 timeout=30)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertIn("# final report", run.stdout)


class Install(unittest.TestCase):
    def test_meson_install_puts_binary_and_man_page(self):
        with tempfile.TemporaryDirectory() as dest:
            run = subprocess.run(["meson", "install", "-C", BUILD, "--destdir", dest, "--no-rebuild"],
                                 capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
            found = {os.path.relpath(os.path.join(d, f), dest) for d, _, fs in os.walk(dest) for f in fs}
            binary = [f for f in found if f.endswith("bin/ringtrack")]
            man = [f for f in found if f.endswith("man1/ringtrack.1")]
            self.assertEqual(len(binary), 1, found)
            self.assertEqual(len(man), 1, found)
            self.assertNotIn("ringtrack-pcapgen", " ".join(found))
            render = subprocess.run(["man", "--warnings", "-l", os.path.join(dest, man[0])],
                                    capture_output=True, text=True, env=dict(os.environ, LC_ALL="C", MANWIDTH="80"))
            self.assertEqual(render.returncode, 0)
            self.assertEqual(render.stderr, "")
            for section in ("OPTIONS", "KEYS", "STATES", "SPEED", "NDJSON OUTPUT", "EXAMPLES"):
                self.assertIn(section, render.stdout)
            self.assertIn('ringtrack -i eth0 "dst port 80"', render.stdout)


if __name__ == "__main__":
    RINGTRACK = os.path.abspath(sys.argv[1])
    BUILD = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2)
