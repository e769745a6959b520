#!/usr/bin/env bash
# Quick start, second command: set up, build, run the whole test suite; the last line says
# "N passed, N failed" with meson's counts (a skipped test counts as failed).
set -uo pipefail
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$repo_root/tools/setup.sh" || { echo "0 passed, 1 failed"; exit 1; }
cd "$repo_root"
meson test -C build --print-errorlogs --num-processes 2 "$@"
status=$?
python3 "$repo_root/tools/count_tests.py" build/meson-logs/testlog.json
counted=$?
[ $status -eq 0 ] && [ $counted -eq 0 ]
