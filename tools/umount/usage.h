// SPDX-License-Identifier: GPL-2.0-or-later
// umount --help and --version, as util-linux 2.38.1 prints them (plus our --wait).
#pragma once

namespace umount_tool {

void print_usage();
// "umount from util-linux 2.38.1 (detach-utils 0.1.0)": scripts read the util-linux part.
void print_version();

}  // namespace umount_tool
