#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Bad input to a drop-in, beside the tool it replaces: nonexistent paths, a huge argument, invalid UTF-8, a
# newline and a tab, and files that are no block device nor mount point, each in every FORM given (its
# words, @ standing for the bad argument). Ours must print the same bytes and exit with the same code as the
# reference (both run as NAME), never crash, and say it in three lines at most. An EXTRA form is ours only
# (an option the reference lacks): it must exit as the reference does for BASE, the same form without it,
# in one line at most more than the reference, and never crash.
# --names-only leaves out the files that exist (for fuser they are good names: their users come and go).
# REFERENCE_NOISE: an extended regex of the reference's stderr lines that ours leaves out on purpose (one
# line per file psmisc's fuser may not look at). EXTRA_NOISE: one of the lines an EXTRA form of ours may add
# about the machine rather than the name (a detached mount elsewhere whose filesystem does not answer, which
# another test beside this one may have made), left out of its count of lines.
# Never a form with -k: /dev/null is open in every process of the machine.
# Root: it runs in a private mount namespace (umount of what is not mounted changes nothing, but only in
# there); skips otherwise. Prints TAP.
# usage: bad_input_diff.sh NAME OURS REFERENCE [--names-only] FORM... [-- EXTRA BASE ...]
all_args=("$@")
name=$1 ours=$2 ref=$3
shift 3
files=("/dev/null" "/etc/passwd")
file_labels=(/dev/null /etc/passwd)
if [ "$1" = --names-only ]; then
  files=() file_labels=()
  shift
fi
source "$(dirname "$0")/../findmnt/tap_lib.sh"
tap_require_root
tap_private_namespace "$0" "${all_args[@]}"
work=$(mktemp -d /tmp/bad-input.XXXXXX)

forms=() extras=()
while (($#)) && [ "$1" != -- ]; do forms+=("$1") && shift; done
(($#)) && shift
extras=("$@")
bad=("/nonexistent/path" "$(head -c 120000 /dev/zero | tr '\0' a)" "$(printf '/tmp/\xff\xfe\xc0\xaf')"
  "$(printf 'x\nfoo\tbar')" "" "${files[@]}")
labels=(nonexistent huge invalid-utf-8 newline-tab empty "${file_labels[@]}")
echo "1..$((${#bad[@]} * (${#forms[@]} * 2 + ${#extras[@]} / 2 * 2)))"

# run WHO FORM ARG: the binary WHO ("ours" or "ref") as NAME on FORM with @ replaced by ARG; its stdout,
# stderr and exit code in $work/WHO.{out,err,rc}.
run() {
  local binary=$ours words=() words_out=() word
  [ "$1" = ref ] && binary=$ref
  read -r -a words <<<"$2"
  for word in "${words[@]}"; do [ "$word" = @ ] && word=$3; words_out+=("$word"); done
  (cd / && exec -a "$name" timeout 60 "$binary" "${words_out[@]}") >"$work/$1.out" 2>"$work/$1.err" </dev/null
  echo $? >"$work/$1.rc"
  if [ "$1" = ref ] && [ -n "$REFERENCE_NOISE" ]; then
    grep -avE "$REFERENCE_NOISE" "$work/ref.err" >"$work/ref.err.kept"
    mv "$work/ref.err.kept" "$work/ref.err"
  fi
}
same_bytes() { cmp -s "$work/ours.out" "$work/ref.out" && cmp -s "$work/ours.err" "$work/ref.err" &&
  [ "$(cat "$work/ours.rc")" = "$(cat "$work/ref.rc")" ]; }
# no_crash [LINES]: exit below 124 (timeout's and the shell's codes, signals), stderr of LINES lines at most
# (default: three, or the reference's when it says more: a name with newlines in it).
no_crash() {
  local most=${1:-$(($(wc -l <"$work/ref.err") > 3 ? $(wc -l <"$work/ref.err") : 3))}
  [ "$(cat "$work/ours.rc")" -lt 124 ] && [ "$(wc -l <"$work/ours.err")" -le "$most" ]
}

for i in "${!bad[@]}"; do
  for form in "${forms[@]}"; do
    run ours "$form" "${bad[$i]}"
    run ref "$form" "${bad[$i]}"
    check "$name $form (${labels[$i]}): the reference's bytes and exit code" same_bytes
    check "$name $form (${labels[$i]}): no crash, three lines at most (or the reference's)" no_crash
  done
  for ((e = 0; e < ${#extras[@]}; e += 2)); do
    run ref "${extras[e + 1]}" "${bad[$i]}"
    run ours "${extras[e]}" "${bad[$i]}"
    check "$name ${extras[e]} (${labels[$i]}): the exit code of the reference's ${extras[e + 1]}" \
      test "$(cat "$work/ours.rc")" = "$(cat "$work/ref.rc")"
    if [ -n "$EXTRA_NOISE" ]; then
      grep -avE "$EXTRA_NOISE" "$work/ours.err" >"$work/ours.err.kept"
      mv "$work/ours.err.kept" "$work/ours.err"
    fi
    check "$name ${extras[e]} (${labels[$i]}): no crash, one line more than the reference at most" \
      no_crash $(($(wc -l <"$work/ref.err") + 1))
  done
done
exit $((failed > 0))
