// Owns: one shard's connections: applying packets, creating and reusing connections,
// removal timers and eviction, and reading them out as views.
// Does not own: threads or queues (runtime), decoding (decode), the table layout (flow_table).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "decode/packet_record.hpp"
#include "flow/conn_view.hpp"
#include "flow/finished_flows.hpp"
#include "flow/flow_config.hpp"
#include "flow/flow_hash.hpp"
#include "flow/flow_table.hpp"
#include "flow/removal_sink.hpp"
#include "flow/endpoint_book.hpp"
#include "flow/shard_stats.hpp"
#include "flow/tunnel_book.hpp"
#include "flow/vlan_stack_book.hpp"
#include "flow/view_query.hpp"

namespace ringtrack::flow {

/// A shard is owned by exactly one thread; every method is for that thread only, except
/// where a comment says otherwise. No locks, no atomics, no allocation after construction.
///
/// Time is capture time: the shard's clock is the newest timestamp it has been given
/// (packets and clock ticks). Every 100 ms of that clock it sweeps a tenth of its records
/// for removal timers, so each record is checked about once a second, as tcptrack's
/// maintenance thread does.
///
/// Beside the table, a fixed-size FinishedFlows remembers the keys of connections removed
/// after they finished (CLOSED, RESET, CLOSING) for config.time_wait_ns: a packet of no
/// tracked connection whose key it holds, unless it carries a SYN, is a stray of a
/// connection already reported, and only counted (ShardStats::stray_packets).
class FlowShard {
 public:
  FlowShard(const FlowConfig& config, uint32_t capacity, const FlowHasher& hasher,
            uint32_t shard_index);

  /// Where removed connections are reported (only when config.report_removed).
  void set_removal_sink(RemovalSink sink) noexcept { _sink = sink; }

  /// Keeps what output shows of tunnels (record_router tells each once, beside the first
  /// records that came out of it).
  void learn_tunnels(std::span<const decode::TunnelIdentity> tunnels) noexcept {
    for (const decode::TunnelIdentity& tunnel : tunnels) _tunnels.learn(tunnel);
  }
  /// Keeps VLAN stacks deeper than a key holds, for the connections that start with them.
  void learn_vlan_stacks(std::span<const decode::VlanStack> stacks) noexcept {
    for (const decode::VlanStack& stack : stacks) _vlan_stacks.learn(stack);
  }

  /// Applies packets in order. Each packet's flow_hash must already be set
  /// with this shard's hasher.
  void apply(std::span<const decode::PacketRecord> records) noexcept;

  /// Moves the clock forward (never back) and runs the removal timers that fall due.
  void advance_clock(uint64_t now_ns) noexcept;

  uint64_t now_ns() const noexcept { return _now_ns; }
  /// A bound under the last packet time of every record a packet changed or created since
  /// the last call: a record whose last packet is older is as it was then (RowsMemo). The
  /// next call's bound counts from now.
  uint64_t take_changed_from() noexcept;
  ShardStats stats() const noexcept;
  const FlowTable& table() const noexcept { return _table; }

  /// Arena index of key's connection, or FlowTable::npos.
  uint32_t find(const decode::FlowKey& key) const noexcept { return _table.find(key, _hasher(key)); }
  /// The record of key whose first packet was at first_ts_ns (a key may hold several GTP-U
  /// bearers' connections), or npos.
  uint32_t find(const decode::FlowKey& key, uint64_t first_ts_ns) const noexcept {
    const FlowTableArrays& table = _table.arrays();
    return table.find_if(key, _hasher(key), [&](uint32_t i) { return table.arena[i].first_ts_ns == first_ts_ns; });
  }

  /// The moment a question asked as of as_of_ns is answered for: never before the newest
  /// packet applied (a live query carries the wall clock of when it was sent, and the
  /// reader may apply newer packets before it answers; the rate rings hold no second
  /// older than the newest packet's previous one).
  uint64_t answer_time(uint64_t as_of_ns) const noexcept { return as_of_ns > _now_ns ? as_of_ns : _now_ns; }

  /// How long after a connection's last packet its speed over window may still not be 0.
  uint64_t speed_reach_ns(SpeedWindow window) const noexcept {
    return window != SpeedWindow::second ? AverageRate::bucket_ns * (AverageRate::window_buckets(window) + 1)
           : _config.fast_rates          ? FastRate::bucket_ns * (FastRate::window_buckets + 1)
                                         : SecondRate::bucket_ns * (SecondRate::window_buckets + 1);
  }
  /// The speed window at as_of_ns began before the connection's first packet (it began in
  /// that window, or the capture did): its speed covers part of the window only.
  bool speed_is_partial(const Connection& c, uint64_t as_of_ns, SpeedWindow window = SpeedWindow::second) const noexcept {
    as_of_ns = answer_time(as_of_ns);
    const uint64_t start = window != SpeedWindow::second ? AverageRate::window_start_ns(as_of_ns, window)
                           : _config.fast_rates          ? FastRate::window_start_ns(as_of_ns)
                                                         : SecondRate::window_start_ns(as_of_ns);
    return c.first_ts_ns > start;
  }
  /// Payload bytes per second that endpoint dir sent, as of as_of_ns, over window (the
  /// averages read 0 where the shard does not keep them).
  uint64_t speed_of(uint32_t arena_index, unsigned dir, uint64_t as_of_ns,
                    SpeedWindow window = SpeedWindow::second) const noexcept {
    as_of_ns = answer_time(as_of_ns);
    const Connection& c = _table.at(arena_index);
    const ConnectionCounters& counters = _table.counters(arena_index);
    if (window != SpeedWindow::second) {
      const AverageRings* averages = _table.averages(arena_index);
      return averages ? AverageRate::bytes_per_second(*averages, counters.second_bytes, dir, c.last_ts_ns, as_of_ns,
                                                      window)
                      : 0;
    }
    if (const FastRateRings* fast = _table.fast_rates(arena_index))
      return FastRate::bytes_per_second(fast->bytes, dir, c.last_ts_ns, as_of_ns);
    return SecondRate::bytes_per_second(counters.second_bytes, dir, c.last_ts_ns, as_of_ns);
  }

  /// The record at arena index as a view at as_of_ns, its speed over window.
  ConnView view_of(uint32_t arena_index, uint64_t as_of_ns, EndReason end,
                   SpeedWindow window = SpeedWindow::second) const noexcept;

  /// Calls fn(const ConnView&) for every tracked connection, as of as_of_ns.
  template <class Fn>
  void for_each_view(uint64_t as_of_ns, Fn&& fn) const {
    for (uint32_t i = 0; i < _table.size(); ++i) fn(view_of(i, as_of_ns, EndReason::none));
  }

  /// True when the screen does not show the record at as_of_ns: its removal timer ran out
  /// (it leaves at the next sweep; tcptrack hides closed rows too), or it is RESET past -r
  /// and kept only for its attempt's retransmitted SYN.
  bool hidden_at(uint32_t arena_index, uint64_t as_of_ns) const noexcept {
    return hidden(_table.at(arena_index), answer_time(as_of_ns));
  }
  /// hidden_at for a record of this shard, as_of_ns already an answer_time.
  bool hidden(const Connection& c, uint64_t as_of_ns) const noexcept {
    // Most records are younger than their state's shortest timer: decided inline.
    if (idle_of(c, as_of_ns) <= _kept_at_least_ns[unsigned(c.state)]) return false;
    return hidden_past_timer(c, as_of_ns);
  }
  /// hidden for a scan: per state, the last packet time from which a record is shown at
  /// as_of_ns (already an answer_time) without asking its timers, one comparison a record;
  /// a record older than its state's is hidden where hidden_past_timer says so.
  std::array<uint64_t, tcp_state_count> shown_from(uint64_t as_of_ns) const noexcept {
    std::array<uint64_t, tcp_state_count> from;
    for (unsigned s = 0; s < tcp_state_count; ++s)
      from[s] = as_of_ns > _kept_at_least_ns[s] ? as_of_ns - _kept_at_least_ns[s] : 0;
    return from;
  }
  /// hidden_at for a record idle longer than its state's shortest timer.
  bool hidden_past_timer(const Connection& c, uint64_t as_of_ns) const noexcept;

  /// Watches the connection watch names (or none, when off) in place of the last one: its
  /// final view is kept when it is removed.
  void watch(const ViewWatch& watch) noexcept;
  /// The watched connection's final view (ConnView::end says why), once it was removed;
  /// null before, or when key and first_ts_ns are not the watched connection's.
  const ConnView* watched_end(const decode::FlowKey& key, uint64_t first_ts_ns) const noexcept;

  /// Removes every connection whose timer has run out, now (tests, end of a live run).
  void sweep_all() noexcept;

  /// While paused, no record moves in the arena: timers wait (they catch up on resume) and
  /// a full table refuses new connections (counted) instead of evicting. A live reader
  /// pauses removals while it copies a report out in pieces between ring blocks.
  void pause_removals(bool paused) noexcept { _removals_paused = paused; }

 private:
  static constexpr uint64_t sweep_step_ns = 100'000'000;  // 10 slices: each record once a second
  static constexpr unsigned sweep_slices = 10;
  // Eviction looks at two windows of this many records per pass: the arena's tail, where
  // new records (a flood's half-open entries) are added, and a window rotating over the
  // rest. It frees records of the best kind found only (closed, then half-open, then
  // one-sided, then established), the longest idle of that kind first, at most 1/64 of
  // what it looked at: a SYN flood on a full table of real connections evicts its own
  // entries, and costs ~64 record reads per eviction.
  static constexpr uint32_t evict_window = 4096;
  static constexpr uint32_t evict_fraction = 64;
  // Finished keys remembered per table record: one for every 9 (50 bytes a key with its
  // tag and end, so under 6 bytes a record beside its 144). A shard closing more connections than that per time_wait_ns
  // forgets the oldest first, and their strays make rows again, as without the memory.
  static constexpr uint32_t records_per_finished_key = 9;

  /// index: the packet's record, or npos when the table has none.
  void apply_packet(const decode::PacketRecord& packet, uint32_t index, const FlowTableArrays& table) noexcept;
  uint32_t create(const decode::PacketRecord& packet) noexcept;
  /// The record of a GTP-U packet's bearer among those of its key (gtp_bearer.hpp), or npos.
  uint32_t find_bearer(const decode::PacketRecord& packet) noexcept;
  void start(uint32_t index, const decode::PacketRecord& packet, TcpState state, uint8_t flags,
             bool client_is_b) noexcept;
  /// fast: the record's -f rings, or null.
  void count(Connection& c, ConnectionCounters& counters, FastRateRings* fast, AverageRings* averages,
             const decode::PacketRecord& packet) noexcept;
  bool is_plain_in_second(const Connection& c, const ConnectionCounters& counters, const decode::PacketRecord& packet,
                          unsigned dir) const noexcept;
  void count_plain(Connection& c, ConnectionCounters& counters, TcpHealth& health, FastRateRings* fast,
                   const decode::PacketRecord& packet, unsigned dir) noexcept;
  /// health is c's: its handshake RTT sets the out-of-order window; the RTT samples
  /// smooth into c's srtt.
  void note_health(Connection& c, TcpHealth& health, const decode::PacketRecord& packet, unsigned dir) noexcept;
  /// The clock entered a new second: where the speed buckets of plain packets are.
  void enter_second() noexcept;
  /// health is c's: the handshake's RTT starts at the client's last SYN it holds, and is kept there.
  void step_state(Connection& c, ConnectionCounters& counters, TcpHealth& health,
                  const decode::PacketRecord& packet) noexcept;
  bool expired(const Connection& c, uint64_t now_ns) const noexcept;
  static uint64_t idle_of(const Connection& c, uint64_t now_ns) noexcept {
    return now_ns > c.last_ts_ns ? now_ns - c.last_ts_ns : 0;
  }
  /// Idle time a half-open handshake (or one reset in its handshake) is kept.
  uint64_t handshake_wait_ns(const Connection& c) const noexcept;
  void run_due_sweeps() noexcept;
  void sweep(uint32_t records) noexcept;
  void evict_some() noexcept;
  /// The connection at index ends: the removal sink is told, and a watched one is kept.
  void report_end(uint32_t index, EndReason reason) noexcept;
  void remove(uint32_t index, EndReason reason) noexcept;

  FlowConfig _config;
  /// Per state, the idle time below which a record is neither expired nor hidden.
  std::array<uint64_t, tcp_state_count> _kept_at_least_ns;
  FlowHasher _hasher;
  FlowTable _table;
  FinishedFlows _finished;
  TunnelBook _tunnels;
  VlanStackBook _vlan_stacks;
  EndpointBook _endpoints;
  uint32_t _index;
  RemovalSink _sink;
  ShardStats _stats;
  uint64_t _now_ns = 0;
  uint64_t _next_sweep_ns = 0;
  // The second of capture time _now_ns is in: its SecondRate bucket and [start, end). No
  // packet is plain before the clock's first reading.
  uint64_t _second = 0;
  uint64_t _second_start_ns = UINT64_MAX;
  uint64_t _second_end_ns = 0;
  // take_changed_from's, since its last call: the start of the second then (a plain packet is
  // at or after it, and so is the record it changes: records' last packet times only grow)
  // and the oldest packet that was not plain.
  uint64_t _changes_second_start_ns = UINT64_MAX;
  uint64_t _oldest_unplain_ts_ns = UINT64_MAX;
  uint32_t _sweep_cursor = 0;
  uint32_t _evict_cursor = 0;
  bool _removals_paused = false;
  ViewWatch _watch;
  std::optional<ConnView> _watched_end;  // once the watched connection was removed
  struct EvictCandidate {
    uint64_t score;
    uint32_t index;
  };
  std::vector<EvictCandidate> _evict_scratch;  // sized once: evict_window entries
};

}  // namespace ringtrack::flow
