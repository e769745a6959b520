#!/bin/sh
# The many-core run of the live capture benchmarks, as one prepared call on the lent device
# machine (16 cores, no package manager, no `ip`): machine facts, capture_scaling.py, and the
# one-core decode + update benchmark. Figures go to bench/README.md.
#
#   here:   tools/device_kit.sh build .devkit
#   there:  bench/device_scaling.sh .devkit OUT_DIR     (root)
# READERS, READER_CPUS, SENDER_CPUS, RUN_SECONDS and SCALING_ARGS (more capture_scaling.py
# options, e.g. --loopback) override the 16-core defaults, to try the script on a small machine.
set -u
kit=$(cd "${1:-.devkit}" && pwd)
out=${2:-/tmp/device_scaling}
mkdir -p "$out"
export PATH="$kit/bin:$PATH" PYTHONPATH="$kit/python" PYTHONUNBUFFERED=1
cd "$(dirname "$0")/.."

probe=rtprobe$$
{
  date -u
  uname -r
  echo "$(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
  grep -E 'MemTotal' /proc/meminfo
  echo "THP: $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>&1)"
  lscpu 2>/dev/null | grep -E 'NUMA node|L2|L3|MHz'
} >"$out/machine.txt" 2>&1
where=${SCALING_ARGS:-}
if ! { ip netns add "$probe" && ip link add "${probe}a" type veth peer name "${probe}b"; } >>"$out/machine.txt" 2>&1; then
  where="$where --loopback"
  echo "no network namespace or veth here: sending on lo instead" >>"$out/machine.txt"
fi
ip link del "${probe}a" 2>/dev/null
ip netns del "$probe" 2>/dev/null
cat "$out/machine.txt"

# Bounded, so the decode benchmark still runs inside the machine's time if something hangs.
timeout "${SCALING_TIMEOUT:-300}" python3 bench/capture_scaling.py --bin "$kit/bin" $where --readers "${READERS:-1,2,4,8}" \
  --reader-cpus "${READER_CPUS:-0-7}" --sender-cpus "${SENDER_CPUS:-8-15}" --seconds "${RUN_SECONDS:-3}" \
  2>&1 | tee "$out/scaling.txt"

decode_bench --benchmark_filter='BM_Decode$|BM_DecodeAndUpdate/1000000' --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true 2>&1 | tee "$out/decode.txt"
