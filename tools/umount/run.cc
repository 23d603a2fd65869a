// SPDX-License-Identifier: GPL-2.0-or-later
#include "run.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "cli/diag.h"
#include "cli/i18n.h"
#include "cli/mnt.h"
#include "sanitize_path.h"

namespace umount_tool {
namespace {

// util-linux's mk_exit_code(): libmount's exit code and message ("TARGET: target is busy."), then, for a
// busy target, why.
int mk_exit_code(Session& s, int rc, const Capture* cap) {
  libmnt_context* cxt = s.ctx.get();
  char buf[BUFSIZ] = {0};
  rc = mnt_context_get_excode(cxt, rc, buf, sizeof buf);
  // -q: no "not mounted"
  if (s.cfg.quiet && rc == MNT_EX_FAIL && mnt_context_syscall_called(cxt) &&
      mnt_context_get_syscall_errno(cxt) == EINVAL)
    return rc;
  if (*buf) {
    const char* spec = mnt_context_get_target(cxt);
    if (!spec) spec = mnt_context_get_source(cxt);
    if (!spec) spec = "???";
    cli::warnx(std::string(spec) + ": " + buf + ".");
  }
  if (cap != nullptr && rc == MNT_EX_FAIL && mnt_context_syscall_called(cxt) &&
      mnt_context_get_syscall_errno(cxt) == EBUSY && !mnt_context_helper_executed(cxt))
    s.aftermath.explain_busy(*cap);
  return rc;
}

void success_message(libmnt_context* cxt) {
  if (mnt_context_helper_executed(cxt) || mnt_context_get_status(cxt) != 1) return;
  const char* tgt = mnt_context_get_target(cxt);
  if (!tgt) return;
  const char* src = mnt_context_get_source(cxt);
  if (src)
    cli::warnx(cli::cformat(cli::ul("%s (%s) unmounted"), tgt, src));
  else
    cli::warnx(cli::cformat(cli::ul("%s unmounted"), tgt));
}

// MESSAGE: util-linux's, already translated.
[[noreturn]] void fail_errno(const std::string& message, int code) {
  cli::warn(message, errno);
  std::exit(code);
}

// A umount that worked: the syscall (or helper) did it, not --fake.
bool unmounted(libmnt_context* cxt) {
  return mnt_context_get_status(cxt) == 1 && !mnt_context_is_fake(cxt);
}

int umount_one(Session& s, const char* spec) {
  libmnt_context* cxt = s.ctx.get();
  if (!spec) return MNT_EX_SOFTWARE;
  if (mnt_context_set_target(cxt, spec)) fail_errno(cli::ul("failed to set umount target"), MNT_EX_SYSERR);
  Capture cap = s.aftermath.capture(spec);
  // libmount's umount first stat()s the target (its statfs fast path), and that stat waits forever on a dead
  // FUSE or NFS server, as util-linux's umount does. The target as given is then the table's own mount point:
  // without canonicalization libmount takes the entry from the table it has read, with no stat.
  const bool skip_stat = cap.unanswering && mnt_context_is_nocanonicalize(cxt) == 0;
  if (skip_stat) mnt_context_disable_canonicalize(cxt, 1);
  int rc = mnt_context_umount(cxt);
  if (rc == -EPERM && s.ctx.restricted() && mnt_context_tab_applied(cxt) &&
      !mnt_context_syscall_called(cxt)) {
    // The mount point exists, but libmount refused something else: drop the privileges and try it as the
    // user.
    s.ctx.drop_privileges();
    rc = mnt_context_umount(cxt);
  }
  rc = mk_exit_code(s, rc, &cap);
  if (rc == MNT_EX_SUCCESS && mnt_context_is_verbose(cxt)) success_message(cxt);
  if (rc == MNT_EX_SUCCESS && unmounted(cxt)) s.aftermath.after_success(cap);
  if (skip_stat) mnt_context_disable_canonicalize(cxt, 0);
  mnt_reset_context(cxt);
  return rc;
}

// /proc/self/mountinfo of the target namespace, apart from the context's own table.
cli::MntTable new_mountinfo(Session& s) {
  libmnt_context* cxt = s.ctx.get();
  libmnt_ns* ns_old = mnt_context_switch_target_ns(cxt);
  if (!ns_old) fail_errno(cli::ul("failed to switch namespace"), MNT_EX_SYSERR);
  cli::MntTable tb(mnt_new_table());
  if (!tb) fail_errno(cli::ul("libmount table allocation failed"), MNT_EX_SYSERR);
  mnt_table_set_parser_errcb(tb.get(), [](libmnt_table*, const char* filename, int line) {
    if (filename) cli::warnx(cli::cformat(cli::ul("%s: parse error at line %d -- ignored"), filename, line));
    return 1;
  });
  mnt_table_set_cache(tb.get(), mnt_context_get_cache(cxt));
  if (mnt_table_parse_file(tb.get(), "/proc/self/mountinfo")) {
    cli::warn(cli::cformat(cli::ul("failed to parse %s"), "/proc/self/mountinfo"), errno);
    tb.reset();
  }
  if (!mnt_context_switch_ns(cxt, ns_old)) fail_errno(cli::ul("failed to switch namespace"), MNT_EX_SYSERR);
  return tb;
}

// Like umount_one, but a SPEC no longer mounted is no error.
int umount_one_if_mounted(Session& s, const char* spec) {
  libmnt_context* cxt = s.ctx.get();
  libmnt_fs* fs = nullptr;
  int rc = mnt_context_find_umount_fs(cxt, spec, &fs);
  if (rc == 1) {
    mnt_reset_context(cxt);
    return MNT_EX_SUCCESS;  // already unmounted
  }
  if (rc < 0) {
    rc = mk_exit_code(s, rc, nullptr);
    mnt_reset_context(cxt);
    return rc;
  }
  return umount_one(s, mnt_fs_get_target(fs));
}

int umount_do_recurse(Session& s, libmnt_table* tb, libmnt_fs* fs) {
  cli::MntIter itr(mnt_new_iter(MNT_ITER_BACKWARD));
  if (!itr) fail_errno(cli::ul("libmount iterator allocation failed"), MNT_EX_SYSERR);
  int rc = 0;
  // What is mounted over it first, then its children, then itself.
  libmnt_fs* over = nullptr;
  if (mnt_table_over_fs(tb, fs, &over) == 0 && over) {
    rc = umount_do_recurse(s, tb, over);
    if (rc != MNT_EX_SUCCESS) return rc;
  }
  for (;;) {
    libmnt_fs* child = nullptr;
    rc = mnt_table_next_child_fs(tb, itr.get(), fs, &child);
    if (rc < 0) {
      cli::warnx(cli::cformat(cli::ul("failed to get child fs of %s"), mnt_fs_get_target(fs)));
      return MNT_EX_SOFTWARE;
    }
    if (rc == 1) break;  // no more children
    if (over && child == over) continue;
    rc = umount_do_recurse(s, tb, child);
    if (rc != MNT_EX_SUCCESS) return rc;
  }
  return umount_one_if_mounted(s, mnt_fs_get_target(fs));
}

void not_mounted_message(Session& s, const char* spec) {
  if (s.cfg.quiet) return;
  cli::warnx(
      cli::cformat(::access(spec, F_OK) == 0 ? cli::ul("%s: not mounted") : cli::ul("%s: not found"), spec));
}

int umount_recursive(Session& s, const char* spec) {
  cli::MntTable tb = new_mountinfo(s);
  if (!tb) return MNT_EX_SOFTWARE;
  // Always a real mount point: never take the target for a device.
  mnt_context_disable_swapmatch(s.ctx.get(), 1);
  libmnt_fs* fs = mnt_table_find_target(tb.get(), spec, MNT_ITER_BACKWARD);
  if (fs) return umount_do_recurse(s, tb.get(), fs);
  not_mounted_message(s, spec);
  return MNT_EX_USAGE;
}

int umount_alltargets(Session& s, const char* spec, bool recursive) {
  libmnt_context* cxt = s.ctx.get();
  // SPEC to its device, by the same lookup as a plain "umount SPEC".
  libmnt_fs* fs = nullptr;
  int rc = mnt_context_find_umount_fs(cxt, spec, &fs);
  if (rc == 1) {
    not_mounted_message(s, spec);
    return MNT_EX_USAGE;
  }
  if (rc < 0) return mk_exit_code(s, rc, nullptr);
  if (!mnt_fs_get_srcpath(fs) || !mnt_fs_get_devno(fs)) {
    cli::warnx(cli::cformat(cli::ul("%s: failed to determine source (--all-targets is unsupported on systems "
                                    "with regular mtab file)."),
                            spec));
    std::exit(MNT_EX_USAGE);
  }
  cli::MntIter itr(mnt_new_iter(MNT_ITER_BACKWARD));
  if (!itr) fail_errno(cli::ul("libmount iterator allocation failed"), MNT_EX_SYSERR);
  // A mount table of our own: the context's is reset after each umount.
  cli::MntTable tb = new_mountinfo(s);
  if (!tb) return MNT_EX_SOFTWARE;
  const dev_t devno = mnt_fs_get_devno(fs);
  mnt_reset_context(cxt);
  while (mnt_table_next_fs(tb.get(), itr.get(), &fs) == 0) {
    if (mnt_fs_get_devno(fs) != devno) continue;
    mnt_context_disable_swapmatch(cxt, 1);
    rc = recursive ? umount_do_recurse(s, tb.get(), fs) : umount_one_if_mounted(s, mnt_fs_get_target(fs));
    if (rc != MNT_EX_SUCCESS) break;
  }
  return rc;
}

// util-linux's umount_all() over mnt_context_next_umount(), whose steps are taken here one by one so that
// each umount is noted before and followed after, as for a single target: the table is read once, every
// entry with a target tried from the last, those -t/-O rule out "ignored".
int umount_all(Session& s, const std::string& type_pattern) {
  libmnt_context* cxt = s.ctx.get();
  cli::MntIter itr(mnt_new_iter(MNT_ITER_BACKWARD));
  if (!itr) {
    cli::warn(cli::ul("failed to initialize libmount iterator"), errno);
    return MNT_EX_SYSERR;
  }
  libmnt_table* mtab = nullptr;
  // A table that cannot be read ends mnt_context_next_umount()'s loop before it starts: nothing to do.
  if (mnt_context_get_mtab(cxt, &mtab) != 0) return 0;
  // The context's table goes with each reset: hold it for the whole loop.
  mnt_ref_table(mtab);
  cli::MntTable held(mtab);
  const char* types = type_pattern.c_str();
  const char* pattern = s.cfg.options_pattern ? s.cfg.options_pattern->c_str() : nullptr;
  int result = 0;
  libmnt_fs* fs = nullptr;
  while (mnt_table_next_fs(mtab, itr.get(), &fs) == 0) {
    const char* tgt = mnt_fs_get_target(fs);
    if (!tgt) continue;
    mnt_reset_context(cxt);
    if ((types && !mnt_fs_match_fstype(fs, types)) || (pattern && !mnt_fs_match_options(fs, pattern))) {
      if (mnt_context_is_verbose(cxt)) std::printf(cli::ul("%-25s: ignored\n"), tgt);
      continue;
    }
    if (mnt_context_set_fs(cxt, fs) != 0) break;
    Capture cap = s.aftermath.capture(tgt);
    int xrc = mk_exit_code(s, mnt_context_umount(cxt), &cap);
    if (xrc == MNT_EX_SUCCESS && unmounted(cxt)) s.aftermath.after_success(cap);
    if (xrc == MNT_EX_SUCCESS && mnt_context_is_verbose(cxt))
      std::printf("%-25s: successfully unmounted\n", tgt);  // util-linux does not translate it
    result |= xrc;
  }
  mnt_reset_context(cxt);
  return result;
}

}  // namespace

int run(Session& s) {
  const Config& cfg = s.cfg;
  const std::vector<std::string>& args = cfg.positionals;
  int rc = 0;
  if (cfg.all) {
    if (!args.empty()) {
      cli::warnx(cli::ul("unexpected number of arguments"));
      cli::try_help();
      return MNT_EX_USAGE;
    }
    const std::string types =
        cfg.types.value_or("noproc,nodevfs,nodevpts,nosysfs,norpc_pipefs,nonfsd,noselinuxfs");
    mnt_context_set_fstype_pattern(s.ctx.get(), types.c_str());
    rc = umount_all(s, types);
  } else if (args.empty()) {
    cli::warnx(cli::ul("bad usage"));
    cli::try_help();
    return MNT_EX_USAGE;
  } else if (cfg.all_targets) {
    for (const std::string& spec : args) rc += umount_alltargets(s, spec.c_str(), cfg.recursive);
  } else if (cfg.recursive) {
    for (const std::string& spec : args) rc += umount_recursive(s, spec.c_str());
  } else {
    for (const std::string& spec : args) {
      std::string path = spec;
      if (s.ctx.restricted() && !mnt_tag_is_valid(spec.c_str())) path = sanitize_path(spec);
      rc += umount_one(s, path.c_str());
    }
  }
  return rc;
}

}  // namespace umount_tool
