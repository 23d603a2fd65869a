#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Differential test: our findmnt against util-linux's, invocation by invocation.

Each case runs both binaries with the same arguments and environment and compares stdout, stderr (program
name normalised) and the exit code exactly. Fixture tab files are written at test time, hostile ones included
(\\040 and \\012 escapes, tabs, very long lines, 10,000 entries, missing fields, garbage lines). Output is TAP,
so meson counts every invocation as a case.

usage: differential.py OURS REFERENCE VERSION [LOCPATH PODIR LOCALE...]

VERSION is detach-utils' release: our --version line is util-linux's with " (detach-utils VERSION)" added, the
one difference the comparison expects. With LOCALEs (compiled under LOCPATH; our catalogs in PODIR), a subset
of the cases runs in each of them instead, LC_ALL=LOCALE for both binaries (util-linux's catalogs from
util-linux-locales): every message, help text and column description the two share must be the same bytes in
every language util-linux translates (locale_cases says which cases: one per message and form of output).
"""
import os
import re
import subprocess
import sys
import tempfile

OURS, REF, VERSION = sys.argv[1], sys.argv[2], sys.argv[3]
LOCPATH, PODIR, LOCALES = (sys.argv[4], sys.argv[5], sys.argv[6:]) if len(sys.argv) > 6 else (None, None, [])
LIVE = "#live"  # marks a case on the live mount table

# Lines our --help adds for options and columns util-linux 2.38 lacks (in any language: the option and column
# names are not translated); everything else must match.
HELP_EXTENSIONS = ("     --kernel=", "     --id ", "     --uniq-id ", "--detached", "--list-columns",
                   "     UNIQ-ID  ")


def fixtures(d):
    files = {}

    def put(name, text):
        path = os.path.join(d, name)
        with open(path, "w", encoding="utf-8", errors="surrogateescape", newline="") as f:
            f.write(text)
        files[name] = path

    put("fstab", """# static file system information
UUID=0a1b2c3d-1111-2222-3333-444455556666 /               ext4    errors=remount-ro 0       1
LABEL=boot      /boot           ext2    defaults,noatime        0       2
/dev/sda3       none            swap    sw,pri=5,discard=once   0       0
/dev/sdb1       /mnt/data       xfs     noauto,user,x-systemd.automount 0 0
/srv/export     /mnt/bind       none    bind,ro 0 0
server:/export  /mnt/nfs        nfs     rw,soft,intr    0 0
tmpfs           /tmp            tmpfs   mode=1777,size=2g       0 0
PARTUUID=abcd-01 /mnt/part      vfat    umask=077       0 2
PARTLABEL=data  /mnt/plabel     btrfs   subvol=@data,compress=zstd 0 0
/dev/mapper/vg-lv /mnt/data/sub ext4    defaults        0 2
/dev/sdc1       /mnt/x          ext4    defaults        0 2
""")
    long_target = "/mnt/" + "very-long-directory-name-" * 200
    put("fstab.hostile", "".join([
        "/dev/sda1\t/mnt/with\\040space\text4\tdefaults\t0\t0\n",
        "/dev/sda2 /mnt/new\\012line ext4 ro 0 0\n",
        "/dev/sda3 /mnt/back\\134slash ext4 rw 0 0\n",
        "/dev/sda4 /mnt/only-two-fields\n",
        "/dev/sda5 /mnt/three ext3\n",
        "/dev/sda6 /mnt/four ext4 noatime\n",
        "\n   \n# comment line\n",
        "this-is-garbage\n",
        "/dev/sda7 " + long_target + " ext4 defaults 0 0\n",
        "/dev/disk/by-label/r\\303\\251sum\\303\\251 /mnt/utf8-\\303\\251t\\303\\251 ext4 defaults 0 0\n",
        "/dev/sda8 /mnt/x ext4 defaults,x-gvfs-show,comment=systemd.automount 0 2\n",
        "/dev/sda9 /mnt/x ext4 defaults 0 3\n",
    ]))
    put("fstab.10000", "".join(
        "/dev/disk%d /mnt/d%05d ext%d rw,noatime,opt%d 0 %d\n" % (i % 97, i, 2 + i % 3, i % 7, i % 3)
        for i in range(10000)))
    # A mountinfo tree under a root nobody has, so size columns stay empty and output is stable.
    lines = ["1 0 8:1 / /fixroot rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro\n",
             "2 1 0:5 / /fixroot/proc rw,nosuid,nodev,noexec,relatime shared:2 - proc proc rw\n",
             "3 1 0:6 / /fixroot/sys rw,nosuid,nodev,noexec,relatime shared:3 - sysfs sysfs rw\n",
             "4 1 0:7 / /fixroot/dev rw,nosuid shared:4 - devtmpfs udev rw,size=100k,mode=755\n",
             "5 4 0:8 / /fixroot/dev/pts rw,nosuid,noexec,relatime shared:5 - devpts devpts rw,gid=5,mode=620\n",
             "6 1 0:9 / /fixroot/tmp rw,nosuid,nodev shared:6 - tmpfs tmpfs rw,size=1024k\n",
             "7 1 8:2 / /fixroot/boot rw,relatime shared:7 - ext2 /dev/sda2 rw\n",
             "8 1 8:3 /sub /fixroot/mnt/bind ro,relatime shared:1 - ext4 /dev/sda1 rw\n",
             "9 1 0:10 / /fixroot/mnt/with\\040space rw,relatime - tmpfs tmpfs rw\n",
             "10 1 0:11 / /fixroot/mnt/new\\012line rw,relatime master:1 - tmpfs none rw\n",
             "11 6 0:12 / /fixroot/tmp rw,relatime - tmpfs over rw\n",
             "12 1 0:13 / /fixroot/mnt/nfs rw,relatime - nfs4 server:/export rw,vers=4.2,addr=10.0.0.1\n",
             "13 1 0:14 /@home /fixroot/home rw,relatime shared:8 - btrfs /dev/sdb1 rw,subvolid=257,subvol=/@home\n",
             "14 99 0:15 / /fixroot/orphan rw - tmpfs orphan rw\n",
             "15 1 7:0 / /fixroot/mnt/loop ro,relatime unbindable - squashfs /dev/loop0 ro\n",
             "16 1 259:1 / /fixroot/mnt/x rw - ext4 /dev/nvme0n1p1 rw\n"]
    put("mountinfo", "".join(lines))
    big = ["1 0 8:1 / /fixroot rw - ext4 /dev/sda1 rw\n"]
    for i in range(2, 10002):
        parent = 1 if i < 100 else (i % 98) + 2
        big.append("%d %d 0:%d / /fixroot/m%d rw,relatime - tmpfs t%d rw,size=%dk\n" % (i, parent, i, i, i, i))
    put("mountinfo.10000", "".join(big))
    # A messy tree: children listed out of id order, two entries with one id (whose child util-linux shows below
    # both), an entry that is its own parent, an orphan subtree.
    put("mountinfo.messy", "".join([
        "10 1 8:1 / /r rw - ext4 /dev/sda1 rw\n", "30 10 0:30 / /r/c rw - tmpfs c rw\n",
        "20 10 0:20 / /r/b rw - tmpfs b rw\n", "20 10 0:21 / /r/b2 rw - tmpfs dup rw\n",
        "40 20 0:40 / /r/b/x rw - tmpfs x rw\n", "50 50 0:50 / /r/self rw - tmpfs self rw\n",
        "15 10 0:15 / /r/a rw - tmpfs a rw\n", "60 99 0:60 / /r/orphan rw - tmpfs o rw\n",
        "70 60 0:70 / /r/orphan/k rw - tmpfs k rw\n"]))
    put("mountinfo.broken", "1 0 8:1 / /fixroot rw - ext4 /dev/sda1 rw\ngarbage\n2 1 0:5 / /fixroot/p rw\n")
    put("mounts", "/dev/sda1 / ext4 rw,relatime 0 0\nproc /proc proc rw 0 0\n"
                  "tmpfs /run tmpfs rw,nosuid,size=10k 0 0\n/dev/sdb1 /mnt/with\\040space vfat ro 0 0\n")
    put("empty", "")
    return files


def cases(f):
    formats = ["", "-l", "-r", "-J", "-P", "-n", "-y -P", "-a", "-u", "--tree", "-l -n -o TARGET",
               "-o SOURCE,TARGET,FSTYPE,OPTIONS,VFS-OPTIONS,FS-OPTIONS,FSROOT,ID,PARENT,MAJ:MIN,OPT-FIELDS",
               "-o +PROPAGATION,TID,FREQ,PASSNO", "-J -o ID,PARENT,TARGET,FREQ,PASSNO", "-r -o TARGET,OPTIONS",
               "-P -o MAJ:MIN,TARGET", "-y -P -o MAJ:MIN,FS-OPTIONS", "-J -l", "-v -l", "-v",
               "-l -o +FSROOT", "-d backward -l", "-U -l", "-U", "-l -o TARGET -o SOURCE", "-o TARGET,TARGET"]
    filters = ["-t ext4", "-t noext4", "-t tmpfs,ext2", "-O rw", "-O noro", "-O noauto", "-S /dev/sda1",
               "-S 8:1", "-S 0:9", "-S UUID=0a1b2c3d-1111-2222-3333-444455556666", "-S LABEL=boot",
               "-T /fixroot/tmp", "-M /fixroot/tmp", "-T /mnt/x", "/dev/sda1", "/fixroot/boot", "/mnt/x",
               "/dev/sda1 /fixroot", "-f /dev/sda1", "-f /mnt/x", "-i -t ext4", "-R -T /fixroot/dev",
               "-R /fixroot", "--real", "--pseudo", "-A --real", "-D", "-D -A", "--shadowed", "-n -f -o TARGET /mnt/x",
               "-S /dev/sda1 -T /fixroot", "tmpfs", "-t ext4 -O rw", "-s /mnt/x", "-k -o TARGET", "-m"]
    out = []
    tabs = [("-F " + f["mountinfo"], "mountinfo"), ("-s -F " + f["fstab"], "fstab"),
            ("-m -F " + f["mounts"], "mounts"), ("-F " + f["fstab.hostile"], "hostile"),
            ("-s -F " + f["fstab.hostile"], "fstab-hostile")]
    for tab, label in tabs:
        for fmt in formats:
            out.append((tab + " " + fmt, {}))
    for tab, label in tabs[:3]:
        for flt in filters:
            out.append((tab + " -l " + flt, {}))
            out.append((tab + " " + flt, {}))
    for env in ({"COLUMNS": "40"}, {"COLUMNS": "70"}, {"COLUMNS": "200"}, {"LANG": "C.UTF-8"},
                {"LC_ALL": "C.UTF-8", "COLUMNS": "50"}):
        for args in ("-F " + f["mountinfo"], "-F " + f["mountinfo"] + " -l", "-F " + f["mountinfo"] + " -a",
                     "-s -F " + f["fstab.hostile"], "-F " + f["mountinfo"] + " -u -o TARGET,SOURCE,OPTIONS",
                     "-F " + f["mountinfo"] + " -R /fixroot/dev", "-F " + f["fstab.hostile"] + " -J"):
            out.append((args, env))
    big = [("-s -F " + f["fstab.10000"], {}), ("-s -F " + f["fstab.10000"] + " -J -t ext3", {}),
           ("-s -F " + f["fstab.10000"] + " -r -O opt3", {}), ("-F " + f["mountinfo.10000"], {}),
           ("-F " + f["mountinfo.10000"] + " -J", {}), ("-F " + f["mountinfo.10000"] + " -l -S 0:5000", {}),
           ("-F " + f["mountinfo.10000"] + " -R /fixroot/m50", {}),
           ("-F " + f["mountinfo.messy"], {}), ("-F " + f["mountinfo.messy"] + " -J", {}),
           ("-F " + f["mountinfo.messy"] + " -t tmpfs", {}), ("-F " + f["mountinfo.messy"] + " -R /r", {}),
           ("-F " + f["mountinfo.broken"], {}), ("-F " + f["mountinfo.broken"] + " -l", {}),
           ("-F " + f["empty"], {}), ("-s -F " + f["empty"], {}), ("-F /nonexistent/file", {}),
           ("-F " + f["mountinfo"] + " -F " + f["mounts"], {}), ("-F " + f["mountinfo"] + " -F " + f["mounts"] + " -l", {}),
           ("-s -F " + f["fstab"] + " -x", {}), ("-s -F " + f["fstab"] + " -x --verbose", {}),
           ("-x -F " + f["fstab.hostile"], {}), ("-x -F " + f["fstab"] + " /boot", {}),
           ("-x -F " + f["empty"], {})]
    out += big
    errors = ["--no", "--bogus", "--bogus=3", "-q", "-lq", "-o", "--output", "--ascii=1", "-J -P", "-J -r",
              "-lr", "--pseudo --real", "-M / -T /", "-s -m", "-k -N 1", "-c -C", "-e -C", "-p -x", "-s -p -w 1 -F /nonexistent", "-m -p -w 1 -F /nonexistent",
              "-p -s", "-x -p", "-s -m", "-m -s", "-N 1 -k", "-r -l", "-x -l",
              "-d x", "-d", "-w x", "-w 99999999999", "-w ''", "-N x", "-N -1", "-N 99999999999", "-N ''", "-N --", "-N -x", "-N ' -5'", "-N -0",
              "-o BOGUS", "-o TARGET,bogus,SOURCE", "-o TARGET,", "-o ''", "-o ,TARGET", "-o TARGET,,SOURCE",
              "--poll=bogus", "--poll=mount,bogus", "--poll=", "--poll=mount,umount,move,remount,mount",
              "-oACTION", "-o OLD-TARGET -l", "-h -J -P", "-J -P -h", "-V", "--version", "-Vh", "--vers",
              "-T / /dev/sda", "-S /dev/sda /", "-F a -F b -p", "--li -n -o TARGET",
              "--noh -l -o TARGET", "--u -l -o TARGET", "--i -t proc -l -o TARGET", "--t", "--ta /",
              "-lnoTARGET", "-lno TARGET", "--output=TARGET -l", "--output TARGET -l", "-l -- /",
              "-l -o TARGET -- -x", "-o -x", "-l >/dev/full", "-J >/dev/full", "--help >/dev/full",
              "-V >/dev/full", "-x -F /etc/fstab >/dev/full", "--l -n -o TARGET", "--lis -n -o TARGET", "--li=x",
              "--un -l -o TARGET", "--uni=1", "--i=1", "-kl -o TARGET", "-kJ -o TARGET", "--in -t proc -l", "-S", "--source", "-F", "-N 999999 -l", "-o+ID -l -T /"]
    out += [(e, {}) for e in errors]
    # The live system (no -F): mounts made by other tests while we run can change the answer between the two
    # runs, so a live case is run again on a mismatch (see main).
    root_src = subprocess.run([REF, "-n", "-o", "SOURCE", "/"], capture_output=True).stdout.decode().strip()
    live = ["", "-l", "-J", "-r -o +ID,PARENT,PROPAGATION,MAJ:MIN,OPT-FIELDS", "--real -l", "--pseudo", "-t proc",
            "/", "-T /etc", "-M /", "-S " + root_src, root_src, "-s", "-e -l -o SOURCE,SOURCES", "-c -l", "-C -l",
            "--vfs-all -l -o TARGET,VFS-OPTIONS", "-l -o TARGET,LABEL,UUID,PARTUUID,PARTLABEL", "-U", "--shadowed",
            "-N 1 -l", "-R /proc", "-f /proc", "-k -l", "-m -l", "-i -t proc -l", "-A", "-l -n -o FSTYPE,FREQ,PASSNO",
            "-P -y", "-a", "-v -l", "-d backward -l", "-T /proc/self", "-M /proc/self", "/nonexistent-mount-point"]
    out += [(LIVE + " " + a, {}) for a in live]
    # Not compared: options util-linux 2.38 rejects and we accept (--kernel=METHOD, --id, --uniq-id,
    # --list-columns/-H, --detached); the unit and integration tests cover them.
    return out


def locale_cases(f):
    """The cases run in every locale: each message findmnt and util-linux share (theirs through their
    catalog), the help, the column descriptions, verify's reports and its plural summary, and the table forms
    whose bytes depend on the locale (tree characters, JSON, raw)."""
    fixture = [
        "-F " + f["mountinfo"], "-F " + f["mountinfo"] + " -J", "-F " + f["mountinfo"] + " -r",
        "-F " + f["mountinfo"] + " -P", "-s -F " + f["fstab.hostile"], "-F " + f["mountinfo.broken"],
        "-F /nonexistent/file", "-s -F " + f["fstab"] + " -x", "-s -F " + f["fstab"] + " -x --verbose",
        "-x -F " + f["fstab.hostile"], "-x -F " + f["empty"], "-x -F " + f["fstab"] + " /boot",
    ]
    errors = ["--bogus", "--ascii=1", "-o", "-J -P", "-d x", "-w x", "-w 99999999999", "-N x", "-o BOGUS",
              "-o TARGET,bogus,SOURCE", "--poll=bogus", "-oACTION", "-T / /dev/sda", "-F a -F b -p",
              "-s -p -w 1 -F /nonexistent", "--li=x", "-l >/dev/full", "--help >/dev/full", "-x -p",
              "-V", "--help"]
    return [(a, {}) for a in fixture + errors] + [(LIVE + " -l -o TARGET,SIZE,USED,AVAIL,USE% -T /dev", {}),
                                                  (LIVE + " -D -T /dev", {})]


def run(binary, args, env):
    full_env = dict(os.environ)
    full_env.pop("COLUMNS", None)
    if "LC_ALL" in env:
        full_env.pop("LANGUAGE", None)  # it would choose the messages' language instead
    full_env.update(env)
    try:
        p = subprocess.run("exec " + binary + " " + args, shell=True, capture_output=True, env=full_env,
                           stdin=subprocess.DEVNULL, timeout=60)
    except subprocess.TimeoutExpired:
        return b"", b"(timed out)", -1
    # getopt_long names argv[0] as given; util-linux's own messages use the short name. Either is followed by
    # a colon, full width in some languages (zh_CN: "：").
    colon = rb"(?=:|\xef\xbc\x9a)"
    err = re.sub(re.escape(binary.encode()) + colon, b"findmnt", p.stderr)
    err = re.sub(re.escape(os.path.basename(binary).encode()) + colon, b"findmnt", err)
    return p.stdout, err, p.returncode


def with_our_version(ref):
    """REF's result as ours should be: a --version line (in any language) names our release after util-linux's."""
    out = ref[0]
    if out.startswith(b"findmnt") and b" util-linux 2.38.1" in out and out.endswith(b"\n") and out.count(b"\n") == 1:
        out = out[:-1] + b" (detach-utils " + VERSION.encode() + b")\n"
    return (out,) + ref[1:]


def filter_help(text):
    return b"\n".join(l for l in text.split(b"\n") if not any(x.encode() in l for x in HELP_EXTENSIONS))


def in_locales(cases):
    """CASES run in each of LOCALES (LC_ALL; LOCPATH has them; our catalogs from PODIR)."""
    out = []
    for locale in LOCALES:
        env = {"LC_ALL": locale, "LOCPATH": LOCPATH, "DETACH_UTILS_LOCALEDIR": PODIR}
        out += [(args, dict(e, **env)) for args, e in cases]
    return out


def main():
    with tempfile.TemporaryDirectory(prefix="findmnt-diff-") as d:
        if LOCALES:
            all_cases = in_locales(locale_cases(fixtures(d)))
        else:
            all_cases = cases(fixtures(d))
            all_cases += [("--help", {}), ("-h", {}), ("--he", {})]
        print("1..%d" % len(all_cases))
        failed = 0
        for n, (args, env) in enumerate(all_cases, 1):
            live = args.startswith(LIVE)
            args = args[len(LIVE):].strip() if live else args
            ours, ref = run(OURS, args, env), with_our_version(run(REF, args, env))
            # The mount table may have changed between the runs, and -D prints the sizes of the real filesystems
            # at a fixture's targets, which change while anything writes: once more.
            if (live or "-D" in args.split()) and ours != ref:
                ours, ref = run(OURS, args, env), with_our_version(run(REF, args, env))
            if ours[0].startswith(b"\nUsage:\n") or args.split()[:1] in (["--help"], ["-h"], ["--he"]):  # any language
                ours = (filter_help(ours[0]),) + ours[1:]
            shown = {k: v for k, v in env.items() if k not in ("LOCPATH", "DETACH_UTILS_LOCALEDIR")}
            label = (" ".join("%s=%s" % kv for kv in shown.items()) + " findmnt " + args.replace(d + "/", "")).strip()
            if ours == ref:
                print("ok %d - %s" % (n, label))
                continue
            failed += 1
            print("not ok %d - %s" % (n, label))
            for what, a, b in zip(("stdout", "stderr", "exit"), ours, ref):
                if a != b:
                    print("# %s differs:\n#   ours: %r\n#   ref:  %r" % (what, a if what == "exit" else a[:600],
                                                                    b if what == "exit" else b[:600]))
        print("# %d passed, %d failed" % (len(all_cases) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
