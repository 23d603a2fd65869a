// SPDX-License-Identifier: GPL-2.0-or-later
// The overlay's options as the kernel shows them (tests/fixtures/overlay/mountinfo, measured on 6.18) and as
// libmount hands them on (its mountinfo parser undoes the kernel's \ooo), and hostile ones.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kernel/overlay_options.h"
#include "kernel/procfs.h"

namespace detach {
namespace {

// "role path" per layer, for one EXPECT_EQ over the whole list.
std::vector<std::string> layers(const std::string& options) {
  std::vector<std::string> out;
  for (const OverlayLayerOption& layer : parse_overlay_options(options))
    out.push_back(layer.role + " " + layer.path);
  return out;
}

using Layers = std::vector<std::string>;

// statmount's mnt_opts and mountinfo's super options field, as the kernel prints them.
TEST(ParseOverlayOptions, GivenTheKernelsEscapesOfColonAndCommaWeShouldGetThePathsTheLayersHave) {
  EXPECT_EQ(layers("lowerdir=/tmp/ovm/m/l1:/tmp/ovm/m/a\\134:b:/tmp/ovm/m/c\\134\\054d,upperdir=/tmp/ovm/m/u,"
                   "workdir=/tmp/ovm/m/w,uuid=on"),
            (Layers{"lowerdir /tmp/ovm/m/l1", "lowerdir /tmp/ovm/m/a:b", "lowerdir /tmp/ovm/m/c,d",
                    "upperdir /tmp/ovm/m/u", "workdir /tmp/ovm/m/w"}));
}

TEST(ParseOverlayOptions, GivenADoubleColonWeShouldGetTheLayersAfterItAsDataOnly) {
  EXPECT_EQ(layers("ro,lowerdir=/m/sp\\040ace:/m/l1::/m/data:/m/data2,redirect_dir=on,metacopy=on"),
            (Layers{"lowerdir /m/sp ace", "lowerdir /m/l1", "datadir /m/data", "datadir /m/data2"}));
}

TEST(ParseOverlayOptions, GivenLowerdirPlusAndDatadirPlusWeShouldTakeTheirPathsAsGiven) {
  // A ':' or a backslash in lowerdir+= is part of the path: the kernel neither splits nor unescapes it.
  EXPECT_EQ(layers("ro,datadir+=/m/data,lowerdir+=/m/l1,lowerdir+=/m/a:b\\134c,redirect_dir=on"),
            (Layers{"lowerdir /m/l1", "lowerdir /m/a:b\\c", "datadir /m/data"}));
}

TEST(ParseOverlayOptions, GivenAnEscapedCommaInUpperdirWeShouldDropTheOverlaysBackslash) {
  EXPECT_EQ(layers("rw,lowerdir+=/m/l4,upperdir=/m/u\\134\\054x,workdir=/m/w,uuid=on"),
            (Layers{"lowerdir /m/l4", "upperdir /m/u,x", "workdir /m/w"}));
}

// libmount's mountinfo parser (the fallback of kernels without listmount) has decoded \ooo already.
TEST(ParseOverlayOptions, GivenOptionsLibmountUnmangledWeShouldGetTheSameLayers) {
  EXPECT_EQ(
      layers("rw,lowerdir=/m/l1:/m/a\\:b:/m/c\\,d,upperdir=/m/u\\,x,workdir=/m/w"),
      (Layers{"lowerdir /m/l1", "lowerdir /m/a:b", "lowerdir /m/c,d", "upperdir /m/u,x", "workdir /m/w"}));
}

TEST(ParseOverlayOptions, GivenRelativeLayersWeShouldKeepThemRelative) {
  EXPECT_EQ(layers("rw,lowerdir=l1:l2,upperdir=u,workdir=w"),
            (Layers{"lowerdir l1", "lowerdir l2", "upperdir u", "workdir w"}));
}

TEST(ParseOverlayOptions, GivenNoLayerOptionWeShouldGetNoLayers) {
  EXPECT_TRUE(layers("rw,relatime,errors=remount-ro").empty());
  EXPECT_TRUE(layers("").empty());
  EXPECT_TRUE(layers("lowerdir=,upperdir=").empty());
}

TEST(ParseOverlayOptions, GivenHostileBytesWeShouldKeepThemInThePath) {
  // A newline, a tab, bytes that are no UTF-8, and a trailing backslash (overlayfs drops it).
  EXPECT_EQ(layers("lowerdir=/m/a\\012b:/m/\xff\xfe\\011:/m/end\\134"),
            (Layers{"lowerdir /m/a\nb", "lowerdir /m/\xff\xfe\t", "lowerdir /m/end"}));
  // Three colons: the kernel refuses such a mount; nothing here may crash on it.
  EXPECT_EQ(layers("lowerdir=/a:::/b"), (Layers{"lowerdir /a", "datadir /b"}));
  // A cut escape at the end of the string.
  EXPECT_EQ(layers("upperdir=/u\\13"), (Layers{"upperdir /u13"}));
}

TEST(SplitMountOptions, GivenABackslashBeforeACommaWeShouldKeepTheCommaInTheOption) {
  std::vector<std::string_view> parts = split_mount_options("a=1,b=x\\,y,,c\\\\,d");
  EXPECT_EQ(parts, (std::vector<std::string_view>{"a=1", "b=x\\,y", "c\\\\", "d"}));
}

// The fixture, through the same libmount parser the scan's fallback uses.
TEST(ParseOverlayOptions, GivenTheMeasuredMountinfoWeShouldGetEveryOverlaysLayers) {
  auto mounts = read_mountinfo(std::string(FIXTURES_DIR) + "/overlay/mountinfo");
  ASSERT_TRUE(mounts.has_value());
  ASSERT_EQ(mounts->size(), 5U);
  std::vector<Layers> got;
  for (const Mount& m : *mounts) got.push_back(layers(m.fs_options));
  EXPECT_EQ(got[0], (Layers{"lowerdir /tmp/ovm/m/l1", "lowerdir /tmp/ovm/m/a:b", "lowerdir /tmp/ovm/m/c,d",
                            "upperdir /tmp/ovm/m/u", "workdir /tmp/ovm/m/w"}));
  EXPECT_EQ(got[1],
            (Layers{"lowerdir /tmp/ovm/m/sp ace", "lowerdir /tmp/ovm/m/l1", "datadir /tmp/ovm/m/data"}));
  EXPECT_EQ(got[2], (Layers{"lowerdir /tmp/ovm/m/l1", "lowerdir /tmp/ovm/m/a:b", "datadir /tmp/ovm/m/data"}));
  EXPECT_EQ(got[3], (Layers{"lowerdir l1", "lowerdir l2", "upperdir u", "workdir w"}));
  EXPECT_EQ(got[4], (Layers{"lowerdir /tmp/ovm/m/l4", "upperdir /tmp/ovm/m/u,x", "workdir /tmp/ovm/m/w"}));
}

}  // namespace
}  // namespace detach
