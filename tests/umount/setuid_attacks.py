#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Our umount installed setuid root, attacked by nobody the ways util-linux's restricted mode guards against.

Our binary is copied setuid root into a temporary prefix, as a package installs it; util-linux's /bin/umount
(setuid root too) meets every attack beside it. Each case builds its setup afresh for each binary (loop
devices, a private /etc/fstab with `user`/`users` entries, mounts made by root or by another user through
the setuid /bin/mount), runs the attack as nobody, and checks two things: what stays mounted is what must
stay mounted (never a mount of root's or of another user's gone), and our umount says and exits exactly as
util-linux's does. The attacks: another user's `user` mount; --fake, -N, -a, -R and -t, which must drop the
privileges first; a forged fstab and utab named in LIBMOUNT_FSTAB/LIBMOUNT_UTAB (a setuid libmount reads no
such variable) and LIBMOUNT_DEBUG; a symlink of nobody's to a root mount; and a race, a nobody process
swapping a symlink between a `users` mount and a root mount while nobody unmounts through it, 200 times.

Output is TAP. Needs root; it re-runs itself in its own mount namespace with its own /run and /etc/fstab.

usage: setuid_attacks.py OURS REFERENCE
"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import differential as diff  # noqa: E402  (its Env, fstab and setuid copy: same argv, OURS REFERENCE)

NOBODY, DAEMON = 65534, 1
RACE_ROUNDS = 200


def mounted(env, path):
    return any(m[0] == path for m in env.effect()[0])


def nobody_dir(env, name):
    path = env.dir(name)
    os.chown(path, NOBODY, NOBODY)
    return path


# ---- setups (beside differential.py's user_mounts): each returns the names its attack uses ----

def other_users_mount(env):
    """A `user` mount made by daemon through the setuid mount: only daemon (and root) may unmount it."""
    loop = env.fs("d")
    d = env.dir("d")
    diff.write_fstab("%s %s ext2 user,noauto 0 0\n" % (loop, d))
    subprocess.run(["mount", d], check=True, capture_output=True, **diff.as_user(DAEMON))
    return {"d": d, "dev": loop}


def root_tree_in_users_mount(env):
    names = diff.user_mounts(env)
    names["sub"] = env.mount("none", "u/sub", "-t", "tmpfs")
    return names


def copy_in_other_namespace(env):
    names = diff.user_mounts(env)
    names["pin"] = env.pin_in_other_namespace()
    return names


def forged_tables(env):
    """nobody's own fstab and utab, which call the root mount `users` and daemon's mount nobody's."""
    names = diff.user_mounts(env)
    home = nobody_dir(env, "home")
    fstab, utab = os.path.join(home, "fstab"), os.path.join(home, "utab")
    with open(fstab, "w") as f:
        f.write("%s %s ext2 users,noauto 0 0\n" % (names["dev_r"], names["r"]))
    with open(utab, "w") as f:
        f.write("SRC=%s TARGET=%s ROOT=/ OPTS=user=nobody\n" % (names["dev_r"], names["r"]))
    for path in (fstab, utab):
        os.chown(path, NOBODY, NOBODY)
    names.update(fstab=fstab, utab=utab)
    return names


def symlink_to_root_mount(env):
    names = diff.user_mounts(env)
    home = nobody_dir(env, "home")
    names["link"] = os.path.join(home, "link")
    os.symlink(names["r"], names["link"])
    os.lchown(names["link"], NOBODY, NOBODY)
    return names


# ---- the attacks: (name, setup, argv with {names}, extra environment, paths that must stay, gone) ----

CASES = [
    ("another user's `user` mount", other_users_mount, ["{d}"], None, ["{d}"], []),
    ("another user's `user` mount, by its device", other_users_mount, ["{dev}"], None, ["{d}"], []),
    ("a root-only mount", diff.user_mounts, ["{r}"], None, ["{r}", "{u}"], []),
    ("a `users` mount (allowed: the control)", diff.user_mounts, ["{u}"], None, ["{r}"], ["{u}"]),
    ("--fake on a root-only mount", diff.user_mounts, ["--fake", "{r}"], None, ["{r}", "{u}"], []),
    ("--fake -v on a `users` mount", diff.user_mounts, ["--fake", "-v", "{u}"], None, ["{r}", "{u}"], []),
    ("-N a root process's namespace", copy_in_other_namespace, ["-N", "{pin}", "{r}"], None, ["{r}", "{u}"], []),
    ("-N a namespace path", copy_in_other_namespace, ["-N", "/proc/{pin}/ns/mnt", "{u}"], None,
     ["{r}", "{u}"], []),
    ("-a", diff.user_mounts, ["-a"], None, ["{r}", "{u}"], []),
    ("-a -t ext2", diff.user_mounts, ["-a", "-t", "ext2"], None, ["{r}", "{u}"], []),
    ("-R on a `users` mount with a root submount", root_tree_in_users_mount, ["-R", "{u}"], None,
     ["{r}", "{u}", "{sub}"], []),
    ("-O on a root-only mount", diff.user_mounts, ["-O", "noauto", "{r}"], None, ["{r}", "{u}"], []),
    ("LIBMOUNT_FSTAB: a forged fstab", forged_tables, ["{r}"], {"LIBMOUNT_FSTAB": "{fstab}"},
     ["{r}", "{u}"], []),
    ("LIBMOUNT_UTAB: a forged utab", forged_tables, ["{r}"], {"LIBMOUNT_UTAB": "{utab}"}, ["{r}", "{u}"], []),
    ("LIBMOUNT_DEBUG", diff.user_mounts, ["{r}"], {"LIBMOUNT_DEBUG": "0xffff"}, ["{r}", "{u}"], []),
    ("a symlink of nobody's to a root-only mount", symlink_to_root_mount, ["{link}"], None,
     ["{r}", "{u}"], []),
    ("-l through a symlink of nobody's", symlink_to_root_mount, ["-l", "{link}"], None, ["{r}", "{u}"], []),
]


def attack(root, binary, case):
    """Runs one attack on a fresh setup: (exit, stdout, stderr normalised, mounts that went wrong)."""
    name, setup, args, extra_env, keep, gone = case
    env = diff.Env(root)
    try:
        names = setup(env)
        argv = [a.format(**names) for a in args]
        extra = {k: v.format(**names) for k, v in (extra_env or {}).items()}
        out, err, rc = diff.run(binary, argv, NOBODY, extra, timeout=60)
        if "LIBMOUNT_DEBUG" in extra:
            err = debug_words(err)
        time.sleep(0.05)
        wrong = ["%s was unmounted" % env.normalise(p.format(**names)) for p in keep
                 if not still_mounted(env, p.format(**names), names)]
        wrong += ["%s is still mounted" % env.normalise(p.format(**names)) for p in gone
                  if mounted(env, p.format(**names))]
        return rc, env.normalise(out), env.normalise(err), wrong
    finally:
        env.teardown()


def debug_words(err):
    """libmount's trace is no interface (its pids and the order of its lookups differ): what counts is that
    libmount knew it ran setuid, and umount's own lines."""
    lines = err.splitlines()
    knew = any(line.endswith("libmount: don't print memory addresses (SUID executable).") for line in lines)
    return "setuid known: %s\n%s" % (knew, "\n".join(line for line in lines if line.startswith("umount: ")))


def still_mounted(env, path, names):
    if mounted(env, path):
        return True
    if "pin" in names:  # -N: the copy in the other namespace is the one at stake
        with open("/proc/%d/mountinfo" % names["pin"]) as f:
            return any(line.split()[4] == path for line in f)
    return False


def race(root, binary):
    """nobody swaps WORK/home/flip between a symlink to the `users` mount and one to the root mount (rename,
    atomic) while nobody unmounts through it; root mounts the `users` mount again whenever it went. Returns
    the rounds in which the root mount went, and how many unmounts of the `users` mount succeeded."""
    env = diff.Env(root)
    flipper = None
    try:
        names = diff.user_mounts(env)
        home = nobody_dir(env, "home")
        flip = os.path.join(home, "flip")
        script = ("cd %s; while :; do ln -sfn %s a.new && mv -T a.new flip; ln -sfn %s b.new && mv -T b.new flip;"
                  " done" % (home, names["u"], names["r"]))
        flipper = subprocess.Popen(["sh", "-c", script], **diff.as_user(NOBODY))
        env.pinners.append(flipper)
        deadline = time.time() + 5
        while not os.path.islink(flip) and time.time() < deadline:
            time.sleep(0.01)
        root_gone, unmounted = [], 0
        for i in range(RACE_ROUNDS):
            diff.run(binary, [flip], NOBODY, timeout=60)
            if not mounted(env, names["r"]):
                root_gone.append(i)
                diff.sh("mount", names["r"])
            if not mounted(env, names["u"]):
                unmounted += 1
                diff.sh("mount", names["u"])
        return root_gone, unmounted
    finally:
        if flipper:
            flipper.kill()
            flipper.wait()
        env.teardown()


def main():
    root = diff.enter_private_world("umount-setuid")
    if isinstance(root, int):
        return root
    ours = diff.setuid_copy(root)
    print("1..%d" % (2 * len(CASES) + 3))
    n = failed = 0

    def report(ok, what, notes=()):
        nonlocal n, failed
        n += 1
        failed += not ok
        print("%s %d - %s" % ("ok" if ok else "not ok", n, what))
        for note in notes:
            print("# " + note.replace("\n", "\n# "))
        sys.stdout.flush()

    try:
        for case in CASES:
            mine, ref = attack(root, ours, case), attack(root, diff.REF, case)
            report(not mine[3] and not ref[3], "%s, as nobody: nothing unmounted that must stay (ours and "
                   "util-linux's)" % case[0], ["ours: " + w for w in mine[3]] + ["util-linux: " + w for w in ref[3]])
            same = mine[:3] == ref[:3]
            report(same, "%s, as nobody: util-linux's exit code and words" % case[0],
                   [] if same else ["ours: %r" % (mine[:3],), "util-linux: %r" % (ref[:3],)])
        mine, ref = race(root, ours), race(root, diff.REF)
        report(not mine[0], "a symlink swapped during the umount: the root mount never goes (ours)",
               ["rounds in which it went: %s" % mine[0]])
        report(not ref[0], "a symlink swapped during the umount: the root mount never goes (util-linux's)",
               ["rounds in which it went: %s" % ref[0]])
        # The race must have been run: through the symlink, the `users` mount is sometimes unmounted.
        report(mine[1] > 0 and ref[1] > 0, "a symlink swapped during the umount: the `users` mount went in "
               "some rounds (the race ran)", ["ours %d, util-linux's %d of %d" % (mine[1], ref[1], RACE_ROUNDS)])
    finally:
        diff.leave_private_world(root)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
