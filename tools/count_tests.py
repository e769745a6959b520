#!/usr/bin/env python3
"""Prints 'N passed, N failed' over one or more meson testlog.json files; exit 1 if any
failed, none ran, or a log is missing (a build that never got to its tests).

A skipped test counts as failed: a test that needs something absent must not pass quietly."""
import json
import sys

passed = failed = 0
for path in sys.argv[1:]:
    try:
        with open(path) as log:
            for line in log:
                line = line.strip()
                if not line:
                    continue
                result = json.loads(line).get("result")
                if result in ("OK", "EXPECTEDFAIL"):
                    passed += 1
                else:
                    failed += 1
    except OSError as e:
        print(f"cannot read {path}: {e}", file=sys.stderr)
        failed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 and passed > 0 else 1)
