#!/usr/bin/env bash
# Quick start, second command: set up, build, run the whole test suite four ways, and end
# with one line "N passed, N failed" over all of them (a skipped test counts as failed):
#   build/        release build: every suite
#   build-asan/   AddressSanitizer + UndefinedBehaviorSanitizer: every suite
#   build-tsan/   ThreadSanitizer: the multi-threaded suites (live readers and fanout
#                 hand-off, file shards and the aggregator, synthetic captures, the
#                 metrics endpoint's threads, the shard driver's and Wake's unit tests),
#                 and only the targets they run
#   build-fuzz/   clang + libFuzzer + ASan/UBSan: saved corpora, past crashes, a brief run
# Arguments go to every `meson test` (e.g. --suite unit).
set -uo pipefail
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$repo_root/tools/setup.sh" || { echo "0 passed, 1 failed"; exit 1; }
cd "$repo_root"

# A sanitizer report fails the test that caused it (the process aborts).
export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1
export TSAN_OPTIONS=halt_on_error=1:abort_on_error=1:second_deadlock_stack=1

logs=()
status=0

configure() {  # configure DIR [meson options...]
  local dir=$1
  shift
  [ -f "$dir/build.ninja" ] || meson setup "$dir" "$@" >/dev/null || return 1
}

run_suites() {  # run_suites DIR [meson test options...]
  local dir=$1
  shift
  echo "== meson test -C $dir $*"
  meson test -C "$dir" --print-errorlogs --num-processes 2 "$@" || status=1
  logs+=("$dir/meson-logs/testlog.json")
}

run_suites build "$@"

# Line tables only (-g1 after debug's -g: the last one counts; a report still names file and
# line) and no benchmarks: the sanitized builds were most of CI's time (bench/README.md,
# "CI's time"). Asserts stay on: with optimization and debug set instead of a build type,
# meson's b_ndebug=if-release defined NDEBUG.
sanitized=(-Dwerror=true -Db_lundef=false -Db_lto=false -Db_ndebug=false -Ddebug=true -Dcpp_args=-g1
           -Dbenchmarks=disabled)
# -O1, as ASan's own documentation advises: it builds in half the time of -O2, and the
# tests, which wait on sockets and terminals more than they compute, take as long.
if configure build-asan "${sanitized[@]}" -Doptimization=1 -Db_sanitize=address,undefined &&
   ninja -C build-asan >/dev/null; then
  RINGTRACK_SANITIZER=address run_suites build-asan "$@"
else
  echo "build-asan: the ASan+UBSan build failed"; status=1; logs+=(build-asan/missing)
fi

# TSan's slowdown is larger: -O2. Only what its suites run is built; with arguments (more
# suites, other options) every target, as meson test would build them.
tsan_suites=(live golden synthetic metrics threads)
if configure build-tsan "${sanitized[@]}" -Doptimization=2 -Db_sanitize=thread &&
   tsan_targets=$(if [ $# -eq 0 ]; then
                    python3 "$repo_root/tools/suite_targets.py" build-tsan "${tsan_suites[@]}"; fi) &&
   ninja -C build-tsan $tsan_targets >/dev/null; then
  RINGTRACK_SANITIZER=thread run_suites build-tsan --no-rebuild "${tsan_suites[@]/#/--suite=}" "$@"
else
  echo "build-tsan: the TSan build failed"; status=1; logs+=(build-tsan/missing)
fi

if CC=clang CXX=clang++ configure build-fuzz -Dfuzzing=true -Db_lundef=false -Db_lto=false \
     --buildtype=debugoptimized -Db_sanitize=address,undefined -Dcpp_args=-fsanitize=fuzzer-no-link &&
   ninja -C build-fuzz tests/fuzz/decode_fuzzer tests/fuzz/capture_file_fuzzer >/dev/null; then
  run_suites build-fuzz --no-rebuild --suite fuzz "$@"
else
  echo "build-fuzz: the libFuzzer build failed"; status=1; logs+=(build-fuzz/missing)
fi

python3 "$repo_root/tools/count_tests.py" "${logs[@]}" || status=1
exit $status
