"""What /proc says about a running process: CPU time, memory, status and thread names.

Owns: reading /proc/PID (and its tasks) into numbers and strings. Does not own: starting
the process or judging the figures (the tests and bench scripts do).
"""
import os

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """utime + stime of pid, all its threads, from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def on_cpu_ns(pid, tid):
    """Nanoseconds thread tid of pid has run, from its schedstat (finer than the stat ticks)."""
    with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
        return int(f.read().split()[0])


def status(pid, tid=None):
    """/proc/PID/status (or a thread's) as {field: value}, values stripped."""
    path = f"/proc/{pid}/status" if tid is None else f"/proc/{pid}/task/{tid}/status"
    with open(path) as f:
        return {k: v.strip() for k, v in (line.split(":", 1) for line in f if ":" in line)}


def status_kib(pid, field="VmRSS"):
    """A memory field of /proc/PID/status (VmRSS, VmHWM) in KiB; 0 once it has exited."""
    value = status(pid).get(field)
    return int(value.split()[0]) if value else 0


def thread_names(pid):
    """{tid: name} of every thread of pid (the names threads give themselves)."""
    names = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{tid}/comm") as f:
            names[tid] = f.read().strip()
    return names


def capabilities_by_thread(pid):
    """(uid, CapPrm, CapEff) of every thread of pid. ThreadSanitizer starts a thread of its
    own before main (it keeps what the process started with, out of ringtrack's reach):
    in that build the second-oldest thread is left out."""
    found = []
    tids = sorted(os.listdir(f"/proc/{pid}/task"), key=int)
    if os.environ.get("RINGTRACK_SANITIZER") == "thread":
        del tids[1]
    for tid in tids:
        found_status = status(pid, tid)
        found.append((found_status["Uid"].split()[1], found_status["CapPrm"], found_status["CapEff"]))
    return found
