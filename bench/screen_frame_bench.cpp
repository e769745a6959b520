// Benchmarks one screen frame with 1M tracked connections on one shard: the shard's
// answer to the screen's query (top rows for a sort, or unsorted, or filtered) and
// drawing the panels from it. At 1 Hz (10 Hz with -f) the frame time is the screen's cost
// per second (per tenth of a second).
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>

#include "flow/flow_shard.hpp"
#include "flow/shard_view.hpp"
#include "frontend/screen/panels.hpp"
#include "frontend/screen/screen.hpp"
#include "runtime/view_source.hpp"

namespace {

using namespace ringtrack;

class NullScreen final : public frontend::Screen {
 public:
  int rows() const override { return 50; }
  int columns() const override { return 190; }
  void clear() override {}
  void put(int, int, std::string_view text, frontend::Style) override { benchmark::DoNotOptimize(text.data()); }
  void refresh() override {}
  int read_key(int) override { return frontend::key::none; }
};

std::array<uint8_t, 16> mapped(uint32_t v) {
  std::array<uint8_t, 16> a{};
  a[10] = a[11] = 0xff;
  a[12] = uint8_t(v >> 24);
  a[13] = uint8_t(v >> 16);
  a[14] = uint8_t(v >> 8);
  a[15] = uint8_t(v);
  return a;
}

// A shard with `connections` established connections, a tenth of them active in the last
// second. Each was picked up mid-stream with a segment each way and the ACK of the second:
// an RTT sample of each side, so records have an end-to-end RTT, spread as a gateway sees
// them (each side log-uniform, 0.2 to 150 ms towards the server, to 50 ms towards the
// client). One in thirty retransmitted its first segment once (and so, by Karn's rule, has
// no sample of the server's side).
struct LoadedShard {
  flow::FlowHasher hasher{3};
  flow::FlowShard shard;
  uint64_t now_ns = 1'700'000'000ull * 1'000'000'000ull;

  explicit LoadedShard(uint32_t connections) : shard(flow::FlowConfig{}, connections, hasher, 0) {
    std::mt19937_64 rng(9);
    const auto log_uniform_ns = [&rng](double from_ms, double to_ms) {
      return uint64_t(1e6 * from_ms * std::pow(to_ms / from_ms, double(rng() % 65536) / 65536.0));
    };
    std::vector<decode::PacketRecord> batch;
    for (uint32_t c = 0; c < connections; ++c) {
      const auto client = client_of(c), server = server_address();
      const uint16_t port = port_of(c);
      const uint64_t to_server_ns = log_uniform_ns(0.2, 150), to_client_ns = log_uniform_ns(0.2, 50);
      const uint64_t last_ns = now_ns - (c % 10 == 0 ? 500'000'000ull : 30'000'000'000ull) + c;
      const bool retransmits = c % 30 == 0;
      const uint64_t first_ns = last_ns - to_server_ns - to_client_ns - (retransmits ? 10'000'000 : 0);
      const uint32_t client_seq = uint32_t(rng()), server_seq = uint32_t(rng());
      const uint32_t client_bytes = uint32_t(rng() % 1448) + 1, server_bytes = uint32_t(rng() % 1448) + 1;
      const auto segment = [&](bool from_client, uint64_t ts_ns, uint32_t payload, uint32_t seq, uint32_t ack) {
        decode::PacketRecord r{};
        r.from_a = from_client ? decode::make_flow_key(r.key, client, port, server, 443, 0)
                               : decode::make_flow_key(r.key, server, 443, client, port, 0);
        r.flow_hash = hasher(r.key);
        r.ts_ns = ts_ns;
        r.tcp_flags = decode::tcp_flag::ack | (payload ? decode::tcp_flag::psh : 0);
        r.seq = seq;
        r.ack = ack;
        r.window = 512;
        r.payload_bytes = payload;
        r.ip_bytes = payload + 52;
        r.wire_bytes = payload + 66;
        batch.push_back(r);
      };
      segment(true, first_ns, client_bytes, client_seq, server_seq);
      if (retransmits) segment(true, first_ns + 10'000'000, client_bytes, client_seq, server_seq);
      const uint64_t answered_ns = last_ns - to_client_ns;
      segment(false, answered_ns, server_bytes, server_seq, client_seq + client_bytes);
      segment(true, last_ns, 0, client_seq + client_bytes, server_seq + server_bytes);
      if (batch.size() >= 256) {
        shard.apply(batch);
        batch.clear();
      }
    }
    shard.apply(batch);
  }

  static std::array<uint8_t, 16> client_of(uint32_t c) { return mapped(0x0a000000u + c / 50000); }
  static std::array<uint8_t, 16> server_address() { return mapped(0xc0000201u); }
  static uint16_t port_of(uint32_t c) { return uint16_t(1024 + c % 50000); }

  /// One second on: a segment from the client of every tenth connection from `first`, the
  /// last at the new now_ns.
  void next_second(uint32_t connections, uint32_t first) {
    now_ns += 1'000'000'000ull;
    std::vector<decode::PacketRecord> batch;
    for (uint32_t c = first % 10; c < connections; c += 10) {
      decode::PacketRecord r{};
      r.from_a = decode::make_flow_key(r.key, client_of(c), port_of(c), server_address(), 443, 0);
      r.flow_hash = hasher(r.key);
      r.ts_ns = now_ns - (connections - c);
      r.tcp_flags = decode::tcp_flag::ack | decode::tcp_flag::psh;
      r.window = 512;
      r.payload_bytes = 100;
      r.ip_bytes = 152;
      r.wire_bytes = 166;
      batch.push_back(r);
      if (batch.size() == 256) {
        shard.apply(batch);
        batch.clear();
      }
    }
    shard.apply(batch);
  }
};

LoadedShard& million() {
  static LoadedShard loaded(1'000'000);
  return loaded;
}

// The screen's query on a 50-row terminal.
flow::ViewQuery screen_query(flow::SortKey sort, const char* filter, uint64_t as_of_ns) {
  flow::ViewQuery query;
  query.sort = sort;
  query.limit = 46;  // rows on a 50-row terminal
  query.as_of_ns = as_of_ns;
  query.hide_one_sided = true;
  query.filter = flow::DisplayFilter::parse(filter);
  return query;
}

// As the shard's owner asks, frame after frame (the order by bytes reads what the last
// frame kept: RowsMemo), or as a first frame (after a key changed the query: no memo).
void run_query(benchmark::State& state, flow::SortKey sort, const char* filter, bool first_frames = false) {
  LoadedShard& loaded = million();
  const flow::ViewQuery query = screen_query(sort, filter, loaded.now_ns);
  std::vector<flow::ConnView> rows;
  flow::ViewTotals totals;
  flow::RowsMemo memo;
  for (auto _ : state) {
    if (first_frames) memo.held = false;
    totals = flow::select_rows(loaded.shard, query, rows, memo);
    benchmark::DoNotOptimize(totals);
  }
  state.counters["tracked"] = double(loaded.shard.table().size());
  state.counters["matching"] = double(totals.matching);
  state.counters["active"] = double(totals.active);
  state.counters["rows"] = double(rows.size());
}

void BM_FrameQueryUnsorted(benchmark::State& state) { run_query(state, flow::SortKey::first_seen, ""); }
void BM_FrameQueryByRate(benchmark::State& state) { run_query(state, flow::SortKey::rate, ""); }
void BM_FrameQueryFilteredByPort(benchmark::State& state) { run_query(state, flow::SortKey::rate, "1500"); }
// Frame after frame, the order by bytes reads the counters of the records with a packet
// since the last frame and of the rows it kept; in this still table, of none but those
// rows and the tenth with a speed (whose counters every order reads). On a wire at one frame
// a second, the records with a packet since the last frame are about those with a speed.
void BM_FrameQueryByBytes(benchmark::State& state) { run_query(state, flow::SortKey::bytes, ""); }
void BM_FrameQueryByBytesFirst(benchmark::State& state) { run_query(state, flow::SortKey::bytes, "", true); }
// The same on a table of its own that moves: before each frame (untimed) a second passes
// and a tenth of the connections, a different tenth each time, send a packet.
void BM_FrameQueryByBytesBusy(benchmark::State& state) {
  constexpr uint32_t connections = 1'000'000;
  static LoadedShard loaded(connections);
  flow::ViewQuery query = screen_query(flow::SortKey::bytes, "", loaded.now_ns);
  std::vector<flow::ConnView> rows;
  flow::ViewTotals totals;
  flow::RowsMemo memo;
  uint32_t second = 0;
  for (auto _ : state) {
    state.PauseTiming();
    loaded.next_second(connections, second++);
    query.as_of_ns = loaded.now_ns;
    state.ResumeTiming();
    totals = flow::select_rows(loaded.shard, query, rows, memo);
    benchmark::DoNotOptimize(totals);
  }
  state.counters["matching"] = double(totals.matching);
  state.counters["active"] = double(totals.active);
}
// The order by RTT and the rtt> term read the smoothed RTTs on the Connection line, the
// order by retransmissions its count up to 30 there (and the health line of a record with more).
void BM_FrameQueryByRtt(benchmark::State& state) { run_query(state, flow::SortKey::rtt, ""); }
void BM_FrameQueryByRetrans(benchmark::State& state) { run_query(state, flow::SortKey::retrans, ""); }
void BM_FrameQueryFilteredByRtt(benchmark::State& state) { run_query(state, flow::SortKey::rate, "rtt>50ms"); }
BENCHMARK(BM_FrameQueryUnsorted)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FrameQueryByRate)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FrameQueryFilteredByPort)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FrameQueryByBytes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FrameQueryByBytesFirst)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FrameQueryByBytesBusy)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FrameQueryByRtt)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FrameQueryByRetrans)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FrameQueryFilteredByRtt)->Unit(benchmark::kMillisecond);

void BM_FrameDraw(benchmark::State& state) {
  LoadedShard& loaded = million();
  flow::ViewQuery query;
  query.sort = flow::SortKey::rate;
  query.limit = 46;
  query.as_of_ns = loaded.now_ns;
  frontend::FrameData frame;
  frame.columns = 190;
  frame.rows = 50;
  frame.view.totals = flow::select_rows(loaded.shard, query, frame.view.rows);
  frontend::ScreenState screen_state;
  NullScreen screen;
  frontend::Panel header, titles, rows, total, footer;
  for (auto _ : state) {
    const frontend::ColumnLayout layout = frontend::layout_columns(190, true, true);
    header.set(frontend::header_runs(frame));
    titles.set(frontend::titles_runs(frame, layout, screen_state.sort));
    rows.set(frontend::connection_runs(frame, layout));
    total.set(frontend::total_runs(frame, layout));
    footer.set(frontend::footer_runs(frame, screen_state, layout));
    for (frontend::Panel* p : {&header, &titles, &rows, &total, &footer}) p->draw(screen, true);
  }
}
BENCHMARK(BM_FrameDraw)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
