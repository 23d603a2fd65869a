// SPDX-License-Identifier: GPL-2.0-or-later
#include "fixture_tree.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace detach::testing {

namespace fs = std::filesystem;

FixtureTree::FixtureTree() {
  std::string pattern = (fs::temp_directory_path() / "detach-fixture-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  root_ = pattern;
}

FixtureTree::~FixtureTree() {
  std::error_code ignored;
  fs::remove_all(root_, ignored);
}

void FixtureTree::write(const std::string& relative, const std::string& content) const {
  fs::path path = fs::path(root_) / relative;
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

void FixtureTree::link(const std::string& relative, const std::string& target) const {
  fs::path path = fs::path(root_) / relative;
  fs::create_directories(path.parent_path());
  if (::symlink(target.c_str(), path.c_str()) != 0)
    throw std::runtime_error("symlink failed: " + path.string());
}

}  // namespace detach::testing
