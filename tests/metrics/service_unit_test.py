#!/usr/bin/env python3
"""The gateway service as `meson install` puts it: ringtrack@.service passes `systemd-analyze
verify` (against the installed binary and man page) and scores OK in its offline security
review, asks for CAP_NET_RAW alone, no new privileges, a dynamic user and a read-only file
system; and its own command, run as an unprivileged user with that one capability on a veth
pair, serves the metrics, outlives SIGHUP and ends cleanly on SIGTERM.

Run as root (a private mount namespace shows the installed files at their prefix).
Usage: service_unit_test.py RINGTRACK BUILD_DIR [unittest test names...]
"""
import configparser
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import unittest

from ringtrack_testlib.flow_collectors import free_port, wait_until
from ringtrack_testlib.metrics_text import require, samples, scrape, value
from ringtrack_testlib.netns_lab import Lab
from ringtrack_testlib.proc_stats import capabilities_by_thread

RINGTRACK = None
BUILD = None
UNIT = "ringtrack@.service"


class ServiceUnit(unittest.TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.dest = tmp.name
        os.chmod(self.dest, 0o755)  # the unprivileged user runs the installed binary
        run = subprocess.run(["meson", "install", "-C", BUILD, "--destdir", self.dest, "--no-rebuild"],
                             capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        units = [os.path.join(d, f) for d, _, fs in os.walk(self.dest) for f in fs if f == UNIT]
        self.assertEqual(len(units), 1, units)
        self.unit_path = units[0]
        self.installed_unit = "/" + os.path.relpath(self.unit_path, self.dest)
        self.assertRegex(self.installed_unit, r"/lib/systemd/system/ringtrack@\.service$")
        parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
        parser.optionxform = str
        parser.read(self.unit_path)
        self.service = parser["Service"]
        self.exec_start = shlex.split(self.service["ExecStart"])
        # The prefix the build installs to: PREFIX/bin/ringtrack.
        self.prefix = os.path.dirname(os.path.dirname(self.exec_start[0]))
        self.assertTrue(os.path.isfile(self.dest + self.exec_start[0]), self.exec_start[0])

    def systemd_analyze(self, *args):
        """systemd-analyze in a private mount namespace where the installed tree overlays PREFIX."""
        require("systemd-analyze", "unshare")
        lower = f"{self.dest}{self.prefix}:{self.prefix}"
        script = (f"mount -t overlay overlay -o lowerdir={shlex.quote(lower)} {shlex.quote(self.prefix)} && "
                  f"exec systemd-analyze {' '.join(shlex.quote(a) for a in args)}")
        return subprocess.run(["unshare", "--mount", "sh", "-c", script], capture_output=True, text=True)

    def test_installed_unit_passes_systemd_analyze_verify(self):
        run = self.systemd_analyze("verify", self.installed_unit)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        self.assertEqual(run.stdout + run.stderr, "")
        review = self.systemd_analyze("security", "--offline=yes", "--no-pager", self.installed_unit)
        self.assertEqual(review.returncode, 0, review.stdout + review.stderr)
        level = re.search(r"Overall exposure level for \S+: ([0-9.]+) (\w+)", review.stdout)
        self.assertIsNotNone(level, review.stdout)
        self.assertLessEqual(float(level.group(1)), 4.0, review.stdout)
        self.assertEqual(level.group(2), "OK")

    def test_unit_asks_for_cap_net_raw_alone_and_a_read_only_system(self):
        s = self.service
        self.assertEqual(s["AmbientCapabilities"], "CAP_NET_RAW")
        self.assertEqual(s["CapabilityBoundingSet"], "CAP_NET_RAW")
        self.assertEqual(s["NoNewPrivileges"], "yes")
        self.assertEqual(s["DynamicUser"], "yes")
        self.assertEqual(s["ProtectSystem"], "strict")
        self.assertEqual(s["ProtectHome"], "yes")
        self.assertNotIn("ExecReload", s)  # SIGHUP does nothing to it: no reload to offer
        self.assertEqual(self.exec_start[1:7], ["-i", "%i", "--batch", "--output", "none", "--metrics"])

    def test_unit_command_captures_as_an_unprivileged_user_with_cap_net_raw(self):
        require("setpriv")
        port = free_port(socket.SOCK_STREAM)
        with Lab() as lab:
            lab.serve(8080)
            # The unit's command line with its instance and default environment filled in.
            argv = [self.dest + self.exec_start[0]]
            for word in self.exec_start[1:]:
                if word == "$RINGTRACK_OPTIONS":
                    continue  # empty by default: no words
                argv.append(word.replace("%i", lab.host_if).replace("${RINGTRACK_METRICS}", f"127.0.0.1:{port}"))
            # As the unit runs it: a user of no privilege, CAP_NET_RAW alone (ambient, bounding).
            proc = lab.popen(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                              "--inh-caps=-all,+net_raw", "--ambient-caps=-all,+net_raw",
                              "--bounding-set=-all,+net_raw", "--no-new-privs", *argv],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            self.addCleanup(lambda: proc.poll() is None and proc.kill())

            def scraped():
                try:
                    return samples(scrape(port, timeout=1))
                except OSError:
                    self.assertIsNone(proc.poll(), proc.stderr.read() if proc.poll() is not None else "")
                    return {}

            def connections():
                return value(scraped(), "ringtrack_connections_opened_total")

            # Readers' series appear with the first counters, once the rings capture.
            wait_until(lambda: any(name == "ringtrack_frames_total" for name, _ in scraped()), timeout=15,
                       what="the readers in the metrics")
            lab.send(lab.ns_ip, 8080, 1000)
            wait_until(lambda: connections() == 1, what="a connection in the metrics")
            # ringtrack under setpriv (it execs): no thread keeps CAP_NET_RAW once capturing.
            threads = capabilities_by_thread(proc.pid)
            proc.send_signal(signal.SIGHUP)
            lab.send(lab.ns_ip, 8080, 1000)
            wait_until(lambda: connections() == 2, what="a connection after SIGHUP")
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 0, err)
        self.assertEqual((out, err), ("", ""))
        self.assertGreater(len(threads), 3, threads)
        for uid, permitted, effective in threads:
            self.assertEqual((uid, permitted, effective), ("65534", "0000000000000000", "0000000000000000"))


if __name__ == "__main__":
    RINGTRACK = os.path.abspath(sys.argv[1])
    BUILD = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2)
