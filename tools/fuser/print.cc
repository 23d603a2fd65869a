// SPDX-License-Identifier: GPL-2.0-or-later
#include "print.h"

#include <cstdio>

#include "cli/i18n.h"

namespace fuser {
namespace {

constexpr std::size_t kNameField = 20;  // psmisc's NAME_FIELD: where the pids start
constexpr std::size_t kCommLen = 64;    // psmisc's COMM_LEN

const char* kernel_access(KernelKind kind) {
  switch (kind) {
    case KernelKind::Swap:
      return " swap  ";
    case KernelKind::Mount:
    case KernelKind::Detached:
    case KernelKind::Overlay:
    case KernelKind::FileBacked:
      return " mount ";
    case KernelKind::Knfsd:
      return " knfsd ";
    case KernelKind::Binfmt:
      return " binfmt ";
    case KernelKind::Uprobe:
      return " uprobe ";
    case KernelKind::BpfLink:
      return " bpf   ";
    case KernelKind::FsDevice:
      return " fsdev ";
    case KernelKind::Loop:
      break;
  }
  return " loop  ";
}

std::string access_columns(unsigned a) {
  std::string out = " ";
  out += (a & kFile) ? ((a & kFileWrite) ? 'F' : 'f') : '.';
  out += (a & kRoot) ? 'r' : '.';
  out += (a & kCwd) ? 'c' : '.';
  out += (a & kExe) ? 'e' : '.';
  out += ((a & kMmap) && !(a & kExe)) ? 'm' : '.';
  return out + " ";
}

std::string access_letters(unsigned a) {
  std::string out;
  if (a & kRoot) out += 'r';
  if (a & kCwd) out += 'c';
  if (a & kExe)
    out += 'e';
  else if (a & kMmap)
    out += 'm';
  return out;
}

bool printable_byte(unsigned char c) {
  return c >= 0x20 && c < 0x7f;
}

}  // namespace

std::string psmisc_command(const std::string& comm) {
  std::string name = comm.substr(0, comm.find(')')).substr(0, 100);
  std::string out;
  for (unsigned char c : name) {
    if (out.size() >= kCommLen) break;
    if (printable_byte(c)) {
      out += static_cast<char>(c);
    } else if (out.size() < kCommLen - 4) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\%03o", c);
      out += esc;
    }
  }
  return out;
}

std::string padded_user(const std::string& name) {
  std::string out = " " + name;
  if (name.size() < 8) out += std::string(8 - name.size(), ' ');
  return out + " ";
}

std::string Printer::user_of(uid_t uid) {
  return user_name_(uid).value_or("");
}

void Printer::print(const Report& r) {
  const bool verbose = options_.verbose && !options_.silent;
  if (options_.silent) {
    if (!r.processes.empty()) matched_ = true;
    return;
  }
  const std::size_t entries = (verbose ? r.kernel.size() : 0) + r.processes.size();
  // psmisc decides whether a name is shown by what it matched (with -v: kernel holders too); -a shows all.
  const bool shown = options_.all || entries > 0;
  std::size_t len = 0;
  if (shown) {
    if (!header_ && verbose) {
      out_.err(cli::cformat(cli::psmisc("%*s USER        PID ACCESS COMMAND\n"), static_cast<int>(kNameField),
                            ""));
      header_ = true;
    }
    out_.err(r.label + ":");
    len = r.label.size() + 1;
  }
  for (std::size_t i = 0; i < entries; ++i) entry(r, i, len, i == 0);
  if (verbose) {
    if (entries == 0 && options_.all) out_.err("\n");
  } else if (shown) {
    out_.err("\n");
  }
}

// Entry I of R: its kernel holders first (with -v), then its processes.
void Printer::entry(const Report& r, std::size_t i, std::size_t& len, bool first) {
  const bool verbose = options_.verbose;
  const std::size_t kernel = verbose ? r.kernel.size() : 0;
  const KernelUse* k = i < kernel ? &r.kernel[i] : nullptr;
  const ProcessUse* p = k ? nullptr : &r.processes[i - kernel];
  matched_ = true;

  const ProcessIdentity who = k ? ProcessIdentity{0, ""} : identify_(p->pid);
  std::string user;
  if (verbose || options_.user) user = user_of(who.uid);
  if (len > kNameField && verbose) {
    out_.err("\n");
    len = 0;
  }
  if ((verbose || first) && len < kNameField) out_.err(std::string(kNameField - len, ' '));
  if (verbose) out_.err(padded_user(user.empty() ? cli::psmisc("(unknown)") : user));
  if (k) {
    out_.out("kernel");
  } else {
    char pid[24];
    std::snprintf(pid, sizeof pid, " %5d", static_cast<int>(p->pid));
    out_.out(pid);
  }
  if (verbose)
    out_.err(k ? kernel_access(k->kind) : access_columns(p->access));
  else
    out_.err(access_letters(p->access));
  if (options_.user) out_.err(user.empty() ? padded_user(cli::psmisc("(unknown)")) : "(" + user + ")");
  if (verbose) {
    std::string command = k ? k->command : who.command.empty() ? "???" : psmisc_command(who.command);
    if (p != nullptr && !p->how.empty()) command += ": " + p->how;
    out_.err(command + "\n");
  }
  len = 0;
}

}  // namespace fuser
