// SPDX-License-Identifier: GPL-2.0-or-later
// What the scenarios of devices a filesystem claims besides its source share (xfs log and realtime devices,
// an ext4 journal device, a second btrfs device): asking each tool about such a device and reading its
// answer.
#pragma once

#include <string>
#include <vector>

#include "umount_test_util.h"

namespace itest {

using ::testing::HasSubstr;
using ::testing::Not;

// mkfs-guard's words for what the device is to the filesystem: "the external log device of the xfs
// filesystem on /dev/loop4".
inline std::string ClaimPhrase(const std::string& role_words, const std::string& fstype,
                               const std::string& fs) {
  return role_words + " of the " + fstype + " filesystem on " + fs;
}

// What no answer about a claimed device may say: that nothing explains it, or a guess.
inline void ExpectNoUnknownOrGuess(const RunResult& r) {
  EXPECT_THAT(r.out, Not(HasSubstr("claimed, but"))) << r.Describe();
  EXPECT_THAT(r.out, Not(HasSubstr("probably"))) << r.Describe();
  EXPECT_THAT(r.out, Not(HasSubstr("\"unknown\""))) << r.Describe();
}

// The first reason of `mkfs-guard -J DEVICE` that is a filesystem's claim, checked for its role and
// filesystem; its nested reasons are returned.
inline nlohmann::json ClaimReasonOf(const std::string& device, const std::string& role,
                                    const std::string& fstype, const std::string& fs) {
  const RunResult guard = RunCommand({MkfsGuard(), "-J", device});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  ExpectNoUnknownOrGuess(guard);
  const std::optional<nlohmann::json> doc = ParseJson(guard.out);
  if (!doc) return nlohmann::json::array();
  const nlohmann::json reasons = Reasons(*doc);
  EXPECT_FALSE(reasons.empty()) << doc->dump(2);
  if (reasons.empty()) return nlohmann::json::array();
  const nlohmann::json& claim = reasons[0];
  EXPECT_EQ(Text(claim, "kind"), "filesystem-device") << doc->dump(2);
  EXPECT_EQ(Text(claim, "role"), role) << doc->dump(2);
  EXPECT_EQ(Text(claim, "fstype"), fstype) << doc->dump(2);
  EXPECT_EQ(Text(claim, "filesystem"), fs) << doc->dump(2);
  return Reasons(claim);
}

// The fuser -v row for a claimed device, as on standard error (its PID column, "kernel", goes to standard
// output, as psmisc prints it): "root      fsdev WHERE (ROLE of FSTYPE FS[, detached])".
inline std::string FuserClaimRow(const std::string& where, const std::string& role_words,
                                 const std::string& fstype, const std::string& fs, bool detached) {
  return "root      fsdev " + where + " (" + role_words + " of " + fstype + " " + fs +
         (detached ? ", detached)" : ")");
}

}  // namespace itest
