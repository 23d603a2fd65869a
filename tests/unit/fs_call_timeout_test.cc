// SPDX-License-Identifier: GPL-2.0-or-later
// The bound on a scan's calls into filesystems as the environment sets it (scan/fs_call_timeout.h).
#include "scan/fs_call_timeout.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "scan/scan.h"

namespace detach {
namespace {

// Sets DETACH_FS_TIMEOUT_MS (unsets it for nullopt) for one test, and puts back what was there.
class FsTimeoutVariable {
 public:
  explicit FsTimeoutVariable(const std::optional<std::string>& value) {
    if (const char* old = std::getenv(kName)) old_ = old;
    if (value)
      ::setenv(kName, value->c_str(), 1);
    else
      ::unsetenv(kName);
  }
  ~FsTimeoutVariable() {
    if (old_)
      ::setenv(kName, old_->c_str(), 1);
    else
      ::unsetenv(kName);
  }
  FsTimeoutVariable(const FsTimeoutVariable&) = delete;
  FsTimeoutVariable& operator=(const FsTimeoutVariable&) = delete;

 private:
  static constexpr const char* kName = "DETACH_FS_TIMEOUT_MS";
  std::optional<std::string> old_;
};

TEST(FsCallTimeout, UnsetIsTwoSeconds) {
  FsTimeoutVariable unset(std::nullopt);
  EXPECT_EQ(fs_call_timeout_from_environment(), std::chrono::milliseconds(2000));
  EXPECT_EQ(ScanOptions().fs_call_timeout, std::chrono::milliseconds(2000));
}

TEST(FsCallTimeout, TheVariableSetsTheScanOptionsBound) {
  FsTimeoutVariable eight("8000");
  EXPECT_EQ(fs_call_timeout_from_environment(), std::chrono::milliseconds(8000));
  EXPECT_EQ(ScanOptions().fs_call_timeout, std::chrono::milliseconds(8000));
}

TEST(FsCallTimeout, AnythingButOneToSixtyThousandMillisecondsIsTheDefault) {
  for (const char* value : {"", "0", "-5", "60001", "2s", " 100", "1e3", "99999999999999999999"}) {
    FsTimeoutVariable bad(value);
    EXPECT_EQ(fs_call_timeout_from_environment(), kDefaultFsCallTimeout) << "DETACH_FS_TIMEOUT_MS=" << value;
  }
  FsTimeoutVariable edge("60000");
  EXPECT_EQ(fs_call_timeout_from_environment(), std::chrono::milliseconds(60000));
}

}  // namespace
}  // namespace detach
