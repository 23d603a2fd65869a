// SPDX-License-Identifier: GPL-2.0-or-later
// Owners for libmount objects (tools/cli/mnt.h), by the names findmnt uses.
#pragma once

#include "cli/mnt.h"

namespace findmnt {

using cli::File;
using cli::MntCache;
using cli::MntIter;
using cli::MntTabdiff;
using cli::MntTable;
using cli::new_iter;

}  // namespace findmnt
