// Benchmarks the frame decoder alone (plain, malformed and tunnelled frames), and decode + hash + flow update at 1k, 100k and 1M
// concurrent connections, one core: frames laid out one after another as a ring block
// holds them, in random connection order.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <optional>
#include <random>
#include <vector>

#include "decode/frame_decoder.hpp"
#include "flow/flow_shard.hpp"
#include "frame_bytes.hpp"

namespace {

using namespace ringtrack;
using testing::Bytes;
using testing::operator+;

// Ethernet + IPv4 + TCP with timestamp options, as most gateway traffic looks; one frame
// per packet, packets of `connections` connections in random order, both directions.
struct FrameSet {
  std::vector<uint8_t> bytes;
  std::vector<decode::FrameView> frames;
  std::vector<std::size_t> offsets;
  uint64_t ts = 1'700'000'000ull * 1'000'000'000ull;

  /// Appends the first `captured` bytes of frame, 16-aligned as ring frames are.
  void add(const Bytes& frame, uint32_t captured, uint32_t wire_bytes) {
    offsets.push_back(bytes.size());
    bytes.insert(bytes.end(), frame.begin(), frame.begin() + captured);
    bytes.resize((bytes.size() + 15) & ~std::size_t(15), 0);
    decode::FrameView view{};
    view.captured_bytes = captured;
    view.wire_bytes = wire_bytes;
    view.ts_ns = (ts += 700);
    view.stripped_vlan_id = -1;
    frames.push_back(view);
  }
  /// Points the views at their bytes, once all are added (the vector no longer moves).
  FrameSet&& sealed() && {
    for (std::size_t i = 0; i < frames.size(); ++i) frames[i].data = bytes.data() + offsets[i];
    return std::move(*this);
  }
};

// every_connection_first: the first `connections` frames visit each connection once, in
// order (to create them all), the rest are random.
// Each direction's sequence numbers advance by its payload and acknowledge the other's, and
// every segment carries timestamps in Linux's layout (a TSval that moves every 64 frames,
// echoing the other side's), as a gateway sees Linux traffic.
FrameSet make_frames(uint32_t connections, std::size_t count, bool every_connection_first = false) {
  std::mt19937_64 rng(connections * 7 + count);
  FrameSet set;
  std::vector<uint32_t> next_seq(std::size_t(connections) * 2);
  std::vector<uint32_t> last_tsval(std::size_t(connections) * 2);
  for (uint32_t& seq : next_seq) seq = uint32_t(rng());
  for (std::size_t i = 0; i < count; ++i) {
    const uint32_t c = every_connection_first && i < connections ? uint32_t(i) : uint32_t(rng() % connections);
    const bool from_client = rng() & 1;
    const uint8_t client[4] = {10, uint8_t(c >> 16), uint8_t(c >> 8), uint8_t(c)};
    const uint16_t client_port = uint16_t(1024 + (c * 2654435761u) % 60000);
    const uint32_t payload = rng() % 3 == 0 ? 0 : uint32_t(rng() % 1448);
    testing::TcpSpec t{};
    t.src_port = from_client ? client_port : 443;
    t.dst_port = from_client ? 443 : client_port;
    const std::size_t me = std::size_t(c) * 2 + (from_client ? 0 : 1);
    const std::size_t other = me ^ 1;
    t.seq = next_seq[me];
    t.ack = next_seq[other];
    next_seq[me] += payload;
    t.flags = 0x18;
    t.header_words = 8;
    t.payload = 0;  // the ring holds headers only (snap length); lengths say the rest
    last_tsval[me] = uint32_t(1000 + i / 64);
    // The IPv4 total length counts the payload the capture leaves out.
    const int total = int(20 + 32 + payload);
    Bytes segment = testing::tcp(t);
    const uint8_t timestamps[4] = {1, 1, 8, 10};
    std::copy(timestamps, timestamps + 4, segment.begin() + 20);
    for (unsigned b = 0; b < 4; ++b) {
      segment[24 + b] = uint8_t(last_tsval[me] >> (24 - 8 * b));
      segment[28 + b] = uint8_t(last_tsval[other] >> (24 - 8 * b));
    }
    const Bytes ip =
        from_client
            ? testing::ipv4({client[0], client[1], client[2], client[3]}, {198, 51, 100, 1}, segment, 6, 0,
                            0x4000, total)
            : testing::ipv4({198, 51, 100, 1}, {client[0], client[1], client[2], client[3]}, segment, 6, 0,
                            0x4000, total);
    const Bytes frame = testing::ethernet(0x0800) + ip;
    set.add(frame, uint32_t(frame.size()), uint32_t(14 + 20 + 32 + payload));
  }
  return std::move(set).sealed();
}

void BM_Decode(benchmark::State& state) {
  const FrameSet set = make_frames(1000, 1 << 16);
  decode::PacketRecord record;
  std::size_t at = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(decode::decode_frame(decode::LinkType::ethernet, set.frames[at], record));
    benchmark::DoNotOptimize(record);
    at = (at + 1) & ((1 << 16) - 1);
  }
  state.counters["ns_per_packet"] =
      benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_Decode);

// Hostile frames as a flood would send them, one kind after another in random order:
// captures cut at random lengths, IPv4 header lengths below 5 or past the frame, TCP data
// offsets below 5 or past the segment, option bytes of every bogus kind, VLAN stacks 9 to
// 26 tags deep (the decoder takes eight), IPv6 extension chains that run off the end, random bytes behind an IP
// EtherType. Nearly all are undecodable (a random cut can still leave a whole header).
// only_kind: 0..6 makes every frame that kind; -1 mixes them.
FrameSet make_malformed_frames(std::size_t count, int only_kind = -1) {
  std::mt19937_64 rng(count);
  FrameSet set;
  for (std::size_t i = 0; i < count; ++i) {
    testing::TcpSpec t{};
    t.flags = 0x18;
    t.header_words = 8;
    Bytes frame;
    uint32_t captured = 0;
    const uint64_t pick = rng() % 7;
    switch (only_kind >= 0 ? uint64_t(only_kind) : pick) {
      case 0: {  // a valid frame cut anywhere
        frame = testing::ethernet(0x0800) + testing::ipv4({10, 1, 2, 3}, {10, 4, 5, 6}, testing::tcp(t));
        captured = uint32_t(rng() % frame.size());
        break;
      }
      case 1: {  // IHL 0..4 or 15
        frame = testing::ethernet(0x0800) + testing::ipv4({10, 1, 2, 3}, {10, 4, 5, 6}, testing::tcp(t));
        const uint8_t ihl = rng() % 2 ? uint8_t(rng() % 5) : 15;
        frame[14] = uint8_t(0x40 | ihl);
        break;
      }
      case 2: {  // data offset 0..4 or past the segment, options all bogus kinds
        t.header_words = rng() % 2 ? uint8_t(rng() % 5) : 15;
        Bytes segment = testing::tcp(t);
        segment.resize(20 + rng() % 20);
        for (std::size_t b = 20; b < segment.size(); ++b) segment[b] = uint8_t(rng());
        frame = testing::ethernet(0x0800) + testing::ipv4({10, 1, 2, 3}, {10, 4, 5, 6}, segment);
        break;
      }
      case 3: {  // 9..26 tags, then IPv4
        std::vector<frames::VlanTag> tags(9 + rng() % 18);
        for (std::size_t k = 0; k < tags.size(); ++k) {
          tags[k] = testing::vlan_tag(k == 0 ? frames::tpid_8021ad : frames::tpid_8021q, uint16_t(rng() & 0x0fff));
        }
        frame = testing::ethernet(0x0800, tags) + testing::ipv4({10, 1, 2, 3}, {10, 4, 5, 6}, testing::tcp(t));
        break;
      }
      case 4: {  // extension headers claiming more than the frame has
        Bytes chain;
        const uint32_t depth = 1 + uint32_t(rng() % 8);
        for (uint32_t k = 0; k < depth; ++k) chain = chain + testing::ipv6_extension(k + 1 == depth ? 60 : 0, 0);
        chain = chain + testing::ipv6_extension(6, uint8_t(200 + rng() % 56));
        // The last header claims 1,608 to 2,048 bytes: end it about 1,000 short.
        const std::size_t short_by = 1000 - rng() % 16;
        chain.resize(chain.size() > short_by ? chain.size() - short_by : 0);
        frame = testing::ethernet(0x86dd) + testing::ipv6(1, 2, 0, chain);
        break;
      }
      case 5: {  // IP says TCP, carries 1..19 bytes
        Bytes stub(1 + rng() % 19, 0x55);
        frame = testing::ethernet(0x0800) + testing::ipv4({10, 1, 2, 3}, {10, 4, 5, 6}, stub);
        break;
      }
      default: {  // random bytes behind the IPv4 EtherType, version neither 4 nor 6
        frame = testing::ethernet(0x0800);
        const std::size_t n = 1 + rng() % 120;
        for (std::size_t b = 0; b < n; ++b) frame.push_back(uint8_t(rng()));
        frame[14] = uint8_t((frame[14] & 0x0f) | 0x70);
        break;
      }
    }
    // A 160-byte snap length, as the rings use for headers: long chains end in the capture.
    if (captured == 0) captured = uint32_t(std::min<std::size_t>(frame.size(), 160));
    set.add(frame, captured, uint32_t(frame.size()));
  }
  return std::move(set).sealed();
}

// The malformed frames against the same loop as BM_Decode: a flood of them must cost no
// more per frame than valid traffic.
// Decodes a set of 65536 Ethernet frames round and round: ns a frame, and the share that
// came out as TCP.
void decode_frame_set(benchmark::State& state, const FrameSet& set) {
  decode::PacketRecord record;
  std::size_t at = 0;
  uint64_t tcp = 0;
  for (auto _ : state) {
    tcp += decode::decode_frame(decode::LinkType::ethernet, set.frames[at], record) == decode::DecodeOutcome::tcp;
    benchmark::DoNotOptimize(record);
    at = (at + 1) & ((1 << 16) - 1);
  }
  state.counters["ns_per_packet"] =
      benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["decoded_share"] = double(tcp) / double(state.iterations());
}

void BM_DecodeMalformed(benchmark::State& state) {
  decode_frame_set(state, make_malformed_frames(1 << 16, int(state.range(0))));
}
BENCHMARK(BM_DecodeMalformed)->DenseRange(-1, 6);

// The same traffic inside a tunnel, as a carrier's core sees it: kind 0 VXLAN (outer
// IPv4/UDP 4789, VNI per 64 connections, inner Ethernet), kind 1 GTP-U (outer IPv4/UDP 2152
// between 16 gateway pairs, TEID per connection and direction, inner IPv4). The general
// path's cost per tunnelled frame, next to BM_Decode's plain frames.
FrameSet make_tunnelled_frames(std::size_t count, int kind) {
  std::mt19937_64 rng(count + uint64_t(kind));
  FrameSet set;
  for (std::size_t i = 0; i < count; ++i) {
    const uint32_t c = uint32_t(rng() % 1000);
    const bool from_client = rng() & 1;
    const uint8_t client[4] = {10, 0, uint8_t(c >> 8), uint8_t(c)};
    const uint16_t client_port = uint16_t(1024 + (c * 2654435761u) % 60000);
    testing::TcpSpec t{};
    t.src_port = from_client ? client_port : 443;
    t.dst_port = from_client ? 443 : client_port;
    t.seq = uint32_t(rng());
    t.flags = 0x18;
    t.header_words = 8;
    const uint32_t payload = rng() % 3 == 0 ? 0 : uint32_t(rng() % 1400);
    const int total = int(20 + 32 + payload);
    const Bytes inner =
        from_client ? testing::ipv4({client[0], client[1], client[2], client[3]}, {198, 51, 100, 1}, testing::tcp(t), 6,
                                    0, 0x4000, total)
                    : testing::ipv4({198, 51, 100, 1}, {client[0], client[1], client[2], client[3]}, testing::tcp(t), 6,
                                    0, 0x4000, total);
    const uint8_t gateway = uint8_t(c % 16);
    Bytes tunnel;
    uint32_t tunnel_bytes = 0;  // the headers between the outer IP header and the inner packet
    if (kind == 0) {
      tunnel = testing::vxlan(c / 64) + testing::ethernet(0x0800) + inner;
      tunnel_bytes = 8 + 14;
    } else {
      tunnel = testing::gtpu({.teid = c * 2 + (from_client ? 0u : 1u), .inner_bytes = uint16_t(total)}) + inner;
      tunnel_bytes = 8;
    }
    const int udp_bytes = int(8 + tunnel_bytes + uint32_t(total));
    const Bytes datagram = testing::udp(kind == 0 ? uint16_t(49152 + c % 4096) : 2152, kind == 0 ? 4789 : 2152, tunnel,
                                        udp_bytes);
    const Bytes outer = from_client ? testing::ipv4({172, 16, 0, gateway}, {172, 16, 1, gateway}, datagram, 17, 0,
                                                    0x4000, 20 + udp_bytes)
                                    : testing::ipv4({172, 16, 1, gateway}, {172, 16, 0, gateway}, datagram, 17, 0,
                                                    0x4000, 20 + udp_bytes);
    const Bytes frame = testing::ethernet(0x0800) + outer;
    set.add(frame, uint32_t(frame.size()), uint32_t(14 + 20 + udp_bytes));
  }
  return std::move(set).sealed();
}

void BM_DecodeTunnelled(benchmark::State& state) {
  decode_frame_set(state, make_tunnelled_frames(1 << 16, int(state.range(0))));
}
BENCHMARK(BM_DecodeTunnelled)->Arg(0)->Arg(1);

// What a live reader does per packet: decode, hash, gather 256 records, apply them.
// The frames are the same size at every table size (2M frames, ~190 MiB, read from memory
// as a ring's blocks are), so only the table's size changes between the runs.
// Every timed packet is new to the shard, in capture time and in its sender's sequence
// space, as on a wire: once the frames run out, the shard starts over (untimed) rather than
// see them again, which it would take for a replay (old packets, every one retransmitted).
void BM_DecodeAndUpdate(benchmark::State& state) {
  const uint32_t connections = uint32_t(state.range(0));
  const flow::FlowHasher hasher(0x5eed);
  flow::FlowConfig config;
  config.report_removed = false;
  std::optional<flow::FlowShard> shard;
  const FrameSet set = make_frames(connections, std::size_t(connections) + (1u << 21), true);
  constexpr std::size_t batch = 256;  // as the live reader batches
  std::vector<decode::PacketRecord> records(batch);
  auto run = [&](std::size_t first) {
    std::size_t n = 0;
    for (std::size_t i = first; i < first + batch; ++i) {
      decode::PacketRecord& r = records[n];
      if (decode::decode_frame(decode::LinkType::ethernet, set.frames[i], r) != decode::DecodeOutcome::tcp) continue;
      r.flow_hash = hasher(r.key);
      ++n;
    }
    shard->apply(std::span(records.data(), n));
  };
  const std::size_t rounds = set.frames.size() / batch;
  const std::size_t first_random = (connections + batch - 1) / batch;
  auto start_over = [&] {
    shard.emplace(config, connections + connections / 8, hasher, 0);
    for (std::size_t k = 0; k < first_random; ++k) run(k * batch);  // every connection exists first
  };
  start_over();
  std::size_t at = first_random;
  std::size_t passes = 1;
  for (auto _ : state) {
    run(at * batch);
    if (++at == rounds) [[unlikely]] {
      state.PauseTiming();
      start_over();
      state.ResumeTiming();
      at = first_random;
      ++passes;
    }
  }
  state.counters["ns_per_packet"] = benchmark::Counter(double(state.iterations() * batch),
                                                       benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["tracked"] = double(shard->table().size());
  state.counters["passes"] = double(passes);
}
BENCHMARK(BM_DecodeAndUpdate)->Arg(1000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
