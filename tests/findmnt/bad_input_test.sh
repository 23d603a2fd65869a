#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Bad input to `findmnt --detached`: options that mean nothing for a detached mount are refused as util-linux
# refuses mutually exclusive options; nonexistent paths, huge arguments and invalid UTF-8 given to -S, -T, -O,
# -t and --id get one line of error or a clean "nothing found", exit 1 as util-linux's findmnt, never a crash.
# Needs no root (the filters name nothing that exists, so what the scan can see does not matter). Prints TAP.
# usage: bad_input_test.sh FINDMNT [UTIL_LINUX_FINDMNT]
FINDMNT=$1 REFERENCE=$2
source "$(dirname "$0")/tap_lib.sh"
out=$(mktemp -d /tmp/findmnt-bad-input.XXXXXX)
trap 'rm -rf "$out"' EXIT

# run ARGS...: runs findmnt, keeping its exit status in rc, stdout and stderr in files.
run() {
  timeout 60 "$FINDMNT" "$@" >"$out/stdout" 2>"$out/stderr" </dev/null
  rc=$?
}
lines() { local n; n=$(wc -l <"$1"); echo "$n"; }

exclusive=("-s:--fstab" "-F /etc/fstab:--tab-file" "-k:--kernel" "--kernel=listmount:--kernel" "-m:--mtab"
  "-D:--df")
bad=("/nonexistent/path" "$(head -c 120000 /dev/zero | tr '\0' a)" "$(printf '/tmp/\xff\xfe\xc0\xaf')"
  "$(printf 'x\nfoo\tbar')")
echo "1..$((${#exclusive[@]} * 2 + ${#bad[@]} * 5 + 3))"

for e in "${exclusive[@]}"; do
  opt=${e%%:*} name=${e#*:}
  # shellcheck disable=SC2086 # "-F FILE" is two words
  run --detached $opt
  check "--detached $opt: exit 1 and one line naming both" \
    test "$rc:$(cat "$out/stderr"):$(lines "$out/stdout")" = "1:findmnt: mutually exclusive arguments: --detached $name:0"
  # shellcheck disable=SC2086
  run $opt -l --detached
  check "$opt --detached (the other order): refused the same" \
    test "$rc:$(cat "$out/stderr")" = "1:findmnt: mutually exclusive arguments: --detached $name"
done

for i in "${!bad[@]}"; do
  arg=${bad[$i]}
  for opt in -S -T -O -t --id; do
    run --detached "$opt" "$arg"
    # Nothing matches: exit 1, nothing on stdout; at most one line on stderr (--id's "invalid id argument").
    check "--detached $opt <bad argument $i>: exit 1, no output, at most one line of error" \
      test "$rc:$(lines "$out/stdout"):$(($(lines "$out/stderr") <= 1))" = "1:0:1"
  done
done

run --detached --id 4294967296
check "--id past 32 bits: util-linux's out-of-range message" \
  grep -qx "findmnt: invalid id argument: '4294967296': Numerical result out of range" "$out/stderr"
run --detached -o "$(printf 'SOURCE,\xff')"
check "-o with an invalid UTF-8 column: one line, exit 1" test "$rc:$(lines "$out/stderr")" = "1:1"
if [ -n "$REFERENCE" ]; then
  "$REFERENCE" -S /nonexistent/path >/dev/null 2>&1
  ref=$?
  run -S /nonexistent/path
  check "findmnt -S of a nonexistent path exits as util-linux's ($ref)" test "$rc" = "$ref"
else
  skip "findmnt -S of a nonexistent path exits as util-linux's" "no util-linux findmnt"
fi
exit $((failed > 0))
