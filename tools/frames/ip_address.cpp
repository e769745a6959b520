// Owns: text formatting of IpAddress values.
// Does not own: quoting or line layout around the text (the caller's).
#include "frames/ip_address.hpp"

#include <charconv>

namespace ringtrack::frames {
namespace {

std::size_t format_ipv4(const IpAddress& address, char* out) noexcept {
  char* cursor = out;
  for (std::size_t octet = 0; octet < 4; ++octet) {
    if (octet != 0) {
      *cursor++ = '.';
    }
    cursor = std::to_chars(cursor, out + ip_text_max_bytes, address.bytes[octet]).ptr;
  }
  return static_cast<std::size_t>(cursor - out);
}

std::size_t format_ipv6(const IpAddress& address, char* out) noexcept {
  std::array<uint16_t, 8> groups{};
  for (std::size_t group = 0; group < groups.size(); ++group) {
    groups[group] = static_cast<uint16_t>((address.bytes[2 * group] << 8) | address.bytes[2 * group + 1]);
  }
  // RFC 5952 4.2: compress the longest run of zero groups, only if it is at least two long;
  // on a tie the first run wins.
  std::size_t best_start = groups.size();
  std::size_t best_length = 1;
  for (std::size_t start = 0; start < groups.size();) {
    if (groups[start] != 0) {
      ++start;
      continue;
    }
    std::size_t end = start;
    while (end < groups.size() && groups[end] == 0) {
      ++end;
    }
    if (end - start > best_length) {
      best_start = start;
      best_length = end - start;
    }
    start = end;
  }
  char* cursor = out;
  char* const limit = out + ip_text_max_bytes;
  for (std::size_t group = 0; group < groups.size();) {
    if (group == best_start) {
      *cursor++ = ':';
      *cursor++ = ':';
      group += best_length;
      continue;
    }
    if (group != 0 && group != best_start + best_length) {
      *cursor++ = ':';
    }
    cursor = std::to_chars(cursor, limit, groups[group], 16).ptr;
    ++group;
  }
  return static_cast<std::size_t>(cursor - out);
}

}  // namespace

std::size_t format_ip(const IpAddress& address, char* out) noexcept {
  return address.is_v6 ? format_ipv6(address, out) : format_ipv4(address, out);
}

}  // namespace ringtrack::frames
