#!/usr/bin/env python3
"""Runs libFuzzer targets for a while and reports executions and crashes.

  fuzz.py --build DIR [--seconds 60 | --executions N] [--target decode|capture_file] [--max-len B]
          [--jobs N]
  fuzz.py --fuzzer PATH [--seconds N | --executions N] [--corpus DIR] [--seeds DIR ...]

The fuzzers come from a clang build with -Dfuzzing=true (tools/run-tests.sh makes one in
build-fuzz). Each run works on a temporary copy of the saved corpus (tests/fuzz/corpus/T)
plus seed directories (tests/pcaps for capture files); new crashes are written to the
current directory's fuzz-findings/. Exit status 1 if any target crashed.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
SEEDS = {"decode": [], "capture_file": []}


def fuzzer_argv(fuzzer, work, seeds, findings, seconds, executions, max_len, seed):
    argv = [fuzzer, work, *[s for s in seeds if os.path.isdir(s)], "-print_final_stats=1",
            f"-artifact_prefix={findings}/", "-rss_limit_mb=4096"]
    argv.append(f"-runs={executions}" if executions else f"-max_total_time={seconds}")
    if max_len:
        argv.append(f"-max_len={max_len}")
    if seed:
        argv.append(f"-seed={seed}")
    return argv


def run_one(fuzzer, seconds, executions, corpus, seeds, findings, max_len, jobs):
    """Runs `jobs` fuzzer processes side by side, each on its own copy of the corpus
    (a different -seed each) and each with its share of the executions; returns the
    executions summed, their summed rate, whether any crashed, and the logs."""
    os.makedirs(findings, exist_ok=True)
    with tempfile.TemporaryDirectory() as top:
        processes = []
        for job in range(jobs):
            work = os.path.join(top, str(job))
            os.makedirs(work)
            if corpus and os.path.isdir(corpus):
                for name in os.listdir(corpus):
                    shutil.copy(os.path.join(corpus, name), work)
            share = executions // jobs + (1 if job < executions % jobs else 0) if executions else 0
            argv = fuzzer_argv(fuzzer, work, seeds, findings, seconds, share, max_len,
                               job + 1 if jobs > 1 else 0)
            # libFuzzer reports on stderr as it goes: a file each, so no process waits on a pipe.
            log = open(os.path.join(top, f"{job}.log"), "w+")
            processes.append((subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=log), log))
        logs = []
        for process, log in processes:
            process.wait()
            log.seek(0)
            logs.append(log.read())
            log.close()
    executed = rate = 0
    crashed = False
    for (process, _), log in zip(processes, logs):
        found = re.search(r"stat::number_of_executed_units:\s*(\d+)", log)
        per_second = re.search(r"stat::average_exec_per_sec:\s*(\d+)", log)
        executed += int(found.group(1)) if found else 0
        rate += int(per_second.group(1)) if per_second else 0
        # Stopped with Ctrl-C (SIGINT to the fuzzer): libFuzzer says so and prints its stats.
        interrupted = "libFuzzer: run interrupted" in log
        crashed = crashed or (process.returncode != 0 and not interrupted)
    return executed, rate, crashed, "\n".join(logs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build")
    ap.add_argument("--target", action="append")
    ap.add_argument("--fuzzer")
    ap.add_argument("--corpus")
    ap.add_argument("--seeds", nargs="*", default=[])
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--executions", type=int, default=0)
    ap.add_argument("--max-len", type=int, default=0, help="largest input (default: libFuzzer's)")
    ap.add_argument("--jobs", type=int, default=1, help="fuzzer processes side by side per target")
    args = ap.parse_args()

    jobs = []
    if args.fuzzer:
        jobs.append((os.path.basename(args.fuzzer), args.fuzzer, args.corpus, args.seeds))
    else:
        for target in args.target or ["decode", "capture_file"]:
            jobs.append((target, os.path.join(args.build, "tests", "fuzz", f"{target}_fuzzer"),
                         os.path.join(ROOT, "tests", "fuzz", "corpus", target),
                         SEEDS[target] + [os.path.join(ROOT, "tests", "fuzz", "crashes", target)]))
    failed = False
    print(f"{'target':22} {'executions':>14} {'exec/s':>9} {'result':>8}")
    for name, fuzzer, corpus, seeds in jobs:
        executed, rate, crashed, log = run_one(fuzzer, args.seconds, args.executions, corpus, seeds,
                                               os.path.abspath("fuzz-findings"), args.max_len, args.jobs)
        print(f"{name:22} {executed:14d} {rate:9d} {'CRASH' if crashed else 'clean':>8}")
        if crashed:
            failed = True
            print(log[-3000:], file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
