"""A real Prometheus server started by a test.

Owns: its own configuration and data directory (temporary), a free port, waiting until it
is ready, its query API, and removing the process and the directory on every path.
Does not own: the targets it scrapes.

    with PrometheusServer(targets=["127.0.0.1:9469"], scrape_interval="1s") as prom:
        prom.query("sum(ringtrack_frames_total)")
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

from ringtrack_testlib.flow_collectors import free_port
from ringtrack_testlib.metrics_text import require

CONFIG = """global:
  scrape_interval: {interval}
  scrape_timeout: {interval}
scrape_configs:
  - job_name: ringtrack
    static_configs:
      - targets: [{targets}]
"""


class PrometheusServer:
    def __init__(self, targets, scrape_interval="1s", timeout=30.0):
        require("prometheus")
        self.dir = tempfile.mkdtemp(prefix="rt-prometheus-")
        self.proc = None
        self._log = None
        try:
            config = os.path.join(self.dir, "prometheus.yml")
            with open(config, "w") as f:
                f.write(CONFIG.format(interval=scrape_interval, targets=", ".join(f'"{t}"' for t in targets)))
            self.port = free_port(kind=socket.SOCK_STREAM)
            self._log = open(os.path.join(self.dir, "log"), "w")
            # A session of its own: a kill reaches it whatever it started.
            self.proc = subprocess.Popen(
                ["prometheus", f"--config.file={config}", f"--storage.tsdb.path={os.path.join(self.dir, 'data')}",
                 f"--web.listen-address=127.0.0.1:{self.port}"],
                stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
            self._wait_ready(timeout)
        except BaseException:
            self.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"prometheus exited at start: {self.log()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/-/ready", timeout=1) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"prometheus not ready in {timeout} s: {self.log()}")

    def log(self):
        with open(os.path.join(self.dir, "log")) as f:
            return f.read()

    def api(self, path, **params):
        url = f"http://127.0.0.1:{self.port}/api/v1/{path}?{urllib.parse.urlencode(params)}"
        with urllib.request.urlopen(url, timeout=5) as reply:
            body = json.load(reply)
        if body.get("status") != "success":
            raise AssertionError(f"prometheus {path} {params}: {body}")
        return body["data"]

    def query(self, expression):
        """The instant vector's samples as [(labels, value)]."""
        data = self.api("query", query=expression)
        return [(r["metric"], float(r["value"][1])) for r in data["result"]]

    def target_health(self):
        """{scrape url: health} of the active targets ("up", "down", "unknown")."""
        return {t["scrapeUrl"]: t["health"] for t in self.api("targets")["activeTargets"]}

    def close(self):
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()
        if self._log is not None:
            self._log.close()
        shutil.rmtree(self.dir, ignore_errors=True)
