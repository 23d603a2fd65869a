// mkfs-guard as a program: exit codes and the one-line error messages, for what needs no scan.
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

// Runs mkfs-guard with ARGS through the shell, stderr merged into the output.
GuardRun RunGuard(const std::string& args) {
  std::string cmd = std::string(std::getenv("MKFS_GUARD")) + " " + args + " 2>&1";
  GuardRun run;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) return run;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) run.out.append(buf, n);
  int status = ::pclose(pipe);
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

TEST(MkfsGuardCli, MissingDeviceIsAnErrorInUtilLinuxWords) {
  GuardRun run = RunGuard("/dev/nope");
  EXPECT_EQ(run.code, 4);
  EXPECT_EQ(run.out, "mkfs-guard: cannot open /dev/nope: No such file or directory\n");
}

TEST(MkfsGuardCli, NotABlockDevice) {
  GuardRun run = RunGuard("/dev/null");
  EXPECT_EQ(run.code, 4);
  EXPECT_EQ(run.out, "mkfs-guard: cannot open /dev/null: Block device required\n");
}

TEST(MkfsGuardCli, UsageErrors) {
  GuardRun none = RunGuard("");
  EXPECT_EQ(none.code, 2);
  EXPECT_EQ(none.out, "mkfs-guard: no device specified\nTry 'mkfs-guard --help' for more information.\n");
  EXPECT_EQ(RunGuard("-- true").code, 2);  // no block device in the command: nothing to check, nothing run
  EXPECT_EQ(RunGuard("--frobnicate /dev/sda").code, 2);
}

TEST(MkfsGuardCli, HelpAndVersion) {
  GuardRun help = RunGuard("--help");
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("--json"), std::string::npos);
  GuardRun version = RunGuard("--version");
  EXPECT_EQ(version.code, 0);
  // The scheme of every tool's version line: our release in parentheses at the end (base/version.h).
  EXPECT_EQ(version.out, "mkfs-guard (detach-utils " + std::string(detach::kVersion) + ")\n");
}

// A write error on stdout is a failure (util-linux closestream): mkfs-guard --help >/dev/full.
// (/dev/nope would fail anyway: only output that succeeds elsewhere can show the write error.)
TEST(MkfsGuardCli, WriteErrorOnStdoutFails) {
  for (const char* args : {" --help", " --version"}) {
    const std::string cmd = std::string(std::getenv("MKFS_GUARD")) + args;
    ASSERT_EQ(std::system((cmd + " >/dev/null").c_str()), 0) << cmd;
    EXPECT_NE(std::system((cmd + " >/dev/full 2>/dev/null").c_str()), 0) << cmd;
  }
}

}  // namespace
