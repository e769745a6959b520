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


def in_terminal(command, width=80):
    """command (a shell line) in a private tmux session with LC_ALL=C and TERM=xterm, width
    columns by 24 rows."""
    # The pane stays after the command ends, so its exit status and the restored
    # terminal can be read.
    # The terminal modes follow, as "tty: icanon echo" once restored.
    wrapped = (f"{command}; echo \"ringtrack exit status $?\"; "
               "echo tty: $(stty -a | tr ' ;' '\\n\\n' | grep -x -e -*icanon -e -*echo); sleep 600")
    return Tmux(["env", "LC_ALL=C", "TERM=xterm", "sh", "-c", wrapped], width=width, name="rtscreen")


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
        self.first = self.tmux.wait_for(lambda t: "END OF FILE" in t and "Connections 1-" in t and " of 49" in t,
                                        "the whole file on screen")

    def test_header_titles_rows_and_footer(self):
        text = self.first
        lines = text.splitlines()
        # tcptrack's 21 rows at 80x24: titles first; the header's counters fold into TOTAL
        # and its clock ends the title line.
        titles = lines[0]
        self.assertEqual((titles.index("Client"), titles.index("Server"), titles.index("State"),
                          titles.index("Idle"), titles.index("Speed")), (1, 23, 45, 58, 65))
        self.assertRegex(titles, r" \d\d:\d\d:\d\d$")
        total = next(l for l in lines if l.lstrip().startswith("TOTAL"))
        self.assertIn(" TOTAL  zeek", total)  # the file name, cut to what the counters leave
        self.assertIn("tracked 49", total)
        rows = rows_of(text)
        self.assertEqual(len(rows), 21)  # 24 rows: titles, 21 rows, TOTAL, footer
        self.assertTrue(all(r.startswith(" 128.2.6.136:") and "173.194.75.103:80 " in r and "CLOSED" in r
                            for r in rows), rows)
        self.assertIn("Connections 1-21 of 49", text)
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
        self.tmux.keys("<")  # the column left of the bytes columns
        self.tmux.wait_text("Sorted by S>C rate, rev")
        self.tmux.keys(">", ">")  # past bytes: the health sorts, then round to unsorted
        self.tmux.wait_text("Sorted by RTT, rev")
        self.tmux.keys(">", ">")
        self.tmux.wait_text("Unsorted, rev")

    def test_pause_freezes_rows(self):
        self.tmux.keys("p")
        text = self.tmux.wait_text("Paused")
        self.assertNotIn("Unpaused", text)
        frozen = connections_of(text)
        self.tmux.keys("s", "s", "r")
        text = self.tmux.wait_text("Sorted by bytes, rev")
        # Paused, a sort re-orders the frozen rows once: the same rows, fewest bytes first.
        self.assertEqual(sorted(connections_of(text)), sorted(frozen))
        self.assertNotEqual(connections_of(text), frozen)
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

    def test_filter_prompt_editing_keys(self):
        self.tmux.keys("/")
        self.tmux.wait_text("Filter:")
        self.tmux.keys("4", "6", "5", "7", "0", "Enter")
        self.tmux.wait_text("Connections 1-1 of 1 matching /46570")
        # The prompt opens with the filter selected: typing replaces it.
        self.tmux.keys("/")
        self.tmux.wait_text("Filter: 46570")
        self.tmux.keys("8", "0", "Enter")
        self.tmux.wait_text("of 49 matching /80")
        # Ctrl-U clears, Ctrl-W deletes a word, Left/Right move, Delete deletes forward.
        self.tmux.keys("/")
        self.tmux.wait_text("Filter: 80")
        self.tmux.keys("C-u", "c", "l", "o", "s", "e", "d", " ", "4", "6", "5", "7", "0", " ", "9", "9", "C-w")
        self.tmux.wait_text("Filter: closed 46570 ")
        self.tmux.keys("BSpace", "Left", "Left", "DC", "7", "C-e", "Enter")
        self.tmux.wait_text("Connections 1-1 of 1 matching /closed 46570")
        self.tmux.keys("/")
        self.tmux.wait_text("Filter: closed 46570")
        self.tmux.keys("Right", "C-a", "DC", "DC", "Escape")
        self.tmux.wait_text("matching /closed 46570")
        self.tmux.keys("/", "Right", "C-a", "DC", "Enter")
        self.tmux.wait_text("Connections 0-0 of 0 matching /losed 46570")

    def test_q_in_help_closes_it(self):
        self.tmux.keys("h")
        self.tmux.wait_text("ringtrack keys")
        self.tmux.keys("q")
        self.tmux.wait_for(lambda t: "ringtrack keys" not in t and "TOTAL" in t, "help closed, still running", 10)
        self.tmux.keys("q")
        self.tmux.wait_text("ringtrack exit status 0")

    def test_direction_columns_on_a_resized_terminal(self):
        # Both directions or neither, and the footer says when the terminal is too narrow
        # (at 120 columns d used to do nothing, at 140 only C>S showed).
        self.tmux.keys("d")
        text = self.tmux.wait_text("d needs 100 columns")
        self.assertNotIn("C>S", text)
        for width, shown in ((120, True), (99, False), (140, True)):
            self.tmux.resize(width, 24)
            if shown:
                text = self.tmux.wait_for(lambda t: "C>S speed" in t and "S>C speed" in t, f"both at {width}")
                self.assertNotIn("d needs", text)
            else:
                text = self.tmux.wait_text("d needs 100 columns")
                self.assertNotIn("C>S", text)

    def test_selection_and_detail_panel(self):
        # Down moves a highlight (no scrolling until the last row); Enter opens the detail
        # of the highlighted connection; Esc closes it and q then quits.
        self.tmux.keys("Down", "Down")
        self.tmux.keys("Enter")
        text = self.tmux.wait_text("Handshake RTT")
        self.assertIn("Client         128.2.6.136:46563", text)
        self.assertIn("Connections 1-21 of 49", text)
        self.tmux.keys("Escape")
        self.tmux.wait_for(lambda t: "Handshake RTT" not in t and "TOTAL" in t, "the detail closed")
        self.tmux.keys("q")
        self.tmux.wait_text("ringtrack exit status 0")

    def test_resize_and_too_small(self):
        self.tmux.resize(200, 50)
        text = self.tmux.wait_text("Connections 1-46 of 49")
        titles = next(l for l in text.splitlines() if "Client" in l)
        self.assertEqual(titles.index("Server"), 49)  # wide enough: endpoints of 47 characters
        self.tmux.resize(40, 10)
        text = self.tmux.wait_text("80x6;")
        self.assertIn("40x10", text)
        self.tmux.resize(80, 24)
        self.tmux.wait_text("Connections 1-21 of 49")

    def test_help_then_quit_restores_the_terminal(self):
        self.tmux.keys("h")
        self.tmux.wait_text("ringtrack keys")
        self.tmux.keys("x")
        self.tmux.wait_for(lambda t: "ringtrack keys" not in t and "TOTAL" in t, "help closed")
        self.tmux.keys("q")
        text = self.tmux.wait_text("ringtrack exit status 0")
        self.assertNotIn("TOTAL", text)  # the program's screen is gone: the terminal is back
        self.assertNotIn("Connections", text)

    def test_replay_clock_stops_at_the_last_packet(self):
        # At --speed 50 the 63 s capture ends in about a second; its header clock must then
        # stay at the last packet's time (it used to run on at 50 s a second).
        tmux = in_terminal(f"{RINGTRACK} -T {os.path.join(PCAPS, 'zeek__methods.pcap')} --speed 50")
        self.addCleanup(tmux.close)
        ended = tmux.wait_text("END OF FILE")
        clock = ended.splitlines()[0].split()[-1]
        # Three screen refreshes (one a second) must all show the same clock.
        moved = []
        try:
            tmux.wait_for(lambda t: (moved.append(t.splitlines()[0].split()[-1]) or
                                     moved[-1] != clock), "the clock to move", timeout=3.5)
        except AssertionError:
            pass  # it did not move: what this test wants
        self.assertEqual(set(moved), {clock}, moved)

    def test_bits_option_starts_speeds_in_bits(self):
        tmux = in_terminal(f"{RINGTRACK} -T {os.path.join(PCAPS, 'zeek__methods.pcap')} --speed 0 --bits")
        self.addCleanup(tmux.close)
        text = tmux.wait_for(lambda t: "END OF FILE" in t and "TOTAL" in t, "the file on screen")
        total = next(l for l in text.splitlines() if l.lstrip().startswith("TOTAL"))
        self.assertIn("bit/s", total)
        self.assertNotIn(" B/s", text)
        tmux.keys("B")  # still toggles
        tmux.wait_for(lambda t: " B/s" in t and "bit/s" not in t, "speeds back in bytes")

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


class ScreenHealthOnFile(unittest.TestCase):
    def test_rtt_and_retr_columns_on_a_capture_with_retransmissions(self):
        # One connection (QinQ, PPPoE) that Wireshark finds 23 retransmissions in
        # (tcp.analysis.retransmission, .fast_ and .spurious_: 10 C>S, 13 S>C) and whose
        # handshake takes 413.687 ms (tcp.analysis.initial_rtt). Its end-to-end smoothed RTT
        # is 10.032 ms to the client plus 411.136 ms to the server: 421 ms, 2 % off the
        # handshake's. 120 columns: the header has its own line, RTT and Retr are shown.
        pcap = os.path.join(PCAPS, "zeek__pppoe-over-qinq.pcap")
        tmux = in_terminal(f"{RINGTRACK} -T {pcap} --speed 0 --no-timeouts", width=120)
        self.addCleanup(tmux.close)
        # The frame that says END OF FILE may hold rows read just before the last packets:
        # the whole file is on screen once the connection reads CLOSING (its last FINs).
        text = tmux.wait_for(lambda t: "END OF FILE" in t and "CLOSING" in "".join(rows_if_drawn(t)),
                             "the whole file on screen")
        titles = next(l for l in text.splitlines() if l.lstrip().startswith("Client"))
        rows = rows_of(text)
        self.assertEqual(len(rows), 1, rows)
        row = rows[0]
        self.assertIn("1.1.1.1:20394", row)
        rtt, retr = titles.index("RTT"), titles.index("Retr")
        self.assertEqual(row[rtt:retr].strip(), "421", (titles, row))
        self.assertEqual(row[retr:].strip(), "23", (titles, row))
        self.assertLess(abs(int(row[rtt:retr]) - 413.687) / 413.687, 0.05)
        # The share's window depends on where the unpaced replay was at each frame: its
        # figure is pinned in process (screen_app_test), its place here.
        self.assertRegex(text.splitlines()[0], r"evicted 0  retr (\d+\.\d%|<0\.1%|-)  peak \d+(\.\d+)? [KMGT]?B/s  END OF FILE")
        tmux.keys("Down", "Enter")
        text = tmux.wait_text("Retransmitted")
        self.assertRegex(text, r"Retransmitted +C>S 10 +S>C 13 ")
        self.assertIn("Handshake RTT 413.687 ms", text)
        self.assertRegex(text, r"RTT end to end 421\.168 ms")
        tmux.keys("Escape")
        tmux.wait_for(lambda t: "Retransmitted" not in t and "TOTAL" in t, "the detail closed")
        tmux.keys("t")
        tmux.wait_text("Sorted by RTT")
        # Filter terms, alone and with others (the footer has room for short ones whole).
        for typed, shown in (("retrans 443", "1-1 of 1"), ("retrans 80", "0-0 of 0"), ("rtt>400ms", "1-1 of 1"),
                             ("rtt<400ms", "0-0 of 0")):
            tmux.keys("/", "C-u", *typed, "Enter")
            tmux.wait_text(f"Connections {shown} matching /{typed} ")
        tmux.keys("q")
        tmux.wait_text("ringtrack exit status 0")


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
        # At 80 columns the header's counters sit in the TOTAL bar (drops never hidden);
        # from 120 columns the header has its own line again.
        total = next(l for l in text.splitlines() if l.lstrip().startswith("TOTAL"))
        self.assertIn("drops 0", total)
        tmux.resize(120, 24)
        tmux.wait_for(lambda t: " readers" in t.splitlines()[0] and "drops 0" in t.splitlines()[0], "the header line")
        tmux.resize(80, 24)
        tmux.wait_for(lambda t: t.splitlines()[0].lstrip().startswith("Client"), "the header folded again")
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
