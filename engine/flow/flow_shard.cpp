// Owns: packet application, connection creation/reuse, removal timers and eviction.
// Does not own: the state transitions themselves (tcp_state) or the index (flow_table).
#include "flow/flow_shard.hpp"

#include <algorithm>
#include <cstring>

#include "flow/rtt_code.hpp"
#include "flow/rtt_sampler.hpp"

namespace ringtrack::flow {

using decode::PacketRecord;
namespace tcp_flag = decode::tcp_flag;

FlowShard::FlowShard(const FlowConfig& config, uint32_t capacity, const FlowHasher& hasher,
                     uint32_t shard_index)
    : _config(config),
      _hasher(hasher),
      _table(capacity, config.fast_rates, config.averages),
      _finished(capacity / records_per_finished_key),
      _index(shard_index) {
  _evict_scratch.reserve(std::min(2 * evict_window, capacity));
  // The shortest of the timers expired() and hidden_at() may apply in each state.
  _kept_at_least_ns[unsigned(TcpState::syn_sent)] = config.half_open_timeout_ns;  // handshake_wait_ns's least
  _kept_at_least_ns[unsigned(TcpState::syn_ack_ack)] = config.half_open_timeout_ns;
  _kept_at_least_ns[unsigned(TcpState::established)] = std::min(config.one_sided_timeout_ns, config.idle_timeout_ns);
  _kept_at_least_ns[unsigned(TcpState::closing)] = config.closing_timeout_ns;
  _kept_at_least_ns[unsigned(TcpState::closed)] = config.closed_linger_ns;
  _kept_at_least_ns[unsigned(TcpState::reset)] = config.closed_linger_ns;
}

ShardStats FlowShard::stats() const noexcept {
  ShardStats s = _stats;
  s.tracked = _table.size();
  s.capacity = _table.capacity();
  return s;
}

// Per packet: always inlined into apply_packet.
[[gnu::always_inline]] inline void FlowShard::count(Connection& c, ConnectionCounters& counters, FastRateRings* fast,
                                                    AverageRings* averages, const PacketRecord& packet) noexcept {
  const unsigned dir = packet.from_a ? 0 : 1;
  if (!counters.seen(dir)) [[unlikely]] {
    note_first_packet(counters.seq_mark, packet);
    if (counters.seen(dir ^ 1)) c.flags |= conn_flag::both_seen;
  }
  const bool has_previous = counters.seen(0) || counters.seen(1);
  if (averages && has_previous) [[unlikely]] {
    // Once per second per connection: its first packet of a later second folds the last
    // one in (before SecondRate::add reuses that second's slot).
    const uint64_t second = packet.ts_ns / SecondRate::bucket_ns, newest = c.last_ts_ns / SecondRate::bucket_ns;
    if (second > newest) AverageRate::leave_second(*averages, counters.second_bytes, newest, second);
    else if (second < newest) AverageRate::add_late(*averages, newest, second, dir, packet.payload_bytes);
  }
  SecondRate::add(counters.second_bytes, has_previous, c.last_ts_ns, packet.ts_ns, dir,
                  packet.payload_bytes);
  if (fast) FastRate::add(fast->bytes, has_previous, c.last_ts_ns, packet.ts_ns, dir, packet.payload_bytes);

  counters.add_packet(dir, packet);
  _stats.payload_bytes[dir ^ c.client_dir()] += packet.payload_bytes;
  if (!has_previous || packet.ts_ns > c.last_ts_ns) c.last_ts_ns = packet.ts_ns;
  if (packet.ts_ns < c.first_ts_ns) c.first_ts_ns = packet.ts_ns;
}

// The packet most packets are: no SYN, FIN or RST, to an established connection with no
// FIN outstanding, from an endpoint that has sent before, in time order and in the same
// second of capture time as the connection's last packet. Then nothing but counters
// change, and the speed bucket is the shard's current second: no division, no state step.
// Every other packet takes the general path (count, step_state), which gives the same
// result for these.
[[gnu::always_inline]] inline bool FlowShard::is_plain_in_second(const Connection& c,
                                                                 const ConnectionCounters& counters,
                                                                 const PacketRecord& packet, unsigned dir) const noexcept {
  // packet.ts_ns <= _now_ns < _second_end_ns, and last_ts_ns <= packet.ts_ns: both in the
  // current second once last_ts_ns is.
  return leaves_state_alone(c.state, c.flags, packet) && counters.packets_low[dir] != 0 &&
         c.last_ts_ns >= _second_start_ns && packet.ts_ns >= c.last_ts_ns;
}

[[gnu::always_inline]] inline void FlowShard::count_plain(Connection& c, ConnectionCounters& counters,
                                                          TcpHealth& health, FastRateRings* fast,
                                                          const PacketRecord& packet, unsigned dir) noexcept {
  if (fast) [[unlikely]]
    FastRate::add(fast->bytes, true, c.last_ts_ns, packet.ts_ns, dir, packet.payload_bytes);
  SecondRate::add_to_bucket(counters.second_bytes, dir, _second, packet.payload_bytes);
  counters.add_packet(dir, packet);
  // One add beside the record's own: flags sits on the line the plain test already read.
  _stats.payload_bytes[dir ^ c.client_dir()] += packet.payload_bytes;
  note_health(c, health, packet, dir);
  c.last_ts_ns = packet.ts_ns;
}

[[gnu::always_inline]] inline void FlowShard::note_health(Connection& c, TcpHealth& health,
                                                          const PacketRecord& packet, unsigned dir) noexcept {
  // Wireshark's out-of-order window: the handshake's RTT, or 3 ms without one.
  constexpr uint32_t default_ooo_window_us = 3000;
  const uint32_t ooo_window_us = health.handshake_rtt_us != 0 ? health.handshake_rtt_us : default_ooo_window_us;
  EndpointEntry* pair = _endpoints.pair(packet.flow_hash);
  EndpointEntry& fwd = pair[dir];
  EndpointEntry& rev = pair[dir ^ 1];
  const uint32_t fwd_tag = EndpointBook::tag_of(packet.flow_hash, dir);
  if (fwd.tag != fwd_tag) [[unlikely]] fwd = EndpointEntry::claimed(fwd_tag);
  EndpointEntry* rev_held = rev.tag == EndpointBook::tag_of(packet.flow_hash, dir ^ 1) ? &rev : nullptr;
  const SegmentKind kind = note_segment(health, dir, packet, ooo_window_us, fwd, rev_held);
  if (kind == SegmentKind::retransmitted) {
    ++_stats.retransmitted;
    if (c.retrans_seen < Connection::retrans_seen_full) ++c.retrans_seen;
  }
  sample_rtt(health, c.srtt, fwd, rev_held, dir, packet, kind);
}

void FlowShard::enter_second() noexcept {
  _second = _now_ns / SecondRate::bucket_ns;
  _second_start_ns = _second * SecondRate::bucket_ns;
  _second_end_ns = _second_start_ns + SecondRate::bucket_ns;
}

[[gnu::always_inline]] inline void FlowShard::step_state(Connection& c, ConnectionCounters& counters,
                                                         TcpHealth& health, const PacketRecord& packet) noexcept {
  if (leaves_state_alone(c.state, c.flags, packet)) [[likely]] return;
  TcpState state = c.state;  // a bit-field: no reference to it
  const bool handshake_done = apply_tcp_packet(state, c.flags, counters.seq_mark, packet);
  c.state = state;
  if (handshake_done && !(c.flags & conn_flag::midstream)) {
    // From the client's last SYN (Wireshark's initial RTT): its next_seq moved then, and
    // the packet's own health is noted after this.
    const unsigned client = c.client_dir();
    const uint32_t syn_us = (health.bits(client) & health_bit::seq_known) ? health.next_seq_at_us[client]
                                                                          : capture_us(c.first_ts_ns);
    const uint32_t rtt_us = capture_us(packet.ts_ns) - syn_us;
    health.handshake_rtt_us = int32_t(rtt_us) <= 0 ? 1 : rtt_us;
  }
}

[[gnu::always_inline]] inline void FlowShard::apply_packet(const PacketRecord& packet, uint32_t index,
                                                           const FlowTableArrays& table) noexcept {
  if (packet.ts_ns > _now_ns) {
    _now_ns = packet.ts_ns;
    if (_now_ns >= _second_end_ns) [[unlikely]] enter_second();
    if (_now_ns >= _next_sweep_ns) [[unlikely]] {
      run_due_sweeps();
      // The sweep may have removed or moved records.
      if (index != FlowTable::npos) index = is_gtpu(packet.key) ? find_bearer(packet) : table.find(packet.key, packet.flow_hash);
    }
  }
  if (index != FlowTable::npos) [[likely]] {
    Connection& c = table.at(index);
    ConnectionCounters& counters = table.counters_of(index);
    const unsigned dir = packet.from_a ^ 1u;  // from_a is 0 or 1
    if (is_plain_in_second(c, counters, packet, dir)) [[likely]] {
      count_plain(c, counters, table.health_of(index), table.fast_rates_of(index), packet, dir);
      ++_stats.tcp_packets;
      return;
    }
  }
  _oldest_unplain_ts_ns = std::min(_oldest_unplain_ts_ns, packet.ts_ns);
  if (index == FlowTable::npos) {
    // A SYN (or SYN+ACK) is a new connection's, never a stray: create() decides.
    if (!(packet.tcp_flags & tcp_flag::syn) && _finished.holds(packet.key, packet.flow_hash, _now_ns)) [[unlikely]] {
      ++_stats.stray_packets;
      return;
    }
    index = create(packet);
    if (index == FlowTable::npos) {
      ++_stats.untracked_packets;  // -d without a SYN, or refused
      return;
    }
  } else {
    Connection& c = table.at(index);
    ConnectionCounters& counters = table.counters_of(index);
    const SynKind syn_kind = is_bare_syn(packet) ? classify_bare_syn(c.state, c.flags, counters.seq_mark,
                                                                counters.seen(packet.from_a ? 0 : 1), c.last_ts_ns, packet)
                                            : SynKind::belongs;
    if (syn_kind == SynKind::starts_new) [[unlikely]] {
      // A 4-tuple reused by a new connection: the old one ends here and the record starts
      // over in place (tcptrack shows the old one as RESET forever, or leaks it).
      ++_stats.reused;
      report_end(index, EndReason::reused);
      start(index, packet, TcpState::syn_sent, 0, !packet.from_a);
    } else {
      if (syn_kind == SynKind::restarts_handshake) [[unlikely]] c.state = restart_handshake(c.flags);
      count(c, counters, table.fast_rates_of(index), table.averages_of(index), packet);
      TcpHealth& health = table.health_of(index);
      step_state(c, counters, health, packet);
      note_health(c, health, packet, packet.from_a ^ 1u);
    }
  }
  ++_stats.tcp_packets;
}

void FlowShard::apply(std::span<const PacketRecord> records) noexcept {
  // Software pipeline over the batch: the index slot of packet i + 2*lookahead is
  // prefetched, packet i + lookahead is looked up (its slot now cached) and its record
  // prefetched, packet i is applied (its record now cached). With a table far larger than
  // the caches this keeps ~2*lookahead misses in flight instead of three in a row per
  // packet (bench/README.md: flow update at 1M connections).
  constexpr std::size_t lookahead = 8;
  const std::size_t n = records.size();
  uint32_t found[2 * lookahead];
  const FlowTableArrays table = _table.arrays();
  auto look_up = [&](std::size_t i) {
    const uint32_t index = table.candidate(records[i].flow_hash);
    if (index != FlowTable::npos) {
      table.prefetch_record(index);
      // The screen's averages: a busy table's connections see a packet or two a second,
      // so most packets fold their last second in (bench/README.md: the averages' cost).
      if (const AverageRings* averages = table.averages_of(index)) [[unlikely]]
        __builtin_prefetch(AverageRate::slot_near(*averages, records[i].ts_ns));
    }
    _endpoints.prefetch(records[i].flow_hash);
    found[i % (2 * lookahead)] = index;
  };
  for (std::size_t i = 0; i < std::min(n, 2 * lookahead); ++i) table.prefetch_slot(records[i].flow_hash);
  for (std::size_t i = 0; i < std::min(n, lookahead); ++i) look_up(i);

  for (std::size_t i = 0; i < n; ++i) {
    if (i + 2 * lookahead < n) table.prefetch_slot(records[i + 2 * lookahead].flow_hash);
    if (i + lookahead < n) look_up(i + lookahead);
    const PacketRecord& r = records[i];
    // The candidate is confirmed by its key here, once its record is cached; packets applied
    // since the lookup may also have created, removed or moved records.
    uint32_t index = found[i % (2 * lookahead)];
    if (index == FlowTable::npos || index >= _table.size() || !(table.at(index).key == r.key))
      index = table.find(r.key, r.flow_hash);
    if (is_gtpu(r.key)) [[unlikely]] index = find_bearer(r);
    apply_packet(r, index, table);
  }
}

uint32_t FlowShard::create(const PacketRecord& packet) noexcept {
  const bool syn = packet.tcp_flags & tcp_flag::syn;
  const bool ack = packet.tcp_flags & tcp_flag::ack;
  const bool sender_is_b = !packet.from_a;
  TcpState state;
  bool client_is_b;
  uint8_t flags = 0;
  // A new connection on a finished 4-tuple: its later packets are no strays.
  if (syn) _finished.forget(packet.key, packet.flow_hash);
  if (syn && !ack) {
    state = TcpState::syn_sent;
    client_is_b = sender_is_b;
  } else if (!_config.track_midstream) {
    return FlowTable::npos;
  } else if (syn) {  // SYN+ACK: the handshake's first packet was missed; its receiver is the client
    state = TcpState::syn_ack_ack;
    client_is_b = !sender_is_b;
    flags = conn_flag::midstream;
  } else {
    // Mid-stream: the well-known (lower) port is the server's; equal ports, the sender is
    // taken as the client.
    state = TcpState::established;
    const uint16_t port_a = packet.key.port_a, port_b = packet.key.port_b;
    client_is_b = port_a == port_b ? sender_is_b : port_b > port_a;
    flags = conn_flag::midstream;
  }

  if (_table.full()) [[unlikely]] {
    if (_removals_paused) {
      ++_stats.refused;
      return FlowTable::npos;
    }
    evict_some();
  }
  const uint32_t index = _table.insert(packet.key, packet.flow_hash);
  if (is_gtpu(packet.key)) {
    GtpBearer& bearer = _table.side(index).bearer;
    bearer = GtpBearer{};
    bearer.teid[bearer_way(packet)] = packet.gtp_teid;
  } else if (has_side(packet.key)) {
    _table.side(index).vlans = DeeperVlans::of(_vlan_stacks.find(packet.vlan_stack_id));
  }
  start(index, packet, state, flags, client_is_b);
  return index;
}

uint32_t FlowShard::find_bearer(const PacketRecord& packet) noexcept {
  const FlowTableArrays& table = _table.arrays();
  const unsigned way = bearer_way(packet);
  const uint32_t teid = packet.gtp_teid;
  const uint32_t same = table.find_if(packet.key, packet.flow_hash,
                                      [&](uint32_t i) { return table.sides[i].bearer.teid[way] == teid; });
  if (same != FlowTable::npos) return same;
  // The first packet this way of a bearer seen only the other way (a SYN's answer). When
  // several wait (two subscribers' SYNs, then their answers), the one whose other side's
  // sequence space the packet acknowledges most closely takes it; on a tie, the oldest
  // (records of one key keep their order in the probe chain).
  const unsigned other = packet.from_a ? 1u : 0u;  // the endpoint the packet is sent to
  const bool acks = packet.tcp_flags & tcp_flag::ack;
  uint32_t open = FlowTable::npos;
  uint32_t closest = UINT32_MAX;
  table.find_if(packet.key, packet.flow_hash, [&](uint32_t i) {
    if (table.sides[i].bearer.teid[way] != 0) return false;
    const uint32_t gap = acks ? table.healths[i].next_seq[other] - packet.ack : 0;
    if (open == FlowTable::npos || gap < closest) {
      open = i;
      closest = gap;
    }
    return false;  // look at every one
  });
  if (open != FlowTable::npos) table.sides[open].bearer.teid[way] = teid;
  return open;
}

void FlowShard::start(uint32_t index, const PacketRecord& packet, TcpState state, uint8_t flags,
                      bool client_is_b) noexcept {
  Connection& c = _table.at(index);
  ConnectionCounters& counters = _table.counters(index);
  const decode::FlowKey key = c.key;
  std::memset(static_cast<void*>(&c), 0, sizeof c);
  c.key = key;
  std::memset(static_cast<void*>(&counters), 0, sizeof counters);
  TcpHealth& health = _table.health(index);
  std::memset(static_cast<void*>(&health), 0, sizeof health);
  if (FastRateRings* fast = _table.fast_rates(index)) *fast = FastRateRings{};
  if (AverageRings* averages = _table.averages(index)) *averages = AverageRings{};
  c.state = state;
  c.flags = static_cast<uint8_t>(flags | (client_is_b ? conn_flag::client_is_b : 0));
  c.first_ts_ns = packet.ts_ns;
  ++_stats.connections;

  count(c, counters, _table.fast_rates(index), _table.averages(index), packet);
  // The SYN or SYN+ACK that created the connection made its state; a mid-stream first
  // packet may still carry a FIN or RST.
  if (state == TcpState::established) step_state(c, counters, health, packet);
  note_health(c, health, packet, packet.from_a ^ 1u);
}

bool FlowShard::hidden_past_timer(const Connection& c, uint64_t as_of_ns) const noexcept {
  if (c.state == TcpState::reset && idle_of(c, as_of_ns) > _config.closed_linger_ns) return true;
  return expired(c, as_of_ns);
}

uint64_t FlowShard::handshake_wait_ns(const Connection& c) const noexcept {
  // Kernels back off exponentially between SYNs (and SYN+ACKs) of one attempt, so each
  // wait is about as long as the whole attempt so far plus the first retransmission
  // timeout (Linux: SYNs at 0, 1, 3, 7, 15, 31, 63 s, giving up at 127 s; Windows and
  // macOS give up sooner). The half-open timer is added to the attempt's age: a single
  // SYN waits the timer, a seventh one 63 s more, and no retry finds its record gone.
  const uint64_t age_ns = c.last_ts_ns > c.first_ts_ns ? c.last_ts_ns - c.first_ts_ns : 0;
  const uint64_t timer_ns = _config.half_open_timeout_ns;
  return timer_ns > FlowConfig::never - age_ns ? FlowConfig::never : timer_ns + age_ns;
}

bool FlowShard::expired(const Connection& c, uint64_t now_ns) const noexcept {
  const uint64_t idle_ns = idle_of(c, now_ns);
  // Most records are younger than their state's shortest timer: decided from the Connection line.
  if (idle_ns <= _kept_at_least_ns[unsigned(c.state)]) return false;
  switch (c.state) {
    case TcpState::closed:
      return idle_ns > _config.closed_linger_ns;
    case TcpState::reset:
      // An attempt reset in its handshake may still send its SYN again (the client's own
      // RST to a challenge ACK ends nothing in its kernel): kept, off the screen after -r,
      // for as long as a half-open handshake is, so that SYN finds it.
      if (c.flags & conn_flag::reset_in_handshake)
        return idle_ns > std::max(_config.closed_linger_ns, handshake_wait_ns(c));
      return idle_ns > _config.closed_linger_ns;
    case TcpState::syn_sent:
    case TcpState::syn_ack_ack:
      return idle_ns > handshake_wait_ns(c);
    case TcpState::closing:
      return idle_ns > _config.closing_timeout_ns;
    case TcpState::established:
      if ((c.flags & conn_flag::midstream) && c.one_sided())
        return idle_ns > _config.one_sided_timeout_ns;
      return idle_ns > _config.idle_timeout_ns;
  }
  return false;
}

void FlowShard::advance_clock(uint64_t now_ns) noexcept {
  if (now_ns <= _now_ns) return;
  _now_ns = now_ns;
  if (now_ns >= _second_end_ns) enter_second();
  if (now_ns >= _next_sweep_ns) run_due_sweeps();
}

uint64_t FlowShard::take_changed_from() noexcept {
  // Before the first packet no record exists: every record is then created by a packet
  // that is not plain, and _changes_second_start_ns (still UINT64_MAX) bounds nothing.
  const uint64_t from = std::min(_changes_second_start_ns, _oldest_unplain_ts_ns);
  _changes_second_start_ns = _second_start_ns;
  _oldest_unplain_ts_ns = UINT64_MAX;
  return from;
}

void FlowShard::run_due_sweeps() noexcept {
  if (_removals_paused) return;
  const uint64_t now_ns = _now_ns;
  if (_next_sweep_ns == 0) {  // the clock's first reading
    _next_sweep_ns = now_ns + sweep_step_ns;
    return;
  }
  const uint64_t steps = (now_ns - _next_sweep_ns) / sweep_step_ns + 1;
  _next_sweep_ns += steps * sweep_step_ns;
  const uint32_t slice = (_table.size() + sweep_slices - 1) / sweep_slices;
  sweep(steps >= sweep_slices ? _table.size() : uint32_t(steps) * slice);
}

void FlowShard::sweep_all() noexcept {
  _sweep_cursor = 0;
  sweep(_table.size());
}

void FlowShard::sweep(uint32_t records) noexcept {
  for (uint32_t seen = 0; seen < records && _table.size() != 0; ++seen) {
    if (_sweep_cursor >= _table.size()) _sweep_cursor = 0;
    // Removal moves the last record into the cursor's place: look at it next.
    if (expired(_table.at(_sweep_cursor), _now_ns))
      remove(_sweep_cursor, EndReason::expired);
    else
      ++_sweep_cursor;
  }
}

void FlowShard::evict_some() noexcept {
  const uint32_t size = _table.size();
  _evict_scratch.clear();
  uint32_t of_rank[4] = {};
  auto consider = [&](uint32_t index) {
    const Connection& c = _table.at(index);
    // Highest score goes first: ended, then half-open (SYN floods), then one-sided, then
    // by idle time.
    uint64_t rank = 0;
    if (c.state == TcpState::closed || c.state == TcpState::reset) rank = 3;
    else if (c.state == TcpState::syn_sent || c.state == TcpState::syn_ack_ack) rank = 2;
    else if (c.one_sided()) rank = 1;
    ++of_rank[rank];
    const uint64_t idle_ns = _now_ns > c.last_ts_ns ? _now_ns - c.last_ts_ns : 0;
    const uint64_t idle_bits = std::min<uint64_t>(idle_ns, (uint64_t(1) << 62) - 1);
    _evict_scratch.push_back({(rank << 62) | idle_bits, index});
  };
  const uint32_t tail_start = size - std::min(evict_window, size);
  for (uint32_t index = tail_start; index < size; ++index) consider(index);
  for (uint32_t k = 0; k < std::min(evict_window, tail_start); ++k) {
    if (_evict_cursor >= tail_start) _evict_cursor = 0;
    consider(_evict_cursor++);
  }
  unsigned best_rank = 3;
  while (of_rank[best_rank] == 0) --best_rank;  // the table is full: something was looked at
  const uint32_t looked_at = uint32_t(_evict_scratch.size());
  const uint32_t victims = std::min(of_rank[best_rank], std::max<uint32_t>(1, looked_at / evict_fraction));
  auto by_score = [](const EvictCandidate& x, const EvictCandidate& y) { return x.score > y.score; };
  std::nth_element(_evict_scratch.begin(), _evict_scratch.begin() + (victims - 1),
                   _evict_scratch.end(), by_score);
  _evict_scratch.resize(victims);
  // Remove from the highest index down: each removal moves the last record into the hole,
  // and the last record is then never a victim still waiting.
  std::sort(_evict_scratch.begin(), _evict_scratch.end(),
            [](const EvictCandidate& x, const EvictCandidate& y) { return x.index > y.index; });
  for (const EvictCandidate& victim : _evict_scratch) remove(victim.index, EndReason::evicted);
}

void FlowShard::watch(const ViewWatch& watch) noexcept {
  if (watch.on == _watch.on && watch.first_ts_ns == _watch.first_ts_ns && watch.key == _watch.key) return;
  _watch = watch;
  _watched_end.reset();
}

const ConnView* FlowShard::watched_end(const decode::FlowKey& key, uint64_t first_ts_ns) const noexcept {
  return _watched_end && first_ts_ns == _watch.first_ts_ns && key == _watch.key ? &*_watched_end : nullptr;
}

void FlowShard::report_end(uint32_t index, EndReason reason) noexcept {
  if (_config.report_removed && _sink) _sink(view_of(index, _now_ns, reason));
  const Connection& c = _table.at(index);
  if (_watch.on && c.first_ts_ns == _watch.first_ts_ns && c.key == _watch.key) [[unlikely]]
    _watched_end = view_of(index, _now_ns, reason);
}

void FlowShard::remove(uint32_t index, EndReason reason) noexcept {
  report_end(index, reason);
  const Connection& c = _table.at(index);
  const uint64_t hash = _hasher(c.key);
  // Finished: both ends said so (CLOSED, RESET) or one began to (CLOSING). An idle or
  // half-open connection may still go on; its next packet makes a row again.
  const bool finished = c.state == TcpState::closed || c.state == TcpState::reset || c.state == TcpState::closing;
  if (finished && _config.time_wait_ns != 0) {
    const uint64_t until_ns = _config.time_wait_ns > FlowConfig::never - _now_ns ? FlowConfig::never
                                                                                 : _now_ns + _config.time_wait_ns;
    _finished.remember(c.key, hash, until_ns);
  }
  switch (reason) {
    case EndReason::expired: ++_stats.expired; break;
    case EndReason::evicted: ++_stats.evictions; break;
    case EndReason::reused:
    case EndReason::none: break;
  }
  _table.erase(index, hash, _hasher);
}

ConnView FlowShard::view_of(uint32_t index, uint64_t as_of_ns, EndReason end, SpeedWindow window) const noexcept {
  as_of_ns = answer_time(as_of_ns);
  const Connection& c = _table.at(index);
  const ConnectionCounters& counters = _table.counters(index);
  const unsigned client = c.client_dir();
  const unsigned server = client ^ 1;
  ConnView v{};
  v.client_addr = client == 0 ? c.key.addr_a : c.key.addr_b;
  v.server_addr = client == 0 ? c.key.addr_b : c.key.addr_a;
  v.client_port = client == 0 ? c.key.port_a : c.key.port_b;
  v.server_port = client == 0 ? c.key.port_b : c.key.port_a;
  v.vlan_depth = static_cast<uint8_t>(c.key.vlan_depth());
  for (unsigned i = 0; i < v.vlan_depth; ++i) v.vlan_ids[i] = c.key.vlan_id(i);
  if (v.vlan_depth == decode::FlowKey::max_vlan_depth) {
    const DeeperVlans deeper = _table.side(index).vlans;
    for (unsigned i = 0; i < deeper.count(); ++i) v.vlan_ids[v.vlan_depth++] = deeper.id(i);
  }
  if (c.key.tunnelled()) v.tunnel = _tunnels.find(c.key.tunnel_id(), decode::TunnelKind(c.key.tunnel_kind()));
  if (is_gtpu(c.key)) {  // the tunnel book's TEIDs are its last bearer's: this connection's own
    const GtpBearer& bearer = _table.side(index).bearer;
    v.tunnel.teid = bearer.teid;
    v.tunnel.teid_seen = uint8_t((bearer.teid[0] != 0 ? 1 : 0) | (bearer.teid[1] != 0 ? 2 : 0));
  }
  const bool midstream = c.flags & conn_flag::midstream;
  v.flags = static_cast<uint8_t>((midstream ? view_flag::midstream : 0) |
                                 (midstream && c.one_sided() ? view_flag::one_sided : 0) |
                                 (c.key.is_ipv6() ? view_flag::ipv6 : 0) |
                                 (speed_is_partial(c, as_of_ns, window) ? view_flag::speed_partial : 0));
  v.state = c.state;
  v.end = end;
  v.first_ts_ns = c.first_ts_ns;
  v.last_ts_ns = c.last_ts_ns;
  v.as_of_ns = as_of_ns;
  const unsigned dirs[2] = {client, server};
  for (unsigned i = 0; i < 2; ++i) {
    v.packets[i] = counters.packets(dirs[i]);
    v.wire_bytes[i] = counters.wire_bytes(dirs[i]);
    v.payload_bytes[i] = counters.payload_bytes(dirs[i]);
    v.tcp_flags[i] = counters.tcp_flags(dirs[i]);
    v.speed_bytes_per_s[i] = speed_of(index, dirs[i], as_of_ns, window);
  }
  v.shard = _index;
  const TcpHealth& h = _table.health(index);
  v.handshake_rtt_us = h.handshake_rtt_us;
  for (unsigned i = 0; i < 2; ++i) {
    v.ip_bytes[i] = h.ip_bytes(dirs[i]);
    v.retrans[i] = h.retrans[dirs[i]];
    v.retrans_bytes[i] = h.retrans_bytes[dirs[i]];
    v.out_of_order[i] = h.out_of_order[dirs[i]];
    v.zero_window[i] = h.zero_window[dirs[i]];
    v.rtt_us[i] = rtt_code::decode(c.srtt[dirs[i]]);
  }
  v.rtt_min_us = rtt_code::decode(h.rtt_min);
  v.rtt_samples = h.rtt_samples;
  return v;
}

}  // namespace ringtrack::flow
