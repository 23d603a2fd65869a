#!/bin/bash
# Integration test of `findmnt --detached` on the seed scenario: a loop-backed ext2 mounted, pinned by a cwd and
# a write fd in two processes, then lazily unmounted. Needs root (losetup, mount); prints TAP, skips otherwise.
# usage: detached_test.sh FINDMNT
FINDMNT=$1
if [ "$(id -u)" != 0 ] || ! command -v losetup >/dev/null || ! command -v mkfs.ext2 >/dev/null; then
  echo "1..0 # SKIP needs root, losetup and mkfs.ext2"
  exit 0
fi

work=$(mktemp -d /tmp/findmnt-detached.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  umount -l "$work/mnt" 2>/dev/null
  [ -n "$loop" ] && losetup -d "$loop" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

n=0; failed=0
check() {  # check DESCRIPTION COMMAND...: one TAP case
  n=$((n + 1))
  local desc=$1; shift
  if "$@"; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; failed=$((failed + 1)); fi
}

truncate -s 16M "$work/disk.img"
loop=$(losetup -f --show "$work/disk.img") || { echo "1..0 # SKIP no free loop device"; exit 0; }
mkfs.ext2 -q "$loop"
mkdir "$work/mnt"
mount "$loop" "$work/mnt"
(cd "$work/mnt" && exec sleep 300) & pids+=($!)
sleep 300 7>"$work/mnt/file" & pids+=($!)
sleep 0.5
umount -l "$work/mnt"
dev=$(stat -Lc '%t:%T' "$loop"); majmin=$((16#${dev%:*})):$((16#${dev#*:}))
cwd_pid=${pids[0]}; fd_pid=${pids[1]}

echo "1..14"
list=$("$FINDMNT" --detached -l -o UNIQ-ID,SOURCE,MAJ:MIN,FSTYPE,TARGET,PINNERS 2>/dev/null)
row=$(grep -F " $loop " <<<"$list")
check "the contract list has one row for the detached mount" test "$(grep -cF " $loop " <<<"$list")" = 1
check "its fstype is ext2" grep -q " ext2 " <<<"$row"
check "its MAJ:MIN is the loop device's" grep -qF " $majmin " <<<"$row"
check "PINNERS names the cwd pinner" grep -qF "$cwd_pid (sleep) cwd" <<<"$row"
check "PINNERS names the write fd pinner" grep -qF "$fd_pid (sleep) fd 7 (write)" <<<"$row"
json=$("$FINDMNT" --detached -J -l -o SOURCE,FSTYPE,PINS 2>/dev/null)
check "-J uses the filesystems key and lowercase column names" \
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); r=[x for x in d["filesystems"] if x["source"]==sys.argv[2]]; sys.exit(not (r and r[0]["fstype"]=="ext2" and r[0]["pins"]==2))' "$json" "$loop"
tree=$("$FINDMNT" --detached -o SOURCE,PID,HOW 2>/dev/null)
branch='([└├]─|[`|]-)'  # UTF-8 or ASCII tree, depending on the locale
check "the tree gives the cwd pinner a child row" grep -qE "$branch +$cwd_pid +cwd" <<<"$tree"
check "the tree gives the fd pinner a child row" grep -qE "$branch +$fd_pid +fd 7 \(write\)" <<<"$tree"
check "-P quotes values" grep -qF "SOURCE=\"$loop\"" <<<"$("$FINDMNT" --detached -P -o SOURCE 2>/dev/null)"
check "-t filters by type (no xfs: exit 1)" bash -c "! '$FINDMNT' --detached -t xfs >/dev/null 2>&1"
check "-S by MAJ:MIN keeps it" grep -qF "$loop" <<<"$("$FINDMNT" --detached -S "$majmin" -r -n -o SOURCE 2>/dev/null)"
hint=$("$FINDMNT" "$loop" 2>&1 >/dev/null); rc=$?
check "findmnt DEV hints at the detached holder on stderr and exits 1" \
  bash -c "[ $rc = 1 ] && grep -qF 'lazily unmounted ext2' <<<'$hint'"
for p in "${pids[@]}"; do kill "$p"; done; wait 2>/dev/null; pids=()
sleep 0.5
out=$("$FINDMNT" --detached -l -o SOURCE 2>/dev/null)
check "after the pinners end it is no longer listed" bash -c "! grep -qF '$loop' <<<'$out'"
check "mkfs succeeds again" mkfs.ext2 -q -F "$loop"
[ $failed = 0 ]
