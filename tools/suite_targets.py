#!/usr/bin/env python3
"""Prints the targets (paths relative to the build directory) that the tests of the given
suites run: building only those saves a build of every other target when a build runs a
few suites.

Usage: suite_targets.py BUILD_DIR SUITE...
"""
import json
import os
import subprocess
import sys


def introspect(build_dir, what):
    out = subprocess.run(["meson", "introspect", build_dir, what], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__.strip())
    build_dir, suites = sys.argv[1], set(sys.argv[2:])
    # A test's suites are "project:suite".
    wanted = [t for t in introspect(build_dir, "--tests") if suites & {s.split(":")[-1] for s in t["suite"]}]
    if not wanted:
        sys.exit(f"suite_targets.py: no test in suites {sorted(suites)}")
    ids = {dep for t in wanted for dep in t["depends"]}
    root = os.path.abspath(build_dir)
    for target in introspect(build_dir, "--targets"):
        if target["id"] in ids:
            for path in target["filename"]:
                print(os.path.relpath(path, root))


if __name__ == "__main__":
    main()
