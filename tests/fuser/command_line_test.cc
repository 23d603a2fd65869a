// SPDX-License-Identifier: GPL-2.0-or-later
// fuser's command line read by psmisc 23.6's rules: what applies to which name, where parsing stops, and
// the quirks scripts may rely on.
#include "command_line.h"

#include <gtest/gtest.h>

namespace fuser {
namespace {

CommandLine Parse(const std::vector<std::string>& args) {
  return parse_command_line(args, "/usr/bin/fuser");
}

// Given -m between two names, we should apply it to the name after it only.
TEST(CommandLine, MountOptionAppliesToTheNamesAfterIt) {
  CommandLine cl = Parse({"/a", "-m", "/b", "/c"});
  ASSERT_EQ(cl.names.size(), 3u);
  EXPECT_FALSE(cl.names[0].mount);
  EXPECT_TRUE(cl.names[1].mount);
  EXPECT_TRUE(cl.names[2].mount);
  EXPECT_EQ(cl.stop, Stop::None);
}

// Given -c, we should read it as -m.
TEST(CommandLine, DashCIsMount) {
  EXPECT_TRUE(Parse({"-c", "/a"}).names.at(0).mount);
}

// Given "--", we should read nothing after it: names there are not names.
TEST(CommandLine, DoubleDashEndsTheLine) {
  CommandLine cl = Parse({"/a", "--", "/b", "-x"});
  ASSERT_EQ(cl.names.size(), 1u);
  EXPECT_EQ(cl.names[0].text, "/a");
  EXPECT_EQ(cl.stop, Stop::None);
}

// Given a lone "-", we should accept it and do nothing (23.6 no longer resets options).
TEST(CommandLine, LoneDashDoesNothing) {
  CommandLine cl = Parse({"-m", "-", "/a"});
  ASSERT_EQ(cl.names.size(), 1u);
  EXPECT_TRUE(cl.names[0].mount);
}

// Given -n in the middle of a bundle, we should take the next word as its space and drop the rest of the
// bundle (-nv tcp: no -v).
TEST(CommandLine, NamespaceTakesTheNextWordAndDropsTheRestOfItsBundle) {
  CommandLine cl = Parse({"-nv", "tcp", "80"});
  ASSERT_EQ(cl.names.size(), 1u);
  EXPECT_EQ(cl.names[0].space, Space::Tcp);
  EXPECT_FALSE(cl.options.verbose);
  CommandLine vn = Parse({"-vn", "udp", "53"});
  EXPECT_TRUE(vn.options.verbose);
  EXPECT_EQ(vn.names.at(0).space, Space::Udp);
}

// Given -n without a word, or with an unknown space, we should stop with psmisc's message.
TEST(CommandLine, NamespaceErrors) {
  CommandLine missing = Parse({"-n"});
  EXPECT_EQ(missing.stop, Stop::Usage);
  EXPECT_EQ(missing.message, "Namespace option requires an argument.");
  CommandLine bad = Parse({"-n", "sctp", "1"});
  EXPECT_EQ(bad.stop, Stop::Usage);
  EXPECT_EQ(bad.message, "Invalid namespace name");
}

// Given a suffix after the first '/' (not at the start), we should read the space from it; /tcp alone is a
// file, and x/file is the file x.
TEST(CommandLine, SpaceSuffixes) {
  CommandLine cl = Parse({"80/tcp", "53/udp", "x/file", "/tcp", "a/b/tcp", "-n", "tcp", "/y"});
  ASSERT_EQ(cl.names.size(), 6u);
  EXPECT_EQ(cl.names[0].space, Space::Tcp);
  EXPECT_EQ(cl.names[0].text, "80");
  EXPECT_EQ(cl.names[1].space, Space::Udp);
  EXPECT_EQ(cl.names[2].space, Space::File);
  EXPECT_EQ(cl.names[2].text, "x");
  EXPECT_EQ(cl.names[3].space, Space::File);
  EXPECT_EQ(cl.names[3].text, "/tcp");
  EXPECT_EQ(cl.names[4].space, Space::File);  // "b/tcp" after the first '/' is no space
  EXPECT_EQ(cl.names[5].space, Space::Tcp);   // -n tcp, and a leading '/' names no space
  EXPECT_EQ(cl.names[5].text, "/y");
}

// Given -m before a tcp name, we should stop: mount options take files only.
TEST(CommandLine, MountOptionsTakeFilesOnly) {
  CommandLine cl = Parse({"/a", "-m", "80/tcp", "/b"});
  EXPECT_EQ(cl.stop, Stop::Usage);
  EXPECT_EQ(cl.message, "You can only use files with mountpoint options");
  ASSERT_EQ(cl.names.size(), 1u);  // the name before it was read
  EXPECT_EQ(Parse({"-M", "-n", "udp", "53"}).stop, Stop::Usage);
}

// Given an uppercase letter or a digit in a bundle, we should read the whole word after the dash as the
// signal: -kHUP is the (unknown) signal kHUP, -9k is 9 (atoi), -INT is -I and then the signal INT.
TEST(CommandLine, SignalIsTheWholeWordFromItsFirstLetter) {
  CommandLine khup = Parse({"-kHUP", "/a"});
  EXPECT_EQ(khup.stop, Stop::UnknownSignal);
  EXPECT_EQ(khup.message, "kHUP");
  EXPECT_TRUE(khup.options.kill);
  CommandLine nine = Parse({"-9k", "/a"});
  EXPECT_EQ(nine.stop, Stop::None);
  EXPECT_EQ(nine.options.signal, 9);
  EXPECT_FALSE(nine.options.kill);
  CommandLine sigint = Parse({"-INT", "/a"});
  EXPECT_EQ(sigint.options.signal, 2);
  EXPECT_TRUE(sigint.names.at(0).sync_stat);
  CommandLine four_nine = Parse({"-49", "/a"});  // -4, then the signal "49"
  EXPECT_TRUE(four_nine.options.ipv4_only);
  EXPECT_EQ(four_nine.options.signal, 49);
}

// Given SIG-prefixed and bare names, numbers and unknown names, we should read them as psmisc's get_signal.
TEST(CommandLine, SignalNames) {
  EXPECT_EQ(signal_of("HUP"), 1);
  EXPECT_EQ(signal_of("SIGTERM"), 15);
  EXPECT_EQ(signal_of("0"), 0);
  EXPECT_EQ(signal_of("9x"), 9);
  // atoi() is strtol() cast to int: the low 32 bits, and past long's range LONG_MAX's (-1).
  EXPECT_EQ(signal_of("99999999999"), 1215752191);
  EXPECT_EQ(signal_of("99999999999999999999"), -1);
  EXPECT_EQ(signal_of("SIG"), std::nullopt);
  EXPECT_EQ(signal_of("IOT"), std::nullopt);  // an alias psmisc's table lacks
  EXPECT_EQ(signal_of("hup"), std::nullopt);
  CommandLine sig = Parse({"-SIGIOT"});
  EXPECT_EQ(sig.stop, Stop::UnknownSignal);
  EXPECT_EQ(sig.message, "IOT");  // named without its SIG, as psmisc prints it
}

// Given an option letter psmisc lacks, or a long option not spelled out in full, we should stop with
// psmisc's message naming argv[0].
TEST(CommandLine, InvalidOptions) {
  CommandLine x = Parse({"/a", "-vx", "/b"});
  EXPECT_EQ(x.stop, Stop::Usage);
  EXPECT_EQ(x.message, "/usr/bin/fuser: Invalid option x");
  EXPECT_TRUE(x.options.verbose);
  EXPECT_EQ(x.names.size(), 1u);
  EXPECT_EQ(Parse({"--mo", "/a"}).message, "/usr/bin/fuser: Invalid option --mo");
  EXPECT_EQ(Parse({"--namespace=tcp", "80"}).message, "/usr/bin/fuser: Invalid option --namespace=tcp");
  EXPECT_EQ(Parse({"--help"}).message, "/usr/bin/fuser: Invalid option --help");
}

// Given long options in full, we should read them as their letters (--namespace taking the next word).
TEST(CommandLine, LongOptions) {
  CommandLine cl = Parse({"--kill", "--verbose", "--namespace", "tcp", "80", "--mount", "--silent"});
  EXPECT_TRUE(cl.options.kill);
  EXPECT_TRUE(cl.options.verbose);
  EXPECT_TRUE(cl.options.silent);
  ASSERT_EQ(cl.names.size(), 1u);
  EXPECT_EQ(cl.names[0].space, Space::Tcp);
}

// Given -l, -V or -h after some names, we should stop there, with the names before it read.
TEST(CommandLine, ListVersionAndHelpStopWhereTheyStand) {
  CommandLine l = Parse({"/a", "-l", "/b"});
  EXPECT_EQ(l.stop, Stop::ListSignals);
  EXPECT_EQ(l.names.size(), 1u);
  EXPECT_EQ(Parse({"-V"}).stop, Stop::Version);
  EXPECT_EQ(Parse({"-vh"}).stop, Stop::Usage);
  EXPECT_EQ(Parse({"-vh"}).message, "");
  EXPECT_EQ(Parse({"-VTALRM"}).stop, Stop::Version);  // -V acts before the letters after it
}

// Given -I, -4 or -6 between names, we should record them on the names after them.
TEST(CommandLine, InodeAndFamilyOptionsApplyToLaterNames) {
  CommandLine cl = Parse({"80/tcp", "-4", "-I", "/a", "81/tcp"});
  ASSERT_EQ(cl.names.size(), 3u);
  EXPECT_FALSE(cl.names[0].ipv4_only);
  EXPECT_TRUE(cl.names[1].sync_stat);
  EXPECT_TRUE(cl.names[2].ipv4_only);
  EXPECT_TRUE(cl.options.ipv4_only);
}

// Given --detached alone, we should ask for every detached mount; with a name after it, for that name.
TEST(CommandLine, Detached) {
  CommandLine all = Parse({"--detached", "-v"});
  EXPECT_TRUE(all.options.all_detached);
  EXPECT_TRUE(all.names.empty());
  CommandLine named = Parse({"/a", "--detached", "/dev/sdb"});
  EXPECT_FALSE(named.options.all_detached);
  ASSERT_EQ(named.names.size(), 2u);
  EXPECT_FALSE(named.names[0].detached);
  EXPECT_TRUE(named.names[1].detached);
  EXPECT_TRUE(Parse({"/a", "--detached"}).options.all_detached);
}

// Given the empty word, we should take it as a name, as psmisc does.
TEST(CommandLine, EmptyWordIsAName) {
  CommandLine cl = Parse({""});
  ASSERT_EQ(cl.names.size(), 1u);
  EXPECT_EQ(cl.names[0].text, "");
}

}  // namespace
}  // namespace fuser
