// Owns: the command line: parsing, value checks and the --help text.
// Does not own: which options a scenario accepts (scenario_registry checks that).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "frames/link_layer.hpp"

namespace ringtrack::pcapgen {

/// A mistake in the command line; main() prints it with a pointer to --help and exits 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Upper bound of --count (synflood relies on it to keep flood sources distinct).
inline constexpr uint64_t max_count_option = 1'000'000'000;

struct CliOptions {
  std::string scenario;
  std::string output_path;
  std::string expect_path;  // empty: no expectation file
  uint64_t seed = 1;
  frames::LinkType link = frames::LinkType::ether;
  bool nanosecond = false;
  bool big_endian = false;
  bool ipv6 = false;
  std::optional<uint32_t> snaplen_bytes;
  uint64_t start_time_s = 1700000000;
  uint64_t packets_per_s = 1000;
  std::optional<uint64_t> conns;
  std::optional<uint64_t> packets;
  std::optional<uint64_t> count;
  std::optional<uint64_t> established;
  bool help = false;
};

/// Parses argv; throws UsageError naming the bad argument.
CliOptions parse_cli(int argc, const char* const* argv);

std::string_view usage_text() noexcept;

}  // namespace ringtrack::pcapgen
