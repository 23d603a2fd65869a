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

const char* access_name(Access access, const Words& words) {
  switch (access) {
    case Access::Read:
      // TRANSLATORS: how a process has a file open: "fd 7 (read)".
      return words.tr("read");
    case Access::Write:
      // TRANSLATORS: how a process has a file open: "fd 7 (write)".
      return words.tr("write");
    case Access::ReadWrite:
      // TRANSLATORS: how a process has a file open: "fd 7 (read/write)".
      return words.tr("read/write");
    case Access::Unknown:
      break;
  }
  return "";
}

const char* holder_kind_word(PinKind kind, const Words& words) {
  switch (kind) {
    case PinKind::LoopBacking:
      // TRANSLATORS: a loop device that holds a filesystem, before its name: "loop /dev/loop1".
      return words.tr("loop");
    case PinKind::SwapFile:
      // TRANSLATORS: an active swap file that holds a filesystem, before its path: "swap file /swap".
      return words.tr("swap file");
    case PinKind::OtherMount:
      // TRANSLATORS: another mount of the same filesystem, before its mount point: "mount /srv".
      return words.tr("mount");
    default:
      return pin_kind_name(kind);
  }
}

namespace {

// "probe /bin/x:0x1234", "return probe /bin/x:0x1234": a uprobe's definition ("p:uprobes/x /bin/x:0x1234")
// without the event's name, which names its pinner.
std::string uprobe_how(const std::string& definition, const std::string& path, const Words& words) {
  std::size_t blank = definition.find(' ');
  if (definition.size() < 2 || definition[1] != ':' || blank == std::string::npos)
    return path.empty() ? std::string("uprobe") : "uprobe " + path;
  return definition[0] == 'r' ? words.trf("return probe {0}", definition.substr(blank + 1))
                              : words.trf("probe {0}", definition.substr(blank + 1));
}

// "uprobe /bin/x", "uretprobe": a BPF link's kind of probe (a machine word) and the file it is on.
std::string link_probe(const std::string& role, const std::string& path) {
  return (role.empty() ? std::string("uprobe") : role) + (path.empty() ? "" : " " + path);
}

std::string fd_numbers(int fd, int fd_last) {
  return fd_last > fd ? std::to_string(fd) + "-" + std::to_string(fd_last) : std::to_string(fd);
}

}  // namespace

std::string Pin::how(const Words& words) const {
  switch (kind) {
    case PinKind::RingFile:
      return path.empty() ? words.trf("io_uring fd {0} (registered file)", fd)
                          : words.trf("io_uring fd {0} (registered file {1})", fd, path);
    case PinKind::BoundSocket:
      return path.empty() ? words.trf("socket fd {0} (bound to a path)", fd)
                          : words.trf("socket fd {0} (bound to {1})", fd, path);
    case PinKind::FilesInFlight:
      return words.trnf("socket fd {0} ({1} file in flight)", "socket fd {0} ({1} files in flight)", count,
                        fd, count);
    case PinKind::BpfLink:
      // TRANSLATORS: {0} is the link's id, {1} the descriptor, {2} the probe: "bpf link 12 fd 5 (uprobe /x)".
      return holder.empty() ? words.trf("bpf link fd {0} ({1})", fd, link_probe(role, path))
                            : words.trf("bpf link {0} fd {1} ({2})", holder, fd, link_probe(role, path));
    case PinKind::KernelBpfLink:
      // TRANSLATORS: {0} is the probe and its file: "uprobe /bin/x; no process holds it".
      return words.trf("{0}; no process holds it", link_probe(role, path));
    case PinKind::OverlayLayer:
      return role + (path.empty() ? "" : " " + path);
    case PinKind::BackingFile:
      return path.empty() ? std::string(words.tr("backing file")) : words.trf("backing file {0}", path);
    case PinKind::BinfmtInterpreter:
      return path.empty() ? std::string(words.tr("interpreter")) : words.trf("interpreter {0}", path);
    case PinKind::Uprobe:
      return uprobe_how(role, path, words);
    case PinKind::Fd:
      return access == Access::Unknown
                 ? "fd " + fd_numbers(fd, fd_last)
                 // TRANSLATORS: {0} is a descriptor or a range of them ("3-1002"), {1}
                 // how it is open ("read", "write", "read/write").
                 : words.trf("fd {0} ({1})", fd_numbers(fd, fd_last), access_name(access, words));
    case PinKind::LoopBacking:
    case PinKind::SwapFile:
    case PinKind::OtherMount:
    case PinKind::NsfsFd:
      return holder.empty() ? std::string(holder_kind_word(kind, words))
                            : std::string(holder_kind_word(kind, words)) + " " + holder;
    default:
      return pin_kind_name(kind);
  }
}

}  // namespace detach
