#!/usr/bin/env python3
"""CPU used with no traffic: ringtrack's screen and its headless batch mode against tcptrack
and tcpdump, side by side on the same idle veth, each in its own tmux terminal (80x24). Root.

  idle_cpu.py [--ringtrack build/frontend/ringtrack] [--baseline OTHER_RINGTRACK] [--seconds 20]

Both watch the host end of a throwaway veth pair nobody sends on; CPU is utime + stime of
the process over the window, from /proc/PID/stat, as a percentage of one core.
"""
import argparse
import os
import subprocess
import time

from ringtrack_testlib.netns_lab import Lab

HERE = os.path.dirname(os.path.abspath(__file__))

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def measure(name, argv, seconds):
    socket = f"rtidle{os.getpid()}{name}"
    subprocess.run(["tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", "80", "-y", "24",
                    "env", "TERM=xterm", *argv], check=True)
    try:
        time.sleep(2.0)  # start-up (ring set-up, first frames) is not idle time
        shell = subprocess.run(["tmux", "-L", socket, "display-message", "-p", "#{pane_pid}"],
                               capture_output=True, text=True).stdout.strip()
        pid = int(shell)
        before, started = cpu_seconds(pid), time.monotonic()
        time.sleep(seconds)
        used = cpu_seconds(pid) - before
        return 100.0 * used / (time.monotonic() - started)
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)


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
            print(f"  {name:20} {measure(''.join(c for c in name if c.isalnum()), argv, args.seconds):6.2f} %")


if __name__ == "__main__":
    main()
