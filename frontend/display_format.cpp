// Owns: the text forms of numbers, times and endpoints.
// Does not own: where they are placed.
#include "frontend/display_format.hpp"

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "decode/tunnel_identity.hpp"
#include "flow/address_text.hpp"
#include "frontend/decimal_text.hpp"

namespace ringtrack::frontend {

namespace {

char* write_text(char* at, const char* text) noexcept {
  const std::size_t n = std::strlen(text);
  std::memcpy(at, text, n);
  return at + n;
}

template <std::size_t N>
std::string string_of(const char (&buf)[N], const char* end) {
  return std::string(buf, std::size_t(end - buf));
}

}  // namespace

char* write_speed(char* at, uint64_t bytes_per_s) noexcept {
  if (bytes_per_s < 1024) return write_text(write_decimal(at, bytes_per_s), " B/s");
  if (bytes_per_s < 1024ull * 1024) return write_text(write_decimal(at, bytes_per_s / 1024), " KB/s");
  if (bytes_per_s < 1024ull * 1024 * 1024)
    return write_text(write_decimal(at, bytes_per_s / (1024 * 1024)), " MB/s");
  return write_text(write_decimal(at, bytes_per_s / (1024ull * 1024 * 1024)), " GB/s");
}

char* write_idle(char* at, uint64_t idle_ns) noexcept {
  const uint64_t seconds = idle_ns / 1'000'000'000ull;
  const bool hours = seconds >= 3600, minutes = seconds >= 60;
  at = write_decimal(at, hours ? seconds / 3600 : minutes ? seconds / 60 : seconds);
  *at++ = hours ? 'h' : minutes ? 'm' : 's';
  return at;
}

std::string format_idle(uint64_t idle_ns) {
  char buf[24];
  return string_of(buf, write_idle(buf, idle_ns));
}

void append_decimal(std::string& out, uint64_t v) {
  char buf[24];
  out.append(buf, write_decimal(buf, v));
}

char* write_endpoint(char* at, const std::array<uint8_t, 16>& addr, uint16_t port, bool ipv6) noexcept {
  if (ipv6) *at++ = '[';
  at = flow::write_address(at, addr, ipv6);
  if (ipv6) *at++ = ']';
  *at++ = ':';
  return write_decimal(at, port);
}

std::string format_endpoint(const std::array<uint8_t, 16>& addr, uint16_t port, bool ipv6) {
  char buf[56];
  return string_of(buf, write_endpoint(buf, addr, port, ipv6));
}

char* write_vlan(char* at, const flow::ConnView& view) noexcept {
  for (unsigned i = 0; i < view.vlan_depth; ++i) {
    if (i != 0) *at++ = '.';
    at = write_decimal(at, view.vlan_ids[i]);
  }
  return at;
}

namespace {
// v in lowercase hex, at least min_digits digits (leading zeros up to them).
char* write_hex_digits(char* at, uint32_t v, int min_digits) noexcept {
  bool digits = false;
  for (int shift = 28; shift >= 0; shift -= 4) {
    const unsigned nibble = (v >> shift) & 0xf;
    if (nibble == 0 && !digits && shift >= 4 * min_digits) continue;
    digits = true;
    *at++ = "0123456789abcdef"[nibble];
  }
  return at;
}
}  // namespace

char* write_tunnel_id(char* at, uint32_t id) noexcept { return write_hex_digits(at, id, 8); }

const char* tunnel_key_name(decode::TunnelKeyKind k) noexcept {
  switch (k) {
    case decode::TunnelKeyKind::none: return nullptr;
    case decode::TunnelKeyKind::gre_key: return "key";
    case decode::TunnelKeyKind::vni: return "vni";
    case decode::TunnelKeyKind::erspan_session: return "session";
    case decode::TunnelKeyKind::teid: return "teid";
  }
  return nullptr;
}

char* write_tunnel(char* at, const flow::ConnView& view) noexcept {
  const decode::TunnelIdentity& t = view.tunnel;
  if (t.kind == decode::TunnelKind::none) return at;
  at = write_text(at, decode::tunnel_kind_name(t.kind));
  *at++ = '#';
  at = write_tunnel_id(at, t.id);
  if (t.outer_family == 0) return at;
  *at++ = ' ';
  at = flow::write_address(at, t.outer_a, t.outer_family == 6);
  *at++ = '-';
  at = flow::write_address(at, t.outer_b, t.outer_family == 6);
  const char* key = tunnel_key_name(t.key_kind);
  if (key == nullptr) return at;
  *at++ = ' ';
  at = write_text(at, key);
  *at++ = ' ';
  if (t.key_kind != decode::TunnelKeyKind::teid) return write_decimal(at, t.key);
  for (unsigned d = 0; d < 2; ++d) {  // toward outer_b, toward outer_a; "-" when not seen
    if (d) *at++ = ',';
    if (t.teid_seen & (1u << d)) at = write_hex_digits(write_text(at, "0x"), t.teid[d], 1);
    else *at++ = '-';
  }
  return at;
}

void append_unix_seconds(std::string& out, uint64_t ts_ns) {
  append_decimal(out, ts_ns / 1'000'000'000ull);
  char fraction[10] = {'.'};
  write_zero_padded(fraction + 1, uint32_t(ts_ns % 1'000'000'000ull), 9);
  out.append(fraction, sizeof fraction);
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

namespace {

// value in units[0], scaled by base until under base: "812 B", "1.50 KB", "29.4 KB",
// "1023 KB". Three significant digits, truncated in integers (no float rounding up to a
// "1024" or a "10.00").
std::string three_digits(uint64_t value, unsigned base, const char* const (&units)[6]) {
  char buf[48];
  if (value < base) {
    std::snprintf(buf, sizeof buf, "%" PRIu64 " %s", value, units[0]);
    return buf;
  }
  unsigned unit = 0;
  uint64_t scale = 1;  // at most 1024^5: no overflow below
  while (unit < 5 && value / scale >= base) {
    scale *= base;
    ++unit;
  }
  const uint64_t whole = uint64_t(value / scale);
  const uint64_t hundredths = value % scale * 100 / scale;
  if (whole < 10) std::snprintf(buf, sizeof buf, "%" PRIu64 ".%02" PRIu64 " %s", whole, hundredths, units[unit]);
  else if (whole < 100) std::snprintf(buf, sizeof buf, "%" PRIu64 ".%" PRIu64 " %s", whole, hundredths / 10, units[unit]);
  else std::snprintf(buf, sizeof buf, "%" PRIu64 " %s", whole, units[unit]);
  return buf;
}

}  // namespace

std::string format_rate(uint64_t bytes_per_s, bool bits) {
  static const char* const byte_units[6] = {"B/s", "KB/s", "MB/s", "GB/s", "TB/s", "PB/s"};
  static const char* const bit_units[6] = {"bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s", "Pbit/s"};
  if (!bits) return three_digits(bytes_per_s, 1024, byte_units);
  const uint64_t bits_per_s = bytes_per_s > UINT64_MAX / 8 ? UINT64_MAX : bytes_per_s * 8;
  return three_digits(bits_per_s, 1000, bit_units);
}

char* write_rtt_ms(char* at, uint32_t us) noexcept {
  if (us == 0) {
    *at++ = '-';
    return at;
  }
  if (us >= 10'000) return write_decimal(at, us / 1000);
  // Below 10 ms: "0.0NN", "0.NN" or "N.N", two significant digits.
  const unsigned decimals = us < 100 ? 3 : us < 1000 ? 2 : 1;
  const uint32_t scaled = us < 100 ? us : us < 1000 ? us / 10 : us / 100;
  const uint32_t divisor = decimals == 3 ? 1000 : decimals == 2 ? 100 : 10;
  at = write_decimal(at, scaled / divisor);
  *at++ = '.';
  return write_zero_padded(at, scaled % divisor, decimals);
}

std::string format_rtt_ms(uint32_t rtt_us) {
  char buf[16];
  return string_of(buf, write_rtt_ms(buf, rtt_us));
}

std::string format_count(uint64_t count) {
  if (count < 1'000'000) return std::to_string(count);
  static const char* const units[6] = {"", "k", "M", "G", "T", "P"};
  std::string text = three_digits(count, 1000, units);
  text.erase(text.find(' '), 1);  // "1.23M": the Retr column's six characters
  return text;
}

std::string format_bytes(uint64_t bytes) {
  static const char* const units[6] = {"B", "KB", "MB", "GB", "TB", "PB"};
  return three_digits(bytes, 1024, units);
}

}  // namespace ringtrack::frontend
