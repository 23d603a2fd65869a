# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the TAP shell tests of findmnt (sourced, not run): privilege checks, a private mount namespace,
# one TAP case per check, and waiting on a condition instead of a fixed sleep.

# tap_require_root TOOL...: root and every TOOL, or stop. Without them a plain run skips; under CI (CI=true) a
# skipped privileged test is a failure, so it fails there.
tap_require_root() {
  local missing=()
  [ "$(id -u)" = 0 ] || missing+=(root)
  local tool
  for tool in "$@"; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  [ ${#missing[@]} = 0 ] && return 0
  if [ "$CI" = true ]; then
    echo "1..1"
    echo "not ok 1 - needs ${missing[*]} (CI=true: a privileged test may not skip)"
    exit 1
  fi
  echo "1..0 # SKIP needs ${missing[*]}"
  exit 0
}

# tap_private_namespace SCRIPT ARGS...: re-runs SCRIPT in its own mount namespace (once), with its own /run, so
# that its mounts never reach the host and the detach journal (/run/detach-utils) it causes is its own. What
# else the test makes is undone on exit: the processes it lists in `pids` (by pid) and its `work` directory (kept
# when KEEP_WORK is set, for a look after a failure); its mounts go with the namespace, and their loop devices
# (tap_mount_new_loop's, autoclear) with the last user of their filesystem, even when the test is killed.
pids=() work=
tap_private_namespace() {
  if [ -z "$TAP_PRIVATE_NS" ]; then
    TAP_PRIVATE_NS=1 exec unshare -m --propagation private bash "$@"
  fi
  mount -t tmpfs tap-test-run /run
  trap tap_cleanup EXIT
}
tap_cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  if [ -n "$work" ]; then
    # Its mounts go with the namespace, but rm cannot remove a mount point while they are there.
    awk -v w="$work/" 'index($5, w) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
      while read -r m; do umount -l "$m"; done
    [ -n "$KEEP_WORK" ] || rm -rf "$work"
  fi
}

# tap_mount_new_loop VAR IMAGE MOUNTPOINT: a 16 MiB ext2 in IMAGE, mounted at MOUNTPOINT (made) through an
# autoclear loop device, whose name goes to VAR: the device is freed when its filesystem ends, never by name
# (a freed name may be another test's device by then).
tap_mount_new_loop() {
  truncate -s 16M "$2" && mkfs.ext2 -q -F "$2" && mkdir -p "$3" && mount -o loop "$2" "$3" || {
    echo "Bail out! cannot mount $2 on a loop device"
    exit 1
  }
  printf -v "$1" %s "$(findmnt -nr -o SOURCE --mountpoint "$3")"
}

# tap_until_watched ROWS: returns once the watcher writing ROWS (`findmnt --detached --poll`, TARGET among its
# columns) has looked at the mounts made so far: only then is a detach reported with its former mount point (a
# mount detached before that look is reported without it, or, detached before the watcher marked its
# namespace, not at all). Holding its fanotify group is not proof: the first look comes after. The proof is a
# sentinel, a pinned tmpfs detached now whose row names its mount point; no such row in 30 s (the look came
# later: its row lacks the mount point, or it has none) means once more, with a new one.
tap_sentinels=0
tap_until_watched() {
  local try where pinner
  for ((try = 0; try < 5; try++)); do
    where="$work/tap-sentinel-$tap_sentinels"
    tap_sentinels=$((tap_sentinels + 1))
    mkdir "$where" && mount -t tmpfs tap-sentinel "$where" || return 1
    (cd "$where" && exec sleep 300) &
    pinner=$!
    pids+=("$pinner")
    wait_for 10 bash -c "[ \"\$(readlink /proc/$pinner/cwd)\" = '$where' ]"
    umount -l "$where"
    wait_for 30 grep -qE "^detach .*$where( |\$)" "$1"
    local seen=$?
    kill "$pinner"
    wait "$pinner" 2>/dev/null
    unset 'pids[-1]' # the pinner, ended: the test's own pids keep their places
    [ $seen = 0 ] && return 0
  done
  return 1
}

n=0
failed=0
check() { # check DESCRIPTION COMMAND...: one TAP case
  n=$((n + 1))
  local desc=$1
  shift
  if "$@"; then echo "ok $n - $desc"; else
    echo "not ok $n - $desc"
    failed=$((failed + 1))
  fi
}
skip() { # skip DESCRIPTION REASON
  n=$((n + 1))
  echo "ok $n - $1 # SKIP $2"
}
wait_for() { # wait_for SECONDS COMMAND...: until COMMAND succeeds, polling every 0.1 s
  local i tries=$(($1 * 10))
  shift
  for ((i = 0; i < tries; i++)); do "$@" && return 0; sleep 0.1; done
  return 1
}
