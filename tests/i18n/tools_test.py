#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Our tools in zh_CN, ja and C (TAP, one case per check), with our catalogs from the build tree
(DETACH_UTILS_LOCALEDIR) and the locales compiled for the tests (LOCPATH):

  - what we add speaks the user's language: help lines, usage errors, messages of our own tools, the
    --detached synopsis inserted into psmisc's translated fuser usage where its own lines are;
  - LC_ALL=C gives the English texts, byte for byte as before;
  - as root, on a pinned loop filesystem: libcommon's explanations (umount's "target is busy", then, once it
    is lazily unmounted, mkfs-guard's and findmnt's) in C, zh_CN and ja, their sentences and the pinners'
    words both, and -v's line on where task pins came from and why; and what programs read (findmnt
    --detached -J, -P, -r, fuser --detached's pids, mkfs-guard -J, detach-metrics) is the same bytes in zh_CN
    as in C;
  - as root, on ext4 with its journal on a device of its own: fuser -v's row for the journal device (the
    filesystem that claims it), mounted and lazily unmounted, in C, zh_CN and ja;
  - as nobody: fuser --detached -v's line on the processes it could not read, with " (root sees more)", and
    why it read /proc (not root), in C, zh_CN and ja.

usage: tools_test.py LOCPATH PODIR FINDMNT UMOUNT FUSER MKFS_GUARD DETACH_METRICS [HAS_BPF: yes (default) or no]
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import lazy_detach  # noqa: E402
from tap import Tap  # noqa: E402

LOCPATH, PODIR, FINDMNT, UMOUNT, FUSER, GUARD, METRICS = (os.path.abspath(a) for a in sys.argv[1:8])
# "no" in a build without the BPF source (-Dbpf=disabled): that, not "not root", is then why /proc was read.
BUILD_HAS_BPF = sys.argv[8] != "no" if len(sys.argv) > 8 else True
ZH, JA = "zh_CN.UTF-8", "ja_JP.UTF-8"


def run(argv, locale, stdin=subprocess.DEVNULL, more_env=None):
    env = {"PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), "LC_ALL": locale, "LOCPATH": LOCPATH,
           "DETACH_UTILS_LOCALEDIR": PODIR}
    env.update(more_env or {})
    if "DETACH_FS_TIMEOUT_MS" in os.environ:  # a sanitized build's longer bound (meson.build's test setup)
        env["DETACH_FS_TIMEOUT_MS"] = os.environ["DETACH_FS_TIMEOUT_MS"]
    p = subprocess.run(argv, capture_output=True, env=env, stdin=stdin, timeout=120)
    return p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"), p.returncode


def contains(t, label, text, *needles):
    missing = [n for n in needles if n not in text]
    t.check(label, not missing, "missing: %r\nin: %r" % (missing, text[:3000]))


def language_cases(t):
    out, err, rc = run([GUARD, "--help"], ZH)
    contains(t, "zh_CN: mkfs-guard --help", out, "\n用法：\n mkfs-guard [选项] <设备>...\n", "\n选项：\n",
             " -J, --json", "以 JSON 说明", "显示此帮助", "更多信息请参阅 mkfs-guard(8)。")
    out, err, rc = run([GUARD], JA)
    t.equal("ja: mkfs-guard without a device", (err, rc),
            ("mkfs-guard: デバイスが指定されていません\n詳しくは `mkfs-guard --help' をお読みください。\n", 2))
    out, err, rc = run([GUARD, "--bogus", "/dev/null"], ZH)
    t.equal("zh_CN: mkfs-guard --bogus (getopt's words, in ours)", err.split("\n")[0],
            "mkfs-guard: 未识别的选项 ‘--bogus’")
    out, err, rc = run([GUARD, "--help"], "C")
    t.check("C: mkfs-guard --help is English", out.startswith("\nUsage:\n mkfs-guard [options] <device>...\n")
            and "\nOptions:\n" in out and "display this help" in out, out[:500])

    out, err, rc = run([FINDMNT, "--help"], ZH)
    contains(t, "zh_CN: findmnt --help (util-linux's words and ours)", out, "\n用法：\n",
             "     --detached         列出被延迟卸载但仍被占用的文件系统及其占用者\n",
             "     PINNERS  使已分离的挂载继续存在的占用者 [仅限 --detached]\n")
    out, err, rc = run([FINDMNT, "--per-pin"], JA)
    t.equal("ja: findmnt --per-pin without --detached", (err, rc),
            ("findmnt: --per-pin には --detached が必要です\n", 1))
    out, err, rc = run([FINDMNT, "--help"], "C")
    contains(t, "C: findmnt --help is English", out, "\nUsage:\n",
             "     --detached         list lazily unmounted filesystems that are still pinned, and their pinners\n")

    out, err, rc = run([UMOUNT, "--help"], JA)
    contains(t, "ja: umount --help", out, "     --wait[=<secs>]     ファイルシステムが本当になくなってから戻ります\n")
    out, err, rc = run([UMOUNT, "--wait=x", "/"], ZH)
    t.equal("zh_CN: umount --wait=x", (err, rc),
            ("umount: 无效的 --wait 参数：“x”\n请尝试执行“umount --help”了解更多信息。\n", 1))

    out, err, rc = run([FUSER, "--help"], ZH)
    contains(t, "zh_CN: fuser --help, --detached where psmisc's translation has its synopsis", err,
             "            [-k [-i] [-信号]] 名字...\n      fuser --detached [-kiuvw] [-信号] [名字...]\n"
             "      fuser -l\n",
             "  --detached            显示使被延迟卸载的文件系统继续存在的进程\n")
    out, err, rc = run([FUSER, "--help"], "C")
    contains(t, "C: fuser --help is English", err,
             "             [-k [-i] [-SIGNAL]] NAME...\n       fuser --detached [-kiuvw] [-SIGNAL] [NAME...]\n"
             "       fuser -l\n")

    out, err, rc = run([METRICS, "--bogus"], ZH)
    t.check("zh_CN: detach-metrics --bogus ends with util-linux's hint, in ours",
            rc == 2 and err.endswith("请尝试执行“detach-metrics --help”了解更多信息。\n"), err)


# What programs read: the same bytes whatever the language. Each asks about the test's own device only: other
# tests' detached mounts come and go between two runs.
MACHINE = [
    ("findmnt --detached -J", lambda s: [FINDMNT, "--detached", "-J", "-S", s.loop]),
    ("findmnt --detached -P", lambda s: [FINDMNT, "--detached", "-P", "-S", s.loop, "-o",
                                         "SOURCE,FSTYPE,UNIQ-ID,TARGET,PID,COMMAND,HOW,PINS"]),
    ("findmnt --detached -r", lambda s: [FINDMNT, "--detached", "-r", "-S", s.loop]),
    ("fuser --detached (pids on stdout)", lambda s: [FUSER, "--detached", s.loop]),
    ("mkfs-guard -J", lambda s: [GUARD, "-J", s.loop]),
    ("detach-metrics", lambda s: [METRICS]),
]


# libcommon's explanations, in each language: what a line says around the pinners, and the pinners' own words
# (an fd's access). Keyed by the locale; each value is (what to run, the texts the output holds).
def busy_umount_texts(s):
    return {
        "C": [s.mnt + " is pinned by 2 processes: ", ") cwd, ", ") fd 1 (write)"],
        ZH: [s.mnt + " 被 2 个进程（", ") cwd, ", ") fd 1（写）） 占用\n"],
        JA: [s.mnt + " は 2 個のプロセス (", ") cwd, ", ") fd 1 (書き込み)) によって保持されています\n"],
    }


# The detach is umount2's own, which nobody journals: the sentence has no former mount point.
def guard_texts(s):
    return {
        "C": [s.loop + " is busy: it holds an ext2 filesystem that was lazily unmounted and is still pinned by 2 "
              "processes: ", ") fd 1 (write)\n"],
        ZH: [s.loop + " 忙：其上的 ext2 文件系统已被延迟卸载，且仍被 2 个进程（", ") fd 1（写）） 占用\n"],
        JA: [s.loop + " は使用中です: その上の ext2 ファイルシステムは遅延アンマウントされましたが、まだ 2 個のプロセス (",
             ") fd 1 (書き込み)) によって保持されています\n"],
    }


def hint_texts(s):
    return {
        "C": ["findmnt: " + s.loop + " is not mounted, but a lazily unmounted ext2 filesystem on it is still pinned by ",
              ") fd 1 (write) (see findmnt --detached)\n"],
        ZH: ["findmnt: " + s.loop + " 未挂载，但其上一个被延迟卸载的 ext2 文件系统仍被 ", ") fd 1（写） 占用"],
        JA: ["findmnt: " + s.loop + " はマウントされていませんが、その上の遅延アンマウントされた ext2 ファイルシステムがまだ ",
             ") fd 1 (書き込み) によって保持されています"],
    }


# -v's line on where task pins came from, and why (the scan's reason, said in the user's language).
def source_texts(_s):
    return {
        "C": ["fuser: task pins read from /proc (the /proc source was asked for)\n"],
        ZH: ["fuser: 任务的占用从 /proc 读取（指定了 /proc 来源）\n"],
        JA: ["fuser: タスクの保持は /proc から読み込みました (/proc の読み込み元が指定されました)\n"],
    }


def explanation_cases(t, label, argv, texts, rc_expected, more_env=None):
    for locale in ("C", ZH, JA):
        out, err, rc = run(argv, locale, more_env=more_env)
        contains(t, "%s: %s explains in its language" % (locale, label), out + err, *texts[locale])
        t.equal("%s: %s exit status" % (locale, label), rc, rc_expected)


def machine_readable_cases(t):
    with lazy_detach.LazyDetach() as s:
        s.pin()
        with open(os.path.join(s.mnt, "held"), "w") as held:
            s.spawn(["sleep", "3600"], stdout=held)
        # umount's explanation of "target is busy" (the mount stays).
        explanation_cases(t, "umount on a busy mount", [UMOUNT, s.mnt], busy_umount_texts(s), 32)
        s.detach()
        explanation_cases(t, "mkfs-guard on a lazily unmounted, pinned filesystem", [GUARD, s.loop],
                          guard_texts(s), 1)
        explanation_cases(t, "findmnt on a device whose filesystem was lazily unmounted", [FINDMNT, "-S", s.loop],
                          hint_texts(s), 1)
        explanation_cases(t, "fuser --detached -v, the /proc source asked for", [FUSER, "--detached", "-v", s.loop],
                          source_texts(s), 0, {"DETACH_SCAN_SOURCE": "proc"})
        for label, argv in MACHINE:
            c, zh = run(argv(s), "C"), run(argv(s), ZH)
            stdout_c, stdout_zh = c[0], zh[0]
            if argv(s)[0] == METRICS:  # its device's samples, and every HELP and TYPE line
                stdout_c, stdout_zh = ("\n".join(line for line in x.splitlines()
                                                 if line.startswith("#") or 'device="%s"' % s.loop in line)
                                       for x in (stdout_c, stdout_zh))
            t.check("zh_CN: %s gives C's bytes" % label, stdout_c == stdout_zh and c[2] == zh[2] and stdout_c,
                    "C:     %r\nzh_CN: %r" % ((stdout_c[:1500], c[2]), (stdout_zh[:1500], zh[2])))


# fuser -v's row for a device a filesystem claims besides its source: where it is mounted (or was), what the
# device is to it, in the user's language. Keyed by the locale: (mounted, lazily unmounted by our umount).
def claim_rows(mnt, fs):
    return {
        "C": (mnt + " (external journal device of ext4 " + fs + ")",
              mnt + " (external journal device of ext4 " + fs + ", detached)"),
        ZH: (mnt + " (ext4 " + fs + " 的外部日志设备)", mnt + "（ext4 " + fs + " 的外部日志设备，已分离）"),
        JA: (mnt + " (ext4 " + fs + " の外部ジャーナルデバイス)", mnt + " (ext4 " + fs + " の外部ジャーナルデバイス, 切り離し済み)"),
    }


def claim_row_cases(t):
    with lazy_detach.LazyDetach(fstype="ext4", mount=False) as s:
        journal = os.path.join(s.work, "journal.img")
        with open(journal, "wb") as f:
            f.truncate(16 << 20)
        subprocess.run(["mke2fs", "-q", "-F", "-O", "journal_dev", "-b", "4096", journal], check=True)
        jloop, jfd = lazy_detach.autoclear_loop(journal)
        try:
            subprocess.run(["mkfs.ext4", "-q", "-F", "-b", "4096", "-J", "device=" + jloop, s.loop], check=True)
            s.mount()
            s.pin()
            rows = claim_rows(s.mnt, s.loop)
            for locale in ("C", ZH, JA):
                out, err, rc = run([FUSER, "-v", jloop], locale)
                contains(t, "%s: fuser -v names the filesystem that claims its journal device" % locale, err,
                         rows[locale][0])
            out, err, rc = run([UMOUNT, "--lazy", s.mnt], "C")
            t.equal("our umount --lazy of the ext4 with an external journal", rc, 0)
            for locale in ("C", ZH, JA):
                out, err, rc = run([FUSER, "--detached", "-v", jloop], locale)
                contains(t, "%s: fuser --detached -v names the lazily unmounted filesystem that claims its journal "
                         "device" % locale, err, rows[locale][1])
        finally:
            os.close(jfd)


# As nobody, what fuser --detached -v could not read ("could not read process 1 (systemd): permission denied
# (root sees more)": the machine's root processes) and why it read /proc.
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
UNPRIVILEGED_TEXTS = {
    "C": [" (root sees more)\n", "fuser: task pins read from /proc (%s)\n"],
    ZH: ["（root 能看到更多）\n", "fuser: 任务的占用从 /proc 读取（%s）\n"],
    JA: [" (root ならさらに見えます)\n", "fuser: タスクの保持は /proc から読み込みました (%s)\n"],
}
# Why the scan read /proc as nobody: not root, or, before that, a build without the BPF source.
UNPRIVILEGED_WHY = {
    "C": "not root: CAP_BPF and CAP_PERFMON are missing" if BUILD_HAS_BPF else "this build has no BPF source",
    ZH: "不是 root：缺少 CAP_BPF 和 CAP_PERFMON" if BUILD_HAS_BPF else "此构建不含 BPF 来源",
    JA: "root ではありません: CAP_BPF と CAP_PERFMON がありません" if BUILD_HAS_BPF else
        "このビルドには BPF の読み込み元がありません",
}


def unprivileged_cases(t):
    for locale in ("C", ZH, JA):
        out, err, rc = run(NOBODY + [FUSER, "--detached", "-v"], locale)
        root_sees_more, why_proc = UNPRIVILEGED_TEXTS[locale]
        contains(t, "%s: fuser --detached -v as nobody says what root would see, and why it read /proc" % locale, err,
                 root_sees_more, why_proc % UNPRIVILEGED_WHY[locale])


def main():
    missing = lazy_detach.missing_for_root_test(["losetup", "mkfs.ext2", "mkfs.ext4", "mke2fs", "mount", "setpriv",
                                                 "unshare"])
    if not missing:
        lazy_detach.enter_private_namespace()
    t = Tap()
    language_cases(t)
    if missing:
        lazy_detach.skip_or_fail_cases(t, ["zh_CN: %s gives C's bytes" % label for label, _ in MACHINE] +
                                       ["libcommon's explanations in C, zh_CN and ja",
                                        "fuser -v's claimed-device row in C, zh_CN and ja",
                                        "fuser --detached -v as nobody in C, zh_CN and ja"], missing)
    else:
        machine_readable_cases(t)
        claim_row_cases(t)
        unprivileged_cases(t)
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
