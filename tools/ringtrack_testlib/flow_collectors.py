"""Real flow collectors started by a test: nfcapd (read back with nfdump) and pmacct's
nfacctd (print plugin writing JSON), and a minimal IPFIX-over-TCP receiver.

Owns: starting each collector on a free port with its files in a given directory,
waiting until it listens, stopping it (so it writes what it holds), reading its flows
back as dicts, and killing it on any path. Does not own: what a test expects of the flows
(flows_by_connection compares them), ringtrack itself.
"""
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import threading
import time


def collector_env(**extra):
    """The environment without meson's MALLOC_PERTURB_: it is there to shake out ringtrack's
    own uses of uninitialized memory, and nfcapd 1.7.1 under it stores no flows at all."""
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_PERTURB_"}
    env.update(extra)
    return env


def require(*programs):
    """Raises (the test fails, it does not pass) when a collector is not installed."""
    missing = [p for p in programs if shutil.which(p) is None]
    if missing:
        raise AssertionError(f"not installed: {' '.join(missing)} (tools/setup.sh installs nfdump and pmacct)")


def free_port(kind=socket.SOCK_DGRAM):
    """A port no socket of kind uses now on this host (the kernel's pick, then released)."""
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("0.0.0.0", 0))
        return s.getsockname()[1]


def listening(port, proto="udp", netns=None):
    """True once a socket is bound to port (ss, in netns when given)."""
    cmd = ["ss", "-H", "-ln", "-u" if proto == "udp" else "-t", f"sport = :{port}"]
    if netns:
        cmd = ["ip", "netns", "exec", netns] + cmd
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    return bool(out.strip())


def receive_queue_bytes(port, proto="udp"):
    """Bytes waiting in the receive queue of the socket bound to port (ss's Recv-Q)."""
    out = subprocess.run(["ss", "-H", "-ln", "-u" if proto == "udp" else "-t", f"sport = :{port}"],
                         capture_output=True, text=True).stdout.split()
    return int(out[1]) if len(out) > 1 else 0


def wait_until(predicate, timeout=10.0, what="condition"):
    """Polls predicate until it holds or timeout seconds pass (then fails)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class _Daemon:
    """A collector process: started, waited for, stopped with a signal, killed on close."""

    def __init__(self, argv, port, proto, log_path):
        self.port = port
        self.log_path = log_path
        self._log = open(log_path, "w")
        # A session of its own: nfacctd's plugins are processes of their own, and a stop or
        # kill goes to the whole group.
        self.proc = subprocess.Popen(argv, stdout=self._log, stderr=subprocess.STDOUT, env=collector_env(),
                                     start_new_session=True)
        try:
            wait_until(lambda: listening(port, proto) or self.proc.poll() is not None, what=f"{argv[0]} on {port}")
            if self.proc.poll() is not None:
                raise AssertionError(f"{argv[0]} exited at start: {open(log_path).read()}")
        except BaseException:
            self.close()
            raise

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(timeout=timeout)
        self.kill()

    def kill(self):
        """The daemon and whatever it started (its group), gone for sure."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()

    def close(self):
        self.kill()
        self._log.close()


class Nfcapd(_Daemon):
    """nfcapd on UDP, writing to directory; flows() reads them with nfdump once stopped."""

    def __init__(self, directory, port=None, bind="127.0.0.1", echo=True):
        """echo: print each flow as stored (flows_seen); off for a benchmark's millions."""
        require("nfcapd", "nfdump")
        self.directory = directory
        port = port or free_port()
        os.makedirs(directory, exist_ok=True)
        # nfdump 1.7 names the flow directory -w; 1.6 named it -l.
        version = subprocess.run(["nfcapd", "-V"], capture_output=True, text=True).stdout
        dir_flag = "-l" if " 1.6." in version else "-w"
        # -E: each flow printed as it is stored, so a test can wait for them (flows_seen);
        # stdbuf: line by line, not when a buffer fills.
        argv = ["stdbuf", "-oL", "nfcapd", *(["-E"] if echo else []), "-p", str(port), dir_flag, directory]
        if bind:
            argv += ["-b", bind]
        super().__init__(argv, port, "udp", os.path.join(directory, "..", f"nfcapd-{port}.log"))

    def flows_seen(self):
        """Flows nfcapd has stored so far (its -E log)."""
        with open(self.log_path) as log:
            return log.read().count("Flow Record:")

    def wait_for_flows(self, count, timeout=20.0):
        wait_until(lambda: self.flows_seen() >= count, timeout, f"{count} flows stored by nfcapd")

    def stop(self, sig=signal.SIGTERM, timeout=15):
        # nfcapd ends at once on SIGTERM, leaving what its socket still holds unread:
        # stop it only once it has read everything sent so far.
        wait_until(lambda: receive_queue_bytes(self.port) == 0, what="nfcapd to read its socket")
        super().stop(sig, timeout)

    def log(self):
        with open(self.log_path) as log:
            return log.read()

    def sequence_errors(self):
        """The sequence errors nfcapd counted (its last "Ident:" line, written as it ends)."""
        found = re.findall(r"Sequence Errors: (\d+)", self.log())
        if not found:
            raise AssertionError("nfcapd wrote no statistics (stop it first)")
        return int(found[-1])

    def observation_domains(self):
        """The observation domains of the exporters nfcapd met (-E log)."""
        return sorted({int(d) for d in re.findall(r"Observation domain (\d+)", self.log())})

    def stored_flows(self):
        """How many flows nfcapd's files hold (nfdump's statistics; stop it first)."""
        out = subprocess.run(["nfdump", "-R", self.directory, "-I"], capture_output=True, text=True,
                             env=collector_env()).stdout
        return sum(int(line.split(":")[1]) for line in out.splitlines() if line.startswith("Flows:"))

    def flows(self):
        """Every flow nfcapd wrote, as nfdump's JSON objects (stop it first: it writes on exit)."""
        # In UTC, so "first" and "last" (printed without a zone) read as Unix time.
        out = subprocess.run(["nfdump", "-R", self.directory, "-o", "json"], capture_output=True, text=True,
                             check=True, env=collector_env(TZ="UTC")).stdout
        return json.loads(out) if out.strip() else []


class Nfacctd(_Daemon):
    """pmacct's nfacctd with the print plugin writing one JSON object per flow."""

    def __init__(self, directory, port=None):
        require("nfacctd")
        os.makedirs(directory, exist_ok=True)
        port = port or free_port()
        self.output = os.path.join(directory, f"nfacctd-{port}.json")
        conf = os.path.join(directory, f"nfacctd-{port}.conf")
        with open(conf, "w") as f:
            f.write("daemonize: false\n"
                    "nfacctd_ip: 127.0.0.1\n"
                    f"nfacctd_port: {port}\n"
                    "plugins: print\n"
                    "aggregate: src_host, dst_host, src_port, dst_port, proto, timestamp_start\n"
                    "print_output: json\n"
                    f"print_output_file: {self.output}\n"
                    "print_output_file_append: true\n"
                    "print_refresh_time: 1\n")
        super().__init__(["nfacctd", "-f", conf], port, "udp", os.path.join(directory, f"nfacctd-{port}.log"))
        # The core binds its socket before the print plugin takes data, and drops what
        # comes meanwhile: ready once the plugin has purged its cache the first time.
        try:
            wait_until(lambda: "Purging cache - END" in open(self.log_path).read(), what="nfacctd's print plugin")
        except BaseException:
            self.close()
            raise

    def stop(self, sig=signal.SIGINT, timeout=15):
        # SIGINT: the print plugin purges its cache to the file before it exits.
        super().stop(sig, timeout)

    def wait_for_flows(self, count, timeout=20.0):
        """Polls until the print plugin wrote count flows (it writes each second, from
        processes of its own, so a stop does not wait for them), or fails."""
        try:
            wait_until(lambda: len(self.flows()) >= count, timeout, f"{count} flows from nfacctd")
        except AssertionError as e:
            with open(self.log_path) as log:
                raise AssertionError(f"{e}; it wrote {self.flows()}; its log ends {log.read()}") from None
        return self.flows()

    def flows(self):
        if not os.path.exists(self.output):
            return []
        # The plugin appends while we read: a last line without its newline is half written.
        with open(self.output) as f:
            return [json.loads(line) for line in f if line.endswith("\n") and line.strip()]


class TcpIpfixReceiver:
    """An IPFIX-over-TCP collector in a thread (nfcapd and nfacctd take only UDP): keeps
    every data record of every connection it accepts, decoded with the templates it was
    sent, as {element id: integer} for IANA's elements (enterprise ones are skipped)."""

    def __init__(self, port=None):
        self.port = port or free_port(socket.SOCK_STREAM)
        self.records = []
        self.connections = 0
        self._stop = False
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", self.port))
        self._sock.listen(1)
        self._sock.settimeout(0.1)
        self._threads = []
        t = threading.Thread(target=self._accept_loop, daemon=True)
        t.start()
        self._threads.append(t)

    def _accept_loop(self):
        while not self._stop:
            try:
                conn, _ = self._sock.accept()
            except (socket.timeout, OSError):
                continue
            self.connections += 1
            t = threading.Thread(target=self._read, args=(conn,), daemon=True)
            t.start()
            self._threads.append(t)

    def _read_exact(self, conn, n):
        data = b""
        while len(data) < n:
            try:
                chunk = conn.recv(n - len(data))
            except socket.timeout:
                if self._stop:
                    return None
                continue
            if not chunk:
                return None
            data += chunk
        return data

    def _read(self, conn):
        conn.settimeout(0.1)
        templates = {}  # id -> [(element id or None for enterprise ones, length)]
        with conn:
            while not self._stop:
                header = self._read_exact(conn, 16)
                if header is None:
                    return
                _, length, _, _, _ = struct.unpack("!HHIII", header)
                body = self._read_exact(conn, length - 16)
                if body is None:
                    return
                at = 0
                while at + 4 <= len(body):
                    set_id, set_len = struct.unpack("!HH", body[at:at + 4])
                    content = body[at + 4:at + set_len]
                    if set_id == 2:
                        i = 0
                        while i + 4 <= len(content):
                            tid, count = struct.unpack("!HH", content[i:i + 4])
                            i += 4
                            fields = []
                            for _ in range(count):
                                ie, ie_len = struct.unpack("!HH", content[i:i + 4])
                                i += 8 if ie & 0x8000 else 4
                                fields.append((None if ie & 0x8000 else ie, ie_len))
                            templates[tid] = fields
                    elif set_id >= 256 and set_id in templates:
                        size = sum(n for _, n in templates[set_id])
                        for r in range(len(content) // size):
                            record, pos = {}, r * size
                            for ie, n in templates[set_id]:
                                if ie is not None:
                                    record[ie] = int.from_bytes(content[pos:pos + n], "big")
                                pos += n
                            self.records.append(record)
                    at += set_len

    def close(self):
        self._stop = True
        self._sock.close()
        for t in self._threads:
            t.join(timeout=2)


def flows_by_connection(records, fields):
    """Sums records per connection: fields names (client ip, client port, server ip,
    server port) and the four counters (packets forward, reverse, octets forward, reverse)
    in records' own names."""
    ip_a, port_a, ip_b, port_b, *counters = fields
    out = {}
    for r in records:
        key = (r[ip_a], int(r[port_a]), r[ip_b], int(r[port_b]))
        sums = out.setdefault(key, [0] * len(counters))
        for i, name in enumerate(counters):
            sums[i] += int(r.get(name, 0))
    return {k: tuple(v) for k, v in out.items()}
