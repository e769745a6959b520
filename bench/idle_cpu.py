#!/usr/bin/env python3
"""CPU used with no traffic: ringtrack's screen and its headless batch mode against tcptrack
and tcpdump, side by side on the same idle veth, each in its own tmux terminal (80x24). Root.

  idle_cpu.py [--ringtrack build/frontend/ringtrack] [--baseline OTHER_RINGTRACK] [--seconds 20]

Both watch the host end of a throwaway veth pair nobody sends on; CPU is utime + stime of
the process over the window, from /proc/PID/stat, as a percentage of one core.
"""
import argparse
import os
import time

from ringtrack_testlib.netns_lab import Lab
from ringtrack_testlib.proc_stats import cpu_seconds
from ringtrack_testlib.tmux_session import Tmux

HERE = os.path.dirname(os.path.abspath(__file__))


def measure(argv, seconds):
    # env execs argv: the pane's process is the program itself.
    with Tmux(["env", "TERM=xterm", *argv], name="rtidle") as terminal:
        time.sleep(2.0)  # start-up (ring set-up, first frames) is not idle time
        pid = terminal.pane_pid()
        before, started = cpu_seconds(pid), time.monotonic()
        time.sleep(seconds)
        used = cpu_seconds(pid) - before
        return 100.0 * used / (time.monotonic() - started)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ringtrack", default=os.path.join(HERE, "..", "build", "frontend", "ringtrack"))
    ap.add_argument("--baseline", help="another ringtrack build, measured the same way in the same run")
    ap.add_argument("--seconds", type=float, default=20)
    args = ap.parse_args()
    with Lab(prefix="rtic") as lab:
        builds = [("ringtrack", os.path.abspath(args.ringtrack))]
        if args.baseline:
            builds.append(("baseline", os.path.abspath(args.baseline)))
        runs = []
        for name, binary in builds:
            runs += [(name, [binary, "-i", lab.host_if]),
                     (f"{name} -f", [binary, "-f", "-i", lab.host_if]),
                     (f"{name} --batch", [binary, "--batch", "-i", lab.host_if])]
        runs += [("tcptrack", ["tcptrack", "-i", lab.host_if]),
                 ("tcpdump -w /dev/null", ["tcpdump", "-i", lab.host_if, "-w", "/dev/null"])]
        print(f"idle veth, {args.seconds:.0f} s each, CPU as % of one core")
        for name, argv in runs:
            print(f"  {name:20} {measure(argv, args.seconds):6.2f} %")


if __name__ == "__main__":
    main()
