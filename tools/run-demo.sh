#!/usr/bin/env bash
# Quick start, first command: set up, build, and run the live demo: a throwaway network
# namespace and veth pair with real TCP traffic, watched by ringtrack (its screen on a
# terminal, text reports for 20 seconds otherwise). Everything is removed on exit.
set -euo pipefail
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$repo_root/tools/setup.sh"
exec python3 "$repo_root/tools/demo.py" --ringtrack "$repo_root/build/frontend/ringtrack" "$@"
