#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Integration test of `findmnt --detached` on the seed scenario: a loop-backed ext2 mounted, pinned by a cwd and
# a write fd in two processes, then lazily unmounted. Then the same filesystem mounted twice (a bind mount),
# detached while `findmnt --detached --poll` watches: the tree groups both mounts under the filesystem, and the
# journal the watcher wrote gives TARGET, NAMESPACE and DETACHED.
# Needs root (losetup, mount); prints TAP, skips otherwise. Runs in a private mount namespace with its own /run.
# usage: detached_test.sh FINDMNT
FINDMNT=$1
source "$(dirname "$0")/tap_lib.sh"
tap_require_root losetup mkfs.ext2
tap_private_namespace "$0" "$@"
work=$(mktemp -d /tmp/findmnt-detached.XXXXXX)

tap_mount_new_loop loop "$work/disk.img" "$work/mnt"
(cd "$work/mnt" && exec sleep 300) & pids+=($!)
sleep 300 7>"$work/mnt/file" & pids+=($!)
wait_for 10 bash -c "[ \"\$(readlink /proc/${pids[0]}/cwd)\" = '$work/mnt' ] && [ -e /proc/${pids[1]}/fd/7 ]"
umount -l "$work/mnt"
dev=$(stat -Lc '%t:%T' "$loop"); majmin=$((16#${dev%:*})):$((16#${dev#*:}))
cwd_pid=${pids[0]}; fd_pid=${pids[1]}

echo "1..32"
list=$("$FINDMNT" --detached -l -o UNIQ-ID,SOURCE,MAJ:MIN,FSTYPE,TARGET,PINNERS 2>/dev/null)
row=$(grep -F " $loop " <<<"$list")
check "the list has a row per (mount, pinner): two for the detached mount" \
  test "$(grep -cF " $loop " <<<"$list")" = 2
check "its fstype is ext2" grep -q " ext2 " <<<"$row"
check "its MAJ:MIN is the loop device's" grep -qF " $majmin " <<<"$row"
check "PINNERS names the cwd pinner" grep -qF "$cwd_pid (sleep) cwd" <<<"$row"
check "PINNERS names the write fd pinner" grep -qF "$fd_pid (sleep) fd 7 (write)" <<<"$row"
# The JSON goes to files: it lists every detached mount of the machine, which may be more than an argument
# may hold (a benchmark's 200,000 fds beside this test).
"$FINDMNT" --detached -J -l -o SOURCE,FSTYPE,PINS >"$work/pins.json" 2>/dev/null
check "-J uses the filesystems key and lowercase column names" \
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=[x for x in d["filesystems"] if x["source"]==sys.argv[2]]; sys.exit(not (r and r[0]["fstype"]=="ext2" and r[0]["pins"]==2))' "$work/pins.json" "$loop"
"$FINDMNT" --detached -J -l -o SOURCE,PID >"$work/pid.json" 2>/dev/null
check "-J gives each pinner once, its pins as data (the fd with its number and access)" \
  python3 - "$work/pid.json" "$loop" "$fd_pid" <<'PY'
import json, sys
doc, loop, fd_pid = sys.argv[1:]
m = [x for x in json.load(open(doc))["filesystems"] if x["source"] == loop][0]
assert sorted(p["pid"] for p in m["pinners"]) == sorted({p["pid"] for p in m["pinners"]}), m
fd = [p for p in m["pinners"] if p["pid"] == int(fd_pid)][0]
assert fd["kind"] == "process" and fd["command"] == "sleep", fd
pin = [p for p in fd["pins"] if p["kind"] == "fd"][0]
assert pin["fds"] == [[7, 7]] and pin["access"] == "write" and pin["path"] in (None, "/file"), fd
PY
pinrows=$("$FINDMNT" --detached --per-pin -l -n -o PID,HOW -S "$loop" 2>/dev/null)
check "--per-pin gives a row per pin, an fd with its path inside the detached fs" \
  grep -qE "^ *$fd_pid +fd 7 \(write\) /file$" <<<"$pinrows"
tree=$("$FINDMNT" --detached -o SOURCE,PID,HOW 2>/dev/null)
branch='([└├]─|[`|]-)'  # UTF-8 or ASCII tree, depending on the locale
check "the tree gives the cwd pinner a child row" grep -qE "$branch +$cwd_pid +cwd" <<<"$tree"
check "the tree gives the fd pinner a child row" grep -qE "$branch +$fd_pid +fd 7 \(write\)" <<<"$tree"
check "-P quotes values" grep -qF "SOURCE=\"$loop\"" <<<"$("$FINDMNT" --detached -P -o SOURCE 2>/dev/null)"
# Filters on our device too: a detached xfs elsewhere (a test beside this one, the host) is not ours to judge.
check "-t filters by type (no xfs: exit 1)" bash -c "! '$FINDMNT' --detached -t xfs -S '$loop' >/dev/null 2>&1"
check "-S by MAJ:MIN keeps it" grep -qF "$loop" <<<"$("$FINDMNT" --detached -S "$majmin" -r -n -o SOURCE 2>/dev/null)"
ln -s "$loop" "$work/alias"
check "-S by a symlink to the device keeps it" \
  grep -qF "$loop" <<<"$("$FINDMNT" --detached -S "$work/alias" -r -n -o SOURCE 2>/dev/null)"
check "-S without -o is a list with the pinners in PINNERS" \
  grep -qF "$cwd_pid (sleep) cwd" <<<"$("$FINDMNT" --detached -S "$loop" 2>/dev/null)"
hint=$("$FINDMNT" "$loop" 2>&1 >/dev/null); rc=$?
check "findmnt DEV hints at the detached holder on stderr and exits 1" \
  bash -c "[ $rc = 1 ] && grep -qF 'lazily unmounted ext2' <<<'$hint'"
for p in "${pids[@]}"; do kill "$p"; done; wait 2>/dev/null; pids=()
# The kernel drops the last reference to the mount shortly after the pinners are reaped.
wait_for 5 bash -c "! '$FINDMNT' --detached -l -o SOURCE 2>/dev/null | grep -qF '$loop'"
out=$("$FINDMNT" --detached -l -o SOURCE 2>/dev/null)
# Not through bash -c '...': the list holds whatever is detached on the machine (quotes in a path included).
not_listed() { ! grep -qF "$loop" <<<"$out"; }
check "after the pinners end it is no longer listed" not_listed
# Its loop device is autoclear: the kernel lets it go once the filesystem has ended, and only then.
image=$(realpath "$work/disk.img")
check "the filesystem ends: its autoclear loop device is let go" \
  wait_for 5 bash -c "[ \"\$(losetup -n -O BACK-FILE '$loop' 2>/dev/null)\" != '$image' ]"

# Phase 2: two mounts of one filesystem, detached under the watcher's eyes.
mkdir "$work/bind"
tap_mount_new_loop loop "$work/disk2.img" "$work/mnt"
mount --bind "$work/mnt" "$work/bind"
mount -o remount,bind,ro,noexec "$work/bind"
(cd "$work/mnt" && exec sleep 300) & pids+=($!)
(cd "$work/bind" && exec sleep 300) & pids+=($!)
"$FINDMNT" --detached --poll -w 120000 -r -n -o ACTION,TARGET >"$work/poll.out" 2>"$work/poll.err" &
poller=$!  # ended by the test (-w, restarted by every event, bounds a hang), and by tap_cleanup after a failure
pids+=("$poller")
tap_until_watched "$work/poll.out"
umount -l "$work/bind"
umount -l "$work/mnt"
wait_for 30 bash -c "[ \$(grep -cxE 'detach $work/(mnt|bind)' '$work/poll.out') -ge 2 ]"
kill "$poller"; wait "$poller" 2>/dev/null
check "the watcher saw both detaches, each once" \
  eval '[ "$(grep -cxF "detach $work/mnt" "$work/poll.out")" = 1 ] &&
    [ "$(grep -cxF "detach $work/bind" "$work/poll.out")" = 1 ]'
"$FINDMNT" --detached -J -o SOURCE,UNIQ-ID,TARGET,PID >"$work/tree.json" 2>/dev/null
check "the tree has one filesystem row for the device, with both mounts below it, each with its pinner" \
  python3 - "$work/tree.json" "$loop" "$work/mnt" "$work/bind" "${pids[0]}" "${pids[1]}" <<'PY'
import json, sys
doc, loop, mnt, bind, pid_mnt, pid_bind = sys.argv[1:]
rows = [r for r in json.load(open(doc))["filesystems"] if r["source"] == loop]
assert len(rows) == 1 and "uniq-id" not in rows[0] and rows[0]["pinners"] == [], rows
mounts = {m["target"]: m for m in rows[0]["mounts"]}
assert set(mounts) == {mnt, bind}, mounts
assert [c["pid"] for c in mounts[mnt]["pinners"]] == [int(pid_mnt)], mounts[mnt]
assert [c["pid"] for c in mounts[bind]["pinners"]] == [int(pid_bind)], mounts[bind]
assert mounts[mnt]["pinners"][0]["pins"] == [{"kind": "cwd", "path": "/"}], mounts[mnt]
assert all(m["uniq-id"] for m in mounts.values())
PY
list=$("$FINDMNT" --detached -l -n -o TARGET,NAMESPACE,DETACHED 2>/dev/null)
ns_id=$(python3 -c 'import fcntl, struct
with open("/proc/self/ns/mnt") as f: print(struct.unpack("Q", fcntl.ioctl(f, 0x8008b705, bytes(8)))[0])')
check "TARGET comes from the journal" grep -qF "$work/bind " <<<"$list"
check "NAMESPACE is the namespace they were detached from" \
  test "$(grep -cE "^$work/(mnt|bind) +$ns_id " <<<"$list")" = 2
check "DETACHED is an ISO time" grep -qE " $ns_id +[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}[+-][0-9]{2}:[0-9]{2}$" <<<"$list"
opts=$("$FINDMNT" --detached -l -n -o TARGET,VFS-OPTIONS 2>/dev/null)
check "VFS-OPTIONS of a detached mount are its own (statfs flags): the bind mount ro,noexec,relatime, the other rw,relatime" \
  eval 'grep -qE "^$work/bind +ro,noexec,relatime$" <<<"$opts" && grep -qE "^$work/mnt +rw,relatime$" <<<"$opts"'
check "-O ro selects the read-only bind mount only (of the device's two)" \
  test "$("$FINDMNT" --detached -l -n -o TARGET -O ro -S "$loop" 2>/dev/null)" = "$work/bind"
check "-T selects a detached mount by its former mount point" \
  test "$("$FINDMNT" --detached -l -n -o TARGET -T "$work/bind" 2>/dev/null)" = "$work/bind"
check "-N of a task here lists both" test "$("$FINDMNT" --detached -l -n -o TARGET -N $$ 2>/dev/null | wc -l)" = 2
(cd / && exec unshare -m --propagation private sleep 300) &
elsewhere=$!
pids+=("$elsewhere")
wait_for 5 bash -c "[ \"\$(readlink /proc/$elsewhere/ns/mnt)\" != \"\$(readlink /proc/$$/ns/mnt)\" ]"
check "-N of a task in another namespace lists neither" \
  bash -c "! '$FINDMNT' --detached -N $elsewhere >/dev/null 2>&1"
poll_json=$("$FINDMNT" --detached --poll -J -w 1 2>&1 >/dev/null; echo "rc=$?")
check "--poll -J waits and ends without aborting (libsmartcols cannot print JSON line by line)" \
  grep -qx "rc=0" <<<"$poll_json"
for p in "${pids[@]}"; do kill "$p"; done; wait 2>/dev/null; pids=()
check "once released, nothing is listed (exit 1)" bash -c "! '$FINDMNT' --detached -S '$loop' >/dev/null 2>&1"
# --kernel=listmount builds the table from statmount(): its per-mount options must read as mountinfo's.
mkdir "$work/opts"
mount -t tmpfs -o nodiratime,nosuid,noexec detached-test-a "$work/opts"
mount -t tmpfs -o ro,strictatime detached-test-b "$work/opts"
check "--kernel=listmount gives every mount the VFS-OPTIONS mountinfo gives" \
  diff <("$FINDMNT" --kernel=listmount -l -n -o TARGET,VFS-OPTIONS) \
  <("$FINDMNT" --kernel=mountinfo -l -n -o TARGET,VFS-OPTIONS)
# As nobody in a child mount namespace, fds opened in the parent namespace refer to mounts this user cannot
# list: not proof of a detach. They are named as such, and findmnt's own stdin/stdout are never pinners.
out=$(exec 3</etc/hostname; cd / && unshare -m --propagation private setpriv --reuid=65534 --regid=65534 --clear-groups \
  bash -c "sleep 30 <&3 & s=\$!; '$FINDMNT' --detached 2>&1; echo rc=\$?; kill \$s")
check "as nobody in a child namespace, mounts of the parent namespace are not listed as detached, but named" \
  bash -c "grep -qx rc=1 <<<'$out' && grep -q 'in no mount namespace this user can list' <<<'$out'"
[ $failed = 0 ]
