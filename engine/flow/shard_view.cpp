// Owns: display filter parsing and matching, row ordering, per-shard top-K selection.
// Does not own: text formats of the rows (frontend) or of an address (address_text).
#include "flow/shard_view.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <utility>

#include "decode/tunnel_kind.hpp"
#include "flow/address_text.hpp"
#include "flow/rtt_code.hpp"

namespace ringtrack::flow {
namespace {

std::string lowercase(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool parse_number(const std::string& s, uint32_t max, uint32_t& out) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && out <= max;
}

// "10.0.0.1", "10.0.0.0/8", "2001:db8::1", "2001:db8::/32" as a 128-bit prefix.
bool parse_prefix(const std::string& s, std::array<uint8_t, 16>& address, uint8_t& bits) {
  const std::size_t slash = s.find('/');
  const std::string host = s.substr(0, slash);
  uint32_t length = 0;
  in_addr v4{};
  in6_addr v6{};
  if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    address = {};
    address[10] = address[11] = 0xff;
    std::memcpy(address.data() + 12, &v4, 4);
    length = 32;
    if (slash != std::string::npos && !parse_number(s.substr(slash + 1), 32, length)) return false;
    bits = uint8_t(96 + length);
    return true;
  }
  if (::inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    std::memcpy(address.data(), &v6, 16);
    length = 128;
    if (slash != std::string::npos && !parse_number(s.substr(slash + 1), 128, length)) return false;
    bits = uint8_t(length);
    return true;
  }
  return false;
}

// "addr:port" split at its last colon, the address in any form parse_prefix takes
// without a length: "10.0.0.1:80", "2001:db8::1:443" (as the address 2001:db8::1).
bool parse_endpoint(const std::string& s, std::array<uint8_t, 16>& address, uint16_t& port) {
  const std::size_t colon = s.rfind(':');
  uint32_t number = 0;
  uint8_t bits = 0;
  if (colon == std::string::npos || !parse_number(s.substr(colon + 1), 65535, number)) return false;
  const std::string host = s.substr(0, colon);
  if (host.empty() || host.find('/') != std::string::npos || !parse_prefix(host, address, bits)) return false;
  port = uint16_t(number);
  return true;
}

// The bracketed forms the screen writes IPv6 in: "[addr]", "[addr]:port", "[addr]/len".
bool parse_bracketed(const std::string& s, DisplayFilter::Term& term) {
  const std::size_t close = s.find(']');
  if (s.empty() || s[0] != '[' || close == std::string::npos) return false;
  const std::string host = s.substr(1, close - 1);
  const std::string rest = s.substr(close + 1);
  if (host.find('/') != std::string::npos) return false;
  if (rest.empty() || rest[0] == '/') {
    term.kind = DisplayFilter::Term::Kind::prefix;
    return parse_prefix(host + rest, term.address, term.prefix_bits);
  }
  uint8_t bits = 0;
  uint32_t number = 0;
  if (rest[0] != ':' || !parse_number(rest.substr(1), 65535, number) ||
      !parse_prefix(host, term.endpoint_address, bits))
    return false;
  term.kind = DisplayFilter::Term::Kind::endpoint;
  term.port = uint16_t(number);
  return true;
}

bool in_prefix(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& prefix, unsigned bits) {
  const unsigned whole = bits / 8;
  if (std::memcmp(a.data(), prefix.data(), whole) != 0) return false;
  if (bits % 8 == 0) return true;
  const uint8_t mask = uint8_t(0xff << (8 - bits % 8));
  return (a[whole] & mask) == (prefix[whole] & mask);
}

// Two addresses with room for inet_ntop's NUL, two ":65535" and the space between.
constexpr std::size_t endpoints_text_room = 2 * address_text_room + 16;

// "client:port server:port", what a text term searches: the addresses as the screen
// writes them but without IPv6 brackets. Already lowercase (the term is lowercased when
// parsed): inet_ntop writes IPv6 hex digits in lowercase.
std::string_view endpoints_text(const ConnView& v, char (&text)[endpoints_text_room]) noexcept {
  char* const end = text + endpoints_text_room;
  char* at = write_address(text, v.client_addr, v.ipv6());
  *at++ = ':';
  at = std::to_chars(at, end, v.client_port).ptr;
  *at++ = ' ';
  at = write_address(at, v.server_addr, v.ipv6());
  *at++ = ':';
  at = std::to_chars(at, end, v.server_port).ptr;
  return {text, std::size_t(at - text)};
}

// t's endpoint (address and port) is one end of v.
bool at_endpoint(const ConnView& v, const DisplayFilter::Term& t) noexcept {
  return (v.client_port == t.port && v.client_addr == t.endpoint_address) ||
         (v.server_port == t.port && v.server_addr == t.endpoint_address);
}

}  // namespace

namespace {

// "tunnel" (any), "tunnel=gre" or a kind's name ("vxlan", "gtpu"), "vxlan=N" (a kind and its
// GRE key, VNI or ERSPAN session), "teid=N": tunnel terms; false for any other word.
bool parse_tunnel_term(const std::string& lower, DisplayFilter::Term& term) {
  const std::size_t equals = lower.find('=');
  const std::string name = lower.substr(0, equals);
  const std::string value = equals == std::string::npos ? "" : lower.substr(equals + 1);
  uint32_t number = 0;
  const auto parse_key = [&](uint32_t& out) {
    if (value.empty()) return false;
    char* end = nullptr;
    const unsigned long long v = std::strtoull(value.c_str(), &end, 0);  // decimal or 0x...
    if (*end != '\0' || v > UINT32_MAX) return false;
    out = uint32_t(v);
    return true;
  };
  if (name == "teid") {
    if (!parse_key(number)) return false;
    term.kind = DisplayFilter::Term::Kind::teid;
    term.tunnel_key = number;
    return true;
  }
  if (name == "tunnel") {
    term.kind = DisplayFilter::Term::Kind::tunnel;
    if (value.empty()) return equals == std::string::npos;
    term.tunnel_kind = decode::tunnel_kind_from_name(value);
    return term.tunnel_kind != decode::TunnelKind::none;
  }
  term.tunnel_kind = decode::tunnel_kind_from_name(name);
  if (term.tunnel_kind == decode::TunnelKind::none) return false;
  term.kind = DisplayFilter::Term::Kind::tunnel;
  if (equals == std::string::npos) return true;
  if (!parse_key(term.tunnel_key)) return false;
  if (term.tunnel_kind == decode::TunnelKind::gtpu) term.kind = DisplayFilter::Term::Kind::teid;
  else term.has_tunnel_key = true;
  return true;
}

// "50ms", "800us", "1.5s", "50" (milliseconds, as the screen shows RTTs) as microseconds,
// rounded down; false for anything else or beyond what a connection keeps (rtt_code).
bool parse_duration_us(const std::string& s, uint32_t& us) {
  std::size_t digits = 0;
  uint64_t whole = 0;
  while (digits < s.size() && std::isdigit(static_cast<unsigned char>(s[digits])) && whole <= rtt_code::max_us)
    whole = whole * 10 + uint64_t(s[digits++] - '0');
  if (digits == 0) return false;
  // Up to six decimals: a microsecond of a second.
  uint64_t fraction = 0, fraction_scale = 1;
  std::size_t at = digits;
  if (at < s.size() && s[at] == '.') {
    ++at;
    const std::size_t from = at;
    while (at < s.size() && std::isdigit(static_cast<unsigned char>(s[at]))) {
      if (fraction_scale < 1'000'000) fraction = fraction * 10 + uint64_t(s[at] - '0'), fraction_scale *= 10;
      ++at;
    }
    if (at == from) return false;
  }
  const std::string unit = s.substr(at);
  uint64_t per_unit = 0;
  if (unit == "us") per_unit = 1;
  else if (unit == "ms" || unit.empty()) per_unit = 1000;
  else if (unit == "s") per_unit = 1'000'000;
  else return false;
  const uint64_t total = whole * per_unit + fraction * per_unit / fraction_scale;
  if (total > rtt_code::max_us) return false;
  us = uint32_t(total);
  return true;
}

// "rtt>50ms", "rtt<2ms" (the end-to-end RTT beyond a bound) and "retrans"; false for any
// other word.
bool parse_health_term(const std::string& lower, DisplayFilter::Term& term) {
  if (lower == "retrans") {
    term.kind = DisplayFilter::Term::Kind::retrans;
    return true;
  }
  if (lower.size() < 5 || lower.compare(0, 3, "rtt") != 0 || (lower[3] != '>' && lower[3] != '<')) return false;
  if (!parse_duration_us(lower.substr(4), term.rtt_us)) return false;
  term.kind = lower[3] == '>' ? DisplayFilter::Term::Kind::rtt_above : DisplayFilter::Term::Kind::rtt_below;
  return true;
}

}  // namespace

DisplayFilter DisplayFilter::parse(const std::string& text) {
  DisplayFilter filter;
  std::size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
    std::size_t end = pos;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    if (end == pos) break;
    const std::string word = text.substr(pos, end - pos);
    pos = end;
    Term term{};
    uint32_t number = 0;
    const std::string lower = lowercase(word);
    if (parse_number(word, 65535, number)) {
      term.kind = Term::Kind::port;
      term.port = uint16_t(number);
    } else if (lower.rfind("vlan=", 0) == 0 && parse_number(lower.substr(5), 4095, number)) {
      term.kind = Term::Kind::vlan;
      term.vlan = uint16_t(number);
    } else if (parse_tunnel_term(lower, term)) {
    } else if (parse_health_term(lower, term)) {
    } else if (parse_bracketed(word, term)) {
    } else if (parse_prefix(word, term.address, term.prefix_bits)) {
      term.kind = Term::Kind::prefix;
      // "2001:db8::1:443" is an address, and also how "[2001:db8::1]:443" reads without
      // brackets (as text terms search): either matches.
      if (word.find('/') == std::string::npos)
        term.has_endpoint = parse_endpoint(word, term.endpoint_address, term.port);
    } else if (parse_endpoint(word, term.endpoint_address, term.port)) {
      term.kind = Term::Kind::endpoint;
    } else {
      for (unsigned s = 0; s < tcp_state_count; ++s)
        if (lowercase(tcp_state_name(TcpState(s))).rfind(lower, 0) == 0) term.state_mask |= uint8_t(1u << s);
      term.kind = term.state_mask ? Term::Kind::state : Term::Kind::text;
      term.text = lower;
    }
    filter.terms.push_back(std::move(term));
  }
  return filter;
}

namespace {

bool term_matches(const DisplayFilter::Term& t, const ConnView& v) {
  switch (t.kind) {
    case DisplayFilter::Term::Kind::port: return v.client_port == t.port || v.server_port == t.port;
    case DisplayFilter::Term::Kind::prefix:
      return in_prefix(v.client_addr, t.address, t.prefix_bits) || in_prefix(v.server_addr, t.address, t.prefix_bits) ||
             (t.has_endpoint && at_endpoint(v, t));
    case DisplayFilter::Term::Kind::endpoint: return at_endpoint(v, t);
    case DisplayFilter::Term::Kind::state: return (t.state_mask >> unsigned(v.state)) & 1u;
    case DisplayFilter::Term::Kind::vlan:
      for (unsigned i = 0; i < v.vlan_depth; ++i)
        if (v.vlan_ids[i] == t.vlan) return true;
      return false;
    case DisplayFilter::Term::Kind::tunnel:
      return v.tunnel.kind != decode::TunnelKind::none &&
             (t.tunnel_kind == decode::TunnelKind::none || v.tunnel.kind == t.tunnel_kind) &&
             (!t.has_tunnel_key || (v.tunnel.key_kind != decode::TunnelKeyKind::none &&
                                    v.tunnel.key_kind != decode::TunnelKeyKind::teid && v.tunnel.key == t.tunnel_key));
    case DisplayFilter::Term::Kind::teid:
      for (unsigned d = 0; d < 2; ++d)
        if (v.tunnel.kind == decode::TunnelKind::gtpu && ((v.tunnel.teid_seen >> d) & 1u) && v.tunnel.teid[d] == t.tunnel_key)
          return true;
      return false;
    case DisplayFilter::Term::Kind::rtt_above: return v.rtt_total_us() != 0 && v.rtt_total_us() > t.rtt_us;
    case DisplayFilter::Term::Kind::rtt_below: return v.rtt_total_us() != 0 && v.rtt_total_us() < t.rtt_us;
    case DisplayFilter::Term::Kind::retrans: return v.retrans_total() != 0;
    case DisplayFilter::Term::Kind::text: {
      char text[endpoints_text_room];
      return endpoints_text(v, text).find(t.text) != std::string_view::npos;
    }
  }
  return false;
}

// t's endpoint is one end of the key (either end: the same test as at_endpoint, without
// asking which end is the client).
bool key_at_endpoint(const decode::FlowKey& k, const DisplayFilter::Term& t) noexcept {
  return (k.port_a == t.port && k.addr_a == t.endpoint_address) || (k.port_b == t.port && k.addr_b == t.endpoint_address);
}

// What a term decides from the record alone: 1 match, 0 no match, -1 only its view can
// tell (tunnel terms read the shard's tunnel book, text terms the endpoints as text, a
// VLAN term the tags of a stack deeper than the key's three). Ports, addresses, state,
// VLANs, smoothed RTTs and whether any segment was retransmitted are on the Connection line;
// every test is symmetric in the key's ends, as term_matches is in client and server.
[[gnu::always_inline]] inline int record_decides(const DisplayFilter::Term& t, const Connection& c) noexcept {
  const decode::FlowKey& k = c.key;
  switch (t.kind) {
    case DisplayFilter::Term::Kind::port: return (k.port_a == t.port) | (k.port_b == t.port);
    case DisplayFilter::Term::Kind::prefix:
      return in_prefix(k.addr_a, t.address, t.prefix_bits) || in_prefix(k.addr_b, t.address, t.prefix_bits) ||
             (t.has_endpoint && key_at_endpoint(k, t));
    case DisplayFilter::Term::Kind::endpoint: return key_at_endpoint(k, t);
    case DisplayFilter::Term::Kind::state: return (t.state_mask >> unsigned(c.state)) & 1u;
    case DisplayFilter::Term::Kind::vlan:
      for (unsigned i = 0; i < k.vlan_depth(); ++i)
        if (k.vlan_id(i) == t.vlan) return 1;
      return k.vlan_depth() == decode::FlowKey::max_vlan_depth ? -1 : 0;  // deeper tags: in the view
    case DisplayFilter::Term::Kind::rtt_above: return c.rtt_total_us() > t.rtt_us;  // 0 (none) is above nothing
    case DisplayFilter::Term::Kind::rtt_below: return (c.rtt_total_us() != 0) & (c.rtt_total_us() < t.rtt_us);
    case DisplayFilter::Term::Kind::retrans: return c.retrans_seen != 0;
    case DisplayFilter::Term::Kind::tunnel:
    case DisplayFilter::Term::Kind::teid:
    case DisplayFilter::Term::Kind::text: return -1;
  }
  return -1;
}

// The terms of filter only a view of record index can decide: all match.
bool view_matches_undecided(const DisplayFilter& filter, const FlowShard& shard, uint32_t index, uint64_t as_of_ns) {
  const Connection& c = shard.table().at(index);
  const ConnView v = shard.view_of(index, as_of_ns, EndReason::none);
  for (const DisplayFilter::Term& t : filter.terms)
    if (record_decides(t, c) < 0 && !term_matches(t, v)) return false;
  return true;
}

// What the terms of filter that record index decides say of it, without a branch on the
// answer: 0 one refuses it, 1 all pass it, -1 those pass it and a view must tell the rest
// (view_matches_undecided).
[[gnu::always_inline]] inline int record_verdict(const DisplayFilter& filter, const Connection& c) noexcept {
  bool refused = false, needs_view = false;
  for (const DisplayFilter::Term& t : filter.terms) {
    const int decided = record_decides(t, c);
    refused |= decided == 0;
    needs_view |= decided < 0;
  }
  return refused ? 0 : needs_view ? -1 : 1;
}

// A filter whose terms the record alone decides (no tunnel, text or VLAN term): then
// record_passes says all of it.
bool decided_by_record(const DisplayFilter& filter) noexcept {
  return std::none_of(filter.terms.begin(), filter.terms.end(), [](const DisplayFilter::Term& t) {
    using Kind = DisplayFilter::Term::Kind;
    return t.kind == Kind::tunnel || t.kind == Kind::teid || t.kind == Kind::text || t.kind == Kind::vlan;
  });
}

// Every term of a filter decided_by_record passes the record.
[[gnu::always_inline]] inline bool record_passes(const DisplayFilter& filter, const Connection& c) noexcept {
  bool passes = true;
  for (const DisplayFilter::Term& t : filter.terms) passes &= record_decides(t, c) > 0;
  return passes;
}

}  // namespace

bool filter_matches(const DisplayFilter& filter, const ConnView& v) {
  for (const DisplayFilter::Term& t : filter.terms)
    if (!term_matches(t, v)) return false;
  return true;
}

bool view_before(const ConnView& a, const ConnView& b, const ViewQuery& query) noexcept {
  const ConnView& x = query.reverse ? b : a;
  const ConnView& y = query.reverse ? a : b;
  const uint64_t rx = sort_rank(x, query.sort), ry = sort_rank(y, query.sort);
  if (rx != ry) return rx > ry;
  // Ties: the more recently active first (tcptrack's rate tie-break), then the older
  // connection, then the endpoints, so the order is total and pages do not shuffle.
  if (x.last_ts_ns != y.last_ts_ns) return x.last_ts_ns > y.last_ts_ns;
  if (x.first_ts_ns != y.first_ts_ns) return x.first_ts_ns < y.first_ts_ns;
  if (int c = std::memcmp(x.client_addr.data(), y.client_addr.data(), 16)) return c < 0;
  if (int c = std::memcmp(x.server_addr.data(), y.server_addr.data(), 16)) return c < 0;
  if (x.client_port != y.client_port) return x.client_port < y.client_port;
  return x.server_port < y.server_port;
}

namespace {

// The best `wanted` records of a shard under a query's order, found in one pass: offered
// records that beat the worst of the best known are gathered, and every `wanted` plus a
// batch of them are cut back to the best `wanted` (a selection, linear in their number).
// Where most records beat it (a table whose order follows the sort's, ties broken by the
// newest packet) that is a few comparisons a record, not a heap's sift-down.
class BestRecords {
 public:
  BestRecords(const FlowShard& shard, const ViewQuery& query)
      : _shard(shard),
        _query(query),
        _wanted(query.keys.empty() ? std::size_t(query.offset) + query.limit : 0),
        _gathered_at_most(_wanted + std::max(_wanted, batch)) {
    if (_wanted) _kept.reserve(_gathered_at_most);
  }

  bool wanted() const noexcept { return _wanted != 0; }

  // Inline in the scan: it runs for every record a sorted frame visits.
  [[gnu::always_inline]] void offer(uint64_t rank, const Connection& c, uint32_t index) {
    // Most records stop at the worst one's rank, or at its last packet (before's first two
    // tests, here without a call).
    if (_cut) {
      if (rank != _worst.rank) {
        if ((rank > _worst.rank) == _query.reverse) return;
      } else if (c.last_ts_ns != _worst.last_ts_ns) {
        if ((c.last_ts_ns > _worst.last_ts_ns) == _query.reverse) return;
      } else if (!before(Candidate{rank, c.last_ts_ns, c.first_ts_ns, index}, _worst)) {
        return;
      }
    }
    _kept.push_back(Candidate{rank, c.last_ts_ns, c.first_ts_ns, index});
    if (_kept.size() == _gathered_at_most) [[unlikely]] cut();
  }

  /// The records kept, best first, as views.
  void append_views(std::vector<ConnView>& rows) {
    if (_kept.size() > _wanted) cut();
    std::sort(_kept.begin(), _kept.end(), [this](const Candidate& a, const Candidate& b) { return before(a, b); });
    for (const Candidate& candidate : _kept)
      rows.push_back(_shard.view_of(candidate.index, _query.as_of_ns, EndReason::none, _query.speed_window));
  }

  /// The records kept (after append_views), by index.
  void remember(std::vector<RowsMemo::Row>& rows) const {
    rows.clear();
    for (const Candidate& candidate : _kept) {
      const Connection& c = _shard.table().at(candidate.index);
      rows.push_back(RowsMemo::Row{candidate.index, c.first_ts_ns, c.key});
    }
    std::sort(rows.begin(), rows.end(), [](const RowsMemo::Row& a, const RowsMemo::Row& b) { return a.index < b.index; });
  }

 private:
  static constexpr std::size_t batch = 1024;

  struct Candidate {
    uint64_t rank;
    uint64_t last_ts_ns;
    uint64_t first_ts_ns;
    uint32_t index;
  };

  bool before(const Candidate& a, const Candidate& b) const {
    const Candidate& x = _query.reverse ? b : a;
    const Candidate& y = _query.reverse ? a : b;
    if (x.rank != y.rank) return x.rank > y.rank;
    if (x.last_ts_ns != y.last_ts_ns) return x.last_ts_ns > y.last_ts_ns;
    if (x.first_ts_ns != y.first_ts_ns) return x.first_ts_ns < y.first_ts_ns;
    // Full ties are rare: order them exactly as the merge across shards will.
    return view_before(_shard.view_of(a.index, _query.as_of_ns, EndReason::none, _query.speed_window),
                       _shard.view_of(b.index, _query.as_of_ns, EndReason::none, _query.speed_window), _query);
  }

  // Keeps the best `wanted` of those gathered; the worst of them is what the next must beat.
  void cut() {
    const auto last_kept = _kept.begin() + std::ptrdiff_t(_wanted - 1);
    std::nth_element(_kept.begin(), last_kept, _kept.end(),
                     [this](const Candidate& a, const Candidate& b) { return before(a, b); });
    _kept.resize(_wanted);
    _worst = _kept.back();
    _cut = true;
  }

  const FlowShard& _shard;
  const ViewQuery& _query;
  const std::size_t _wanted;
  const std::size_t _gathered_at_most;
  std::vector<Candidate> _kept;
  Candidate _worst{};
  bool _cut = false;  // _worst holds: `wanted` records at least as good as it were seen
};

ViewTotals totals_of(uint64_t matching, uint64_t active, uint64_t speed_c2s_sum, uint64_t speed_s2c_sum) noexcept {
  ViewTotals totals;
  totals.matching = matching;
  totals.active = active;
  totals.speed_c2s_sum = speed_c2s_sum;
  totals.speed_s2c_sum = speed_s2c_sum;
  totals.speed_sum = speed_c2s_sum + speed_s2c_sum;
  return totals;
}

// With query's mid-stream rule, (flags & mask) == midstream for a record it hides: picked up
// mid-stream and seen one way only.
uint8_t one_sided_mask(const ViewQuery& query) noexcept {
  return query.hide_one_sided ? conn_flag::midstream | conn_flag::both_seen : 0;
}

// The records the order by bytes need not rank (RowsMemo): those whose last packet is
// before `before`, but for the rows from `kept` to `kept_end` (by index). None by default.
struct Unchanged {
  uint64_t before = 0;
  const RowsMemo::Row* kept = nullptr;
  const RowsMemo::Row* kept_end = nullptr;
};

// One pass over the arena under order Sort (a template argument: the loop holds no switch
// per record). A record is judged from its Connection line (key, state, flags, timestamps,
// smoothed RTTs, retransmissions up to 30); its rate buckets are read only when it had a
// packet in the speed window and passed the filter, its other counters only for the orders
// that rank by them, its health line only to rank a record with more retransmissions; a full
// view is built only for records a tunnel or text term must see; in the order by bytes, the
// counters of a record in `unchanged` are not read.
template <SortKey Sort>
ViewTotals scan_records(const FlowShard& shard, const ViewQuery& query, BestRecords& best, Unchanged unchanged) {
  const FlowTable& table = shard.table();
  // The lines the scan reads of a record, fetched ahead: its Connection line, and the
  // counters of one that may have a speed once its Connection line is near (one record in
  // many: a pattern the hardware prefetcher does not follow).
  constexpr uint32_t prefetch_ahead = 16;  // records: 1 KB of Connection lines ahead
  // What a record is judged by, as thresholds on its Connection line (a comparison each),
  // in locals: stores to the uint64_t sums could otherwise alias the query's fields.
  const uint64_t as_of_ns = shard.answer_time(query.as_of_ns);
  const std::array<uint64_t, tcp_state_count> shown_from = shard.shown_from(as_of_ns);
  const uint64_t speed_reach_ns = shard.speed_reach_ns(query.speed_window);
  // A record whose last packet is at or after speed_from may have a speed; an older one's is 0.
  const uint64_t speed_from = as_of_ns >= speed_reach_ns ? as_of_ns - speed_reach_ns + 1 : 0;
  const uint8_t one_sided = one_sided_mask(query);
  const SpeedWindow window = query.speed_window;
  const bool ranks = best.wanted();
  uint64_t matching = 0, active = 0, speed_c2s_sum = 0, speed_s2c_sum = 0;
  const Connection* const connections = table.arrays().arena;
  const uint32_t size = table.size();
  // Leaving at the next sweep or past -r, or picked up mid-stream and seen one way only: not shown.
  const auto shown = [&](const Connection& c) __attribute__((always_inline)) {
    return (c.last_ts_ns >= shown_from[unsigned(c.state)] || !shard.hidden_past_timer(c, as_of_ns)) &
           ((c.flags & one_sided) != conn_flag::midstream);
  };
  // A record shown and matching: its speed (its counters read only when it had a packet in
  // the speed window) and its rank.
  const auto count = [&](uint32_t i) __attribute__((always_inline)) {
    const Connection& c = connections[i];
    uint64_t speed[2] = {0, 0};  // [0] client to server
    if (c.last_ts_ns >= speed_from) {
      speed[0] = shard.speed_of(i, c.client_dir(), as_of_ns, window);
      speed[1] = shard.speed_of(i, c.client_dir() ^ 1, as_of_ns, window);
      speed_c2s_sum += speed[0];
      speed_s2c_sum += speed[1];
      active += speed[0] + speed[1] != 0;
    }
    ++matching;
    if (!ranks) return;
    // Wire bytes, RTTs and retransmissions are per endpoint, not client first: sort_rank
    // and rtt_total add the pair.
    uint64_t wire[2] = {0, 0}, rtt_us = 0, retrans = 0;
    if constexpr (Sort == SortKey::bytes) {
      if (c.last_ts_ns < unchanged.before) {
        while (unchanged.kept != unchanged.kept_end && unchanged.kept->index < i) ++unchanged.kept;
        if (unchanged.kept == unchanged.kept_end || unchanged.kept->index != i) return;
      }
      wire[0] = table.counters(i).wire_bytes(0);
      wire[1] = table.counters(i).wire_bytes(1);
    } else if constexpr (Sort == SortKey::rtt) {
      rtt_us = c.rtt_total_us();
    } else if constexpr (Sort == SortKey::retrans) {
      retrans = c.retrans_seen;
      if (retrans == Connection::retrans_seen_full) [[unlikely]]
        retrans = uint64_t(table.health(i).retrans[0]) + table.health(i).retrans[1];
    }
    best.offer(sort_rank(Sort, c.first_ts_ns, c.last_ts_ns, wire, speed, rtt_us, retrans), c, i);
  };
  // The Connection line of record i + 16, and the counters of i + 8 where they may
  // be read; only while i + 16 < size (the unfiltered loop stops short instead of testing).
  const auto fetch_ahead = [&](uint32_t i, bool counters) __attribute__((always_inline)) {
    __builtin_prefetch(&connections[i + prefetch_ahead]);
    const uint32_t near = i + prefetch_ahead / 2;
    if (counters && connections[near].last_ts_ns >= speed_from) __builtin_prefetch(&table.counters(near));
  };
  if (query.filter.empty()) {
    uint32_t i = 0;
    for (; i + prefetch_ahead < size; ++i) {
      fetch_ahead(i, true);
      if (shown(connections[i])) count(i);
    }
    for (; i < size; ++i)
      if (shown(connections[i])) count(i);
    return totals_of(matching, active, speed_c2s_sum, speed_s2c_sum);
  }
  // Filtered, a block at a time. While the filter has passed one record in 16 or fewer (a
  // port, an address), a refusal is the branch the processor predicts, and the counters are
  // not fetched (few are read). Past that (rtt>50ms passes a fifth, in no order: a branch on
  // each verdict would be missed every other time), the block is judged first without a
  // branch on the verdicts, the records it passed visited after, and counters fetched ahead;
  // a filter the record alone decides (rtt>50ms, est, a prefix) needs no view, nor a verdict
  // of three values.
  constexpr uint32_t block = 64;
  const bool by_record = decided_by_record(query.filter);
  uint32_t passed[block];
  bool needs_view[block];
  for (uint32_t from = 0; from < size; from += block) {
    const uint32_t to = std::min(size, from + block);
    if (matching * 16 <= from) {
      for (uint32_t i = from; i < to; ++i) {
        if (i + prefetch_ahead < size) fetch_ahead(i, false);
        const Connection& c = connections[i];
        const int verdict = record_verdict(query.filter, c);
        if (verdict != 0 && shown(c) && (verdict > 0 || view_matches_undecided(query.filter, shard, i, as_of_ns)))
          count(i);
      }
      continue;
    }
    uint32_t n = 0;
    if (by_record) {
      for (uint32_t i = from; i < to; ++i) {
        if (i + prefetch_ahead < size) fetch_ahead(i, true);
        const Connection& c = connections[i];
        passed[n] = i;
        n += record_passes(query.filter, c) & shown(c);
      }
      for (uint32_t k = 0; k < n; ++k) count(passed[k]);
      continue;
    }
    for (uint32_t i = from; i < to; ++i) {
      if (i + prefetch_ahead < size) fetch_ahead(i, true);
      const Connection& c = connections[i];
      const int verdict = record_verdict(query.filter, c);
      passed[n] = i;
      needs_view[n] = verdict < 0;
      n += (verdict != 0) & shown(c);
    }
    for (uint32_t k = 0; k < n; ++k)
      if (!needs_view[k] || view_matches_undecided(query.filter, shard, passed[k], as_of_ns)) count(passed[k]);
  }
  return totals_of(matching, active, speed_c2s_sum, speed_s2c_sum);
}

template <std::size_t... Sorts>
constexpr auto scans_by_sort(std::index_sequence<Sorts...>) {
  return std::array{&scan_records<SortKey(Sorts)>...};
}
constexpr auto scans = scans_by_sort(std::make_index_sequence<sort_key_count>());

// The best rows of query, appended to rows, and the totals; the rows kept go to memo
// where one is given.
ViewTotals rank_rows(const FlowShard& shard, const ViewQuery& query, std::vector<ConnView>& rows,
                     const Unchanged& unchanged, RowsMemo* memo) {
  BestRecords best(shard, query);
  ViewTotals totals = scans[unsigned(query.sort)](shard, query, best, unchanged);
  totals.stats = shard.stats();
  best.append_views(rows);
  if (memo) best.remember(memo->rows);
  return totals;
}

// Every row of memo is still its connection, shown and passing query's filter at as_of_ns
// (an answer time): then none can have fallen from the top rows (RowsMemo).
bool memo_rows_hold(const FlowShard& shard, const ViewQuery& query, const RowsMemo& memo, uint64_t as_of_ns) {
  const uint8_t one_sided = one_sided_mask(query);
  for (const RowsMemo::Row& row : memo.rows) {
    if (row.index >= shard.table().size()) return false;
    const Connection& c = shard.table().at(row.index);
    if (c.key != row.key || c.first_ts_ns != row.first_ts_ns || shard.hidden(c, as_of_ns) ||
        (c.flags & one_sided) == conn_flag::midstream)
      return false;
    const int verdict = record_verdict(query.filter, c);
    if (verdict == 0 || (verdict < 0 && !view_matches_undecided(query.filter, shard, row.index, as_of_ns)))
      return false;
  }
  return true;
}

}  // namespace

ViewTotals select_rows(const FlowShard& shard, const ViewQuery& query, std::vector<ConnView>& rows) {
  rows.clear();

  // A paused screen's rows, or a detail panel's connection: the listed connections still
  // tracked, and those removed that the shard can say why of: one whose removal timer ran
  // out (it leaves at the next sweep) and the watched one. The totals below still cover
  // every matching connection, so TOTAL reads the same paused or not.
  for (std::size_t k = 0; k < query.keys.size(); ++k) {
    const bool any_first = k >= query.first_ts_ns.size();
    const uint64_t first_ts_ns = any_first ? 0 : query.first_ts_ns[k];
    const uint32_t index = any_first ? shard.find(query.keys[k]) : shard.find(query.keys[k], first_ts_ns);
    ConnView v;
    if (index != FlowTable::npos) {
      const EndReason end = shard.hidden_at(index, query.as_of_ns) ? EndReason::expired : EndReason::none;
      v = shard.view_of(index, query.as_of_ns, end, query.speed_window);
    } else if (const ConnView* last = shard.watched_end(query.keys[k], first_ts_ns)) {
      v = *last;
      v.as_of_ns = std::max(v.as_of_ns, shard.answer_time(query.as_of_ns));  // its idle time goes on
    } else {
      continue;
    }
    if (v.end != EndReason::none) v.speed_bytes_per_s[0] = v.speed_bytes_per_s[1] = 0;
    rows.push_back(v);
  }

  return rank_rows(shard, query, rows, Unchanged{}, nullptr);
}

ViewTotals select_rows(FlowShard& shard, const ViewQuery& query, std::vector<ConnView>& rows, RowsMemo& memo) {
  if (!RowsMemo::serves(query)) return select_rows(std::as_const(shard), query, rows);
  const uint64_t as_of_ns = shard.answer_time(query.as_of_ns);
  const uint64_t changed_from = shard.take_changed_from();  // taken every time: the next bound starts now
  Unchanged unchanged;
  if (memo.answers(query, as_of_ns) && memo_rows_hold(shard, query, memo, as_of_ns))
    unchanged = Unchanged{changed_from, memo.rows.data(), memo.rows.data() + memo.rows.size()};
  rows.clear();
  const ViewTotals totals = rank_rows(shard, query, rows, unchanged, &memo);
  memo.held = true;
  memo.hide_one_sided = query.hide_one_sided;
  memo.wanted = std::size_t(query.offset) + query.limit;
  if (memo.filter != query.filter) memo.filter = query.filter;
  memo.as_of_ns = as_of_ns;
  return totals;
}

}  // namespace ringtrack::flow
