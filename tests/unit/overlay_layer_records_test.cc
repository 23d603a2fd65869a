// SPDX-License-Identifier: GPL-2.0-or-later
// An overlay's layers as the BPF program of kernel/bpf/overlay_layers.bpf.c writes them (records.h), taken
// into the scan's terms (scan/bpf/overlay_layers.h): in any order they come, every layer read once, else
// none.
#include <gtest/gtest.h>

#include "scan/bpf/overlay_layers.h"

namespace detach::scan {
namespace {

constexpr std::uint32_t kLoop0 = 7U << 20;  // 7:0, the kernel's own dev_t encoding

detach_bpf_overlay_layer Record(std::uint16_t role, std::uint16_t index, std::uint64_t ino,
                                std::uint16_t lower_count, std::uint16_t data_count = 0) {
  detach_bpf_overlay_layer r{};
  r.ino = ino;
  r.overlay_dev = 43;  // 0:43
  r.dev = kLoop0;
  r.role = role;
  r.index = index;
  r.lower_count = lower_count;
  r.data_count = data_count;
  return r;
}

std::string Describe(const std::vector<ExactOverlayLayer>& layers) {
  std::string out;
  for (const ExactOverlayLayer& l : layers)
    out += l.role + " " + l.dev.str() + " " + std::to_string(l.ino) + "\n";
  return out;
}

// Given an overlay's records out of order (upper first, data-only layer before the lower ones), we should get
// its layers in the options' order: lower layers top first, data-only ones, upperdir, workdir.
TEST(OverlayLayerRecords, AreTakenInTheOptionsOrder) {
  const auto layers = overlay_layers_from_records({
      Record(DETACH_BPF_OVERLAY_UPPER, 0, 20, 3, 1),
      Record(DETACH_BPF_OVERLAY_DATA, 0, 0, 3, 1),
      Record(DETACH_BPF_OVERLAY_LOWER, 1, 12, 3, 1),
      Record(DETACH_BPF_OVERLAY_WORK, 0, 21, 3, 1),
      Record(DETACH_BPF_OVERLAY_LOWER, 0, 11, 3, 1),
  });
  EXPECT_EQ(Describe(layers),
            "lowerdir 7:0 11\n"
            "lowerdir 7:0 12\n"
            "datadir 7:0 0\n"
            "upperdir 7:0 20\n"
            "workdir 7:0 21\n");
}

// Given a read-only overlay (no upper layer), we should get its lower layers alone.
TEST(OverlayLayerRecords, WithoutAnUpperLayerAreTheLowerOnes) {
  const auto layers = overlay_layers_from_records(
      {Record(DETACH_BPF_OVERLAY_LOWER, 1, 12, 2), Record(DETACH_BPF_OVERLAY_LOWER, 0, 11, 2)});
  EXPECT_EQ(Describe(layers), "lowerdir 7:0 11\nlowerdir 7:0 12\n");
}

// Given records that miss a layer (more lower layers than the program reads, one without a device), repeat
// one, disagree on the counts, or carry a role this build does not know, we should get no layer at all: the
// overlay's options place them then, never a part of the overlay's own answer.
TEST(OverlayLayerRecords, ThatMissOrRepeatALayerGiveNone) {
  // 200 lower layers, the program's first 128 read.
  std::vector<detach_bpf_overlay_layer> truncated;
  for (std::uint16_t i = 0; i < DETACH_BPF_OVERLAY_LOWER_LAYERS; ++i)
    truncated.push_back(Record(DETACH_BPF_OVERLAY_LOWER, i, 100 + i, 200));
  EXPECT_TRUE(overlay_layers_from_records(truncated).empty());
  // The second lower layer had no device: not written.
  EXPECT_TRUE(overlay_layers_from_records(
                  {Record(DETACH_BPF_OVERLAY_LOWER, 0, 11, 3), Record(DETACH_BPF_OVERLAY_LOWER, 2, 13, 3)})
                  .empty());
  EXPECT_TRUE(overlay_layers_from_records(
                  {Record(DETACH_BPF_OVERLAY_LOWER, 0, 11, 1), Record(DETACH_BPF_OVERLAY_LOWER, 0, 11, 1)})
                  .empty());
  EXPECT_TRUE(overlay_layers_from_records(
                  {Record(DETACH_BPF_OVERLAY_LOWER, 0, 11, 2), Record(DETACH_BPF_OVERLAY_LOWER, 1, 12, 3)})
                  .empty());
  EXPECT_TRUE(
      overlay_layers_from_records({Record(DETACH_BPF_OVERLAY_LOWER, 0, 11, 1), Record(9, 0, 5, 1)}).empty());
  EXPECT_TRUE(overlay_layers_from_records({}).empty());
}

}  // namespace
}  // namespace detach::scan
