// Benchmarks one screen frame with 1M tracked connections on one shard: the shard's
// answer to the screen's query (top rows for a sort, or unsorted, or filtered) and
// drawing the panels from it. At 1 Hz (10 Hz with -f) the frame time is the screen's cost
// per second (per tenth of a second).
#include <benchmark/benchmark.h>

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
  void fill(int, int, int, frontend::Style) override {}
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
// second.
struct LoadedShard {
  flow::FlowHasher hasher{3};
  flow::FlowShard shard;
  uint64_t now_ns = 1'700'000'000ull * 1'000'000'000ull;

  explicit LoadedShard(uint32_t connections) : shard(flow::FlowConfig{}, connections, hasher, 0) {
    std::mt19937_64 rng(9);
    std::vector<decode::PacketRecord> batch;
    for (uint32_t c = 0; c < connections; ++c) {
      for (int side = 0; side < 2; ++side) {  // a packet each way: shown on the screen
        decode::PacketRecord r{};
        const auto client = mapped(0x0a000000u + c / 50000), server = mapped(0xc0000201u);
        const uint16_t port = uint16_t(1024 + c % 50000);
        r.from_a = side == 0 ? decode::make_flow_key(r.key, client, port, server, 443, 0)
                             : decode::make_flow_key(r.key, server, 443, client, port, 0);
        r.flow_hash = hasher(r.key);
        r.ts_ns = now_ns - (c % 10 == 0 ? 500'000'000ull : 30'000'000'000ull) + c + uint64_t(side);
        r.tcp_flags = decode::tcp_flag::ack;
        r.payload_bytes = uint32_t(rng() % 1448);
        r.wire_bytes = r.payload_bytes + 66;
        batch.push_back(r);
      }
      if (batch.size() >= 256) {
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

void run_query(benchmark::State& state, flow::SortKey sort, const char* filter) {
  LoadedShard& loaded = million();
  flow::ViewQuery query;
  query.sort = sort;
  query.limit = 46;  // rows on a 50-row terminal
  query.as_of_ns = loaded.now_ns;
  query.hide_one_sided = true;
  query.filter = flow::DisplayFilter::parse(filter);
  std::vector<flow::ConnView> rows;
  flow::ViewTotals totals;
  for (auto _ : state) {
    totals = flow::select_rows(loaded.shard, query, rows);
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
void BM_FrameQueryByBytes(benchmark::State& state) { run_query(state, flow::SortKey::bytes, ""); }
// The health orders and filter terms read each record's health line too (an array of its own).
void BM_FrameQueryByRtt(benchmark::State& state) { run_query(state, flow::SortKey::rtt, ""); }
void BM_FrameQueryByRetrans(benchmark::State& state) { run_query(state, flow::SortKey::retrans, ""); }
void BM_FrameQueryFilteredByRtt(benchmark::State& state) { run_query(state, flow::SortKey::rate, "rtt>50ms"); }
BENCHMARK(BM_FrameQueryUnsorted)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FrameQueryByRate)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FrameQueryFilteredByPort)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FrameQueryByBytes)->Unit(benchmark::kMillisecond);
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
