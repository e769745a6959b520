#!/usr/bin/env bash
# Quick start, first command: set up, build, and run ringtrack on its embedded default.
set -euo pipefail
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$repo_root/tools/setup.sh"
exec "$repo_root/build/frontend/ringtrack" -T "$repo_root/tests/pcaps/zeek__echo-connections.pcap" --batch "$@"
