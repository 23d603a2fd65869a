// SPDX-License-Identifier: GPL-2.0-or-later
#include "model/claimed_device.h"

namespace detach {

const char* claim_role_name(ClaimRole role) {
  switch (role) {
    case ClaimRole::Log:
      return "log";
    case ClaimRole::Realtime:
      return "realtime";
    case ClaimRole::Journal:
      return "journal";
    case ClaimRole::Member:
      break;
  }
  return "member";
}

const char* claim_role_words(ClaimRole role, const Words& words) {
  switch (role) {
    case ClaimRole::Log:
      return words.tr("external log device");
    case ClaimRole::Realtime:
      return words.tr("realtime device");
    case ClaimRole::Journal:
      return words.tr("external journal device");
    case ClaimRole::Member:
      break;
  }
  // TRANSLATORS: one of the devices of a btrfs filesystem.
  return words.tr("device");
}

}  // namespace detach
