// SPDX-License-Identifier: GPL-2.0-or-later
// An overlay's mount options (kernel/overlay_options parse_overlay_options). Any bytes: no crash. Property:
// layers of any bytes but NUL, escaped as a mounter must (overlayfs's backslash before ':', ',' and '\') and
// then as the kernel prints them (\ooo of ',', blank, tab, newline and '\'), come back as they were, in
// order, whatever options surround them; lowerdir+= paths are taken as given.
#include <cstdio>

#include "fuzz_check.h"
#include "kernel/overlay_options.h"

namespace {

std::string overlay_escape(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == ':' || c == ',' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string printer_escape(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\\') {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\%03o", static_cast<unsigned char>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

// A layer path from the fuzzer: no NUL, never empty.
std::string layer(fuzz::Bytes& in) {
  std::string path = in.take_short_string();
  std::erase(path, '\0');
  return path.empty() ? "/" : path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)detach::parse_overlay_options(fuzz::as_string(data, size));

  fuzz::Bytes in(data, size);
  const bool plus = (in.take<std::uint8_t>() & 1) != 0;
  std::vector<std::string> lower{layer(in), layer(in)};
  std::string upper = layer(in), work = layer(in);
  std::string options = "rw";
  if (plus) {
    for (const std::string& l : lower) options += ",lowerdir+=" + printer_escape(l);
  } else {
    options += ",lowerdir=" + printer_escape(overlay_escape(lower[0]) + ":" + overlay_escape(lower[1]));
  }
  options += ",upperdir=" + printer_escape(overlay_escape(upper));
  options += ",workdir=" + printer_escape(overlay_escape(work)) + ",redirect_dir=on,uuid=on";
  std::vector<detach::OverlayLayerOption> got = detach::parse_overlay_options(options);
  FUZZ_CHECK(got.size() == 4);
  FUZZ_CHECK(got[0].role == "lowerdir" && got[0].path == lower[0]);
  FUZZ_CHECK(got[1].role == "lowerdir" && got[1].path == lower[1]);
  FUZZ_CHECK(got[2].role == "upperdir" && got[2].path == upper);
  FUZZ_CHECK(got[3].role == "workdir" && got[3].path == work);
  return 0;
}
