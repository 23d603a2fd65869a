#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs one libFuzzer target from its committed corpus for FUZZ_SECONDS (default 30): new inputs and any crash
# go to WORK_DIR (emptied first), never into the corpus. Exit status: libFuzzer's (0 = nothing found).
# Usage: run_fuzzer.sh TARGET CORPUS_DIR WORK_DIR
set -euo pipefail
target=$1 corpus=$2 work=$3
rm -rf "$work"
mkdir -p "$work/new"
# -timeout: one input running past 10 s is a hang; -rss_limit_mb: a parser that allocates without bound.
# libFuzzer exits 77 on a crash by default, which meson reads as a skip: a crash or a timeout must fail.
exec "$target" -max_total_time="${FUZZ_SECONDS:-30}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -error_exitcode=1 -timeout_exitcode=1 \
  -artifact_prefix="$work/" "$work/new" "$corpus"
