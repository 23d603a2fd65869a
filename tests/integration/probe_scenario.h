// SPDX-License-Identifier: GPL-2.0-or-later
// What the probe scenarios share (a binfmt_misc entry, a uprobe event, a BPF uprobe link on a binary of a
// loop filesystem M), here and in tests/bpf: an executable copied into M, the entry and the event, the checks
// that no wrong device and no guess is named, and the pinner of one kind in mkfs-guard -J. Global kernel
// state (binfmt_misc entries, uprobe events) gets names unique to the run, is undone by its guard also when a
// test fails, and a leftover of a killed run is undone at the start.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>

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

// binfmt_misc's entries, as the test's private namespace mounts it (binfmt_misc is one instance per user
// namespace: its entries are the whole system's).
constexpr const char* kBinfmtDir = "/proc/sys/fs/binfmt_misc";

// The binfmt_misc entry NAME, registered with flag F (or not), its interpreter INTERPRETER, through the
// instance mounted at DIR; removed on destruction, whatever happened.
class BinfmtEntry {
 public:
  BinfmtEntry(std::string name, const std::string& interpreter, bool open_file, std::string dir = kBinfmtDir)
      : name_(std::move(name)), dir_(std::move(dir)) {
    // A magic of our own, so that no real executable is ever run through it.
    const std::string rule = ":" + name_ + ":M::DTCH" + name_.substr(name_.size() - 4) + "::" + interpreter +
                             ":" + (open_file ? "F" : "");
    WriteFile(dir_ + "/register", rule);
    if (ReadFile(file()).empty()) throw std::runtime_error("binfmt_misc did not take " + rule);
  }
  ~BinfmtEntry() { Remove(); }
  BinfmtEntry(const BinfmtEntry&) = delete;
  BinfmtEntry& operator=(const BinfmtEntry&) = delete;
  void Remove() {
    if (access(file().c_str(), F_OK) == 0) WriteFile(file(), "-1");
  }
  const std::string& name() const { return name_; }
  std::string file() const { return dir_ + "/" + name_; }

 private:
  std::string name_;
  std::string dir_;
};

// Entries of PREFIX a killed run left behind (its pid gone), removed.
inline void RemoveBinfmtLeftovers(const std::string& prefix) {
  auto dir = RunCommand({"ls", "-1", kBinfmtDir});
  std::istringstream names(dir.out);
  for (std::string name; std::getline(names, name);)
    if (LeftoverOf(name, prefix)) WriteFile(std::string(kBinfmtDir) + "/" + name, "-1");
}

// tracefs, as the test's private namespace mounts it; uprobe events are one list for the whole system.
constexpr const char* kTracefs = "/sys/kernel/tracing";

inline std::string EventsFile() {
  return std::string(kTracefs) + "/uprobe_events";
}

// Appends LINE to uprobe_events (as `echo LINE >> uprobe_events` does); false when the kernel refuses it.
inline bool WriteEvents(const std::string& line) {
  UniqueFd fd(open(EventsFile().c_str(), O_WRONLY | O_APPEND | O_CLOEXEC));
  const std::string text = line + "\n";
  return fd && write(fd.get(), text.data(), text.size()) == static_cast<ssize_t>(text.size());
}

// The uprobe event uprobes/NAME on FILE at OFFSET; removed on destruction, whatever happened.
class UprobeEvent {
 public:
  UprobeEvent(std::string name, const std::string& file, unsigned offset) : name_(std::move(name)) {
    char where[32];
    std::snprintf(where, sizeof where, ":0x%x", offset);
    if (!WriteEvents("p:uprobes/" + name_ + " " + file + where))
      throw std::runtime_error("uprobe_events did not take the probe on " + file);
  }
  ~UprobeEvent() { Remove(); }
  UprobeEvent(const UprobeEvent&) = delete;
  UprobeEvent& operator=(const UprobeEvent&) = delete;
  void Remove() {
    if (ReadFile(EventsFile()).find("uprobes/" + name_ + " ") != std::string::npos)
      WriteEvents("-:uprobes/" + name_);
  }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

// Events of PREFIX a killed run left behind (its pid gone), removed.
inline void RemoveUprobeLeftovers(const std::string& prefix) {
  std::istringstream lines(ReadFile(EventsFile()));
  for (std::string line; std::getline(lines, line);) {
    const std::size_t slash = line.find('/'), blank = line.find(' ');
    if (line.rfind("p:uprobes/", 0) != 0 || blank == std::string::npos) continue;
    const std::string name = line.substr(slash + 1, blank - slash - 1);
    if (LeftoverOf(name, prefix)) WriteEvents("-:uprobes/" + name);
  }
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
