"""ringtrack's /metrics as a test reads it.

Owns: fetching the text from a running ringtrack, checking it with promtool, and reading
its samples into a dict. Does not own: starting ringtrack, or what a test expects of the
values.
"""
import re
import shutil
import subprocess
import urllib.request

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def require(*programs):
    """Raises (the test fails, it does not skip) when a tool is not installed."""
    missing = [p for p in programs if shutil.which(p) is None]
    if missing:
        raise AssertionError(f"not installed: {' '.join(missing)} (tools/setup.sh installs prometheus)")


def scrape(port, host="127.0.0.1", timeout=5.0):
    """The text of http://host:port/metrics."""
    with urllib.request.urlopen(f"http://{host}:{port}/metrics", timeout=timeout) as reply:
        return reply.read().decode()


def try_scrape(port, host="127.0.0.1"):
    """scrape(), or None while nothing answers yet."""
    try:
        return scrape(port, host, timeout=1.0)
    except OSError:
        return None


def promtool_problems(text):
    """What `promtool check metrics` says of text (lint included); "" when clean."""
    require("promtool")
    run = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True, text=True)
    said = (run.stdout + run.stderr).strip()
    return said if run.returncode != 0 or said else ""


def samples(text):
    """{(name, frozenset of (label, value))): value} of every sample in text."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        if not m:
            raise AssertionError(f"not a sample line: {line!r}")
        labels = frozenset(LABEL.findall(m.group(2) or ""))
        out[(m.group(1), labels)] = float(m.group(3))
    return out


def value(found, name, **labels):
    """The sample name{labels} in samples() output (KeyError when absent)."""
    return found[(name, frozenset(labels.items()))]


def total(found, name):
    """The sum of every sample of name, whatever its labels (per reader, by reason)."""
    return sum(v for (n, _), v in found.items() if n == name)
