// Benchmarks a shard applying packets (lookup, counters, rates, state) with 1k, 100k and
// 1M concurrent connections, one core, records already decoded and hashed.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "flow/flow_shard.hpp"

namespace {

using namespace ringtrack;

std::array<uint8_t, 16> mapped(uint32_t ipv4) {
  std::array<uint8_t, 16> a{};
  a[10] = a[11] = 0xff;
  a[12] = uint8_t(ipv4 >> 24);
  a[13] = uint8_t(ipv4 >> 16);
  a[14] = uint8_t(ipv4 >> 8);
  a[15] = uint8_t(ipv4);
  return a;
}

// Connection c: client 10.x.y.z:port to 198.51.100.1:443. Returns make_flow_key's from_a.
bool make_key(decode::FlowKey& key, uint32_t c, bool from_client) {
  const auto client = mapped(0x0a000000u + c / 60000);
  const auto server = mapped(0xc6336401u);
  const uint16_t client_port = uint16_t(1024 + c % 60000);
  return from_client ? decode::make_flow_key(key, client, client_port, server, 443, 0)
                     : decode::make_flow_key(key, server, 443, client, client_port, 0);
}

// Packets of `connections` established connections, in random connection order, so every
// lookup is as likely to miss the cache as on a busy gateway; step_ns apart.
std::vector<decode::PacketRecord> make_packets(uint32_t connections, std::size_t count,
                                               const flow::FlowHasher& hasher, uint64_t step_ns = 700,
                                               uint64_t first_ns = 1'700'000'000ull * 1'000'000'000ull) {
  std::mt19937_64 rng(connections);
  std::vector<decode::PacketRecord> packets(count);
  uint64_t ts = first_ns - step_ns;
  for (decode::PacketRecord& r : packets) {
    const uint32_t c = uint32_t(rng() % connections);
    r = {};
    r.from_a = make_key(r.key, c, rng() & 1);
    r.flow_hash = hasher(r.key);
    r.ts_ns = (ts += step_ns);
    r.seq = uint32_t(rng());
    r.ack = uint32_t(rng());
    r.tcp_flags = decode::tcp_flag::ack | decode::tcp_flag::psh;
    r.payload_bytes = uint32_t(rng() % 1448);
    r.wire_bytes = r.payload_bytes + 66;
  }
  return packets;
}

void BM_FlowUpdate(benchmark::State& state) {
  const uint32_t connections = uint32_t(state.range(0));
  const flow::FlowHasher hasher(0x5eed);
  flow::FlowConfig config;
  config.report_removed = false;
  config.averages = state.range(3) != 0;
  // The screen's 10 s and 40 s averages fold a connection's last second in on its first
  // packet of a later second: with step_ns 10 µs, 2M packets span 20 s, so at 1M
  // connections nearly every packet folds (the worst case); at 1k, one in a hundred.
  const uint64_t step_ns = uint64_t(state.range(4));
  flow::FlowShard shard(config, connections, hasher, 0);
  // Warm up: every connection exists before timing starts.
  const auto warm = make_packets(connections, std::size_t(connections) * 4, hasher);
  shard.apply(warm);
  const auto packets = make_packets(connections, std::size_t(state.range(1)), hasher, step_ns, warm.back().ts_ns + step_ns);
  // 256 as the readers batch; 1 leaves the software pipeline nothing to look ahead to,
  // which shows what its prefetching is worth.
  const std::size_t batch = std::size_t(state.range(2));
  std::size_t at = 0;
  for (auto _ : state) {
    shard.apply(std::span(packets.data() + at, batch));
    at = (at + batch) % packets.size();
  }
  state.SetItemsProcessed(int64_t(state.iterations() * batch));
  state.counters["ns_per_packet"] = benchmark::Counter(
      double(state.iterations() * batch), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["tracked"] = double(shard.table().size());
}
BENCHMARK(BM_FlowUpdate)
    ->ArgNames({"connections", "packets", "batch", "averages", "step_ns"})
    ->Args({1000, 1 << 21, 256, 0, 700})
    ->Args({1000, 1 << 14, 256, 0, 700})
    ->Args({100000, 1 << 21, 256, 0, 700})
    ->Args({1000000, 1 << 21, 256, 0, 700})
    ->Args({1000000, 1 << 21, 1, 0, 700})
    ->Unit(benchmark::kMicrosecond);
// The averages' cost, without and with them side by side: one pass over the packets, so
// that time never runs backwards as it does where BM_FlowUpdate wraps around.
BENCHMARK(BM_FlowUpdate)
    ->Name("BM_FlowUpdateAverages")
    ->ArgNames({"connections", "packets", "batch", "averages", "step_ns"})
    ->Args({1000, 1 << 21, 256, 0, 10000})
    ->Args({1000, 1 << 21, 256, 1, 10000})
    ->Args({1000000, 1 << 21, 256, 0, 10000})
    ->Args({1000000, 1 << 21, 256, 1, 10000})
    ->Iterations((1 << 21) / 256)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kMicrosecond);

// The floor under BM_FlowUpdate at 1M connections: the same table and the same pipeline as
// FlowShard::apply (slot of packet i + 16 prefetched, packet i + 8 looked up and its record
// prefetched), but a packet only adds 1 to one word in its Connection line and one in its
// counters line (all three of the record's lines are fetched ahead, as apply fetches them;
// the health line is not written). It times what a packet's random cache lines cost on this
// machine when there is nothing else to do.
// The other layouts, for comparison: index: 0 skips the index and takes the record at the
// hash's position (as a table of records without an index would); lines: 1 touches only
// the record's first line (as a one-line record would).
void BM_TableLinesAlone(benchmark::State& state) {
  const uint32_t connections = uint32_t(state.range(0));
  const bool with_index = state.range(1) != 0;
  const bool two_lines = state.range(2) == 2;
  const flow::FlowHasher hasher(0x5eed);
  flow::FlowTable table(connections, false);
  for (uint32_t c = 0; c < connections; ++c) {
    decode::FlowKey key;
    make_key(key, c, true);
    table.insert(key, hasher(key));
  }
  const auto packets = make_packets(connections, std::size_t(1) << 21, hasher);
  const flow::FlowTableArrays arrays = table.arrays();
  constexpr std::size_t batch = 256, lookahead = 8;
  uint32_t found[batch];
  std::size_t at = 0;
  for (auto _ : state) {
    const decode::PacketRecord* p = packets.data() + at;
    auto look_up = [&](std::size_t k) {
      const uint64_t hash = p[k].flow_hash;
      found[k] = with_index ? arrays.candidate(hash) : uint32_t(((hash >> 32) * connections) >> 32);
      if (two_lines) arrays.prefetch_record(found[k]);
      else __builtin_prefetch(&arrays.at(found[k]));
    };
    if (with_index)
      for (std::size_t i = 0; i < 2 * lookahead; ++i) arrays.prefetch_slot(p[i].flow_hash);
    for (std::size_t i = 0; i < lookahead; ++i) look_up(i);
    for (std::size_t i = 0; i < batch; ++i) {
      if (with_index && i + 2 * lookahead < batch) arrays.prefetch_slot(p[i + 2 * lookahead].flow_hash);
      if (i + lookahead < batch) look_up(i + lookahead);
      flow::Connection& c = arrays.at(found[i]);
      ++c.first_ts_ns;                  // first line
      if (two_lines) ++arrays.counters_of(found[i]).payload_and_flags[0];  // a counters line
    }
    at = (at + batch) % (packets.size() - batch);
  }
  state.counters["ns_per_packet"] = benchmark::Counter(double(state.iterations() * batch),
                                                       benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_TableLinesAlone)
    ->ArgNames({"connections", "index", "lines"})
    ->Args({1000, 1, 2})
    ->Args({1000000, 1, 2})
    ->Args({1000000, 1, 1})
    ->Args({1000000, 0, 2})
    ->Args({1000000, 0, 1})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
BENCHMARK_MAIN();
