// Owns: the text forms of numbers, times and endpoints.
// Does not own: where they are placed.
#include "frontend/display_format.hpp"

#include <arpa/inet.h>

#include <cinttypes>
#include <cstdio>
#include <ctime>

#include "frontend/decimal_text.hpp"

namespace ringtrack::frontend {

std::string format_speed(uint64_t bytes_per_s) {
  char buf[32];
  if (bytes_per_s < 1024)
    std::snprintf(buf, sizeof buf, "%" PRIu64 " B/s", bytes_per_s);
  else if (bytes_per_s < 1024ull * 1024)
    std::snprintf(buf, sizeof buf, "%" PRIu64 " KB/s", uint64_t(bytes_per_s / 1024));
  else if (bytes_per_s < 1024ull * 1024 * 1024)
    std::snprintf(buf, sizeof buf, "%" PRIu64 " MB/s", uint64_t(bytes_per_s / (1024 * 1024)));
  else
    std::snprintf(buf, sizeof buf, "%" PRIu64 " GB/s", uint64_t(bytes_per_s / (1024ull * 1024 * 1024)));
  return buf;
}

std::string format_idle(uint64_t idle_ns) {
  const uint64_t seconds = idle_ns / 1'000'000'000ull;
  char buf[32];
  if (seconds < 60)
    std::snprintf(buf, sizeof buf, "%" PRIu64 "s", seconds);
  else if (seconds < 3600)
    std::snprintf(buf, sizeof buf, "%" PRIu64 "m", seconds / 60);
  else
    std::snprintf(buf, sizeof buf, "%" PRIu64 "h", seconds / 3600);
  return buf;
}

void append_decimal(std::string& out, uint64_t v) {
  char buf[24];
  out.append(buf, write_decimal(buf, v));
}

void append_address(std::string& out, const std::array<uint8_t, 16>& addr, bool ipv6) {
  if (ipv6) {
    char buf[INET6_ADDRSTRLEN];
    ::inet_ntop(AF_INET6, addr.data(), buf, sizeof buf);
    out += buf;
    return;
  }
  for (unsigned i = 12; i < 16; ++i) {
    if (i != 12) out += '.';
    append_decimal(out, addr[i]);
  }
}

std::string format_address(const std::array<uint8_t, 16>& addr, bool ipv6) {
  std::string out;
  append_address(out, addr, ipv6);
  return out;
}

std::string format_endpoint(const std::array<uint8_t, 16>& addr, uint16_t port, bool ipv6) {
  std::string out;
  if (ipv6) out += '[';
  out += format_address(addr, ipv6);
  if (ipv6) out += ']';
  out += ':';
  out += std::to_string(port);
  return out;
}

std::string format_vlan(const flow::ConnView& view) {
  std::string out;
  for (unsigned i = 0; i < view.vlan_depth; ++i) {
    if (i != 0) out += '.';
    out += std::to_string(view.vlan_ids[i]);
  }
  return out;
}

void append_unix_seconds(std::string& out, uint64_t ts_ns) {
  append_decimal(out, ts_ns / 1'000'000'000ull);
  char fraction[10] = {'.'};
  write_zero_padded(fraction + 1, uint32_t(ts_ns % 1'000'000'000ull), 9);
  out.append(fraction, sizeof fraction);
}

std::string format_unix_seconds(uint64_t ts_ns) {
  std::string out;
  append_unix_seconds(out, ts_ns);
  return out;
}

std::string format_utc(uint64_t ts_ns) {
  const std::time_t seconds = static_cast<std::time_t>(ts_ns / 1'000'000'000ull);
  std::tm tm{};
  ::gmtime_r(&seconds, &tm);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%03u", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                unsigned(ts_ns % 1'000'000'000ull / 1'000'000));
  return buf;
}

std::string format_bytes(uint64_t bytes) {
  static const char* const units[] = {"B", "KB", "MB", "GB", "TB", "PB"};
  char buf[32];
  if (bytes < 1024) {
    std::snprintf(buf, sizeof buf, "%" PRIu64 " B", bytes);
    return buf;
  }
  double value = double(bytes);
  unsigned unit = 0;
  while (value >= 1024 && unit < 5) {
    value /= 1024;
    ++unit;
  }
  std::snprintf(buf, sizeof buf, "%.1f %s", value, units[unit]);
  return buf;
}

}  // namespace ringtrack::frontend
