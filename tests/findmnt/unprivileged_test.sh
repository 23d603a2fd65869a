#!/bin/bash
# The tools run as nobody (setpriv), on a lazily detached ext2 pinned by a root process and by a nobody process,
# and on a 0600 device node of its loop device: each answers for what it can see, says in one line how many
# processes it could not inspect and that root sees more, exits with the original tool's code, and never
# crashes or prints a stack of EACCES lines. mkfs-guard must never call a device free that it could not check.
# Needs root to set up (losetup, mount, mknod); prints TAP, skips otherwise. Own mount namespace and /run.
# usage: unprivileged_test.sh FINDMNT MKFS_GUARD
FINDMNT=$1 MKFS_GUARD=$2
source "$(dirname "$0")/tap_lib.sh"
tap_require_root losetup mkfs.ext2 setpriv
tap_private_namespace "$0" "$@"
work=$(mktemp -d /tmp/unprivileged.XXXXXX)
chmod 755 "$work"
as_nobody() { (cd / && exec setpriv --reuid=65534 --regid=65534 --clear-groups "$@"); }

truncate -s 16M "$work/disk.img"
tap_new_loop loop "$work/disk.img"
mkfs.ext2 -q "$loop"
mkdir "$work/mnt"
mount "$loop" "$work/mnt"
chmod 777 "$work/mnt"
(cd "$work/mnt" && exec sleep 300) & pids+=($!)
root_pid=$!
# Not through as_nobody: its own subshell would leave the sleep a grandchild that the cleanup cannot end by pid.
(cd / && exec setpriv --reuid=65534 --regid=65534 --clear-groups bash -c "cd '$work/mnt' && exec sleep 300") &
pids+=($!)
nobody_pid=$!
wait_for 10 bash -c "[ \"\$(readlink /proc/$root_pid/cwd)\" = '$work/mnt' ] && [ \"\$(readlink /proc/$nobody_pid/cwd)\" = '$work/mnt' ]"
umount -l "$work/mnt"
dev=$(stat -Lc '%t %T' "$loop")
mknod "$work/node" b $((16#${dev% *})) $((16#${dev#* }))
chmod 600 "$work/node"

# run NAME COMMAND...: as nobody; stdout, stderr and the exit status in $work/NAME.{out,err,rc}.
run() {
  local name=$1
  shift
  as_nobody timeout 60 "$@" >"$work/$name.out" 2>"$work/$name.err" </dev/null
  echo $? >"$work/$name.rc"
}
rc() { cat "$work/$1.rc"; }
lines() { wc -l <"$work/$1"; }
eacces_lines() { grep -ci 'permission denied' "$work/$1"; }

echo "1..14"
run list "$FINDMNT" --detached
check "findmnt --detached: exit 0 when it lists something, 1 when not (util-linux's)" \
  test "$(rc list)" = "$([ -s "$work/list.out" ] && echo 0 || echo 1)"
check "findmnt --detached: one line says how many processes it could not read, and that root sees more" \
  test "$(grep -cE '^findmnt: could not read [0-9]+ process(es)? \(permission denied\).*\(root sees more\)$' "$work/list.err")" = 1
check "findmnt --detached: no stack of EACCES lines (one at most), two lines of warning at most" \
  test "$(eacces_lines list.err):$(($(lines list.err) <= 2))" = "1:1"
check "findmnt --detached: root's pinner, which nobody cannot read, is never named" \
  bash -c "! grep -qw '$root_pid' '$work/list.out'"
check "findmnt --detached: nobody's own pinner is listed, or the mount it pins is said to be unverifiable" \
  bash -c "grep -qw '$nobody_pid' '$work/list.out' || grep -q 'only root can tell' '$work/list.err'"
run json "$FINDMNT" --detached -J
check "findmnt --detached -J: valid JSON or nothing" \
  bash -c "[ ! -s '$work/json.out' ] || python3 -m json.tool '$work/json.out' >/dev/null"

run poll "$FINDMNT" --detached --poll -w 500
check "findmnt --detached --poll -w 500: exit 0 at the timeout, as util-linux's --poll" test "$(rc poll)" = 0
check "findmnt --detached --poll: one line, that root sees more" \
  test "$(lines poll.err):$(grep -c 'root sees them all' "$work/poll.err")" = "1:1"
check "findmnt --detached --poll: no EACCES line" test "$(eacces_lines poll.err)" = 0

for form in node loop; do
  target=$work/node
  [ $form = loop ] && target=$loop
  run "guard-$form" "$MKFS_GUARD" "$target"
  check "mkfs-guard on a device nobody may open ($form): busy (1) or error (4), never free, no crash" \
    bash -c "case $(rc "guard-$form") in 1|4) exit 0;; *) exit 1;; esac"
  check "mkfs-guard ($form): one EACCES line at most" \
    test "$(cat "$work/guard-$form.out" "$work/guard-$form.err" | grep -ci 'permission denied')" -le 1
done
run guard-json "$MKFS_GUARD" -J "$work/node"
check "mkfs-guard -J as nobody: valid JSON or nothing on stdout" \
  bash -c "[ ! -s '$work/guard-json.out' ] || python3 -m json.tool '$work/guard-json.out' >/dev/null"
# What mkfs-guard says as nobody, for the log (its wording is being changed: see issue 13).
sed 's/^/# mkfs-guard as nobody: /' "$work/guard-node.out" "$work/guard-node.err"
exit $((failed > 0))
