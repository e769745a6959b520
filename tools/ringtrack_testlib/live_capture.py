"""ringtrack capturing live as a child process, its NDJSON records read back.

Owns: starting `ringtrack -i IFACE --batch --format json --verbose`, waiting for it to
capture, stopping it and sorting its records, and killing it when a test ends without
stopping it. Does not own: the network it watches
(netns_lab) or what a test expects of the records.
"""
import json
import signal
import subprocess
import tempfile
import threading

from ringtrack_testlib.ready_line import wait_for_line


class Capture:
    """ringtrack -i IFACE --batch --format json, started and ready (its --verbose line)."""

    def __init__(self, ringtrack, interface, *args, ready=True, netns=None, keep=None, prefix=(), env=None):
        """ringtrack: the binary. keep: when given, only output lines it accepts are kept
        (read as they come, so a flood's millions of rows never pile up on disk).
        prefix: a command that runs it."""
        self.argv = [*prefix, ringtrack, "-i", interface, "--batch", "--format", "json", "--verbose", *args]
        if netns:
            self.argv = ["ip", "netns", "exec", netns] + self.argv
        if keep is None:
            self.out = tempfile.TemporaryFile(mode="w+")
            self.proc = subprocess.Popen(self.argv, stdout=self.out, stderr=subprocess.PIPE, text=True, env=env)
        else:
            self.out = []
            self.proc = subprocess.Popen(self.argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                         env=env)
            self._reader = threading.Thread(
                target=lambda: self.out.extend(line for line in self.proc.stdout if keep(line)), daemon=True)
            self._reader.start()
        self.stderr_lines = []
        if ready:
            try:
                self.stderr_lines.append(wait_for_line(self.proc.stderr, "capturing on"))
            except BaseException:
                self.close()
                raise

    def close(self):
        """Kills ringtrack if it still runs (a test that failed before stopping it); a
        no-op after stop() or finish()."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def wait_stderr(self, needle, timeout=15):
        line = wait_for_line(self.proc.stderr, needle, timeout)
        self.stderr_lines.append(line)
        return line

    def stop(self, sig=signal.SIGINT):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.finish()

    def finish(self, timeout=30):
        rc = self.proc.wait(timeout=timeout)
        self.stderr_lines += self.proc.stderr.readlines()
        self.proc.stderr.close()
        if isinstance(self.out, list):
            self._reader.join()
            self.proc.stdout.close()
        else:
            self.out.seek(0)
        records = [json.loads(line) for line in self.out if line.strip()]
        self.rc = rc
        self.conns = [r for r in records if r["type"] == "conn"]
        self.finals = [r for r in self.conns if r["record"] == "final"]
        self.interims = [r for r in self.conns if r["record"] == "interim"]
        self.summaries = [r for r in records if r["type"] == "summary"]
        self.summary = self.summaries[-1] if self.summaries else None
        return self


def capture_for(test, *args, **kw):
    """Capture(*args, **kw), killed by test's cleanup if still running when it ends."""
    cap = Capture(*args, **kw)
    test.addCleanup(cap.close)
    return cap


def by_client_port(conns, port):
    return [c for c in conns if c["client_port"] == port]
