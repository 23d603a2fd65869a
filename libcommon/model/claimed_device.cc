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

const char* claim_role_words(ClaimRole role) {
  switch (role) {
    case ClaimRole::Log:
      return "external log device";
    case ClaimRole::Realtime:
      return "realtime device";
    case ClaimRole::Journal:
      return "external journal device";
    case ClaimRole::Member:
      break;
  }
  return "device";
}

}  // namespace detach
