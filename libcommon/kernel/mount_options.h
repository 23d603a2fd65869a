// SPDX-License-Identifier: GPL-2.0-or-later
// Values of mount options, as the kernel prints an option list (mountinfo's super options, statmount's
// mnt_opts) and libmount hands it on (the journal keeps libmount's merged list): "rw,logdev=/dev/sdc1".
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace detach {

// The value of option KEY in OPTIONS ("logdev" in "rw,logdev=/dev/sdc1,noquota" gives "/dev/sdc1"),
// unescaped; nullopt when KEY is not there with a value. The kernel escapes ',', ' ', '\t', '\n' and '\\' in
// a value as \ooo (seq_show_option), so a comma never ends a value early and a value holds any byte but NUL.
// An empty value is no value; the first KEY counts.
std::optional<std::string> mount_option_value(std::string_view options, std::string_view key);

}  // namespace detach
