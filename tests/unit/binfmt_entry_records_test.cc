// SPDX-License-Identifier: GPL-2.0-or-later
// binfmt_misc entries as the BPF program of kernel/bpf/binfmt_entries.bpf.c writes them (records.h), taken
// into the scan's terms (scan/bpf/binfmt_entries.h): hostile records (no NUL, cut names, no instance,
// repeats) give no wrong entry, and a kernel the program cannot read is an error, not an empty answer.
#include <gtest/gtest.h>

#include <cstring>

#include "scan/bpf/binfmt_entries.h"

namespace detach::scan {
namespace {

constexpr std::uint32_t kLoop0 = 7U << 20;  // 7:0, the kernel's own dev_t encoding
constexpr std::uint32_t kInstance = 41;     // 0:41

detach_bpf_binfmt_entry Record(const std::string& name, const std::string& interpreter,
                               std::uint32_t flags = 0) {
  detach_bpf_binfmt_entry r{};
  r.file.mnt_id_unique = 0x80000123;
  r.file.mnt_id = 77;
  r.file.ino = 12;
  r.file.dev = kLoop0;
  r.instance_dev = kInstance;
  r.flags = flags;
  std::strncpy(r.name, name.c_str(), sizeof r.name);
  std::strncpy(r.interpreter, interpreter.c_str(), sizeof r.interpreter);
  return r;
}

// Given one entry's record, we should get its instance, name, interpreter and file, the mount of the
// snapshot's id kind.
TEST(BinfmtEntryRecords, GiveTheEntryAndItsFile) {
  auto unique = binfmt_entries_from_records({Record("qemu-arm", "/usr/bin/qemu-arm-static")}, IdKind::Unique);
  ASSERT_TRUE(unique.has_value());
  ASSERT_EQ(unique->entries.size(), 1u);
  const ExactBinfmtEntry& e = unique->entries[0];
  EXPECT_EQ(e.instance, (DeviceNumber{0, 41}));
  EXPECT_EQ(e.name, "qemu-arm");
  EXPECT_EQ(e.interpreter, "/usr/bin/qemu-arm-static");
  EXPECT_FALSE(e.name_cut);
  EXPECT_FALSE(e.interpreter_cut);
  EXPECT_EQ(e.file.mount, 0x80000123u);
  EXPECT_EQ(e.file.dev, (DeviceNumber{7, 0}));
  EXPECT_EQ(e.file.ino, 12u);
  EXPECT_TRUE(unique->truncated.empty());
  EXPECT_EQ(unique->read_at_most, static_cast<unsigned>(DETACH_BPF_BINFMT_ENTRIES));

  auto old = binfmt_entries_from_records({Record("qemu-arm", "/usr/bin/qemu-arm-static")}, IdKind::Old);
  ASSERT_TRUE(old.has_value());
  ASSERT_EQ(old->entries.size(), 1u);
  EXPECT_EQ(old->entries[0].file.mount, 77u);
}

// Given fields that fill their buffers with no NUL, we should read them to their end, not past it, and keep
// the record's word that they were cut.
TEST(BinfmtEntryRecords, FieldsWithoutANulEndAtTheirBuffer) {
  detach_bpf_binfmt_entry r = Record("", "", DETACH_BPF_BINFMT_NAME_CUT | DETACH_BPF_BINFMT_INTERPRETER_CUT);
  std::memset(r.name, 'n', sizeof r.name);
  std::memset(r.interpreter, '/', sizeof r.interpreter);
  auto found = binfmt_entries_from_records({r}, IdKind::Unique);
  ASSERT_TRUE(found.has_value());
  ASSERT_EQ(found->entries.size(), 1u);
  EXPECT_EQ(found->entries[0].name, std::string(sizeof r.name, 'n'));
  EXPECT_EQ(found->entries[0].interpreter, std::string(sizeof r.interpreter, '/'));
  EXPECT_TRUE(found->entries[0].name_cut);
  EXPECT_TRUE(found->entries[0].interpreter_cut);
}

// Given a record with no name, one with no instance, and a repeat, we should keep only the first of the
// entry's records: an entry that cannot be told from another is left to the census's path.
TEST(BinfmtEntryRecords, NamelessInstancelessAndRepeatedRecordsAreDropped) {
  detach_bpf_binfmt_entry no_instance = Record("jar", "/usr/bin/jexec");
  no_instance.instance_dev = 0;
  detach_bpf_binfmt_entry repeat = Record("qemu-arm", "/elsewhere");
  auto found = binfmt_entries_from_records(
      {Record("", "/usr/bin/x"), no_instance, Record("qemu-arm", "/usr/bin/qemu-arm-static"), repeat},
      IdKind::Unique);
  ASSERT_TRUE(found.has_value());
  ASSERT_EQ(found->entries.size(), 1u);
  EXPECT_EQ(found->entries[0].name, "qemu-arm");
  EXPECT_EQ(found->entries[0].interpreter, "/usr/bin/qemu-arm-static");
}

// Given two entries whose names were cut alike, we should keep neither: which is which cannot be told.
TEST(BinfmtEntryRecords, EntriesCutAlikeAreBothDropped) {
  const std::string prefix(DETACH_BPF_BINFMT_NAME, 'q');
  auto found =
      binfmt_entries_from_records({Record(prefix, "/a", DETACH_BPF_BINFMT_NAME_CUT),
                                   Record(prefix, "/b", DETACH_BPF_BINFMT_NAME_CUT), Record("jar", "/j")},
                                  IdKind::Unique);
  ASSERT_TRUE(found.has_value());
  ASSERT_EQ(found->entries.size(), 1u);
  EXPECT_EQ(found->entries[0].name, "jar");
}

// Given an instance's truncation record, we should know that instance held more than was read; given one
// that came before any entry was read, an unknown instance.
TEST(BinfmtEntryRecords, TruncationRecordsNameTheirInstance) {
  detach_bpf_binfmt_entry unknown{};
  unknown.flags = DETACH_BPF_BINFMT_TRUNCATED;
  detach_bpf_binfmt_entry known = unknown;
  known.instance_dev = kInstance;
  auto found = binfmt_entries_from_records({Record("a", "/a"), known, unknown}, IdKind::Unique);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->entries.size(), 1u);
  EXPECT_EQ(found->truncated, (std::set<DeviceNumber>{DeviceNumber{0, 41}, DeviceNumber{}}));
}

// Given the record that says this kernel's instances cannot be read (before 6.7), we should fail with why,
// not answer that there are no entries.
TEST(BinfmtEntryRecords, AKernelWithoutInstancesIsAnError) {
  detach_bpf_binfmt_entry unreachable{};
  unreachable.flags = DETACH_BPF_BINFMT_UNREACHABLE;
  auto found = binfmt_entries_from_records({unreachable}, IdKind::Unique);
  ASSERT_FALSE(found.has_value());
  EXPECT_NE(found.error().message().find("before Linux 6.7"), std::string::npos) << found.error().message();
}

}  // namespace
}  // namespace detach::scan
