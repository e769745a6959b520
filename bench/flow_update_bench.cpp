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

// Packets of `connections` established connections, in random connection order, so every
// lookup is as likely to miss the cache as on a busy gateway.
std::vector<decode::PacketRecord> make_packets(uint32_t connections, std::size_t count,
                                               const flow::FlowHasher& hasher) {
  std::mt19937_64 rng(connections);
  std::vector<decode::PacketRecord> packets(count);
  uint64_t ts = 1'700'000'000ull * 1'000'000'000ull;
  for (decode::PacketRecord& r : packets) {
    const uint32_t c = uint32_t(rng() % connections);
    const bool from_client = rng() & 1;
    const auto client = mapped(0x0a000000u + c / 60000);
    const auto server = mapped(0xc6336401u);
    const uint16_t client_port = uint16_t(1024 + c % 60000);
    r = {};
    r.from_a = from_client ? decode::make_flow_key(r.key, client, client_port, server, 443, 0)
                           : decode::make_flow_key(r.key, server, 443, client, client_port, 0);
    r.flow_hash = hasher(r.key);
    r.ts_ns = (ts += 700);
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
  flow::FlowShard shard(config, connections, hasher, 0);
  // Warm up: every connection exists before timing starts.
  const auto warm = make_packets(connections, std::size_t(connections) * 4, hasher);
  shard.apply(warm);
  const auto packets = make_packets(connections, std::size_t(state.range(1)), hasher);
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
    ->ArgNames({"connections", "packets", "batch"})
    ->Args({1000, 1 << 21, 256})
    ->Args({1000, 1 << 14, 256})
    ->Args({100000, 1 << 21, 256})
    ->Args({1000000, 1 << 21, 256})
    ->Args({1000000, 1 << 21, 1})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
BENCHMARK_MAIN();
