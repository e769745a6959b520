// Owns: what a screen asks of the shards: which rows (sort and what each sort ranks by,
// display filter, window) or which connections (a paused screen's frozen rows), and the
// per-shard answer's totals.
// Does not own: computing the answer (shard_view) or merging answers (runtime/aggregator).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "decode/flow_key.hpp"
#include "flow/conn_view.hpp"
#include "flow/rate_window.hpp"
#include "flow/shard_stats.hpp"

namespace ringtrack::flow {

/// Row orders. first_seen is "Unsorted": connections in the order they appeared. rtt: the
/// end-to-end smoothed RTT (ConnView::rtt_total_us); retrans: retransmitted segments both ways.
enum class SortKey : uint8_t { first_seen, rate, bytes, idle, rate_c2s, rate_s2c, rtt, retrans };
inline constexpr unsigned sort_key_count = 8;

/// A display filter: space-separated terms, all of which must match. A term is a port
/// ("443"), an address in any form the screen shows it ("10.0.0.1", "2001:db8::1",
/// "[2001:db8::1]"), a prefix ("10.0.0.0/8", "2001:db8::/32"), an endpoint (address and
/// port of one end: "10.0.0.1:80", "[2001:db8::1]:443", or "2001:db8::1:443", which also
/// matches the address 2001:db8::1:443), a state name or its start ("est", "SYN_SENT",
/// "closed"), "vlan=N", a round-trip bound ("rtt>50ms", "rtt<800us", "rtt>1.5s": the
/// end-to-end smoothed RTT, unit us, ms (the default) or s; a connection without one matches
/// neither), "retrans" (any retransmitted segment), or otherwise text found in
/// "client:port server:port" (IPv6 without brackets). Parsed once per query; matching a
/// record needs no text.
struct DisplayFilter {
  struct Term {
    /// prefix: address/prefix_bits at either end, or (with has_endpoint) the endpoint;
    /// endpoint: endpoint_address and port at one end.
    /// tunnel: tunnelled (of tunnel_kind, when not none; with its GRE key / VNI / session
    /// when has_tunnel_key); teid: a GTP-U TEID either way.
    /// rtt_above, rtt_below: the end-to-end RTT beyond rtt_us; retrans: retransmitted at all.
    enum class Kind : uint8_t {
      port, prefix, endpoint, state, vlan, tunnel, teid, rtt_above, rtt_below, retrans, text
    } kind;
    uint16_t port = 0;
    std::array<uint8_t, 16> address{};
    uint8_t prefix_bits = 0;  // of the 128-bit (IPv4-mapped) address
    bool has_endpoint = false;
    std::array<uint8_t, 16> endpoint_address{};
    uint8_t state_mask = 0;   // bit per TcpState
    uint16_t vlan = 0;
    decode::TunnelKind tunnel_kind = decode::TunnelKind::none;
    bool has_tunnel_key = false;
    uint32_t tunnel_key = 0;  // also the TEID of a teid term
    uint32_t rtt_us = 0;      // the bound of an rtt term
    std::string text;
    bool operator==(const Term&) const = default;
  };
  std::vector<Term> terms;

  static DisplayFilter parse(const std::string& text);
  bool empty() const noexcept { return terms.empty(); }
  bool operator==(const DisplayFilter&) const = default;
};

/// The connection a screen's detail panel shows (its key and first packet's time): the
/// shard that owns it keeps its final view and why it ended when it is removed, so that a
/// query by its key still finds it (the panel says removed, and why).
struct ViewWatch {
  bool on = false;
  decode::FlowKey key{};
  uint64_t first_ts_ns = 0;
};

/// The question; owned by the session and left unchanged until every shard answered.
struct ViewQuery {
  SortKey sort = SortKey::first_seen;
  bool reverse = false;          ///< flips the natural order of sort
  uint32_t offset = 0;           ///< rows to skip in the merged order
  uint32_t limit = 0;            ///< rows wanted after them
  DisplayFilter filter;
  /// When not empty: only these connections (a paused screen), in this order. One whose
  /// removal timer ran out, or the watched one after its removal, comes with its end
  /// reason (ConnView::end) and no speed.
  std::vector<decode::FlowKey> keys;
  std::vector<uint64_t> first_ts_ns;  ///< with keys: tells a reused 4-tuple's new connection apart
  uint64_t as_of_ns = 0;
  /// tcptrack shows a mid-stream pickup only once a packet went each way.
  bool hide_one_sided = false;
  /// The speed the rows, TOTAL and the rate sorts read: the last second or an average.
  SpeedWindow speed_window = SpeedWindow::second;
  /// Set by each answer: what the shards watch until the next query (none when off).
  ViewWatch watch;
};

/// One shard's totals for a view.
struct ViewTotals {
  uint64_t matching = 0;        ///< connections passing the filter
  uint64_t speed_sum = 0;       ///< their payload bytes per second, both directions
  uint64_t speed_c2s_sum = 0;   ///< ... client to server
  uint64_t speed_s2c_sum = 0;   ///< ... server to client
  uint64_t active = 0;          ///< with a packet since the last complete second
  ShardStats stats;
  ViewTotals& operator+=(const ViewTotals& o) noexcept {
    matching += o.matching;
    speed_sum += o.speed_sum;
    speed_c2s_sum += o.speed_c2s_sum;
    speed_s2c_sum += o.speed_s2c_sum;
    active += o.active;
    stats += o.stats;
    return *this;
  }
};

/// Sort key under sort, larger first (before reverse), from the fields an order reads;
/// speed_bytes_per_s and wire_bytes are a direction pair in either orientation; rtt_us is
/// the end-to-end RTT (0: none, ranked last), retrans the segments retransmitted both ways.
/// Taken field by field so select_rows ranks a shard's record without building its view,
/// and inline so it costs what a switch in that loop would: wire_bytes, rtt_us and retrans
/// are read only when sort asks for them (they sit in a record's ConnectionCounters, which
/// a scan otherwise leaves alone).
inline uint64_t sort_rank(SortKey sort, uint64_t first_ts_ns, uint64_t last_ts_ns,
                          const uint64_t (&wire_bytes)[2], const uint64_t (&speed_bytes_per_s)[2],
                          uint64_t rtt_us, uint64_t retrans) noexcept {
  switch (sort) {
    case SortKey::first_seen: return UINT64_MAX - first_ts_ns;
    case SortKey::rate: return speed_bytes_per_s[0] + speed_bytes_per_s[1];
    case SortKey::bytes: return wire_bytes[0] + wire_bytes[1];  // the frame bytes the screen shows
    case SortKey::idle: return UINT64_MAX - last_ts_ns;         // most idle first: stale ones on top
    case SortKey::rate_c2s: return speed_bytes_per_s[0];
    case SortKey::rate_s2c: return speed_bytes_per_s[1];
    case SortKey::rtt: return rtt_us;      // the slowest first
    case SortKey::retrans: return retrans;
  }
  return 0;
}

/// Sort key of v under sort, larger first (before reverse).
inline uint64_t sort_rank(const ConnView& v, SortKey sort) noexcept {
  return sort_rank(sort, v.first_ts_ns, v.last_ts_ns, v.wire_bytes, v.speed_bytes_per_s, v.rtt_total_us(),
                   v.retrans_total());
}

/// Orders two views under query's sort and reverse, ties broken so the order is total (the
/// merge across shards and a paused screen's re-sort use the same order).
bool view_before(const ConnView& a, const ConnView& b, const ViewQuery& query) noexcept;

}  // namespace ringtrack::flow
