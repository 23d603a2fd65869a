# SPDX-License-Identifier: GPL-2.0-or-later
"""The loads the bench makes, each undone by the bench itself: an ext4 loop filesystem, processes holding fds on it,
and many tmpfs mounts. All of it runs inside the bench's private mount namespace (bench/run enters one), so its
mounts never reach the host and vanish with the namespace even if the bench is killed."""

import ctypes
import os
import resource
import select
import signal
import subprocess
import time

_libc = ctypes.CDLL(None, use_errno=True)
_PR_SET_NAME = 15
_PR_SET_PDEATHSIG = 1
_MNT_DETACH = 2


def _check(rc, what):
    if rc != 0:
        err = ctypes.get_errno()
        raise OSError(err, "%s: %s" % (what, os.strerror(err)))


def die_with_parent():
    """The calling process gets SIGKILL when its parent ends, so nothing outlives a killed bench."""
    _check(_libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl(PR_SET_PDEATHSIG)")


def mount(source, target, fstype, options=""):
    _check(_libc.mount(source.encode(), target.encode(), fstype.encode(), 0, options.encode()),
           "mount %s" % target)


def umount_lazy(target):
    _check(_libc.umount2(target.encode(), _MNT_DETACH), "umount2 %s" % target)


def start_time(pid):
    """(parent pid, start time in clock ticks) of `pid` from /proc/PID/stat; None when it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) ", which may hold spaces
    return int(fields[1]), int(fields[19])


class LoopFs:
    """An ext4 image mounted with -o loop: libmount gives the loop device autoclear, so it goes away by itself
    when the filesystem ends, whether unmounted or lazily detached and then released."""

    def __init__(self, work, files, size_mib=64):
        self.image = os.path.join(work, "pins.img")
        self.mnt = os.path.join(work, "pins")
        os.makedirs(self.mnt, exist_ok=True)
        with open(self.image, "wb") as f:
            f.truncate(size_mib << 20)
        subprocess.run(["mkfs.ext4", "-q", "-F", self.image], check=True)
        subprocess.run(["mount", "-o", "loop", self.image, self.mnt], check=True)
        self.attached = True
        self.device = self._device()
        self.paths = [os.path.join(self.mnt, "f%d" % i) for i in range(files)]
        for path in self.paths:
            with open(path, "w"):
                pass

    def _device(self):
        with open("/proc/self/mountinfo") as f:
            for line in f:
                fields = line.split()
                if fields[4] == self.mnt:
                    return fields[fields.index("-") + 2]
        raise RuntimeError("%s is not mounted" % self.mnt)

    @property
    def loop_name(self):
        return os.path.basename(self.device)

    def detach(self):
        subprocess.run(["umount", "--lazy", self.mnt], check=True)
        self.attached = False

    def close(self, timeout=30):
        """Unmounts it if still attached, then waits (the holders must be gone) until the loop device is free."""
        if self.attached:
            subprocess.run(["umount", self.mnt], check=False)
            self.attached = False
        backing = "/sys/block/%s/loop/backing_file" % self.loop_name
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with open(backing) as f:
                    if not f.read().rstrip("\n").endswith(os.path.basename(self.image)):
                        break  # reused by someone else already: ours is gone
            except OSError:
                break
            time.sleep(0.05)
        else:
            raise RuntimeError("%s still busy %d s after its holders ended" % (self.device, timeout))
        os.unlink(self.image)


class Holders:
    """`procs` child processes, each holding every path in `paths` open for reading. They are our children and we
    never reap one before killing it, and each is checked to be our child with the start time we recorded before
    the kill, so a kill can never reach a process that is not ours."""

    def __init__(self, procs, paths, timeout=120):
        self.procs = {}  # pid -> start time
        ready_r, ready_w = os.pipe()
        me = os.getpid()
        try:
            for _ in range(procs):
                pid = os.fork()
                if pid == 0:
                    os.close(ready_r)
                    self._hold(me, paths, ready_w)
                self.procs[pid] = start_time(pid)[1]  # not reaped yet: there even if it ended
            os.close(ready_w)
            ready_w = -1
            self._wait_ready(ready_r, procs, timeout)
        except BaseException:
            self.close()
            raise
        finally:
            os.close(ready_r)
            if ready_w >= 0:
                os.close(ready_w)

    @staticmethod
    def _hold(parent, paths, ready_w):
        try:
            die_with_parent()
            if os.getppid() != parent:
                os._exit(1)  # the parent ended before the death signal was armed
            _libc.prctl(_PR_SET_NAME, b"bench-holder", 0, 0, 0)
            limit = len(paths) + 64
            resource.setrlimit(resource.RLIMIT_NOFILE, (limit, max(limit, resource.getrlimit(
                resource.RLIMIT_NOFILE)[1])))
            held = [os.open(p, os.O_RDONLY) for p in paths]
            os.write(ready_w, b".")
            os.close(ready_w)
            while held:
                signal.pause()
        finally:
            os._exit(0)

    @staticmethod
    def _wait_ready(ready_r, procs, timeout):
        got, deadline = 0, time.monotonic() + timeout
        while got < procs:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([ready_r], [], [], left)[0]:
                raise RuntimeError("only %d of %d holders got ready" % (got, procs))
            chunk = os.read(ready_r, 4096)
            if not chunk:
                raise RuntimeError("holders ended before they were ready (%d of %d)" % (got, procs))
            got += len(chunk)

    def pids(self):
        return set(self.procs)

    def close(self):
        me = os.getpid()
        for pid, started in self.procs.items():
            if start_time(pid) == (me, started):
                os.kill(pid, signal.SIGKILL)
        for pid in self.procs:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        self.procs = {}


class MountSet:
    """`count` tmpfs mounts below one tmpfs; grow() adds more. close() detaches the whole tree in one call."""

    def __init__(self, work):
        self.base = os.path.join(work, "mounts")
        os.makedirs(self.base, exist_ok=True)
        mount("bench-mounts", self.base, "tmpfs", "size=16m,nr_inodes=1048576")
        self.count = 0

    def grow(self, count):
        for i in range(self.count, count):
            path = os.path.join(self.base, str(i))
            os.mkdir(path)
            mount("bench-m%d" % i, path, "tmpfs", "size=4k")
        self.count = max(self.count, count)

    def close(self):
        umount_lazy(self.base)


def host_fds():
    """(fds, processes) readable in /proc now: the background the host adds to every scan."""
    fds = procs = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fds += len(os.listdir("/proc/%s/fd" % entry))
                procs += 1
            except OSError:
                pass
    return fds, procs
