#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Bad input to mkfs-guard, checking devices and wrapping a mkfs (`mkfs-guard -- mkfs.ext4 ...`): a missing
# device, nonexistent paths, a 120 KB argument, invalid UTF-8 and a newline in an argument, an unknown mkfs.
# Each gets the exit status mkfs-guard(8) gives (checking: 2; wrapping: 125, or 127 for a mkfs that is not
# there), one line of error (two for a usage error: the second is "Try ... --help"), every byte of an echoed
# argument printable, and nothing run. The cases with a real device (an unknown mkfs over a free loop device)
# need root; without it they skip, and under CI=true they fail. Prints TAP.
# usage: bad_input_test.sh MKFS_GUARD
MKFS_GUARD=$1
source "$(dirname "$0")/../findmnt/tap_lib.sh"
tmp=$(mktemp -d /tmp/guard-bad-input.XXXXXX)
trap 'rm -rf "$tmp"; [ -n "$loop" ] && losetup -d "$loop"' EXIT
loop=

# run ARGS...: runs mkfs-guard, keeping its exit status in rc, stdout and stderr in files.
run() {
  timeout 60 "$MKFS_GUARD" "$@" >"$tmp/stdout" 2>"$tmp/stderr" </dev/null
  rc=$?
}
lines() { local n; n=$(wc -l <"$tmp/$1"); echo "$n"; }
# One line of error (or a usage error's two), no output, nothing but printable ASCII and UTF-8 text in it.
one_error() {
  local want_lines=${1:-1}
  [ "$(lines stdout)" = 0 ] && [ "$(lines stderr)" = "$want_lines" ] &&
    ! LC_ALL=C grep -q '[[:cntrl:]]' <(tr -d '\n' <"$tmp/stderr") &&
    iconv -f UTF-8 -t UTF-8 "$tmp/stderr" >/dev/null 2>&1
}
expect() { # expect DESCRIPTION RC [LINES] -- ARGS...: one case
  local desc=$1 want=$2 want_lines=1
  shift 2
  if [ "$1" != -- ]; then want_lines=$1; shift; fi
  shift
  run "$@"
  check "$desc: exit $want, $want_lines line(s) of error" error_is "$want" "$want_lines"
}
error_is() { [ "$rc" = "$1" ] && one_error "$2"; }

huge=$(head -c 120000 /dev/zero | tr '\0' a)
invalid=$(printf '/dev/\xff\xfe\xc0\xaf')
newline=$(printf '/dev/sd\nb\e[31m')
echo "1..23"

# Checking devices: 2 for anything that is no device to check.
expect "no device" 2 2 -- -v
expect "nonexistent device" 2 -- /nonexistent/device
expect "120 KB device path" 2 -- "/$huge"
expect "120 KB relative name" 2 -- "$huge"
expect "invalid UTF-8 device path" 2 -- "$invalid"
expect "newline and escape sequence in a device path" 2 -- "$newline"
expect "invalid UTF-8 in an unknown option" 2 2 -- "$(printf -- '--\xff\nbogus')" /dev/null
expect "invalid UTF-8 --wait value" 2 2 -- "$(printf -- '--wait=\xff\n')" /dev/null
expect "120 KB --kill value" 2 2 -- "--kill=$huge" /dev/null

# Wrapping a mkfs: 125 (never mkfs's own 1), and the mkfs is not run.
expect "-- and no command" 125 2 -- --
expect "mkfs.ext4 without a device" 125 -- -- mkfs.ext4 -q -F
expect "mkfs.ext4 with an option missing its value" 125 -- -- mkfs.ext4 -L
expect "mkfs.ext4 on a nonexistent device" 125 -- -- mkfs.ext4 -q /nonexistent/device
expect "mkfs.ext4 on a 120 KB path" 125 -- -- mkfs.ext4 "/$huge"
expect "mkfs.ext4 on an invalid UTF-8 path" 125 -- -- mkfs.ext4 "$invalid"
expect "mkfs.xfs with a log device that has a newline" 125 -- -- mkfs.xfs -l "logdev=$newline"
expect "mkfs.ext4 on a character device" 125 -- -- mkfs.ext4 /dev/null
expect "unknown mkfs with nothing that is a block device" 125 -- -- mkfs.nothing -x "$huge" "$invalid"
expect "devices and a command" 125 2 -- /dev/null -- mkfs.ext4 /dev/null

# An unknown mkfs over a real, free device: checked, then the command is not found (127) or not executable
# (126), and said in one line however its name is spelled.
if [ "$(id -u)" = 0 ] && command -v losetup >/dev/null; then
  truncate -s 8M "$tmp/disk.img"
  loop=$(losetup -f --show "$tmp/disk.img")
  expect "unknown mkfs that does not exist, 120 KB arguments" 127 -- -- "$tmp/mkfs.none" -x "$huge" "$loop"
  expect "unknown mkfs whose name is invalid UTF-8 and has a newline" 127 -- -- "$tmp/$(printf 'mkfs.\xff\n')" "$loop"
  printf '#!/bin/sh\nexit 0\n' >"$tmp/mkfs.plain"
  chmod 644 "$tmp/mkfs.plain"
  expect "unknown mkfs that is not executable" 126 -- -- "$tmp/mkfs.plain" "$loop"
  check "the device is as it was: nothing wrote to it" test "$(head -c 8M "$loop" | tr -d '\0' | wc -c)" = 0
else
  for c in "unknown mkfs that does not exist" "unknown mkfs with a bad name" "unknown mkfs not executable" \
    "the device is as it was"; do
    if [ "$CI" = true ]; then check "$c (needs root; CI=true)" false; else skip "$c" "needs root"; fi
  done
fi
exit $((failed > 0))
