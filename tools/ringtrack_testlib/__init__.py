"""ringtrack's Python test and benchmark helpers, one importable package.

Owns: what more than one test or bench script needs: the namespace lab and its traffic
generator, the routed lab with its delay line, the live capture runner, the tshark reference
and the NDJSON comparison, the /proc and /sys readers, the tmux terminal, the real flow
collectors and Prometheus server, reading /metrics. Does not own: any test or measurement itself.

Imported as `ringtrack_testlib.<module>` with tools/ on the import path: meson gives every
Python test PYTHONPATH=<source>/tools; by hand, from the repository root:
    PYTHONPATH=tools python3 bench/live_compare.py ...
"""
