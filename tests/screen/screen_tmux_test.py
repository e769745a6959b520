#!/usr/bin/env python3
"""The real binary in a real terminal: ringtrack under tmux at a fixed size, LC_ALL=C,
driven with send-keys and read with capture-pane. Every wait is for text on the screen
(a frame marker), never a fixed sleep.

Usage: screen_tmux_test.py RINGTRACK [unittest names...]
"""
import json
import os
import signal
import sys
import tempfile
import time
import unittest

from ringtrack_testlib.netns_lab import interface_exists, namespace_exists, remove_namespace
from ringtrack_testlib.tmux_session import Tmux

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
PCAPS = os.path.join(ROOT, "tests", "pcaps")
RINGTRACK = None


def in_terminal(command):
    """command (a shell line) in a private tmux session with LC_ALL=C and TERM=xterm."""
    # The pane stays after the command ends, so its exit status and the restored
    # terminal can be read.
    # The terminal modes follow, as "tty: icanon echo" once restored.
    wrapped = (f"{command}; echo \"ringtrack exit status $?\"; "
               "echo tty: $(stty -a | tr ' ;' '\\n\\n' | grep -x -e -*icanon -e -*echo); sleep 600")
    return Tmux(["env", "LC_ALL=C", "TERM=xterm", "sh", "-c", wrapped], name="rtscreen")


def rows_of(text):
    """Connection rows: lines between the title bar and TOTAL."""
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.lstrip().startswith("Client"))
    end = next(i for i, l in enumerate(lines) if l.lstrip().startswith("TOTAL"))
    return [l for l in lines[start + 1:end] if l.strip()]


def rows_if_drawn(text):
    """rows_of(text), or [] while the screen holds no table (starting, a prompt)."""
    try:
        return rows_of(text)
    except StopIteration:
        return []


def connections_of(text):
    """Each row's client, server and state: what pausing keeps in place."""
    return [row.split()[:3] for row in rows_of(text)]


class ScreenOnFile(unittest.TestCase):
    def setUp(self):
        pcap = os.path.join(PCAPS, "zeek__methods.pcap")
        self.tmux = in_terminal(f"{RINGTRACK} -T {pcap} --speed 0 --no-timeouts")
        self.addCleanup(self.tmux.close)
        self.first = self.tmux.wait_for(lambda t: "END OF FILE" in t and "Connections 1-20 of 49" in t,
                                        "the whole file on screen")

    def test_header_titles_rows_and_footer(self):
        text = self.first
        self.assertIn("zeek__methods.pcap", text.splitlines()[0])
        titles = next(l for l in text.splitlines() if "Client" in l)
        self.assertEqual((titles.index("Client"), titles.index("Server"), titles.index("State"),
                          titles.index("Idle"), titles.index("Speed")), (1, 23, 45, 58, 65))
        rows = rows_of(text)
        self.assertEqual(len(rows), 20)  # 24 rows: header, titles, 20 rows, TOTAL, footer
        self.assertTrue(all(r.startswith(" 128.2.6.136:") and "173.194.75.103:80 " in r and "CLOSED" in r
                            for r in rows), rows)
        self.assertIn("Connections 1-20 of 49", text)
        self.assertIn("Unpaused  Unsorted", text)

    def test_sort_changes_order_and_footer(self):
        before = rows_of(self.first)
        self.tmux.keys("s")
        text = self.tmux.wait_text("Sorted by rate")
        self.tmux.keys("s")
        text = self.tmux.wait_text("Sorted by bytes")
        after = rows_of(text)
        self.assertNotEqual(before, after)
        self.tmux.keys("r")
        self.tmux.wait_text("Sorted by bytes, rev")

    def test_pause_freezes_rows(self):
        self.tmux.keys("p")
        text = self.tmux.wait_text("Paused")
        self.assertNotIn("Unpaused", text)
        frozen = connections_of(text)
        self.tmux.keys("s")
        text = self.tmux.wait_text("Sorted by rate")
        self.assertEqual(connections_of(text), frozen)  # paused: the order stays (values may update)
        self.tmux.keys("p")
        self.tmux.wait_text("Unpaused")

    def test_display_filter_narrows_rows(self):
        self.tmux.keys("/")
        self.tmux.wait_text("Filter:")
        self.tmux.keys("4", "6", "5", "7", "0", "Enter")  # a port
        text = self.tmux.wait_text("matching /46570")
        rows = rows_of(text)
        self.assertEqual(len(rows), 1, rows)
        self.assertIn("128.2.6.136:46570", rows[0])
        self.assertIn("Connections 1-1 of 1", text)

    def test_resize_and_too_small(self):
        self.tmux.resize(200, 50)
        text = self.tmux.wait_text("Connections 1-46 of 49")
        titles = next(l for l in text.splitlines() if "Client" in l)
        self.assertEqual(titles.index("Server"), 49)  # wide enough: endpoints of 47 characters
        self.tmux.resize(40, 10)
        text = self.tmux.wait_text("80x6;")
        self.assertIn("40x10", text)
        self.tmux.resize(80, 24)
        self.tmux.wait_text("Connections 1-20 of 49")

    def test_help_then_quit_restores_the_terminal(self):
        self.tmux.keys("h")
        self.tmux.wait_text("ringtrack keys")
        self.tmux.keys("x")
        self.tmux.wait_for(lambda t: "ringtrack keys" not in t and "TOTAL" in t, "help closed")
        self.tmux.keys("q")
        text = self.tmux.wait_text("ringtrack exit status 0")
        self.assertNotIn("TOTAL", text)  # the program's screen is gone: the terminal is back
        self.assertNotIn("Connections", text)

    def test_signals_restore_the_terminal(self):
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            tmux = in_terminal(f"{RINGTRACK} -T {os.path.join(PCAPS, 'zeek__methods.pcap')} --speed 0")
            self.addCleanup(tmux.close)
            tmux.wait_text("END OF FILE")
            os.kill(tmux.program_pid(), sig)
            text = tmux.wait_text("tty:")
            self.assertIn("ringtrack exit status 0", text, sig)
            self.assertIn("tty: icanon echo", text, sig)
            self.assertNotIn("TOTAL", text)


def wait_until(predicate, what, timeout):
    """Polls predicate until it holds; fails naming what after timeout seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


class ScreenOnLiveDemo(unittest.TestCase):
    def start_demo(self):
        """The demo in a terminal; its lab (namespace, veth pair, servers) is removed on every
        path: cleanups run last first, so the terminal closes (the demo's SIGHUP exit removes
        the lab) before anything it left is removed by name."""
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        lab_file = os.path.join(tmp.name, "lab.json")
        self.lab = None
        self.addCleanup(self.remove_leftover_lab)
        demo = os.path.join(ROOT, "tools", "demo.py")
        tmux = in_terminal(f"{sys.executable} {demo} --ringtrack {RINGTRACK} --lab-file {lab_file}")
        self.addCleanup(tmux.close)
        wait_until(lambda: os.path.exists(lab_file) and os.path.getsize(lab_file) > 0, "the demo's lab", 40)
        with open(lab_file) as f:
            self.lab = json.load(f)
        return tmux

    def lab_gone(self):
        return not namespace_exists(self.lab["ns"]) and not interface_exists(self.lab["host_if"])

    def remove_leftover_lab(self):
        if self.lab is None:
            return
        try:
            wait_until(self.lab_gone, "the demo to remove its lab", 15)
        except AssertionError:
            remove_namespace(self.lab["ns"], self.lab["host_if"])

    def test_live_demo_rows_keys_and_clean_exit(self):
        tmux = self.start_demo()
        text = tmux.wait_for(lambda t: ":443 " in t and ":80 " in t and "ESTABLISHED" in t, "demo traffic", 40)
        self.assertIn(" readers", text.splitlines()[0])
        self.assertIn("drops 0", text.splitlines()[0])
        tmux.keys("s")
        # Speeds are those of the last complete second: until the demo's first one is over,
        # every row reads 0 B/s. Wait for the 1.5 MB/s transfer to lead the sorted rows.
        def transfer_leads(t):
            rows = rows_if_drawn(t)
            return ("Sorted by rate" in t and rows and ":443" in rows[0]
                    and ("KB/s" in rows[0] or "MB/s" in rows[0]))
        tmux.wait_for(transfer_leads, "the :443 transfer at the top, in KB/s or MB/s", 20)
        tmux.keys("/")
        tmux.wait_text("Filter:")
        tmux.keys("r", "e", "s", "e", "t", "Enter")
        # Refused connections come every two seconds: wait for one under the filter.
        text = tmux.wait_for(lambda t: "matching /reset" in t and rows_if_drawn(t), "a RESET row under the filter", 20)
        self.assertTrue(all("RESET" in r for r in rows_of(text)), rows_of(text))
        tmux.keys("q")
        tmux.wait_text("ringtrack exit status 0", 40)
        # The demo has exited (the status line follows it): its lab must be gone already.
        self.assertFalse(namespace_exists(self.lab["ns"]), self.lab)
        self.assertFalse(interface_exists(self.lab["host_if"]), self.lab)

    def test_closed_terminal_removes_the_demo_lab(self):
        # A failing test closes the terminal mid-run: the demo gets SIGHUP and must still
        # remove its namespace and veth pair, or the next run meets them.
        tmux = self.start_demo()
        tmux.wait_for(lambda t: "ESTABLISHED" in t, "demo traffic", 40)
        tmux.close()
        wait_until(self.lab_gone, "the demo to remove its lab after SIGHUP", 15)


if __name__ == "__main__":
    RINGTRACK = os.path.abspath(sys.argv[1])
    unittest.main(argv=[sys.argv[0]] + sys.argv[2:], verbosity=2)
