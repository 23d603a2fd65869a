// SPDX-License-Identifier: GPL-2.0-or-later
// The detach journal (libcommon/journal): one line (parse_journal_line) and a whole file, read and appended
// to through the public API in a temp dir. Properties: a record parsed from any line formats back to a line
// that parses to the same record; any record round-trips through its line; a file of any bytes gives only
// records that round-trip, at most one per newline; a record appended after any junk (a torn last line
// included) is read back whole, as the last record.
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "fuzz_check.h"
#include "journal/journal.h"

namespace {

std::string_view without_newline(const std::string& line) {
  std::string_view view = line;
  FUZZ_CHECK(!view.empty() && view.back() == '\n');
  view.remove_suffix(1);
  FUZZ_CHECK(view.find('\n') == std::string_view::npos);
  return view;
}

void check_round_trip(const detach::DetachRecord& r) {
  auto again = detach::parse_journal_line(without_newline(detach::format_journal_line(r)));
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(*again == r);
}

detach::DetachRecord record_from(fuzz::Bytes& in) {
  detach::DetachRecord r;
  r.boot_id = in.take_string(in.take<std::uint8_t>() & 63);
  if (r.boot_id.empty()) r.boot_id = "b";
  r.unique_id = in.take<std::uint64_t>();
  r.old_id = in.take<std::uint32_t>();
  r.ns_id = in.take<std::uint64_t>();
  r.dev = {in.take<std::uint32_t>(), in.take<std::uint32_t>()};
  r.detached_at = in.take<long long>();
  r.recorded_by = in.take_string(in.take<std::uint8_t>() & 15);
  r.fstype = in.take_string(in.take<std::uint8_t>() & 15);
  r.source = in.take_short_string();
  r.target = in.take_short_string();
  return r;
}

// A directory of our own for the journal file, removed when the fuzzer exits.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/fuzz-journal.XXXXXX";
    FUZZ_CHECK(::mkdtemp(tmpl) != nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void write_file(const std::string& path, const std::string& text) {
  FILE* f = std::fopen(path.c_str(), "w");
  FUZZ_CHECK(f != nullptr);
  FUZZ_CHECK(std::fwrite(text.data(), 1, text.size(), f) == text.size());
  FUZZ_CHECK(std::fclose(f) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = fuzz::as_string(data, size);
  if (auto r = detach::parse_journal_line(text)) check_round_trip(*r);

  fuzz::Bytes in(data, size);
  detach::DetachRecord built = record_from(in);
  check_round_trip(built);

  static TempDir dir;
  detach::DetachJournal journal(dir.path());
  write_file(journal.path(), text);
  auto records = journal.read("");
  FUZZ_CHECK(records.has_value());
  FUZZ_CHECK(records->size() <= static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
  for (const detach::DetachRecord& r : *records) check_round_trip(r);

  FUZZ_CHECK(journal.append(built).has_value());
  auto after = journal.read(built.boot_id);
  FUZZ_CHECK(after.has_value());
  FUZZ_CHECK(!after->empty());
  FUZZ_CHECK(after->back() == built);
  return 0;
}
