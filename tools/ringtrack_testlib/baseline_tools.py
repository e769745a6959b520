"""The tools ringtrack's live benchmarks measure it against, run beside a send.

Owns: running tcpdump -w /dev/null and tcptrack (in a tmux terminal) on an interface while
a caller's send() runs, and what each reports: counts, drops, CPU time. Does not own: the
traffic or ringtrack's own runs (the bench scripts).
"""
import signal
import subprocess
import sys
import time

from ringtrack_testlib.proc_stats import cpu_seconds
from ringtrack_testlib.ready_line import wait_for_line
from ringtrack_testlib.tmux_session import Tmux


def run_tcpdump(interface, send, extra=(), popen=subprocess.Popen, **popen_options):
    """tcpdump -w /dev/null on interface while send() runs; returns (what send returned,
    frames captured, dropped by the kernel, tcpdump's CPU s). popen: how to start it (a
    lab's, to have it killed with the lab)."""
    proc = popen(["tcpdump", "-i", interface, "-n", "-w", "/dev/null", *extra], stderr=subprocess.PIPE, text=True,
                 **popen_options)
    wait_for_line(proc.stderr, "listening on")
    start = cpu_seconds(proc.pid)
    sent = send()
    # Its ring's block timeout (libpcap, TPACKET_V3: 1 s): the last packets reach it. Nothing
    # outside tcpdump shows how far it got, so this waits out the timer.
    time.sleep(1.2)
    used = cpu_seconds(proc.pid) - start
    proc.send_signal(signal.SIGINT)
    err = proc.communicate(timeout=60)[1]
    if "packets captured" not in err:
        sys.exit(f"tcpdump failed: {err}")
    captured = int(next(l for l in err.splitlines() if "packets captured" in l).split()[0])
    dropped = int(next(l for l in err.splitlines() if "dropped by kernel" in l).split()[0])
    return sent, captured, dropped, used


def run_tcptrack(interface, send):
    """tcptrack on interface while send() runs; returns (what send returned, tcptrack's CPU s)."""
    # tcptrack needs a terminal: a detached tmux session gives it one. The pane's process is
    # tcptrack itself (the pane's shell execs its one command).
    with Tmux(["tcptrack", "-i", interface], name="rtbench") as terminal:
        # Capturing once its screen is drawn (its column titles).
        terminal.wait_for(lambda t: "Client" in t and "Server" in t, "tcptrack's screen")
        pid = terminal.pane_pid()
        start = cpu_seconds(pid)
        sent = send()
        return sent, cpu_seconds(pid) - start
