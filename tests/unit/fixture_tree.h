// SPDX-License-Identifier: GPL-2.0-or-later
// Builds /proc- and /sys-shaped trees in a temporary directory, so the scan's file readers run on exactly the
// bytes a test chooses: hostile names included, no root needed.
#pragma once

#include <string>

namespace detach::testing {

class FixtureTree {
 public:
  FixtureTree();
  ~FixtureTree();
  FixtureTree(const FixtureTree&) = delete;
  FixtureTree& operator=(const FixtureTree&) = delete;

  const std::string& root() const { return root_; }
  std::string proc() const { return root_ + "/proc"; }
  std::string sys() const { return root_ + "/sys"; }
  std::string dev() const { return root_ + "/dev"; }

  // Writes CONTENT to ROOT/RELATIVE, making the directories on the way.
  void write(const std::string& relative, const std::string& content) const;
  // Makes ROOT/RELATIVE a symlink whose text is TARGET (any bytes: it is never followed).
  void link(const std::string& relative, const std::string& target) const;

 private:
  std::string root_;
};

}  // namespace detach::testing
