#!/bin/bash
# Integration test of --poll: ours and util-linux's watch the same mount events and must print the same bytes;
# then --detached --poll must report a lazy detach (with its former mount point and pinner) and the release.
# Needs root; prints TAP, skips otherwise. usage: poll_test.sh FINDMNT REFERENCE
FINDMNT=$1 REF=$2
if [ "$(id -u)" != 0 ] || ! command -v losetup >/dev/null || ! command -v mkfs.ext2 >/dev/null; then
  echo "1..0 # SKIP needs root, losetup and mkfs.ext2"
  exit 0
fi
work=$(mktemp -d /tmp/findmnt-poll.XXXXXX)
loop=
cleanup() {
  umount -l "$work/mnt" 2>/dev/null
  [ -n "$loop" ] && losetup -d "$loop" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
mkdir "$work/mnt"
n=0; failed=0
check() {
  n=$((n + 1)); local desc=$1; shift
  if "$@"; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; failed=$((failed + 1)); fi
}
echo "1..5"

# Both pollers see the same mount, remount and umount.
for args in "-p" "--poll=umount,remount -o ACTION,TARGET,OLD-OPTIONS" "-p -r -o ACTION,TARGET,FSTYPE"; do
  "$FINDMNT" $args -w 2500 >"$work/ours" 2>&1 &
  a=$!
  "$REF" $args -w 2500 >"$work/ref" 2>&1 &
  b=$!
  sleep 1
  mount -t tmpfs polltest "$work/mnt"; sleep 0.2
  mount -o remount,ro "$work/mnt"; sleep 0.2
  umount "$work/mnt"
  wait $a; echo "rc=$?" >>"$work/ours"
  wait $b; echo "rc=$?" >>"$work/ref"
  check "findmnt $args prints what util-linux prints" cmp -s "$work/ours" "$work/ref"
done

truncate -s 16M "$work/disk.img"
loop=$(losetup -f --show "$work/disk.img") || exit 1
mkfs.ext2 -q "$loop"
mount "$loop" "$work/mnt"
"$FINDMNT" --detached --poll -w 3000 -o ACTION,SOURCE,TARGET,PINNERS >"$work/det" 2>&1 &
w=$!
sleep 1.5
(cd "$work/mnt" && exec sleep 1.5) &
s=$!
sleep 0.3
umount -l "$work/mnt"
wait $s
wait $w
check "a lazy detach is reported with its former mount point and pinner" \
  grep -qE "^detach +$loop +$work/mnt +$s \(sleep\) cwd" "$work/det"
check "its release is reported when the pinner ends" grep -qE "^release +$loop" "$work/det"
[ $failed = 0 ]
