// Unit tests of findmnt's option scanning (getopt_long rules), column lists and number parsing.
#include <gtest/gtest.h>

#include "cells.h"
#include "columns.h"
#include "getopt_scan.h"
#include "numbers.h"

namespace findmnt {
namespace {

ScannedArgs scan(std::vector<std::string> args) {
  return scan_argv(args);
}

TEST(GetoptScan, BundledShortOptionsWithAttachedValue) {
  // Given -lnoTARGET we should see --list, --noheadings and --output=TARGET, as getopt_long splits it.
  ScannedArgs s = scan({"-lnoTARGET"});
  ASSERT_FALSE(s.error);
  ASSERT_EQ(s.options.size(), 3u);
  EXPECT_EQ(s.options[0].id, Opt::List);
  EXPECT_EQ(s.options[1].id, Opt::Noheadings);
  EXPECT_EQ(s.options[2].id, Opt::Output);
  EXPECT_EQ(s.options[2].value, "TARGET");
}

TEST(GetoptScan, RequiredValueTakesNextArgumentEvenWithDash) {
  ScannedArgs s = scan({"-o", "-x"});
  ASSERT_EQ(s.options.size(), 1u);
  EXPECT_EQ(s.options[0].value, "-x");
}

TEST(GetoptScan, UnambiguousLongPrefixIsExpanded) {
  ScannedArgs s = scan({"--noh", "--output=SOURCE"});
  ASSERT_EQ(s.options.size(), 2u);
  EXPECT_EQ(s.options[0].id, Opt::Noheadings);
  EXPECT_EQ(s.options[1].value, "SOURCE");
}

TEST(GetoptScan, AmbiguousPrefixListsCandidatesInTableOrder) {
  ScannedArgs s = scan({"--no"});
  ASSERT_TRUE(s.error);
  EXPECT_EQ(*s.error,
            "option '--no' is ambiguous; possibilities: '--noheadings' '--notruncate' '--nocanonicalize' "
            "'--nofsroot'");
}

TEST(GetoptScan, LegacyOptionWinsPrefixTieWithNewerOption) {
  // --li meant --list in util-linux 2.38; --list-columns must not make it ambiguous.
  ScannedArgs s = scan({"--li"});
  ASSERT_FALSE(s.error);
  EXPECT_EQ(s.options[0].id, Opt::List);
}

TEST(GetoptScan, OptionalValueOnlyWhenAttached) {
  ScannedArgs s = scan({"-p", "mount", "--poll=umount"});
  ASSERT_EQ(s.options.size(), 2u);
  EXPECT_FALSE(s.options[0].value);
  EXPECT_EQ(s.options[1].value, "umount");
  EXPECT_EQ(s.positionals, std::vector<std::string>{"mount"});
}

TEST(GetoptScan, DoubleDashEndsOptions) {
  ScannedArgs s = scan({"-l", "--", "-x", "/"});
  ASSERT_EQ(s.options.size(), 1u);
  EXPECT_EQ(s.positionals, (std::vector<std::string>{"-x", "/"}));
}

TEST(GetoptScan, ErrorsUseGetoptWords) {
  EXPECT_EQ(*scan({"-q"}).error, "invalid option -- 'q'");
  EXPECT_EQ(*scan({"-o"}).error, "option requires an argument -- 'o'");
  EXPECT_EQ(*scan({"--output"}).error, "option '--output' requires an argument");
  EXPECT_EQ(*scan({"--ascii=1"}).error, "option '--ascii' doesn't allow an argument");
  EXPECT_EQ(*scan({"--bogus=3"}).error, "unrecognized option '--bogus=3'");
}

TEST(GetoptScan, OptionsBeforeAnErrorAreKept) {
  ScannedArgs s = scan({"-h", "--bogus"});
  ASSERT_TRUE(s.error);
  ASSERT_EQ(s.options.size(), 1u);
  EXPECT_EQ(s.options[0].id, Opt::Help);
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
