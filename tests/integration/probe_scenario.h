// SPDX-License-Identifier: GPL-2.0-or-later
// What the probe scenarios share (a binfmt_misc entry, a uprobe event, a BPF uprobe link on a binary of a
// loop filesystem M): an executable copied into M, the checks that no wrong device and no guess is named, and
// the pinner of one kind in mkfs-guard -J. Global kernel state (binfmt_misc entries, uprobe events) gets
// names unique to the run, is undone by its guard also when a test fails, and a leftover of a killed run is
// undone at the start.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <regex>
#include <set>
#include <string>

#include "harness.h"

namespace itest {

// Copies the executable FROM to TO (mode 0755).
inline void CopyExecutable(const std::string& from, const std::string& to) {
  WriteFile(to, ReadFile(from));
  if (chmod(to.c_str(), 0755) != 0) throw std::runtime_error("chmod " + to);
}

// A name unique to this run (PREFIX then our pid), and whether a name of PREFIX is a leftover of a run that
// is gone (its pid no longer lives).
inline std::string UniqueName(const std::string& prefix) {
  return prefix + std::to_string(getpid());
}
inline bool LeftoverOf(const std::string& name, const std::string& prefix) {
  if (name.rfind(prefix, 0) != 0) return false;
  const std::string pid = name.substr(prefix.size());
  if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) return false;
  return access(("/proc/" + pid).c_str(), F_OK) != 0;
}

// Every /dev/loopN that TEXT names, and none but DEVICE: no wrong device is blamed.
inline void ExpectNoOtherLoopDevice(const std::string& text, const std::string& device) {
  static const std::regex kLoop("/dev/loop[0-9]+");
  std::set<std::string> named;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kLoop); it != std::sregex_iterator(); ++it)
    named.insert(it->str());
  named.erase(device);
  EXPECT_TRUE(named.empty()) << "names another device: " << *named.begin() << "\n" << text;
}

// No guess: neither "may" nor "probably" nor "could not" in TEXT.
inline void ExpectNoGuess(const std::string& text) {
  for (const char* word : {" may ", "may:", "probably", "suspect"})
    EXPECT_EQ(text.find(word), std::string::npos) << "guesses (" << word << "):\n" << text;
}

// The pinners of KIND in a mkfs-guard -J document, from every reason.
inline std::vector<nlohmann::json> GuardPinnersOfKind(const nlohmann::json& doc, const std::string& kind) {
  std::vector<nlohmann::json> out;
  for (const nlohmann::json& reason : Reasons(doc))
    for (const nlohmann::json& pinner : Pinners(reason))
      if (Text(pinner, "kind") == kind) out.push_back(pinner);
  return out;
}

}  // namespace itest
