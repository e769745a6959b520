#!/usr/bin/env python3
"""The real binary in a real terminal: ringtrack under tmux at a fixed size, LC_ALL=C,
driven with send-keys and read with capture-pane. Every wait is for text on the screen
(a frame marker), never a fixed sleep.

Usage: screen_tmux_test.py RINGTRACK [unittest names...]
"""
import os
import signal
import subprocess
import sys
import unittest

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


class ScreenOnLiveDemo(unittest.TestCase):
    def test_live_demo_rows_keys_and_clean_exit(self):
        demo = os.path.join(ROOT, "tools", "demo.py")
        tmux = in_terminal(f"{sys.executable} {demo} --ringtrack {RINGTRACK}")
        self.addCleanup(tmux.close)
        text = tmux.wait_for(lambda t: ":443 " in t and ":80 " in t and "ESTABLISHED" in t, "demo traffic", 40)
        self.assertIn(" readers", text.splitlines()[0])
        self.assertIn("drops 0", text.splitlines()[0])
        tmux.keys("s")
        text = tmux.wait_text("Sorted by rate")
        top = rows_of(text)[0]
        self.assertIn(":443", top)  # the 1.5 MB/s transfer leads
        self.assertTrue("KB/s" in top or "MB/s" in top, top)
        tmux.keys("/")
        tmux.keys("r", "e", "s", "e", "t", "Enter")
        text = tmux.wait_text("matching /reset")
        self.assertTrue(all("RESET" in r for r in rows_of(text)), rows_of(text))
        tmux.keys("q")
        tmux.wait_text("ringtrack exit status 0", 40)
        namespaces = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
        self.assertNotIn("demons", namespaces)


if __name__ == "__main__":
    RINGTRACK = os.path.abspath(sys.argv[1])
    unittest.main(argv=[sys.argv[0]] + sys.argv[2:], verbosity=2)
