// SPDX-License-Identifier: GPL-2.0-or-later
#include "cells.h"

#include <sys/statvfs.h>
#include <sys/sysmacros.h>

#include <cinttypes>
#include <clocale>
#include <cstring>

#include "cli/i18n.h"

namespace findmnt {
namespace {

CellText str(const char* s) {
  return CellText(s ? strdup(s) : nullptr);
}

CellText str(const std::string& s) {
  return CellText(strdup(s.c_str()));
}

// SOURCE (and SOURCES without a tag): the source path, canonicalized with -c, evaluated with -e, and with
// "[/root]" for a bind or subvolume mount unless -v.
CellText source_text(libmnt_fs* fs, Context& ctx) {
  const char* root = mnt_fs_get_root(fs);
  const char* spec = mnt_fs_get_srcpath(fs);
  if (spec && ctx.cfg.canonicalize) spec = mnt_resolve_path(spec, ctx.cache.get());
  if (!spec) {
    spec = mnt_fs_get_source(fs);
    if (spec && ctx.cfg.evaluate) spec = mnt_resolve_spec(spec, ctx.cache.get());
  }
  if (!spec) return nullptr;
  if (!root || ctx.cfg.nofsroot || std::strcmp(root, "/") == 0) return str(spec);
  return str(std::string(spec) + "[" + root + "]");
}

// SOURCES: every device carrying the same tag (LABEL=/UUID=) or the same UUID as the source device.
CellText sources_text(libmnt_fs* fs, Context& ctx) {
  const char* tag = nullptr;
  const char* value = nullptr;
  std::string val;
  const char* device = nullptr;
  if (mnt_fs_get_tag(fs, &tag, &value) == 0) {
    if (!ctx.cfg.evaluate) return nullptr;
    val = value;
  } else if (!(device = mnt_fs_get_srcpath(fs)) || std::strncmp(device, "/dev/", 5) != 0) {
    return nullptr;
  }
  if (!ctx.blkid) {
    blkid_cache cache = nullptr;
    if (blkid_get_cache(&cache, nullptr) != 0) return nullptr;
    ctx.blkid.reset(cache);
    blkid_probe_all(cache);
  }
  if (val.empty()) {
    tag = "UUID";
    char* uuid = blkid_get_tag_value(ctx.blkid.get(), "UUID", device);
    if (!uuid) return nullptr;
    val = uuid;
    std::free(uuid);
  }
  std::string out;
  blkid_dev_iterate iter = blkid_dev_iterate_begin(ctx.blkid.get());
  blkid_dev_set_search(iter, tag, val.c_str());
  blkid_dev dev = nullptr;
  while (blkid_dev_next(iter, &dev) == 0) {
    dev = blkid_verify(ctx.blkid.get(), dev);
    if (!dev) continue;
    if (!out.empty()) out += '\n';
    out += blkid_dev_devname(dev);
  }
  blkid_dev_iterate_end(iter);
  if (out.empty()) return nullptr;
  return str(out);
}

// LABEL, UUID, PARTUUID, PARTLABEL: from the entry's own tag, else from the device through the libmount
// cache.
CellText tag_text(libmnt_fs* fs, const char* tagname, Context& ctx) {
  const char* t = nullptr;
  const char* v = nullptr;
  if (mnt_fs_get_tag(fs, &t, &v) == 0 && std::strcmp(t, tagname) == 0) return str(v);
  const char* dev = mnt_fs_get_source(fs);
  if (dev && !ctx.cfg.nocache) dev = mnt_resolve_spec(dev, ctx.cache.get());
  char* res = mnt_cache_find_tag_value(ctx.cache.get(), dev, tagname);
  return str(res);
}

CellText percent(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return str("-");
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f%%", static_cast<double>(part) / static_cast<double>(whole) * 100);
  return str(buf);
}

// SIZE, AVAIL, USED, USE%: statvfs of the mount point.
CellText vfs_text(libmnt_fs* fs, Column column, const Config& cfg) {
  struct statvfs buf {};
  const char* target = mnt_fs_get_target(fs);
  if (!target || statvfs(target, &buf) != 0) return nullptr;
  std::uint64_t value = 0;
  switch (column) {
    case Column::Size:
      value = buf.f_frsize * buf.f_blocks;
      break;
    case Column::Avail:
      value = buf.f_frsize * buf.f_bavail;
      break;
    case Column::Used:
      value = buf.f_frsize * (buf.f_blocks - buf.f_bfree);
      break;
    default:
      return percent(buf.f_blocks - buf.f_bfree, buf.f_blocks);
  }
  if (!value) return str("0");
  return str(cfg.bytes ? std::to_string(value) : human_size(value));
}

CellText fs_majmin_text(libmnt_fs* fs, const Config& cfg) {
  dev_t devno = mnt_fs_get_devno(fs);
  if (!devno) return nullptr;
  return str(majmin_text(devno, cfg));
}

CellText propagation_text(libmnt_fs* fs) {
  unsigned long fl = 0;
  if (!mnt_fs_is_kernel(fs) || mnt_fs_get_propagation(fs, &fl) != 0) return nullptr;
  std::string out = (fl & MS_SHARED) ? "shared" : "private";
  if (fl & MS_SLAVE) out += ",slave";
  if (fl & MS_UNBINDABLE) out += ",unbindable";
  return str(out);
}

CellText number_if(bool present, long long value) {
  if (!present) return nullptr;
  return str(std::to_string(value));
}

CellText options_text(libmnt_fs* fs, Column column, const Config& cfg) {
  switch (column) {
    case Column::Options:
      return str(mnt_fs_get_options(fs));
    case Column::FsOptions:
      return str(mnt_fs_get_fs_options(fs));
    case Column::OptFields:
      return str(mnt_fs_get_optional_fields(fs));
    default:
      break;
  }
  if (!cfg.vfs_all) return str(mnt_fs_get_vfs_options(fs));
  return CellText(mnt_fs_get_vfs_options_all(fs));  // already malloc()ed for us
}

}  // namespace

CellText cell_text(libmnt_fs* fs, Column column, Context& ctx) {
  const Config& cfg = ctx.cfg;
  switch (column) {
    case Column::Sources:
      if (auto all = sources_text(fs, ctx)) return all;
      return source_text(fs, ctx);
    case Column::Source:
      return source_text(fs, ctx);
    case Column::Target:
      return str(mnt_fs_get_target(fs));
    case Column::Fstype:
      return str(mnt_fs_get_fstype(fs));
    case Column::Options:
    case Column::VfsOptions:
    case Column::FsOptions:
    case Column::OptFields:
      return options_text(fs, column, cfg);
    case Column::Uuid:
      return tag_text(fs, "UUID", ctx);
    case Column::Partuuid:
      return tag_text(fs, "PARTUUID", ctx);
    case Column::Label:
      return tag_text(fs, "LABEL", ctx);
    case Column::Partlabel:
      return tag_text(fs, "PARTLABEL", ctx);
    case Column::Majmin:
      return fs_majmin_text(fs, cfg);
    case Column::Size:
    case Column::Avail:
    case Column::Used:
    case Column::Useperc:
      return vfs_text(fs, column, cfg);
    case Column::Fsroot:
      return str(mnt_fs_get_root(fs));
    case Column::Tid:
      return number_if(mnt_fs_get_tid(fs) != 0, mnt_fs_get_tid(fs));
    case Column::Id:
      return number_if(mnt_fs_get_id(fs) != 0, mnt_fs_get_id(fs));
    case Column::Parent:
      return number_if(mnt_fs_get_parent_id(fs) != 0, mnt_fs_get_parent_id(fs));
    case Column::Propagation:
      return propagation_text(fs);
    case Column::Freq:
      return number_if(!mnt_fs_is_kernel(fs), mnt_fs_get_freq(fs));
    case Column::Passno:
      return number_if(!mnt_fs_is_kernel(fs), mnt_fs_get_passno(fs));
    case Column::UniqId: {
      auto it = ctx.uniq_ids.find(fs);  // known only with --kernel=listmount
      if (it == ctx.uniq_ids.end()) return nullptr;
      return str(std::to_string(it->second));
    }
    default:
      return nullptr;  // detached columns are filled elsewhere
  }
}

CellText tabdiff_cell_text(libmnt_fs* old_fs, libmnt_fs* new_fs, int change, Column column, Context& ctx) {
  switch (column) {
    case Column::Action:
      switch (change) {
        case MNT_TABDIFF_MOUNT:
          return str(cli::ul("mount"));
        case MNT_TABDIFF_UMOUNT:
          return str(cli::ul("umount"));
        case MNT_TABDIFF_REMOUNT:
          return str(cli::ul("remount"));
        case MNT_TABDIFF_MOVE:
          return str(cli::ul("move"));
        default:
          return str(cli::ul("unknown"));
      }
    case Column::OldOptions:
      if (old_fs && (change == MNT_TABDIFF_REMOUNT || change == MNT_TABDIFF_UMOUNT))
        return str(mnt_fs_get_options(old_fs));
      return nullptr;
    case Column::OldTarget:
      if (old_fs && (change == MNT_TABDIFF_MOVE || change == MNT_TABDIFF_UMOUNT))
        return str(mnt_fs_get_target(old_fs));
      return nullptr;
    default:
      return cell_text(new_fs ? new_fs : old_fs, column, ctx);
  }
}

std::string majmin_text(dev_t devno, const Config& cfg) {
  char buf[64];
  if (cfg.raw || cfg.pairs || cfg.json)
    std::snprintf(buf, sizeof buf, "%u:%u", major(devno), minor(devno));
  else
    std::snprintf(buf, sizeof buf, "%3u:%-3u", major(devno), minor(devno));
  return buf;
}

std::string human_size(std::uint64_t bytes) {
  int exp = 0;
  for (int shift = 10; shift <= 60; shift += 10, exp += 10)
    if (bytes < (1ULL << shift)) break;
  const char letter = "BKMGTPE"[exp / 10];
  std::uint64_t dec = exp ? bytes / (1ULL << exp) : bytes;
  std::uint64_t frac = exp ? bytes % (1ULL << exp) : 0;
  if (frac) {
    // three digits after the point, then rounded to one, as util-linux does
    if (frac >= UINT64_MAX / 1000)
      frac = ((frac / 1024) * 1000) / (1ULL << (exp - 10));
    else
      frac = (frac * 1000) / (1ULL << exp);
    frac = ((frac + 50) / 100) * 10;
    if (frac == 100) ++dec, frac = 0;
  }
  char buf[64];
  if (frac) {
    const lconv* l = std::localeconv();
    const char* dp = (l && l->decimal_point && *l->decimal_point) ? l->decimal_point : ".";
    int len = std::snprintf(buf, sizeof buf, "%" PRIu64 "%s%02" PRIu64, dec, dp, frac);
    if (len > 0 && buf[len - 1] == '0') buf[len - 1] = '\0';  // "1.50" -> "1.5"
    return std::string(buf) + letter;
  }
  std::snprintf(buf, sizeof buf, "%" PRIu64 "%c", dec, letter);
  return buf;
}

}  // namespace findmnt
