// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/scan_source.h"

#include <cstdlib>
#include <string_view>

namespace detach {

ScanSource scan_source_from_environment() {
  const char* value = std::getenv("DETACH_SCAN_SOURCE");
  if (value == nullptr) return ScanSource::Auto;
  const std::string_view v = value;
  if (v == "bpf") return ScanSource::Bpf;
  if (v == "proc") return ScanSource::Proc;
  return ScanSource::Auto;
}

const char* scan_source_name(ScanSource source) {
  switch (source) {
    case ScanSource::Bpf:
      return "bpf";
    case ScanSource::Proc:
      return "proc";
    case ScanSource::Auto:
      break;
  }
  return "auto";
}

}  // namespace detach
