#!/usr/bin/env bash
# Installs the Debian 12 packages ringtrack's build, tests and benchmarks need (only what is
# missing), then configures and builds into build/. Sourced by run-demo.sh and run-tests.sh.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

packages=(
  # build
  g++ meson ninja-build pkg-config libpcap-dev libboost-dev libncurses-dev
  libgtest-dev libbenchmark-dev
  # tests: reference tools, network namespaces, terminal, privileges, fuzzing
  tshark tcpdump iproute2 iperf3 tmux python3 util-linux libcap2-bin procps
  clang libclang-rt-14-dev llvm man-db
  # benchmarks
  tcptrack tcpreplay netsniff-ng valgrind
  # flow export and metrics: libraries, real collectors, a real Prometheus, test plumbing
  libfixbuf-dev prometheus-cpp-dev nfdump pmacct prometheus nftables ethtool
  # the service unit's test: systemd-analyze verify and its offline security review
  systemd
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "ringtrack setup: missing packages (${missing[*]}); run this as root" >&2
    exit 1
  fi
  echo "ringtrack setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # tshark asks whether non-root users may capture; the answer does not matter here.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  # prometheus and pmacct come with services that start where systemd runs (Prometheus on
  # :9090, pmacct's collectors on their default ports; nfdump's unit does nothing until
  # configured). Harmless: every test listens on a free port of its own and captures in
  # namespaces of its own. No policy-rc.d: it would outlive this script and hold back the
  # services of every later install on the machine.
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cd "$repo_root"
if [ ! -f build/build.ninja ]; then
  meson setup build --buildtype=release -Dwerror=true >/dev/null
fi
ninja -C build
