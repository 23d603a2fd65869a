// SPDX-License-Identifier: GPL-2.0-or-later
// mkfs-guard's command line and exit codes: each row of the table, and each way to get the line wrong.
#include <signal.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "exit_codes.h"
#include "options.h"

namespace detach::guard {
namespace {

ParsedCommandLine Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "mkfs-guard");
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  return parse_command_line(static_cast<int>(args.size()), argv.data());
}

TEST(ExitCode, EveryOutcomeHasItsCodeInEachMode) {
  EXPECT_EQ(exit_code(Outcome::Free, false), 0);
  EXPECT_EQ(exit_code(Outcome::Busy, false), 1);
  EXPECT_EQ(exit_code(Outcome::Usage, false), 2);
  EXPECT_EQ(exit_code(Outcome::Error, false), 4);
  // Running a mkfs, nothing of ours may look like mkfs's own failure (1).
  EXPECT_EQ(exit_code(Outcome::Busy, true), 124);
  EXPECT_EQ(exit_code(Outcome::Usage, true), 125);
  EXPECT_EQ(exit_code(Outcome::Error, true), 125);
  EXPECT_EQ(exit_code(Outcome::ExecFailed, true), 126);
  EXPECT_EQ(exit_code(Outcome::NotFound, true), 127);
}

TEST(ParseCommandLine, SeveralDevicesWithFlags) {
  ParsedCommandLine parsed = Parse({"-Jv", "/dev/sdb", "/dev/sdc", "--force"});
  ASSERT_TRUE(parsed.options.has_value());
  EXPECT_TRUE(parsed.options->json);
  EXPECT_TRUE(parsed.options->verbose);
  EXPECT_TRUE(parsed.options->force);
  EXPECT_FALSE(parsed.options->quiet);
  EXPECT_EQ(parsed.options->devices, (std::vector<std::string>{"/dev/sdb", "/dev/sdc"}));
  EXPECT_FALSE(parsed.options->wrapping());
}

// Given a command after --, we should leave its options alone (-q here is mkfs's, not ours).
TEST(ParseCommandLine, CommandAfterSeparatorKeepsItsOwnOptions) {
  ParsedCommandLine parsed = Parse({"-q", "--", "mkfs.ext4", "-q", "-L", "data", "/dev/sdb"});
  ASSERT_TRUE(parsed.options.has_value());
  EXPECT_TRUE(parsed.options->quiet);
  EXPECT_TRUE(parsed.options->devices.empty());
  EXPECT_EQ(parsed.options->command, (std::vector<std::string>{"mkfs.ext4", "-q", "-L", "data", "/dev/sdb"}));
}

// Given --wait and --kill with and without values (only with '=', as getopt's optional arguments), we
// should take them; a device after --wait stays a device.
TEST(ParseCommandLine, WaitAndKillTakeOptionalValues) {
  ParsedCommandLine plain = Parse({"--wait", "/dev/sdb"});
  ASSERT_TRUE(plain.options.has_value());
  EXPECT_TRUE(plain.options->wait);
  EXPECT_FALSE(plain.options->wait_limit.has_value());
  EXPECT_EQ(plain.options->devices, (std::vector<std::string>{"/dev/sdb"}));
  EXPECT_FALSE(plain.options->kill_signal.has_value());

  ParsedCommandLine valued = Parse({"--wait=30", "--kill=KILL", "-y", "--", "mkfs.xfs", "/dev/sdb"});
  ASSERT_TRUE(valued.options.has_value());
  EXPECT_EQ(valued.options->wait_limit, std::chrono::seconds(30));
  EXPECT_EQ(valued.options->kill_signal, SIGKILL);
  EXPECT_TRUE(valued.options->yes);

  ParsedCommandLine term = Parse({"--kill", "/dev/sdb"});
  ASSERT_TRUE(term.options.has_value());
  EXPECT_EQ(term.options->kill_signal, SIGTERM);
}

TEST(ParseSignal, NamesAndNumbers) {
  EXPECT_EQ(parse_signal("TERM"), SIGTERM);
  EXPECT_EQ(parse_signal("sigint"), SIGINT);
  EXPECT_EQ(parse_signal("9"), SIGKILL);
  EXPECT_FALSE(parse_signal("0").has_value());
  EXPECT_FALSE(parse_signal("BOGUS").has_value());
  EXPECT_FALSE(parse_signal("").has_value());
}

TEST(ParseCommandLine, UsageErrorsExitTwoCheckingAndOneTwentyFiveWrapping) {
  EXPECT_EQ(Parse({}).exit_code, 2);
  EXPECT_EQ(Parse({"--bogus", "/dev/sdb"}).exit_code, 2);
  EXPECT_EQ(Parse({"-x", "/dev/sdb"}).exit_code, 2);
  EXPECT_EQ(Parse({"/dev/sdb", "--"}).exit_code, 125);
  EXPECT_EQ(Parse({"/dev/sdb", "--", "mkfs.ext4", "/dev/sdb"}).exit_code, 125);
  EXPECT_EQ(Parse({"-J", "-q", "/dev/sdb"}).exit_code, 2);
  EXPECT_EQ(Parse({"--wait=soon", "/dev/sdb"}).exit_code, 2);
  EXPECT_EQ(Parse({"--kill=NOPE", "--", "mkfs.ext4", "/dev/sdb"}).exit_code, 125);
  EXPECT_FALSE(Parse({}).options.has_value());
}

// Given a '-' inside a cluster of short options ("-J--x", found by the fuzzer), we should get getopt's
// "invalid option -- '-'", not a check of a device "---x" that CLI11 made of the cluster's rest.
// "-J--x" once read as a device "---x"; "-v-" as an option "--" ("unrecognized option '--'"): both are
// getopt's invalid '-' inside a cluster, checking (2) and wrapping (125).
TEST(ParseCommandLine, DashInsideAClusterIsAnInvalidOptionNotADevice) {
  const std::vector<std::pair<std::vector<std::string>, int>> lines = {
      {{"-J--x", "/dev/sdb"}, 2},
      {{"-v-", "/dev/sdb"}, 2},
      {{"-v-", "--", "mkfs.ext4", "/dev/sdb"}, 125},
      {{"-q-v", "--", "mkfs.ext4", "/dev/sdb"}, 125},
  };
  for (const auto& [args, code] : lines) {
    testing::internal::CaptureStderr();
    ParsedCommandLine parsed = Parse(args);
    const std::string err = testing::internal::GetCapturedStderr();
    EXPECT_FALSE(parsed.options.has_value()) << args[0];
    EXPECT_EQ(parsed.exit_code, code) << args[0];
    EXPECT_NE(err.find("invalid option -- '-'\n"), std::string::npos) << args[0] << ": " << err;
    EXPECT_EQ(err.find("unrecognized"), std::string::npos) << args[0] << ": " << err;
  }
}

TEST(ParseCommandLine, HelpAndVersionExitZero) {
  testing::internal::CaptureStdout();
  ParsedCommandLine help = Parse({"--help"});
  ParsedCommandLine version = Parse({"-V"});
  std::string out = testing::internal::GetCapturedStdout();
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_FALSE(help.options.has_value());
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(out.find("mkfs-guard (detach-utils "), std::string::npos) << out;
  EXPECT_NE(out.find("Exit status"), std::string::npos) << out;
}

}  // namespace
}  // namespace detach::guard
