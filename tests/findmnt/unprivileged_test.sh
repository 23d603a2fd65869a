#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every tool run as nobody (setpriv; detach-metrics too, when given), on a lazily detached ext2 pinned by a root process and by a nobody process,
# on a tmpfs that a root and a nobody process have as their cwd, and on a 0600 device node of the loop device:
# each answers for what it can see, says in one line how many processes it could not inspect and that root
# sees more, exits with the original tool's code (psmisc's fuser and util-linux's umount run beside ours), and
# never crashes or prints a stack of EACCES lines. fuser -k ends only nobody's own pinner; umount, plain and
# installed setuid, unmounts nothing of root's. mkfs-guard must never call a device free that it could not
# check, in any mode: checking, wrapping a mkfs (which it must then not run), --wait, and --kill, which must
# never end root's process (it ends nobody's own pinner, which nobody may).
# Needs root to set up (losetup, mount, mknod); prints TAP, skips otherwise. Own mount namespace and /run.
# usage: unprivileged_test.sh FINDMNT MKFS_GUARD FUSER UMOUNT [DETACH_METRICS]
FINDMNT=$1 MKFS_GUARD=$2 FUSER=$3 UMOUNT=$4 METRICS=$5
source "$(dirname "$0")/tap_lib.sh"
tap_require_root losetup mkfs.ext2 setpriv
tap_private_namespace "$0" "$@"
work=$(mktemp -d /tmp/unprivileged.XXXXXX)
chmod 755 "$work"
as_nobody() { (cd / && exec setpriv --reuid=65534 --regid=65534 --clear-groups "$@"); }

tap_mount_new_loop loop "$work/disk.img" "$work/mnt"
chmod 777 "$work/mnt"
# pin_as_root_and_nobody DIR ROOT_VAR NOBODY_VAR: a root sleep and a nobody sleep with DIR as their cwd, their
# pids in ROOT_VAR and NOBODY_VAR (and in pids, for the cleanup); returns once the kernel shows both there.
pin_as_root_and_nobody() {
  (cd "$1" && exec sleep 300) &
  pids+=($!)
  printf -v "$2" %s $!
  # Not through as_nobody: its own subshell would leave the sleep a grandchild the cleanup cannot end by pid.
  (cd / && exec setpriv --reuid=65534 --regid=65534 --clear-groups bash -c "cd '$1' && exec sleep 300") &
  pids+=($!)
  printf -v "$3" %s $!
  wait_for 10 bash -c "[ \"\$(readlink /proc/${!2}/cwd)\" = '$1' ] && [ \"\$(readlink /proc/${!3}/cwd)\" = '$1' ]"
}
pin_as_root_and_nobody "$work/mnt" root_pid nobody_pid
umount -l "$work/mnt"
# The tmpfs: a root cwd and a nobody cwd, attached (fuser -m and -k, umount).
mkdir "$work/att"
mount -t tmpfs -o mode=777 unprivileged-att "$work/att"
pin_as_root_and_nobody "$work/att" att_root_pid att_nobody_pid
mkdir -m 700 "$work/private"
dev=$(stat -Lc '%t %T' "$loop")
mknod "$work/node" b $((16#${dev% *})) $((16#${dev#* }))
chmod 600 "$work/node"

# run NAME COMMAND...: as nobody; stdout, stderr and the exit status in $work/NAME.{out,err,rc}.
run() {
  local name=$1
  shift
  # --preserve-status: a run that timed out is 143, never mkfs-guard's own 124 (busy, mkfs not run).
  as_nobody timeout --preserve-status 60 "$@" >"$work/$name.out" 2>"$work/$name.err" </dev/null
  echo $? >"$work/$name.rc"
}
rc() { cat "$work/$1.rc"; }
lines() { wc -l <"$work/$1"; }
eacces_lines() { grep -ci 'permission denied' "$work/$1"; }
gap_lines() { grep -cE '^mkfs-guard: could not read [0-9]+ process(es)? \(permission denied\).*\(root sees more\)$' "$work/$1.err"; }
other_eacces_lines() { cat "$work/$1.out" "$work/$1.err" | grep -vE '^mkfs-guard: could not read' | grep -ci 'permission denied'; }
never_free() { ! cat "$work/$1.out" "$work/$1.err" | grep -q ' is free'; }

echo "1..59"
# As nobody, no walk over every mount namespace is complete (root's are closed to it), so no mount is known to
# be detached: nothing is listed and findmnt exits 1, as util-linux's findmnt does when it finds nothing, and
# the mount nobody's own sleep pins is named as one only root can tell about.
run list "$FINDMNT" --detached
check "findmnt --detached: lists nothing (nothing on stdout), exit 1 (util-linux's when nothing is found)" \
  test "$(rc list):$(wc -c <"$work/list.out")" = 1:0
check "findmnt --detached: one line says how many processes it could not read, and that root sees more" \
  test "$(grep -cE '^findmnt: could not read [0-9]+ process(es)? \(permission denied\).*\(root sees more\)$' "$work/list.err")" = 1
check "findmnt --detached: no stack of EACCES lines (one at most), two lines of warning at most" \
  test "$(eacces_lines list.err):$(($(lines list.err) <= 2))" = "1:1"
check "findmnt --detached: root's pinner, which nobody cannot read, is never named" \
  bash -c "! grep -qw '$root_pid' '$work/list.out'"
unverifiable='^(findmnt|fuser): [0-9]+ mounts? pinned by processes (is|are) in no mount namespace this user can list: attached elsewhere or detached, only root can tell$'
check "findmnt --detached: the mount nobody's own pinner pins is said to be one only root can tell about" \
  grep -qE "$unverifiable" "$work/list.err"
run json "$FINDMNT" --detached -J
check "findmnt --detached -J: nothing on stdout (no document), exit 1, the same warnings" \
  test "$(rc json):$(wc -c <"$work/json.out"):$(grep -cE "$unverifiable" "$work/json.err")" = 1:0:1

run poll "$FINDMNT" --detached --poll -w 500
check "findmnt --detached --poll -w 500: exit 0 at the timeout, as util-linux's --poll" test "$(rc poll)" = 0
check "findmnt --detached --poll: one line, that root sees more" \
  test "$(lines poll.err):$(grep -c 'root sees them all' "$work/poll.err")" = "1:1"
check "findmnt --detached --poll: no EACCES line" test "$(eacces_lines poll.err)" = 0

# fuser as nobody: psmisc's answer where it can see (nobody's pid, not root's, same exit), plus one line
# of what it could not read. Its stderr is psmisc's once that line is taken out.
fuser_gap() { grep -cE '^fuser: could not read (process [0-9]+ .*|[0-9]+ processes \(permission denied\).*) \(root sees more\)$' "$work/$1.err"; }
fuser_rest() { grep -vE '^fuser: could not read ' "$work/$1.err"; }
fuser_same() { # fuser_same NAME: ours (NAME) and psmisc's (NAME-ref): the same stdout, rc and stderr but our line
  [ "$(cat "$work/$1.out")" = "$(cat "$work/$1-ref.out")" ] && [ "$(rc "$1")" = "$(rc "$1-ref")" ] &&
    [ "$(fuser_rest "$1")" = "$(cat "$work/$1-ref.err")" ]
}
run fuser-m "$FUSER" -m "$work/att"
run fuser-m-ref /usr/bin/fuser -m "$work/att"
check "fuser -m as nobody: nobody's pid, never root's, exit 0" \
  bash -c "[ $(rc fuser-m) = 0 ] && grep -qw '$att_nobody_pid' '$work/fuser-m.out' && ! grep -qw '$att_root_pid' '$work/fuser-m.out'"
check "fuser -m as nobody: what psmisc's fuser prints as nobody, and its exit code" fuser_same fuser-m
check "fuser -m as nobody: one line says how many processes it could not read, and that root sees more" \
  test "$(fuser_gap fuser-m)" = 1
check "fuser -m as nobody: no other EACCES line" test "$(fuser_rest fuser-m | grep -ci 'permission denied')" = 0
run fuser-mv "$FUSER" -mv "$work/att"
run fuser-mv-ref /usr/bin/fuser -mv "$work/att"
check "fuser -mv as nobody: psmisc's table as nobody (the kernel mount, nobody's sleep), its exit code" fuser_same fuser-mv
check "fuser -mv as nobody: one line of what it could not read" test "$(fuser_gap fuser-mv)" = 1
run fuser-s "$FUSER" -s -m "$work/att"
check "fuser -s -m as nobody: silent (nothing printed), exit 0" \
  test "$(rc fuser-s):$(cat "$work/fuser-s.out" "$work/fuser-s.err" | wc -c)" = 0:0
run fuser-private "$FUSER" "$work/private/x"
run fuser-private-ref /usr/bin/fuser "$work/private/x"
check "fuser on a path nobody cannot stat: psmisc's message and exit code (1)" \
  bash -c "[ $(rc fuser-private) = 1 ] && [ \"\$(cat '$work/fuser-private.err')\" = \"\$(cat '$work/fuser-private-ref.err')\" ]"
# Whether a mount nobody's own namespace does not show is detached, only a walk of every namespace (root's)
# tells: as findmnt, nothing is named (exit 1, as psmisc's fuser when it finds nobody) and that mount is said
# to be one only root can tell about.
unverifiable_only() {
  [ "$(rc "$1")" = 1 ] && [ ! -s "$work/$1.out" ] && grep -qE "$unverifiable" "$work/$1.err"
}
# The line of processes it could not read may name root's sleep among them: as unreadable, not as a pinner.
root_never_a_pinner() { ! { cat "$work/$1.out"; fuser_rest "$1"; } | grep -qw "$root_pid"; }
for args in "-v" "$loop"; do
  name=fuser-det-$([ "$args" = -v ] && echo v || echo dev)
  run "$name" "$FUSER" --detached $args
  check "fuser --detached $args as nobody: nothing named, exit 1, the mount said to be one only root can tell about" \
    unverifiable_only "$name"
  check "fuser --detached $args as nobody: root's pinner never named as one" root_never_a_pinner "$name"
  check "fuser --detached $args as nobody: one line of what it could not read, no other EACCES line" \
    test "$(fuser_gap "$name"):$(fuser_rest "$name" | grep -ci 'permission denied')" = 1:0
done
sed 's/^/# fuser --detached -v as nobody: /' "$work/fuser-det-v.out" "$work/fuser-det-v.err"
# -k last on the tmpfs: it may end nobody's own sleep only; root's lives on (KILL: a slip shows as a death).
run fuser-k "$FUSER" -k -m "$work/att"
gone() { [ ! -d "/proc/$1" ] || [ "$(awk '/^State/ { print $2 }' "/proc/$1/status")" = Z ]; }
fuser_k_ended_nobodys() { [ "$(rc fuser-k)" = 0 ] && wait_for 5 gone "$att_nobody_pid"; }
check "fuser -k -m as nobody: exit 0, nobody's pinner ended" fuser_k_ended_nobodys
check "fuser -k -m as nobody: root's pinner alive (sleeping, not a zombie)" \
  grep -q '^State:[[:space:]]*S' "/proc/$att_root_pid/status"

# detach-metrics as nobody: its metrics, with what it could not read counted in them, and nothing on stderr.
if [ -n "$METRICS" ]; then
  run metrics "$METRICS"
  check "detach-metrics as nobody: exit 0, the processes it could not read counted (scan_gaps denied > 0)" \
    bash -c "[ $(rc metrics) = 0 ] && grep -qE '^detach_utils_scan_gaps\{kind=\"denied\"\} [1-9][0-9]*$' '$work/metrics.out'"
  check "detach-metrics as nobody: nothing on stderr" test ! -s "$work/metrics.err"
else
  skip "detach-metrics as nobody: exit 0, the processes it could not read counted" "no detach-metrics given"
  skip "detach-metrics as nobody: nothing on stderr" "no detach-metrics given"
fi

# umount as nobody: util-linux's message and exit code, whether ours is plain or installed setuid root as
# /bin/umount is; nothing of root's unmounted, and no busy explanation built from what nobody cannot read.
mkdir -m 755 "$work/bin"
cp "$UMOUNT" "$work/bin/umount"
chmod 4755 "$work/bin/umount"
mounted() { grep -q " $work/att " /proc/self/mountinfo; }
for form in plain setuid; do
  binary=$UMOUNT
  [ $form = setuid ] && binary=$work/bin/umount
  for how in "" -l "--wait=1"; do
    name="umount-$form${how:+-${how%%=*}}"
    name=${name//-/_}
    run "$name" "$binary" $how "$work/att"
    [ "$how" = --wait=1 ] || run "$name-ref" /bin/umount $how "$work/att"
    ref="$name-ref"
    [ "$how" = --wait=1 ] && ref=umount_plain-ref  # util-linux has no --wait: its answer to the plain umount
    check "umount ${how:+$how }as nobody ($form): util-linux's 'must be superuser' line and exit code (32)" \
      bash -c "[ $(rc "$name") = 32 ] && [ $(rc "$name") = $(rc "$ref") ] && [ \"\$(cat '$work/$name.err')\" = \"\$(cat '$work/$ref.err')\" ]"
    check "umount ${how:+$how }as nobody ($form): root's tmpfs still mounted" mounted
  done
done
# Nobody may not open the device (so its claim cannot be checked), but nobody's own sleep is a pinner it can
# read: the device is busy (1), and mkfs-guard says so.
for form in node loop; do
  target=$work/node
  [ $form = loop ] && target=$loop
  run "guard-$form" "$MKFS_GUARD" "$target"
  check "mkfs-guard on a device nobody may open ($form): busy (1), for nobody's own pinner" \
    bash -c "[ $(rc "guard-$form") = 1 ] && grep -qE '^$target is busy: .* pinned by: $nobody_pid \(sleep\) cwd$' '$work/guard-$form.out'"
  check "mkfs-guard ($form): one line counts the processes it could not read, that root sees more" \
    test "$(gap_lines "guard-$form")" = 1
  check "mkfs-guard ($form): one other EACCES line at most" test "$(other_eacces_lines "guard-$form")" -le 1
done
run guard-json "$MKFS_GUARD" -J "$work/node"
guard_json_busy() { # busy (1) as JSON: status busy, the claim unknown (null), nobody's sleep a detached mount's pinner
  [ "$(rc guard-json)" = 1 ] && python3 - "$work/guard-json.out" "$nobody_pid" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
pinners = [p.get("pid") for r in doc["reasons"] if r.get("kind") == "detached-mount" for p in r.get("pinners", [])]
sys.exit(0 if doc["status"] == "busy" and doc["claimed"] is None and pinners == [int(sys.argv[2])] else 1)
PY
}
check "mkfs-guard -J as nobody: exit 1, a JSON document: busy, the claim unknown, nobody's sleep the pinner" \
  guard_json_busy
check "mkfs-guard as nobody: says what the snapshot shows (busy)" grep -qE "^$work/node is busy: " "$work/guard-node.out"
check "mkfs-guard as nobody: its busy answer says the claim was not checked" \
  grep -qx '(the claim was not checked: open: Permission denied)' "$work/guard-node.out"
sed 's/^/# mkfs-guard as nobody: /' "$work/guard-node.out" "$work/guard-node.err"

# Wrapping a mkfs as nobody: the device cannot be checked, so the mkfs (a marker script) is never run: 124 or
# 125, never "free". The same with a real mkfs.ext2, whose filesystem stays as it was.
printf '#!/bin/sh\ntouch %s/marker\n' "$work" >"$work/mkfs.marker"
chmod 755 "$work/mkfs.marker"
chmod 777 "$work"
run wrap-marker "$MKFS_GUARD" -- "$work/mkfs.marker" "$work/node"
check "mkfs-guard -- MKFS NODE as nobody: busy, exit 124, the command not run" \
  bash -c "[ $(rc wrap-marker) = 124 ] && [ ! -e '$work/marker' ]"
check "mkfs-guard -- MKFS NODE as nobody: never 'free'" never_free wrap-marker
uuid=$(blkid -p -s UUID -o value "$loop")
run wrap-ext2 "$MKFS_GUARD" -- mkfs.ext2 -q -F "$work/node"
check "mkfs-guard -- mkfs.ext2 NODE as nobody: busy, exit 124, the filesystem as it was" \
  bash -c "[ $(rc wrap-ext2) = 124 ] && [ \"\$(blkid -p -s UUID -o value '$loop')\" = '$uuid' ]"
check "mkfs-guard -- mkfs.ext2 NODE as nobody: never 'free'" never_free wrap-ext2
check "mkfs-guard -- mkfs.ext2 NODE as nobody: one line of what it could not read, one other EACCES at most" \
  test "$(gap_lines wrap-ext2):$(($(other_eacces_lines wrap-ext2) <= 1))" = 1:1
sed 's/^/# mkfs-guard -- mkfs.ext2 as nobody: /' "$work/wrap-ext2.out" "$work/wrap-ext2.err"

# --wait as nobody: it ends at its limit (no hang), still busy (1): nobody's sleep pins the filesystem.
run wait "$MKFS_GUARD" --wait=2 "$work/node"
check "mkfs-guard --wait=2 NODE as nobody: ends busy (1)" test "$(rc wait)" = 1
check "mkfs-guard --wait=2 NODE as nobody: never 'free'" never_free wait

# --kill as nobody, last (it may end nobody's own pinner): root's pinner lives on and was never signalled
# (SIGSTOP would leave it stopped: the signal is KILL, so a slip shows as a dead process); never "free". Once
# nobody's sleep is gone, nothing nobody can see uses the device, but sysfs (which anyone reads) still lists
# its filesystem alive, mounted nowhere nobody can see: busy (1), while root's sleep still pins it.
run kill "$MKFS_GUARD" --kill=KILL --yes --wait=2 "$loop"
check "mkfs-guard --kill=KILL --yes as nobody: nobody's pinner ended, then the filesystem still alive: busy (1)" \
  bash -c "[ $(rc kill) = 1 ] && grep -qx 'mkfs-guard: sent SIGKILL to $nobody_pid (sleep) cwd' '$work/kill.err' &&
    grep -qx '$loop is busy: it holds a filesystem that is mounted nowhere, yet still alive: .*' '$work/kill.out'"
check "mkfs-guard --kill as nobody: root's pinner is alive (sleeping, not a zombie)" \
  grep -q '^State:[[:space:]]*S' "/proc/$root_pid/status"
check "mkfs-guard --kill as nobody: root's pinner is never named as signalled" \
  bash -c "! grep -q ' to $root_pid (' '$work/kill.err'"
check "mkfs-guard --kill as nobody: never 'free'" never_free kill
sed 's/^/# mkfs-guard --kill as nobody: /' "$work/kill.out" "$work/kill.err"
exit $((failed > 0))
