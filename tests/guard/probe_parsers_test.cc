// SPDX-License-Identifier: GPL-2.0-or-later
// The parsers of the probes census: binfmt_misc entry files and tracefs uprobe_events, on files captured from
// this kernel (6.18) and on hostile ones (a newline or the flags line inside an interpreter, bytes that are
// not UTF-8, texts cut short, garbage); a bpf link's fdinfo; the strings a bounded child sends back.
#include <gtest/gtest.h>

#include <string>

#include "base/packed_strings.h"
#include "kernel/binfmt_misc.h"
#include "kernel/bpf_links.h"
#include "kernel/procfs.h"
#include "kernel/uprobe_events.h"

namespace detach {
namespace {

using namespace std::string_view_literals;

std::string Fixture(const std::string& name) {
  auto text = read_file(std::string(FIXTURES_DIR) + "/" + name);
  EXPECT_TRUE(text.has_value()) << name;
  return text.value_or("");
}

std::optional<BinfmtEntry> Entry(const std::string& name) {
  return parse_binfmt_entry(Fixture("binfmt_misc/" + name));
}

TEST(ParseBinfmtEntry, GivenQemuUserStaticsArmEntryWeShouldGetItsInterpreterFlagsMagicAndMask) {
  std::optional<BinfmtEntry> e = Entry("qemu-arm");
  ASSERT_TRUE(e.has_value());
  EXPECT_TRUE(e->enabled);
  EXPECT_EQ(e->interpreter, "/tmp/probes-exp/qemu-arm-static");
  EXPECT_EQ(e->flags, "OCF");
  EXPECT_TRUE(e->open_file);
  EXPECT_EQ(e->offset, 0);
  EXPECT_EQ(e->magic, "7f454c4601010100000000000000000002002800");
  EXPECT_EQ(e->mask, "ffffffffffffff00fffffffffffffffffeffffff");
  EXPECT_FALSE(e->extension.has_value());
}

TEST(ParseBinfmtEntry, GivenADisabledExtensionEntryWithoutFlagsWeShouldGetItsExtensionAndNoF) {
  std::optional<BinfmtEntry> e = Entry("extension-disabled");
  ASSERT_TRUE(e.has_value());
  EXPECT_FALSE(e->enabled);
  EXPECT_EQ(e->interpreter, "/usr/bin/python3");
  EXPECT_EQ(e->flags, "");
  EXPECT_FALSE(e->open_file);
  EXPECT_EQ(e->extension, "pyz");
  EXPECT_FALSE(e->offset.has_value());
}

TEST(ParseBinfmtEntry, GivenAnOffsetAndEveryFlagWeShouldGetThemAll) {
  std::optional<BinfmtEntry> offset = Entry("magic-offset");
  ASSERT_TRUE(offset.has_value());
  EXPECT_EQ(offset->offset, 4);
  EXPECT_EQ(offset->flags, "P");
  EXPECT_FALSE(offset->open_file);
  EXPECT_EQ(offset->mask, "");
  std::optional<BinfmtEntry> all = Entry("all-flags");
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->flags, "POCF");
  EXPECT_TRUE(all->open_file);
  EXPECT_EQ(all->magic, "4d5a");
}

TEST(ParseBinfmtEntry, GivenANewlineAndABlankInTheInterpreterWeShouldGetItWhole) {
  // Registered here with interpreter "/tmp/probes-exp/sp ace/in<newline>ter": the kernel prints it raw.
  std::optional<BinfmtEntry> e = Entry("newline-in-interpreter");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->interpreter, "/tmp/probes-exp/sp ace/in\nter");
  EXPECT_TRUE(e->open_file);
}

TEST(ParseBinfmtEntry, GivenTheFlagsLineInsideTheInterpreterWeShouldTakeTheFirstPlaceThatReadsWhole) {
  // The text itself cannot tell "/evil" with an extension holding newlines from "/evil\nflags: F..." without
  // flags: the first place after which the rest is a whole entry wins, and says so in this test.
  std::optional<BinfmtEntry> e = Entry("ambiguous-flags-in-interpreter");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->interpreter, "/evil");
  EXPECT_EQ(e->flags, "F");
  EXPECT_EQ(e->extension, "x\n/real\nflags: \noffset 0\nmagic 00");
}

TEST(ParseBinfmtEntry, GivenBytesThatAreNotUtf8WeShouldKeepThem) {
  std::optional<BinfmtEntry> e = Entry("not-utf8");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->interpreter, "/opt/\xff\xfe/qemu");
}

TEST(ParseBinfmtEntry, GivenWhatTheKernelNeverPrintsWeShouldGetNoEntry) {
  for (const char* name : {"truncated", "short-status", "flags-out-of-order", "uppercase-hex", "mask-length"})
    EXPECT_FALSE(Entry(name).has_value()) << name;
  EXPECT_FALSE(parse_binfmt_entry("").has_value());
  EXPECT_FALSE(parse_binfmt_entry("enabled\ninterpreter \nflags: F\noffset 0\nmagic 00\n").has_value());
  EXPECT_FALSE(
      parse_binfmt_entry("enabled\ninterpreter /x\0y\nflags: F\noffset 0\nmagic 00\n"sv).has_value());
  EXPECT_FALSE(parse_binfmt_entry("enabled\ninterpreter /x\nflags: F\noffset -0\nmagic 00\n").has_value());
  EXPECT_FALSE(
      parse_binfmt_entry("enabled\ninterpreter /x\nflags: F\noffset 2147483648\nmagic 00\n").has_value());
}

TEST(ParseBinfmtEntry, GivenANegativeOffsetWeShouldGetIt) {
  // "%i" of the kernel's int: registration takes an unsigned number that may wrap.
  std::optional<BinfmtEntry> e =
      parse_binfmt_entry("enabled\ninterpreter /x\nflags: F\noffset -1\nmagic 00\n");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->offset, -1);
}

TEST(ParseUprobeEvents, GivenThreeEventsAsThisKernelPrintsThemWeShouldGetEachField) {
  std::size_t skipped = 9;
  std::vector<UprobeEvent> events = parse_uprobe_events(Fixture("uprobe_events/three-events"), &skipped);
  EXPECT_EQ(skipped, 0U);
  ASSERT_EQ(events.size(), 3U);
  EXPECT_FALSE(events[0].is_return);
  EXPECT_EQ(events[0].name(), "uprobes/probes_exp");
  EXPECT_EQ(events[0].path, "/tmp/probes-exp/m/target");
  EXPECT_EQ(events[0].offset, 0x1000U);
  EXPECT_EQ(events[0].args, "arg1=%ip arg2=%ax");
  EXPECT_EQ(events[0].definition(), "p:uprobes/probes_exp /tmp/probes-exp/m/target:0x1000");
  EXPECT_TRUE(events[1].is_return);
  EXPECT_EQ(events[1].definition(), "r:uprobes/probes_exp_r /tmp/probes-exp/m/target:0x1010");
  EXPECT_EQ(events[1].args, "");
  EXPECT_EQ(events[2].group, "mygrp");
  EXPECT_EQ(events[2].event, "probes_exp3");
  EXPECT_EQ(events[2].ref_ctr_offset, 0x10U);
  EXPECT_EQ(events[2].definition(), "p:mygrp/probes_exp3 /tmp/probes-exp/m/target:0x1020(0x10)");
}

TEST(ParseUprobeEvents, GivenHostileLinesWeShouldKeepTheWholeOnesAndCountTheRest) {
  std::size_t skipped = 0;
  std::vector<UprobeEvent> events = parse_uprobe_events(Fixture("uprobe_events/hostile"), &skipped);
  ASSERT_EQ(events.size(), 2U);
  // The kernel splits a path from its offset at the last ':'.
  EXPECT_EQ(events[0].path, "/srv/a:b/bin");
  EXPECT_EQ(events[0].offset, 0x400U);
  EXPECT_EQ(events[1].path, "/opt/\xff\xfe/bin");
  // garbage, an unknown type, no offset, and the last line cut short.
  EXPECT_EQ(skipped, 4U);
}

TEST(ParseUprobeEvents, GivenNothingWeShouldGetNothing) {
  std::size_t skipped = 9;
  EXPECT_TRUE(parse_uprobe_events("", &skipped).empty());
  EXPECT_EQ(skipped, 0U);
}

TEST(ParseBpfLinkId, GivenTheFdinfoOfAUprobeMultiLinkWeShouldGetItsId) {
  // /proc/PID/fdinfo of a uprobe_multi link fd on 6.18.
  const std::string fdinfo =
      "pos:\t0\nflags:\t02000002\nmnt_id:\t16\nino:\t2087\nlink_type:\tuprobe_multi\nlink_id:\t42\n"
      "prog_tag:\tb90f0b0a7f4f2e0c\nprog_id:\t97\nuprobe_cnt:\t1\npid:\t0\n";
  EXPECT_EQ(parse_bpf_link_id(fdinfo), 42U);
  EXPECT_FALSE(parse_bpf_link_id("pos:\t0\nflags:\t02\nmnt_id:\t16\nino:\t1\n").has_value());
  EXPECT_FALSE(parse_bpf_link_id("link_id:\t-1\n").has_value());
}

TEST(PackedStrings, GivenAnyBytesWeShouldGetThemBackAndRefuseWhatIsCutShort) {
  const std::vector<std::string> items{"", "a", std::string("x\0y", 3), "12:34", std::string(1000, '\n')};
  const std::string packed = pack_strings(items);
  EXPECT_EQ(unpack_strings(packed), items);
  EXPECT_FALSE(unpack_strings(packed.substr(0, packed.size() - 1)).has_value());
  EXPECT_FALSE(unpack_strings("x:").has_value());
  EXPECT_FALSE(unpack_strings("-1:").has_value());
  EXPECT_EQ(unpack_strings(""), std::vector<std::string>{});
}

}  // namespace
}  // namespace detach
