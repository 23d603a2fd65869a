// SPDX-License-Identifier: GPL-2.0-or-later
#include "detached.h"

#include <cstdio>
#include <cstdlib>
#include <optional>

#include "base/i18n.h"
#include "cli/diag.h"
#include "detached_cells.h"
#include "detached_json.h"
#include "detached_rows.h"
#include "explain/gaps.h"
#include "explain/pin_source.h"
#include "explain/pinner.h"
#include "render.h"
#include "scan/devices.h"
#include "scan/mount_namespace.h"
#include "scan/scan.h"

namespace findmnt {
namespace {

using detach::DeviceNumber;
using detach::Mount;
using detach::Snapshot;

// The hint and the watcher name this many pinners of a detached mount, and stop at this many characters.
constexpr std::size_t kHintPinners = 5;
constexpr std::size_t kHintChars = 400;

bool has_filter(const Context& ctx) {
  const Match& f = ctx.match;
  return f.source || f.target || f.fstype || f.options || f.majmin || f.id || f.uniq_id || ctx.task_ns;
}

// What the scan could not see, said only where it could change what was printed: the pinners of a listed
// mount may be incomplete, or (unfiltered, nothing listed) a mount pinned only by what we could not read is
// missing. A filter that matched nothing stays quiet, as findmnt does.
void warn_gaps(const Context& ctx, const Snapshot& snap, int listed) {
  if (!listed && has_filter(ctx)) return;
  if (std::string denied = detach::denied_processes_text(snap.gaps); !denied.empty()) {
    const std::size_t n = snap.gaps.denied_processes.size();
    const std::string more = detach::root_sees_more(snap.gaps);
    // TRANSLATORS: {0} says which processes could not be read, {1} is empty or says that root sees more.
    cli::warnx(listed ? detach::trnf("{0}; it may pin these filesystems too{1}",
                                     "{0}; they may pin these filesystems too{1}", n, denied, more)
                      : detach::trnf("{0}; what only it pins is not listed{1}",
                                     "{0}; what only they pin is not listed{1}", n, denied, more));
  }
  if (std::string unverified = detach::unverified_mounts_text(snap); !unverified.empty())
    cli::warnx(unverified);
}

// A listed mount whose filesystem did not answer shows empty cells: say which, and why.
void warn_unprobed(const std::vector<const Mount*>& mounts) {
  for (const Mount* m : mounts)
    if (std::string text = detach::unprobed_mount_text(*m, detach::Words::person()); !text.empty())
      cli::warnx(text);
}

detach::ScanOptions listing_options(const Context& ctx) {
  detach::ScanOptions options;
  // Only detached mounts are shown: details (paths, access modes) of other pins are not needed.
  options.detail_pins_of = [](const Mount&) { return false; };
  options.fd_paths = ctx.cfg.per_pin;
  return options;
}

std::vector<const Mount*> matching(const Context& ctx, const Snapshot& snap) {
  std::vector<const Mount*> out;
  for (const Mount* m : snap.detached_mounts()) {
    if (detached_matches(*m, ctx, &snap) == ctx.cfg.invert) continue;
    out.push_back(m);
    if (ctx.cfg.first_only) break;
  }
  return out;
}

int print_table(const Context& ctx, const Snapshot& snap, const std::vector<const Mount*>& mounts) {
  std::optional<detach::output::Table> out = make_output_table(ctx);
  if (!out) return EXIT_FAILURE;
  DetachedRows rows(ctx, snap, *out);
  for (const Mount* m : mounts) rows.add(*m);
  rows.finish();
  return out->print() == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

int print_json(const Context& ctx, const Snapshot& snap, const std::vector<const Mount*>& mounts) {
  std::string text = json_text(detached_json(ctx, snap, mounts), false);
  return std::fwrite(text.data(), 1, text.size(), stdout) == text.size() ? EXIT_SUCCESS : EXIT_FAILURE;
}

}  // namespace

void hint_detached_holders(const Context& ctx) {
  const Match& f = ctx.cfg.match;  // the filters as given, before any source/target swap
  if (!f.source && !f.majmin) return;
  // A device no filesystem claims holds no detached one either: one open(O_EXCL) keeps this failure path as
  // fast as util-linux's, and the scan below runs only when something does hold the device.
  if (f.source && !detach::device_may_be_claimed(*f.source)) return;
  auto hit = [&f](const Mount& m) {
    return f.majmin ? m.dev.to_dev() == *f.majmin : detach::names_device(*f.source, m.dev);
  };
  detach::ScanOptions options;
  options.detail_pins_of = [](const Mount&) { return false; };
  options.describe_detached = hit;  // the others are not told: no call into their filesystems
  options.detached_options = false;
  detach::Result<Snapshot> snap = detach::take_snapshot(options);
  if (!snap) return;
  // Once scanned, a device also names the filesystems that sit on it otherwise: a btrfs by any of its
  // devices, an xfs by its log, an ext4 by its journal (Snapshot::on_device).
  std::optional<DeviceNumber> source_dev;
  if (f.source)
    if (detach::Result<DeviceNumber> dev = detach::resolve_block_device(*f.source)) source_dev = *dev;
  auto sits_on = [&](const Mount& m) { return hit(m) || (source_dev && snap->on_device(m, *source_dev)); };
  for (const Mount* m : snap->detached_mounts()) {
    if (!sits_on(*m)) continue;
    const std::string device = f.source ? *f.source : m->dev.str();
    const std::string pinners =
        detach::describe_pins(*snap, pins_for(*snap, *m), detach::Words::person(), kHintPinners, kHintChars);
    const detach::ClaimedDevice* claim = source_dev ? snap->claim_by(*m, *source_dev) : nullptr;
    if (claim != nullptr && claim->role != detach::ClaimRole::Member) {
      const char* role = detach::claim_role_words(claim->role, detach::Words::person());
      // TRANSLATORS: {1} is what the device is to the filesystem ("external log device"), {2} a filesystem
      // type, {3} names the pinners.
      cli::warnx(
          m->fstype.empty()
              ? detach::trf("{0} is not mounted, but it is the {1} of a lazily unmounted filesystem still "
                            "pinned by {2} (see findmnt --detached)",
                            device, role, pinners)
              : detach::trf("{0} is not mounted, but it is the {1} of a lazily unmounted {2} filesystem "
                            "still pinned by {3} (see findmnt --detached)",
                            device, role, m->fstype, pinners));
      return;
    }
    // TRANSLATORS: {1} is a filesystem type (ext4), {2} names the pinners ("2 (sleep) cwd, 3 (vim) fd 4").
    cli::warnx(
        m->fstype.empty()
            ? detach::trf("{0} is not mounted, but a lazily unmounted filesystem on it is still pinned "
                          "by {1} (see findmnt --detached)",
                          device, pinners)
            : detach::trf("{0} is not mounted, but a lazily unmounted {1} filesystem on it is still "
                          "pinned by {2} (see findmnt --detached)",
                          device, m->fstype, pinners));
    return;
  }
}

int run_detached(Context& ctx) {
  if (ctx.cfg.task_tid) {
    auto ns = detach::task_mount_namespace("/proc", *ctx.cfg.task_tid);
    if (!ns) {
      cli::warn(detach::trf("cannot open {0}", "/proc/" + std::to_string(*ctx.cfg.task_tid) + "/ns/mnt"),
                ns.error().err);
      return EXIT_FAILURE;
    }
    ctx.task_ns = *ns;
  }
  if (ctx.cfg.poll) return poll_detached(ctx);
  detach::Result<Snapshot> snap = detach::take_snapshot(listing_options(ctx));
  if (!snap) {
    cli::warnx(detach::trf("cannot take a snapshot of the system: {0}", snap.error().message()));
    return EXIT_FAILURE;
  }
  std::vector<const Mount*> mounts = matching(ctx, *snap);
  warn_gaps(ctx, *snap, static_cast<int>(mounts.size()));
  warn_unprobed(mounts);
  if (ctx.cfg.verbose) cli::warnx(detach::pin_source_text(*snap));
  if (mounts.empty()) return EXIT_FAILURE;
  return ctx.cfg.json ? print_json(ctx, *snap, mounts) : print_table(ctx, *snap, mounts);
}

}  // namespace findmnt
