#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Integration test of --poll: ours and util-linux's watch the same mount events and must print the same bytes;
# then --detached --poll must report a lazy detach (with its former mount point and pinner) and the release,
# with fanotify mount events and, under NOFAN (without_fanotify_mount_events: a kernel < 6.15), by polling.
# Needs root; prints TAP, skips otherwise. Runs in a private mount namespace with its own /run.
# usage: poll_test.sh FINDMNT REFERENCE [NOFAN]
FINDMNT=$1 REF=$2 NOFAN=$3
source "$(dirname "$0")/tap_lib.sh"
tap_require_root losetup mkfs.ext2
tap_private_namespace "$0" "$@"
work=$(mktemp -d /tmp/findmnt-poll.XXXXXX)
mkdir "$work/mnt"
# fanotify_init(FLAGS, 0) in a fresh process, as the kernel answers it: "ok" or the errno's name.
fanotify_init() {
  "$@" python3 -c 'import ctypes, errno, sys
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.fanotify_init(int(sys.argv[1], 0), 0)
print("ok" if fd >= 0 else errno.errorcode[ctypes.get_errno()])' "$FAN_FLAGS"
}
echo "1..13"

# Both pollers see the same mount, remount and umount, for three sets of options at once: six pollers.
# reads PID: how many read calls PID has made (syscr): a poller reads the mount table once woken by a change.
reads() { awk '/^syscr:/ { print $2 }' "/proc/$1/io"; }
# settled PID COUNT: PID has read more than COUNT times and sleeps in poll(2) again: it has taken in the change,
# so that the next one is a change of its own, never merged with this one (findmnt diffs whole tables).
settled() { [ "$(reads "$1")" -gt "$2" ] && grep -q poll "/proc/$1/wchan"; }
# change COMMAND...: runs it, then waits until every poller has taken it in.
change() {
  local p before=()
  for p in "${pollers[@]}"; do before+=("$(reads "$p")"); done
  "$@"
  for p in "${!pollers[@]}"; do wait_for 10 settled "${pollers[$p]}" "${before[$p]}"; done
}
variants=("-p" "--poll=umount,remount -o ACTION,TARGET,OLD-OPTIONS" "-p -r -o ACTION,TARGET,FSTYPE")
pollers=()
for i in "${!variants[@]}"; do
  "$FINDMNT" ${variants[$i]} -w 2500 >"$work/ours$i" 2>&1 &
  pollers+=($!)
  "$REF" ${variants[$i]} -w 2500 >"$work/ref$i" 2>&1 &
  pollers+=($!)
done
# Ready once each has mountinfo open and sleeps in poll(2) on it.
for p in "${pollers[@]}"; do
  wait_for 10 bash -c "ls -l /proc/$p/fd 2>/dev/null | grep -q /mountinfo && grep -q poll /proc/$p/wchan"
done
change mount -t tmpfs polltest "$work/mnt"
change mount -o remount,ro "$work/mnt"
umount "$work/mnt"
for i in "${!variants[@]}"; do
  wait "${pollers[$((2 * i))]}"; echo "rc=$?" >>"$work/ours$i"
  wait "${pollers[$((2 * i + 1))]}"; echo "rc=$?" >>"$work/ref$i"
  check "findmnt ${variants[$i]} prints what util-linux prints" cmp -s "$work/ours$i" "$work/ref$i"
done

tap_mount_new_loop loop "$work/disk.img" "$work/mnt"
# -w bounds a hang only (each event starts it again): the test ends the watcher itself. A sentinel the watcher
# reports without its mount point, or not at all (detached before its first look), costs tap_until_watched a
# wait, which -w outlasts.
"$FINDMNT" --detached --poll -w 120000 -o ACTION,SOURCE,TARGET,PINNERS >"$work/det" 2>&1 &
w=$!; pids+=("$w")
(cd "$work/mnt" && exec sleep 300) &
s=$!
# Ready: the watcher has looked at the mounts, the pinner's cwd is inside.
tap_until_watched "$work/det"
wait_for 10 bash -c "[ \"\$(readlink /proc/$s/cwd)\" = '$work/mnt' ]"
umount -l "$work/mnt"
wait_for 30 grep -qE "^detach +$loop " "$work/det"
kill "$s"; wait "$s" 2>/dev/null
wait_for 30 grep -qE "^release +$loop" "$work/det"
kill "$w"; wait "$w" 2>/dev/null
check "a lazy detach is reported with its former mount point and pinner" \
  grep -qE "^detach +$loop +$work/mnt +$s \(sleep\) cwd" "$work/det"
check "its release is reported when the pinner ends" grep -qE "^release +$loop" "$work/det"

# The table as events come, each batch laid out from its own rows as util-linux lays out its first: every
# event one row, a long SOURCE after a short one too; a tmpfs's detach row has its SOURCE; a target that is not
# UTF-8 is escaped once, as util-linux's table escapes it (\xff), not escaped again (\x5cxff).
cwd_is() { [ "$(readlink "/proc/$1/cwd")" = "$2" ]; }
odd="$work/$(printf 'odd\xff')"
mkdir "$odd" "$work/mnt3"
mount -t tmpfs tmpfs "$odd"
tap_mount_new_loop loop3 "$work/disk3.img" "$work/mnt3"
"$FINDMNT" --detached --poll -w 120000 -o ACTION,SOURCE,FSTYPE,TARGET,PINNERS >"$work/rows" 2>&1 &
w=$!; pids+=($w)
(cd "$odd" && exec sleep 300) &
s1=$!; pids+=($s1)
(cd "$work/mnt3" && exec sleep 300) &
s2=$!; pids+=($s2)
tap_until_watched "$work/rows"
wait_for 10 cwd_is "$s1" "$odd"
wait_for 10 cwd_is "$s2" "$work/mnt3"
umount -l "$odd"
wait_for 20 grep -qE "^detach .* $s1 \(sleep\) cwd$" "$work/rows"
umount -l "$work/mnt3"
wait_for 20 grep -qE "^detach .* $s2 \(sleep\) cwd$" "$work/rows"
kill "$w" "$s1" "$s2"; wait "$w" "$s1" "$s2" 2>/dev/null
before=$failed
check "--detached --poll prints each event on a row of its own, a longer SOURCE after a shorter one too" \
  eval '! grep -qvE "^(ACTION|detach|release) " "$work/rows"'
check "--detached --poll's table gives a tmpfs its SOURCE and escapes a target that is not UTF-8 once" \
  grep -qE "^detach +tmpfs +tmpfs +$work/odd\\\\xff +$s1 \(sleep\) cwd$" "$work/rows"
[ $failed = $before ] || sed 's/^/# /' "$work/rows"

# The polling fallback, through the real binary on a kernel made to look older than 6.15.
warning="watching detaches needs fanotify mount events (Linux 6.15): polling every second instead"
FAN_REPORT_MNT=0x4000 FAN_CLASS_NOTIF=0x0
if [ -z "$NOFAN" ]; then
  why="without_fanotify_mount_events is not built for this architecture"
elif ! command -v python3 >/dev/null; then
  why="needs python3"
fi
desc="the wrapper fails fanotify_init(FAN_REPORT_MNT) with EINVAL as Linux < 6.15 does, and nothing else"
if [ -n "$why" ]; then
  skip "$desc" "$why"
else
  check "$desc" test "$(FAN_FLAGS=$FAN_REPORT_MNT fanotify_init "$NOFAN")" = EINVAL \
    -a "$(FAN_FLAGS=$FAN_CLASS_NOTIF fanotify_init "$NOFAN")" = ok
fi

desc1="without fanotify mount events, --detached --poll warns once that it polls, and exits 0 at its timeout"
desc2="without fanotify mount events, a lazy detach is reported with its former mount point and pinner"
desc3="without fanotify mount events, its release is reported when the pinner is killed"
if [ -n "$why" ]; then
  skip "$desc1" "$why"; skip "$desc2" "$why"; skip "$desc3" "$why"
else
  tap_mount_new_loop loop2 "$work/disk2.img" "$work/mnt2"
  (cd "$work/mnt2" && exec sleep 300) &
  s=$!; pids+=($s)
  wait_for 10 test "$(readlink "/proc/$s/cwd")" = "$work/mnt2"
  # Ended by the test once it has reported the release (-w only bounds a hang); its exit at the timeout is
  # seen on the short run below, which nothing happens in.
  "$NOFAN" "$FINDMNT" --detached --poll -w 60000 -o ACTION,SOURCE,TARGET,PINNERS \
    >"$work/nofan" 2>"$work/nofan.err" &
  w=$!; pids+=($w)
  # The warning comes once the first snapshot is taken: a detach from then on is new.
  wait_for 10 grep -qF "$warning" "$work/nofan.err"
  umount -l "$work/mnt2"
  wait_for 30 grep -qE "^detach +$loop2 " "$work/nofan"
  kill "$s"; wait "$s" 2>/dev/null
  wait_for 30 grep -qE "^release +$loop2 " "$work/nofan"
  kill "$w"; wait "$w" 2>/dev/null
  pids=()
  "$NOFAN" "$FINDMNT" --detached --poll -w 500 -o ACTION,SOURCE,TARGET >/dev/null 2>"$work/nofan-idle.err"
  rc=$?
  before=$failed
  check "$desc1" test "$(grep -cF "$warning" "$work/nofan.err")" = 1 -a \
    "$(grep -cF "$warning" "$work/nofan-idle.err")" = 1 -a $rc = 0
  check "$desc2" grep -qE "^detach +$loop2 +$work/mnt2 +$s \(sleep\) cwd" "$work/nofan"
  check "$desc3" grep -qE "^release +$loop2 +$work/mnt2( |$)" "$work/nofan"
  [ $failed = $before ] || { echo "# rc=$rc"; sed 's/^/# /' "$work/nofan" "$work/nofan.err" "$work/nofan-idle.err"; }
fi

# The control: a kernel with fanotify mount events gets no warning.
desc="with fanotify mount events, --detached --poll does not warn that it polls"
if ! command -v python3 >/dev/null; then
  skip "$desc" "needs python3"
elif [ "$(FAN_FLAGS=$FAN_REPORT_MNT fanotify_init)" != ok ]; then
  skip "$desc" "this kernel has no fanotify mount events"
else
  "$FINDMNT" --detached --poll -w 1000 -o ACTION,SOURCE,TARGET >/dev/null 2>"$work/fan.err"
  rc=$?
  before=$failed
  check "$desc" eval '[ $rc = 0 ] && ! grep -qF "$warning" "$work/fan.err"'
  [ $failed = $before ] || { echo "# rc=$rc"; sed 's/^/# /' "$work/fan.err"; }
fi

# A user who may neither list every namespace nor write the journal is told so once, not left guessing.
(cd / && setpriv --reuid=65534 --regid=65534 --clear-groups "$FINDMNT" --detached --poll -w 500 >/dev/null \
  2>"$work/nobody.err")
check "as nobody, --detached --poll says once that it sees only some namespaces" \
  eval '[ "$(grep -c "watching only the mount namespaces this user can list" "$work/nobody.err")" = 1 ]'
[ $failed = 0 ]
