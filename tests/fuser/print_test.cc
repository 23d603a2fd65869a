// SPDX-License-Identifier: GPL-2.0-or-later
// Reports printed as psmisc 23.6 prints them, byte for byte, on the two streams and in their order.
#include "print.h"

#include <gtest/gtest.h>

namespace fuser {
namespace {

// What fuser wrote, each stream on its own and both in the order written ("<out>" / "<err>" marks).
class Recorded : public Output {
 public:
  void out(const std::string& text) override {
    stdout_ += text;
    both_ += "<out>" + text;
  }
  void err(const std::string& text) override {
    stderr_ += text;
    both_ += "<err>" + text;
  }
  std::string stdout_, stderr_, both_;
};

// LABEL and its colon padded to psmisc's 20 columns.
std::string Pad(const std::string& label) {
  std::string out = label + ":";
  return out + std::string(out.size() < 20 ? 20 - out.size() : 0, ' ');
}
const std::string kIndent(20, ' ');
const std::string kHeader = kIndent + " USER        PID ACCESS COMMAND\n";

ProcessUse Use(pid_t pid, unsigned access) {
  ProcessUse u;
  u.pid = pid;
  u.access = access;
  return u;
}

Report Named(const std::string& label, std::vector<ProcessUse> processes,
             std::vector<KernelUse> kernel = {}) {
  Report r;
  r.label = label;
  r.processes = std::move(processes);
  r.kernel = std::move(kernel);
  return r;
}

struct PrintRun {
  Options options;
  Recorded out;
  bool matched = false;

  void print(const std::vector<Report>& reports) {
    Printer p(
        options, out,
        [](pid_t pid) {
          return pid == 4178 ? ProcessIdentity{1000, "vim"} : ProcessIdentity{0, pid == 99 ? "" : "bash"};
        },
        [](uid_t uid) -> std::optional<std::string> {
          if (uid == 0) return std::string("root");
          return std::nullopt;
        });
    for (const Report& r : reports) p.print(r);
    matched = p.matched();
  }
};

// Given two users of a name, we should print the name padded to 20 columns and the letters on stderr, the
// pids on stdout, interleaved as psmisc writes them (no f for a file; e wins over m).
TEST(Print, ShortForm) {
  PrintRun run;
  run.print({Named("/mnt", {Use(4120, kCwd | kRoot), Use(4178, kFile | kExe | kMmap)})});
  EXPECT_EQ(run.out.stdout_, "  4120  4178");
  EXPECT_EQ(run.out.stderr_, Pad("/mnt") + "rce\n");
  EXPECT_EQ(run.out.both_,
            "<err>/mnt:<err>" + std::string(15, ' ') + "<out>  4120<err>rc<out>  4178<err>e<err>\n");
  EXPECT_TRUE(run.matched);
}

// Given a name without users, we should print nothing (and say no match); with -a its name and a newline.
TEST(Print, NamesWithoutUsers) {
  PrintRun plain;
  plain.print({Named("/a", {}, {KernelUse{KernelKind::Mount, "/a"}})});
  EXPECT_EQ(plain.out.stderr_, "");
  EXPECT_FALSE(plain.matched);
  PrintRun all;
  all.options.all = true;
  all.print({Named("/a", {}), Named("/b", {Use(7, kCwd)})});
  EXPECT_EQ(all.out.stderr_, "/a:\n" + Pad("/b") + "c\n");
  EXPECT_EQ(all.out.stdout_, "     7");
}

// Given -v, we should print the header once, the user, the pid, the access columns (F for writing, m only
// without e) and the command; kernel holders first, with "kernel" on stdout.
TEST(Print, VerboseTable) {
  PrintRun run;
  run.options.verbose = true;
  run.print({Named("/dev/sdb", {Use(4120, kCwd), Use(4178, kFile | kFileWrite | kMmap)},
                   {KernelUse{KernelKind::Mount, "/mnt"}}),
             Named("/x", {Use(99, kExe | kMmap)})});
  EXPECT_EQ(run.out.stdout_, "kernel  4120  4178    99");
  EXPECT_EQ(run.out.stderr_, kHeader + Pad("/dev/sdb") + " root      mount /mnt\n" + kIndent +
                                 " root      ..c.. bash\n" + kIndent + " (unknown)  F...m vim\n" + Pad("/x") +
                                 " root      ...e. ???\n");
}

// Given -v and a name of 20 characters or more, we should put it on a line of its own.
TEST(Print, VerboseLongNameGetsALineOfItsOwn) {
  PrintRun run;
  run.options.verbose = true;
  run.print({Named("/a/very/long/path/name", {Use(1, kCwd)})});
  EXPECT_EQ(run.out.stderr_, kHeader + "/a/very/long/path/name:\n" + kIndent + " root      ..c.. bash\n");
}

// Given -u, we should add "(user)" after the letters, or psmisc's padded "(unknown)".
TEST(Print, UserNames) {
  PrintRun run;
  run.options.user = true;
  run.print({Named("/f", {Use(1, kCwd), Use(4178, kFile)})});
  EXPECT_EQ(run.out.stderr_, Pad("/f") + "c(root) (unknown) \n");
}

// Given -v with kernel holders of every kind, we should spell their ACCESS as psmisc does (loop is ours).
TEST(Print, KernelHolderWords) {
  PrintRun run;
  run.options.verbose = true;
  run.print({Named("/f", {},
                   {KernelUse{KernelKind::Swap, "/f"}, KernelUse{KernelKind::Knfsd, "/srv"},
                    KernelUse{KernelKind::Loop, "/dev/loop3"},
                    KernelUse{KernelKind::Detached, "/mnt (ext2, detached)"}})});
  EXPECT_EQ(run.out.stderr_, kHeader + Pad("/f") + " root      swap  /f\n" + kIndent +
                                 " root      knfsd /srv\n" + kIndent + " root      loop  /dev/loop3\n" +
                                 kIndent + " root      mount /mnt (ext2, detached)\n");
  EXPECT_TRUE(run.matched);  // with -v a kernel holder counts
}

// Given --detached's words of how a process pins, we should add them after its command.
TEST(Print, HowAfterTheCommand) {
  PrintRun run;
  run.options.verbose = true;
  Report r = Named("/dev/sdb", {Use(4120, kCwd)});
  r.processes[0].how = "cwd";
  run.print({r});
  EXPECT_EQ(run.out.stderr_, kHeader + Pad("/dev/sdb") + " root      ..c.. bash: cwd\n");
}

// Given -s, we should print nothing and still say whether a process uses a name.
TEST(Print, Silent) {
  PrintRun run;
  run.options.silent = true;
  run.print({Named("/f", {Use(1, kCwd)})});
  EXPECT_EQ(run.out.both_, "");
  EXPECT_TRUE(run.matched);
}

// Given commands with bytes that do not print and a ')', we should show them as psmisc does.
TEST(Print, CommandsAsPsmiscShowsThem) {
  EXPECT_EQ(psmisc_command("sleep"), "sleep");
  EXPECT_EQ(psmisc_command("a)b"), "a");
  EXPECT_EQ(psmisc_command("new\nline"), "new\\012line");
  EXPECT_EQ(psmisc_command("caf\xc3\xa9"), "caf\\303\\251");
  EXPECT_EQ(psmisc_command(std::string(70, 'x')).size(), 64u);
  EXPECT_EQ(padded_user("root"), " root     ");
  EXPECT_EQ(padded_user("verylongname"), " verylongname ");
}

}  // namespace
}  // namespace fuser
