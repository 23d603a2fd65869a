// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests of findmnt's option scanning (getopt_long rules), column lists and number parsing.
#include <gtest/gtest.h>

#include <algorithm>

#include "cells.h"
#include "columns.h"
#include "numbers.h"
#include "options.h"

namespace findmnt {
namespace {

Config parsed(const std::vector<std::string>& args) {
  ParseOutcome out = parse_options(args);
  EXPECT_FALSE(out.exit_code) << "parse stopped with " << out.exit_code.value_or(0);
  return out.config;
}

int parse_error(const std::vector<std::string>& args) {
  testing::internal::CaptureStderr();
  ParseOutcome out = parse_options(args);
  testing::internal::GetCapturedStderr();
  return out.exit_code.value_or(-1);
}

TEST(ParseOptions, BundledShortOptionsWithAttachedValue) {
  // Given -lnoTARGET we should see --list, --noheadings and --output=TARGET, as getopt_long splits it.
  Config cfg = parsed({"-lnoTARGET"});
  EXPECT_FALSE(cfg.tree);
  EXPECT_TRUE(cfg.noheadings);
  EXPECT_EQ(cfg.output_arg, "TARGET");
}

TEST(ParseOptions, RequiredValueTakesNextArgumentEvenWithDash) {
  EXPECT_EQ(parsed({"-o", "-x"}).output_arg, "-x");
}

TEST(ParseOptions, UnambiguousLongPrefixIsExpanded) {
  Config cfg = parsed({"--noh", "--output=SOURCE"});
  EXPECT_TRUE(cfg.noheadings);
  EXPECT_EQ(cfg.output_arg, "SOURCE");
}

TEST(ParseOptions, AmbiguousPrefixIsAnError) {
  EXPECT_EQ(parse_error({"--no"}), EXIT_FAILURE);
}

TEST(ParseOptions, AbbreviationsOf238OptionsKeepTheirMeaning) {
  // In util-linux 2.38 --li was --list, --i --invert and --un --uniq; newer options must not make them
  // ambiguous.
  EXPECT_FALSE(parsed({"--li"}).tree);
  EXPECT_TRUE(parsed({"--i"}).invert);
  EXPECT_TRUE(parsed({"--un"}).uniq);
  EXPECT_TRUE(parsed({"--list-columns"}).list_columns);
  EXPECT_EQ(parse_error({"--li=x"}), EXIT_FAILURE);
}

TEST(ParseOptions, OptionalValueOnlyWhenAttached) {
  Config cfg = parsed({"-p", "mount"});
  EXPECT_TRUE(cfg.poll);
  EXPECT_EQ(cfg.positionals, std::vector<std::string>{"mount"});
  EXPECT_TRUE(parsed({"--kernel=listmount"}).kernel_method == KernelMethod::Listmount);
  // -k takes no value: -kl is -k -l.
  Config bundled = parsed({"-kl"});
  EXPECT_EQ(bundled.tabtype, TabType::Kernel);
  EXPECT_FALSE(bundled.tree);
}

TEST(ParseOptions, DoubleDashEndsOptionsAndPositionalsMayComeFirst) {
  EXPECT_EQ(parsed({"-l", "--", "-x", "/"}).positionals, (std::vector<std::string>{"-x", "/"}));
  Config permuted = parsed({"/", "-l"});
  EXPECT_FALSE(permuted.tree);
  EXPECT_EQ(permuted.positionals, std::vector<std::string>{"/"});
}

TEST(ParseOptions, BadOptionsFailWithExitOne) {
  EXPECT_EQ(parse_error({"-q"}), EXIT_FAILURE);
  EXPECT_EQ(parse_error({"-o"}), EXIT_FAILURE);
  EXPECT_EQ(parse_error({"--ascii=1"}), EXIT_FAILURE);
  EXPECT_EQ(parse_error({"--bogus=3"}), EXIT_FAILURE);
}

TEST(ParseOptions, OptionsBeforeAnErrorAreActedOn) {
  // util-linux handles options as getopt_long returns them: --help wins over a later bad option.
  testing::internal::CaptureStdout();
  ParseOutcome out = parse_options({"-h", "--bogus"});
  std::string help = testing::internal::GetCapturedStdout();
  EXPECT_EQ(out.exit_code, EXIT_SUCCESS);
  EXPECT_NE(help.find("Usage:"), std::string::npos);
}

std::string parse_message(const std::vector<std::string>& args, int& code) {
  testing::internal::CaptureStderr();
  ParseOutcome out = parse_options(args);
  std::string message = testing::internal::GetCapturedStderr();
  code = out.exit_code.value_or(-1);
  return message;
}

// Given --detached with an option that picks a mount table or df's view (meaningless for a mount that is in
// no table), we should refuse the pair in either order, as util-linux refuses mutually exclusive options.
TEST(ParseOptions, DetachedRefusesTableAndDfOptions) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"-s"}, "--fstab"},  {{"-F", "/etc/fstab"}, "--tab-file"},
      {{"-k"}, "--kernel"}, {{"--kernel=listmount"}, "--kernel"},
      {{"-m"}, "--mtab"},   {{"-D"}, "--df"},
  };
  for (const auto& [option, name] : cases) {
    for (bool detached_first : {true, false}) {
      std::vector<std::string> args = option;
      args.insert(detached_first ? args.begin() : args.end(), "--detached");
      int code = 0;
      std::string message = parse_message(args, code);
      EXPECT_EQ(code, EXIT_FAILURE) << args.front() << " " << args.back();
      EXPECT_NE(message.find(": mutually exclusive arguments: --detached " + name + "\n"), std::string::npos)
          << message;
      EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 1) << message;
    }
  }
  // Each of them still works without --detached, and --detached with the options it does take.
  for (const auto& [option, name] : cases) parsed(option);
  parsed({"--detached", "-J", "-l", "-o", "SOURCE", "-S", "/dev/loop0", "-t", "ext4", "-O", "ro", "-T", "/"});
}

TEST(ParseOptions, ParsesAgainAfterAParse) {
  // getopt_long keeps its position in globals; each parse must start afresh.
  parsed({"-l", "/"});
  EXPECT_TRUE(parsed({"-J"}).json);
}

TEST(ColumnList, ReplacesOrAppendsToDefaults) {
  std::vector<Column> cols{Column::Target};
  EXPECT_FALSE(parse_column_list("+ID,maj:min", cols));
  EXPECT_EQ(cols, (std::vector<Column>{Column::Target, Column::Id, Column::Majmin}));
  EXPECT_FALSE(parse_column_list("SOURCE", cols));
  EXPECT_EQ(cols, std::vector<Column>{Column::Source});
}

TEST(ColumnList, UnknownNameQuotesRestOfList) {
  std::vector<Column> cols;
  EXPECT_EQ(parse_column_list("TARGET,bogus,SOURCE", cols), "unknown column: bogus,SOURCE");
  EXPECT_EQ(parse_column_list("TARGET,", cols), "unknown column: TARGET,");
}

TEST(ColumnList, EmptyNameFailsQuietly) {
  std::vector<Column> cols;
  EXPECT_EQ(parse_column_list("", cols), "");
  EXPECT_EQ(parse_column_list("TARGET,,SOURCE", cols), "");
}

TEST(ColumnTable, JsonTypesFollowBytesFlag) {
  EXPECT_EQ(json_type(Column::Size, false), detach::output::JsonType::String);
  EXPECT_EQ(json_type(Column::Size, true), detach::output::JsonType::Number);
  EXPECT_EQ(json_type(Column::Id, false), detach::output::JsonType::Number);
  EXPECT_EQ(json_type(Column::Sources, false), detach::output::JsonType::ArrayString);
}

TEST(Numbers, MatchUtilLinuxStrtoxx) {
  EXPECT_EQ(*parse_u32(" 7"), 7u);
  EXPECT_EQ(parse_u32("-1").error().err, ERANGE);
  EXPECT_EQ(parse_u32("99999999999").error().err, ERANGE);
  EXPECT_EQ(parse_u32("12x").error().err, EINVAL);
  EXPECT_EQ(parse_u32("").error().err, EINVAL);
  EXPECT_EQ(*parse_s32("-5"), -5);
  EXPECT_EQ(parse_s32("0x10").error().err, EINVAL);
}

TEST(HumanSize, OneDecimalBinaryUnits) {
  EXPECT_EQ(human_size(512), "512B");
  EXPECT_EQ(human_size(1024), "1K");
  EXPECT_EQ(human_size(1536), "1.5K");
  EXPECT_EQ(human_size(12634472448ULL), "11.8G");
}

}  // namespace
}  // namespace findmnt
