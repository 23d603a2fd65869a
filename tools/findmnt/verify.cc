// SPDX-License-Identifier: GPL-2.0-or-later
#include "verify.h"

#include <sys/stat.h>
#include <sys/utsname.h>

#include <cctype>
#include <cerrno>
#include <cstdarg>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "cli/diag.h"
#include "cli/i18n.h"
#include "match.h"

namespace findmnt {
namespace {

// One table walk's findings; messages go to stdout under the entry's target, printed once.
class Verifier {
 public:
  Verifier(Context& ctx, libmnt_table* tb) : ctx_(ctx), tb_(tb) {}

  void load_known_filesystems();
  void check(libmnt_fs* fs, bool check_order);
  void check_systemd_reload();
  int nerrors = 0, nwarnings = 0;

 private:
  __attribute__((format(printf, 3, 4))) void msg(char type, const char* fmt, ...);
  void verify_order();
  void verify_target();
  void verify_options();
  void verify_source();
  void verify_swaparea();
  void verify_fstype();
  void verify_passno();
  bool supported(const char* name) const;
  void add_filesystem(const std::string& name);
  const char* resolved_target(const char* tgt) {
    return (tgt && !ctx_.cfg.nocache) ? mnt_resolve_target(tgt, ctx_.cache.get()) : tgt;
  }
  bool has_option(const char* name) { return mnt_fs_get_option(fs_, name, nullptr, nullptr) == 0; }

  Context& ctx_;
  libmnt_table* tb_;
  libmnt_fs* fs_ = nullptr;
  bool target_printed_ = false;
  bool no_fsck_ = false;
  std::vector<std::string> filesystems_;
};

// FMT may use %m: errno as it was when msg() was called.
void Verifier::msg(char type, const char* fmt, ...) {
  const int err = errno;
  if (type == 'W') ++nwarnings;
  if (type == 'E') ++nerrors;
  if (type == ' ' && !ctx_.cfg.verbose) return;
  if (!target_printed_ && fs_) {
    const char* tgt = mnt_fs_get_target(fs_);
    std::printf("%s\n", tgt ? tgt : "(null)");
    target_printed_ = true;
  }
  std::printf("   [%c] ", type);
  va_list ap;
  va_start(ap, fmt);
  errno = err;
  std::vprintf(fmt, ap);  // NOLINT(clang-analyzer-valist.Uninitialized): va_start is right above
  va_end(ap);
  std::putchar('\n');
}

void Verifier::check(libmnt_fs* fs, bool check_order) {
  fs_ = fs;
  target_printed_ = false;
  no_fsck_ = false;
  if (check_order) verify_order();
  if (mnt_fs_is_swaparea(fs_)) {
    verify_swaparea();
  } else {
    verify_target();
    verify_options();
  }
  verify_source();
  verify_fstype();
  verify_passno();
}

void Verifier::verify_order() {
  const char* tgt = resolved_target(mnt_fs_get_target(fs_));
  if (!tgt) return;
  std::string target = tgt;
  MntIter itr = new_iter(MNT_ITER_FORWARD);
  if (!itr) return cli::warn(cli::ul("failed to initialize libmount iterator"), errno);
  mnt_table_set_iter(tb_, itr.get(), fs_);
  libmnt_fs* next = nullptr;
  if (mnt_table_next_fs(tb_, itr.get(), &next) != 0) return;
  while (mnt_table_next_fs(tb_, itr.get(), &next) == 0) {
    const char* n_tgt = resolved_target(mnt_fs_get_target(next));
    if (!n_tgt) continue;
    std::size_t len = std::strlen(n_tgt);
    if (std::strncmp(n_tgt, target.c_str(), len) != 0) continue;
    if (target.size() == len)
      msg('W', cli::ul("target specified more than once"));
    else if (target[len] == '/')
      msg('E', cli::ul("wrong order: %s specified before %s"), target.c_str(), n_tgt);
  }
}

void Verifier::verify_target() {
  const char* tgt = mnt_fs_get_target(fs_);
  if (!tgt) return msg('E', cli::ul("undefined target (fs_file)"));
  if (!ctx_.cfg.nocache) {
    const char* cn = mnt_resolve_target(tgt, ctx_.cache.get());
    if (!cn) return;
    if (std::strcmp(cn, tgt) != 0) msg('W', cli::ul("non-canonical target path (real: %s)"), cn);
    tgt = cn;
  }
  struct stat sb {};
  // util-linux tests mnt_fs_get_option() == 1, which means "option absent": kept as is for identical output.
  if (stat(tgt, &sb) != 0) {
    const int err = errno;
    const bool noauto = has_option("noauto");
    errno = err;  // for msg()'s %m
    if (!noauto)
      msg('E', cli::ul("unreachable on boot required target: %m"));
    else
      msg('W', cli::ul("unreachable target: %m"));
  } else if (!S_ISDIR(sb.st_mode) && !has_option("bind")) {
    msg('E', cli::ul("target is not a directory"));
  } else {
    msg(' ', cli::ul("target exists"));
  }
}

void Verifier::verify_options() {
  if (const char* o = mnt_fs_get_vfs_options(fs_)) msg(' ', cli::ul("VFS options: %s"), o);
  if (const char* o = mnt_fs_get_fs_options(fs_)) msg(' ', cli::ul("FS options: %s"), o);
  if (const char* o = mnt_fs_get_user_options(fs_)) msg(' ', cli::ul("userspace options: %s"), o);
}

void Verifier::verify_source() {
  const char* src = mnt_fs_get_srcpath(fs_);
  struct stat sb {};
  if (!src) {
    const char* tag = nullptr;
    const char* val = nullptr;
    if (mnt_fs_get_tag(fs_, &tag, &val) != 0) return msg('E', cli::ul("undefined source (fs_spec)"));
    src = ctx_.cfg.nocache ? nullptr : mnt_resolve_tag(tag, val, ctx_.cache.get());
    if (!src) {
      if (!has_option("noauto"))
        msg('E', cli::ul("unreachable on boot required source: %s=%s"), tag, val);
      else
        msg('W', cli::ul("unreachable: %s=%s"), tag, val);
      return;
    }
    msg(' ', cli::ul("%s=%s translated to %s"), tag, val, src);
  } else {
    char* t = nullptr;
    char* v = nullptr;
    bool is_tag = blkid_parse_tag_string(src, &t, &v) == 0;
    std::free(t);
    std::free(v);
    if (is_tag && stat(src, &sb) != 0) return msg('E', cli::ul("unsupported source tag: %s"), src);
  }
  // util-linux's "isbind" is true when the option is present (get_option() == 0)
  const bool isbind = has_option("bind");
  if (mnt_fs_is_pseudofs(fs_) || mnt_fs_is_netfs(fs_))
    msg(' ', cli::ul("do not check %s source (pseudo/net)"), src);
  else if (stat(src, &sb) != 0)
    msg('W', cli::ul("unreachable source: %s: %m"), src);
  else if ((S_ISDIR(sb.st_mode) || S_ISREG(sb.st_mode)) && !isbind)
    msg('W', cli::ul("non-bind mount source %s is a directory or regular file"), src);
  else if (!S_ISBLK(sb.st_mode) && !isbind)
    msg('W', cli::ul("source %s is not a block device"), src);
  else
    msg(' ', cli::ul("source %s exists"), src);
}

void Verifier::verify_swaparea() {
  char* arg = nullptr;
  std::size_t argsz = 0;
  if (mnt_fs_get_option(fs_, "discard", &arg, &argsz) == 0 && arg && std::strncmp(arg, "once", argsz) != 0 &&
      std::strncmp(arg, "pages", argsz) != 0)
    msg('E', cli::ul("unsupported swaparea discard policy: %s"), arg);
  if (mnt_fs_get_option(fs_, "pri", &arg, &argsz) == 0 && arg) {
    char* p = arg;
    if (*p == '-') ++p;
    for (; p < arg + argsz; ++p)
      if (!std::isdigit(static_cast<unsigned char>(*p))) {
        msg('E', cli::ul("failed to parse swaparea priority option"));
        break;
      }
  }
}

bool Verifier::supported(const char* name) const {
  for (const std::string& fs : filesystems_)
    if (mnt_match_fstype(fs.c_str(), name)) return true;
  return false;
}

void Verifier::add_filesystem(const std::string& name) {
  if (!supported(name.c_str())) filesystems_.push_back(name);
}

// /proc/filesystems and the fs modules the running kernel could load.
void Verifier::load_known_filesystems() {
  std::ifstream procfs("/proc/filesystems");
  for (std::string line; std::getline(procfs, line);) {
    std::size_t tab = line.find_first_of(" \t");
    std::string name = tab == std::string::npos ? line : line.substr(line.find_first_not_of(" \t", tab));
    add_filesystem(name.substr(0, name.find_first_of(" \t")));
  }
  utsname uts{};
  if (uname(&uts)) return;
  std::ifstream deps(std::string("/lib/modules/") + uts.release + "/modules.dep");
  for (std::string line; std::getline(deps, line);) {
    if (!line.starts_with("kernel/fs/") || line.starts_with("kernel/fs/nls/")) continue;
    std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string path = line.substr(0, colon);
    std::size_t slash = path.rfind('/');
    std::size_t ko = path.find(".ko", slash);
    if (ko == std::string::npos) continue;
    add_filesystem(path.substr(slash + 1, ko - slash - 1));
  }
}

void Verifier::verify_fstype() {
  char* src = mnt_resolve_spec(mnt_fs_get_source(fs_), ctx_.cache.get());
  if (!src) return;
  if (mnt_fs_is_pseudofs(fs_) || mnt_fs_is_netfs(fs_))
    return msg(' ', cli::ul("do not check %s FS type (pseudo/net)"), src);
  const char* type = mnt_fs_get_fstype(fs_);
  bool isauto = false, isswap = false;
  if (type) {
    bool none = std::strcmp(type, "none") == 0;
    if (none && !has_option("bind") && !has_option("move"))
      return msg('W', cli::ul("\"none\" FS type is recommended for bind or move oprations only"));
    isauto = std::strcmp(type, "auto") == 0;
    isswap = std::strcmp(type, "swap") == 0;
    if (std::strcmp(type, "xfs") == 0 || std::strcmp(type, "btrfs") == 0) no_fsck_ = true;
    if (!isswap && !isauto && !none && !supported(type))
      msg('W', cli::ul("%s seems unsupported by the current kernel"), type);
  }
  int ambi = 0;
  errno = 0;
  char* realtype = mnt_get_fstype(src, &ambi, ctx_.cache.get());
  if (!realtype) {
    const char* reason = errno ? std::strerror(errno) : cli::ul("reason unknown");
    msg(isauto ? 'E' : 'W', cli::ul("cannot detect on-disk filesystem type (%s)"), reason);
    return;
  }
  isswap = std::strcmp(realtype, "swap") == 0;
  no_fsck_ = std::strcmp(realtype, "xfs") == 0 || std::strcmp(realtype, "btrfs") == 0;
  if (type && !isauto && std::strcmp(type, realtype) != 0)
    return msg('E', cli::ul("%s does not match with on-disk %s"), type, realtype);
  if (!isswap && !supported(realtype))
    return msg('E', cli::ul("on-disk %s seems unsupported by the current kernel"), realtype);
  msg(' ', cli::ul("FS type is %s"), realtype);
}

void Verifier::verify_passno() {
  int passno = mnt_fs_get_passno(fs_);
  const char* tgt = mnt_fs_get_target(fs_);
  if (tgt && std::strcmp("/", tgt) == 0 && passno != 1 && !no_fsck_)
    msg('W', cli::ul("recommended root FS passno is 1 (current is %d)"), passno);
}

// systemd keeps the fstab it loaded: an edit without daemon-reload is not in effect yet.
void Verifier::check_systemd_reload() {
  fs_ = nullptr;  // not about one entry: no target line
  struct stat a {
  }, b{};
  if (stat("/run/systemd/systemd-units-load", &a) != 0 || stat("/etc/fstab", &b) != 0) return;
  bool older = a.st_mtim.tv_sec < b.st_mtim.tv_sec ||
               (a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec < b.st_mtim.tv_nsec);
  if (older)
    msg('W', cli::ul("your fstab has been modified, but systemd still uses the old version;\n"
                     "       use 'systemctl daemon-reload' to reload"));
}

void print_summary(int parse_errors, int nerrors, int nwarnings) {
  if (!nerrors && !parse_errors && !nwarnings) {
    std::fputs(cli::ul("Success, no errors or warnings detected\n"), stdout);
    return;
  }
  std::fflush(stdout);
  std::fputc('\n', stderr);
  std::fprintf(stderr, cli::uln("%d parse error", "%d parse errors", parse_errors), parse_errors);
  std::fprintf(stderr, cli::uln(", %d error", ", %d errors", nerrors), nerrors);
  std::fprintf(stderr, cli::uln(", %d warning", ", %d warnings", nwarnings), nwarnings);
  std::fputc('\n', stderr);
}

}  // namespace

int verify_table(Context& ctx, libmnt_table* tb) {
  Verifier vfy(ctx, tb);
  const bool check_order = is_listall_mode(ctx.cfg, ctx.match);
  MntIter itr = new_iter(MNT_ITER_FORWARD);
  if (!itr) {
    cli::warn(cli::ul("failed to initialize libmount iterator"), errno);
  } else {
    vfy.load_known_filesystems();
    while (libmnt_fs* fs = next_fs(tb, itr.get(), ctx)) {
      vfy.check(fs, check_order);
      if (ctx.cfg.first_only) break;
      ctx.cfg.noswapmatch = true;
    }
    vfy.check_systemd_reload();
  }
  print_summary(ctx.parse_errors, vfy.nerrors, vfy.nwarnings);
  return vfy.nerrors + ctx.parse_errors ? 1 : 0;
}

}  // namespace findmnt
