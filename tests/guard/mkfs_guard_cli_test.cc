// SPDX-License-Identifier: GPL-2.0-or-later
// mkfs-guard as a program: its help laid out as util-linux lays it out, exit codes and one-line error
// messages in util-linux's words, for what needs no scan.
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "base/version.h"

namespace {

struct GuardRun {
  int code = -1;
  std::string out;
};

// The binary under test: meson sets MKFS_GUARD (a bare name, found on PATH, when run by hand without it).
std::string GuardBinary() {
  const char* path = std::getenv("MKFS_GUARD");
  return path != nullptr ? path : "mkfs-guard";
}

// Runs mkfs-guard with ARGS through the shell, REDIRECT after them (by default stderr into the output).
GuardRun RunGuard(const std::string& args, const std::string& redirect = "2>&1") {
  std::string cmd = GuardBinary() + " " + args + " " + redirect;
  GuardRun run;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) return run;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) run.out.append(buf, n);
  int status = ::pclose(pipe);
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

// Given a device that does not exist or is no block device, we should get a one-line error and exit 2 (bad
// input), 125 when wrapping a mkfs (never mkfs's own 1).
TEST(MkfsGuardCli, NoSuchDeviceIsBadInput) {
  GuardRun run = RunGuard("/dev/nope");
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.out, "mkfs-guard: cannot open /dev/nope: No such file or directory\n");
  GuardRun wrapped = RunGuard("-- mkfs.ext4 -q /dev/nope");
  EXPECT_EQ(wrapped.code, 125);
  EXPECT_EQ(wrapped.out, "mkfs-guard: cannot open /dev/nope: No such file or directory\n");
}

TEST(MkfsGuardCli, NotABlockDevice) {
  GuardRun run = RunGuard("/dev/null");
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.out, "mkfs-guard: cannot open /dev/null: Block device required\n");
  GuardRun relative = RunGuard("no-such-relative-name");
  EXPECT_EQ(relative.code, 2);
  EXPECT_EQ(relative.out, "mkfs-guard: cannot open no-such-relative-name: No such file or directory\n");
}

TEST(MkfsGuardCli, UsageErrorsInUtilLinuxWords) {
  GuardRun none = RunGuard("");
  EXPECT_EQ(none.code, 2);
  EXPECT_EQ(none.out, "mkfs-guard: no device specified\nTry 'mkfs-guard --help' for more information.\n");
  GuardRun bogus = RunGuard("--bogus /dev/sda");
  EXPECT_EQ(bogus.code, 2);
  EXPECT_EQ(bogus.out,
            "mkfs-guard: unrecognized option '--bogus'\nTry 'mkfs-guard --help' for more information.\n");
  GuardRun letter = RunGuard("-Jx /dev/sda");
  EXPECT_EQ(letter.code, 2);
  EXPECT_EQ(letter.out, "mkfs-guard: invalid option -- 'x'\nTry 'mkfs-guard --help' for more information.\n");
  GuardRun wait = RunGuard("--wait=soon /dev/sda");
  EXPECT_EQ(wait.out,
            "mkfs-guard: invalid --wait argument: 'soon'\nTry 'mkfs-guard --help' for more information.\n");
  GuardRun nodev = RunGuard("-- true");
  EXPECT_EQ(nodev.code, 125);  // no block device in the command: nothing to check, nothing run
  EXPECT_EQ(nodev.out, "mkfs-guard: no block device in the command\n");
  EXPECT_EQ(RunGuard("-- mkfs.fat -C /tmp/never.img 1440").code, 125);
}

// Given --help, we should get util-linux's layout: Usage, the synopsis, Options in two columns with -h and -V
// last, and no CLI11 wording.
TEST(MkfsGuardCli, HelpIsLaidOutLikeUtilLinux) {
  GuardRun help = RunGuard("--help");
  EXPECT_EQ(help.code, 0);
  EXPECT_EQ(help.out.rfind(
                "\nUsage:\n mkfs-guard [options] <device>...\n mkfs-guard [options] -- <mkfs command>\n", 0),
            0u)
      << help.out;
  EXPECT_NE(help.out.find("\nOptions:\n -J, --json              explain as JSON\n"), std::string::npos)
      << help.out;
  EXPECT_NE(help.out.find("     --wait[=<seconds>]  "), std::string::npos) << help.out;
  EXPECT_NE(help.out.find(
                "\n\n -h, --help              display this help\n -V, --version           display version\n"),
            std::string::npos)
      << help.out;
  EXPECT_EQ(help.out.find("Positionals"), std::string::npos) << help.out;
  EXPECT_EQ(help.out.find("Print this help message"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("For more details see mkfs-guard(8).\n"), std::string::npos) << help.out;
}

TEST(MkfsGuardCli, VersionLine) {
  GuardRun version = RunGuard("-V");
  EXPECT_EQ(version.code, 0);
  // The scheme of every tool's version line: our release in parentheses at the end (base/version.h).
  EXPECT_EQ(version.out, "mkfs-guard (detach-utils " + std::string(detach::kVersion) + ")\n");
}

// A write error on stdout is a failure (util-linux closestream), and says which: mkfs-guard --help
// >/dev/full.
TEST(MkfsGuardCli, WriteErrorOnStdoutFailsAndSaysWhy) {
  for (const char* args : {" --help", " --version"}) {
    const std::string cmd = GuardBinary() + args;
    ASSERT_EQ(std::system((cmd + " >/dev/null").c_str()), 0) << cmd;
    EXPECT_NE(std::system((cmd + " >/dev/full 2>/dev/null").c_str()), 0) << cmd;
  }
  GuardRun full = RunGuard("--help", "2>&1 >/dev/full");
  EXPECT_EQ(full.out, "mkfs-guard: write error: No space left on device\n");
}

}  // namespace
