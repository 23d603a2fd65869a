// SPDX-License-Identifier: GPL-2.0-or-later
#include "listmount_table.h"

#include <cstdio>
#include <map>
#include <memory>

#include "base/i18n.h"
#include "cli/diag.h"
#include "scan/mount_namespace.h"

namespace findmnt {
namespace {

// mountinfo's escaping of blanks, newlines and backslashes (\040 ...), which libmount undoes.
std::string mangle(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\\') {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string or_none(const std::string& s) {
  return s.empty() ? "none" : mangle(s);
}

std::string mountinfo_line(const detach::Mount& m, std::uint32_t parent_old_id) {
  return std::to_string(m.old_id) + " " + std::to_string(parent_old_id) + " " + m.dev.str() + " " +
         or_none(m.root) + " " + or_none(m.target) + " " + or_none(m.vfs_options) + " - " +
         or_none(m.fstype) + " " + or_none(m.source) + " " + or_none(m.fs_options) + "\n";
}

}  // namespace

MntTable load_listmount_table(Context& ctx) {
  auto listed = detach::list_own_mounts();
  if (!listed) {
    cli::warn(detach::tr("failed to fetch mount nodes"), listed.error().err);
    return nullptr;
  }
  const std::vector<detach::Mount>& mounts = *listed;
  std::map<std::uint64_t, std::uint32_t> old_ids;
  for (const detach::Mount& m : mounts) old_ids[m.unique_id] = m.old_id;
  std::string text;
  for (const detach::Mount& m : mounts) {
    auto parent = old_ids.find(m.parent);
    text += mountinfo_line(m, parent == old_ids.end() ? 0 : parent->second);
  }
  MntTable tb(mnt_new_table());
  File f(fmemopen(text.data(), text.size(), "r"));
  if (!tb || !f || mnt_table_parse_stream(tb.get(), f.get(), "listmount") != 0) {
    cli::warn(detach::tr("failed to fetch mount nodes"), errno);
    return nullptr;
  }
  mnt_table_set_userdata(tb.get(), &ctx);
  // Entries come back in line order: pair each with its unique id.
  MntIter itr = new_iter(MNT_ITER_FORWARD);
  libmnt_fs* fs = nullptr;
  for (std::size_t i = 0; itr && i < mounts.size() && mnt_table_next_fs(tb.get(), itr.get(), &fs) == 0; ++i)
    ctx.uniq_ids[fs] = mounts[i].unique_id;
  return tb;
}

}  // namespace findmnt
