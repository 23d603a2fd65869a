// SPDX-License-Identifier: GPL-2.0-or-later
// The kinds of a `mkfs-guard -J` document's reasons, in order: one assertion says which reasons there are,
// and so that there is no other (no guess, no wrong device).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness.h"

namespace itest {

inline std::vector<std::string> ReasonKinds(const nlohmann::json& reasons) {
  std::vector<std::string> out;
  for (const nlohmann::json& reason : reasons) out.push_back(Text(reason, "kind"));
  return out;
}

}  // namespace itest
