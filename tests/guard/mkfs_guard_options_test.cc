// mkfs-guard's command line and exit codes: each row of the table, and each way to get the line wrong.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "exit_codes.h"
#include "guard.h"
#include "options.h"

namespace detach::guard {
namespace {

ParsedCommandLine Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "mkfs-guard");
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  return parse_command_line(static_cast<int>(args.size()), argv.data());
}

TEST(ExitCode, EveryOutcomeHasItsCode) {
  EXPECT_EQ(exit_code(Outcome::Free), 0);
  EXPECT_EQ(exit_code(Outcome::Busy), 1);
  EXPECT_EQ(exit_code(Outcome::Usage), 2);
  EXPECT_EQ(exit_code(Outcome::Error), 4);
}

TEST(ParseCommandLine, DeviceWithFlags) {
  ParsedCommandLine parsed = Parse({"-J", "/dev/sdb"});
  ASSERT_TRUE(parsed.options.has_value());
  EXPECT_TRUE(parsed.options->json);
  EXPECT_FALSE(parsed.options->quiet);
  EXPECT_EQ(parsed.options->device, "/dev/sdb");
  EXPECT_TRUE(parsed.options->command.empty());
}

// Given a command after --, we should leave its options alone (-q here is mkfs's, not ours).
TEST(ParseCommandLine, CommandAfterSeparatorKeepsItsOwnOptions) {
  ParsedCommandLine parsed = Parse({"-q", "--", "mkfs.ext4", "-q", "-L", "data", "/dev/sdb"});
  ASSERT_TRUE(parsed.options.has_value());
  EXPECT_TRUE(parsed.options->quiet);
  EXPECT_EQ(parsed.options->device, "");
  EXPECT_EQ(parsed.options->command, (std::vector<std::string>{"mkfs.ext4", "-q", "-L", "data", "/dev/sdb"}));
}

TEST(ParseCommandLine, UsageErrorsExitTwo) {
  EXPECT_EQ(Parse({}).exit_code, 2);
  EXPECT_EQ(Parse({"--bogus", "/dev/sdb"}).exit_code, 2);
  EXPECT_EQ(Parse({"/dev/sdb", "--"}).exit_code, 2);
  EXPECT_EQ(Parse({"/dev/sdb", "--", "mkfs.ext4", "/dev/sdb"}).exit_code, 2);
  EXPECT_EQ(Parse({"-J", "-q", "/dev/sdb"}).exit_code, 2);
  EXPECT_FALSE(Parse({}).options.has_value());
}

TEST(ParseCommandLine, HelpAndVersionExitZero) {
  testing::internal::CaptureStdout();
  ParsedCommandLine help = Parse({"--help"});
  ParsedCommandLine version = Parse({"--version"});
  std::string out = testing::internal::GetCapturedStdout();
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_FALSE(help.options.has_value());
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(out.find("mkfs-guard (detach-utils "), std::string::npos) << out;
  EXPECT_NE(out.find("Exit status"), std::string::npos) << out;
}

// Given a mkfs command, we should check the last argument that is a block device (a size may follow it).
TEST(DeviceInCommand, LastBlockDeviceArgument) {
  EXPECT_FALSE(device_in_command({"mkfs.ext4", "-L", "x", "/nonexistent"}).has_value());
  EXPECT_FALSE(device_in_command({"mkfs.ext4", "/dev/null"}).has_value());  // a character device
  EXPECT_FALSE(device_in_command({}).has_value());
}

}  // namespace
}  // namespace detach::guard
