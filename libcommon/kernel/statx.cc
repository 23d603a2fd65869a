// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/statx.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "kernel/uapi.h"

namespace detach {

Result<MountRef> mount_ref_at(int dirfd, const char* path, bool want_unique, int extra_flags) {
  struct statx stx {};
  unsigned mask = want_unique ? uapi::kStatxMntIdUnique : uapi::kStatxMntId;
  if (::statx(dirfd, path, AT_STATX_DONT_SYNC | extra_flags, mask, &stx) != 0)
    return fail_errno("statx", path);
  MountRef ref;
  if (stx.stx_mask & uapi::kStatxMntIdUnique) {
    ref.unique = true;
  } else if (want_unique) {
    // Before 6.8 the unique bit is ignored: ask again for the old id.
    return mount_ref_at(dirfd, path, false, extra_flags);
  } else if (!(stx.stx_mask & uapi::kStatxMntId)) {
    return fail(ENOTSUP, "statx", path, "no mount id");
  }
  ref.mnt_id = stx.stx_mnt_id;
  // Basic fields come filled whatever was asked; the mask tells whether the fs vouches for them.
  ref.dev = DeviceNumber{stx.stx_dev_major, stx.stx_dev_minor};
  ref.rdev = DeviceNumber{stx.stx_rdev_major, stx.stx_rdev_minor};
  ref.ino = stx.stx_ino;
  ref.mode = stx.stx_mode;
  return ref;
}

Result<std::uint64_t> directory_size(int dir_fd) {
  struct statx stx {};
  if (::statx(dir_fd, "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC, STATX_SIZE, &stx) != 0)
    return fail_errno("statx", "(directory)");
  return (stx.stx_mask & STATX_SIZE) ? stx.stx_size : 0;
}

Result<mode_t> link_mode_at(int dirfd, const char* path) {
  struct statx stx {};
  if (::statx(dirfd, path, AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC, STATX_MODE, &stx) != 0)
    return fail_errno("statx", path);
  return static_cast<mode_t>(stx.stx_mode);
}

Result<uid_t> owner_uid(const std::string& path) {
  struct statx stx {};
  if (::statx(AT_FDCWD, path.c_str(), AT_STATX_DONT_SYNC, STATX_UID, &stx) != 0)
    return fail_errno("statx", path);
  return static_cast<uid_t>(stx.stx_uid);
}

}  // namespace detach
