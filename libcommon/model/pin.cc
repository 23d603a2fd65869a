// SPDX-License-Identifier: GPL-2.0-or-later
#include "model/pin.h"

namespace detach {

bool is_task_pin(PinKind kind) {
  switch (kind) {
    case PinKind::Cwd:
    case PinKind::Root:
    case PinKind::Exe:
    case PinKind::Fd:
    case PinKind::Mmap:
    case PinKind::RingFile:
    case PinKind::BoundSocket:
    case PinKind::FilesInFlight:
    case PinKind::BpfLink:
      return true;
    default:
      return false;
  }
}

bool is_proc_link_pin(PinKind kind) {
  switch (kind) {
    case PinKind::Cwd:
    case PinKind::Root:
    case PinKind::Exe:
    case PinKind::Fd:
    case PinKind::Mmap:
      return true;
    default:
      return false;
  }
}

const char* pin_kind_name(PinKind kind) {
  switch (kind) {
    case PinKind::Cwd:
      return "cwd";
    case PinKind::Root:
      return "root";
    case PinKind::Exe:
      return "exe";
    case PinKind::Fd:
      return "fd";
    case PinKind::Mmap:
      return "mmap";
    case PinKind::LoopBacking:
      return "loop";
    case PinKind::SwapFile:
      return "swap file";
    case PinKind::OtherMount:
      return "mount";
    case PinKind::NsfsFd:
      return "nsfs";
    case PinKind::RingFile:
      return "io_uring-file";
    case PinKind::BoundSocket:
      return "bound-socket";
    case PinKind::FilesInFlight:
      return "files-in-flight";
    case PinKind::BpfLink:
      return "bpf-link";
    case PinKind::OverlayLayer:
      return "overlay-layer";
    case PinKind::BackingFile:
      return "backing-file";
    case PinKind::BinfmtInterpreter:
      return "binfmt-interpreter";
    case PinKind::Uprobe:
      return "uprobe";
    case PinKind::KernelBpfLink:
      return "bpf-link";
  }
  return "?";
}

const char* access_name(Access access) {
  switch (access) {
    case Access::Read:
      return "read";
    case Access::Write:
      return "write";
    case Access::ReadWrite:
      return "read/write";
    case Access::Unknown:
      break;
  }
  return "";
}

namespace {

// "probe /bin/x:0x1234", "return probe /bin/x:0x1234": a uprobe's definition ("p:uprobes/x /bin/x:0x1234")
// without the event's name, which names its pinner.
std::string uprobe_how(const std::string& definition, const std::string& where) {
  std::size_t blank = definition.find(' ');
  if (definition.size() < 2 || definition[1] != ':' || blank == std::string::npos) return "uprobe" + where;
  return (definition[0] == 'r' ? "return probe " : "probe ") + definition.substr(blank + 1);
}

}  // namespace

std::string Pin::how() const {
  const std::string object = " fd " + std::to_string(fd);
  const std::string where = path.empty() ? "" : " " + path;
  switch (kind) {
    case PinKind::RingFile:
      return "io_uring" + object + " (registered file" + where + ")";
    case PinKind::BoundSocket:
      return "socket" + object + " (bound to" + (path.empty() ? " a path" : where) + ")";
    case PinKind::FilesInFlight:
      return "socket" + object + " (" + std::to_string(count) + (count == 1 ? " file" : " files") +
             " in flight)";
    case PinKind::BpfLink:
      return "bpf link" + (holder.empty() ? "" : " " + holder) + object + " (" +
             (role.empty() ? "uprobe" : role) + where + ")";
    case PinKind::KernelBpfLink:
      return (role.empty() ? "uprobe" : role) + where + "; no process holds it";
    case PinKind::OverlayLayer:
      return role + where;
    case PinKind::BackingFile:
      return "backing file" + where;
    case PinKind::BinfmtInterpreter:
      return "interpreter" + where;
    case PinKind::Uprobe:
      return uprobe_how(role, where);
    default:
      break;
  }
  std::string out = pin_kind_name(kind);
  switch (kind) {
    case PinKind::Fd:
      out += " " + std::to_string(fd);
      if (fd_last > fd) out += "-" + std::to_string(fd_last);
      if (access != Access::Unknown) out += std::string(" (") + access_name(access) + ")";
      break;
    case PinKind::LoopBacking:
    case PinKind::SwapFile:
    case PinKind::OtherMount:
    case PinKind::NsfsFd:
      if (!holder.empty()) out += " " + holder;
      break;
    default:
      break;
  }
  return out;
}

}  // namespace detach
