// libFuzzer target: a whole capture file in memory through libpcap, the decoder and a
// small flow shard (so state transitions, reuse, timers and eviction see arbitrary packet
// sequences), then every tracked connection read out as a view.
#include <cstdint>
#include <cstdio>
#include <vector>

#include "capture/pcap_file_reader.hpp"
#include "os/setup_error.hpp"
#include "flow/flow_shard.hpp"
#include "flow/shard_view.hpp"

using namespace ringtrack;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  try {
    capture::PcapFileReader reader({data, size}, "fuzz input");
    const flow::FlowHasher hasher(1);
    flow::FlowConfig config;
    config.idle_timeout_ns = 10'000'000'000ull;
    flow::FlowShard shard(config, 16, hasher, 0);  // small: eviction happens
    std::vector<flow::ConnView> removed;
    auto sink = [&removed](const flow::ConnView& v) { removed.push_back(v); };
    shard.set_removal_sink(flow::RemovalSink(sink));
    decode::PacketRecord record{};
    auto on_frame = [&](const decode::FrameView& frame) noexcept {
      if (decode::decode_frame(reader.link_type(), frame, record) == decode::DecodeOutcome::tcp) {
        record.flow_hash = hasher(record.key);
        shard.apply({&record, 1});
      }
      return true;
    };
    while (reader.read_some(64, on_frame) == capture::ReadResult::frame) {
    }
    flow::ViewQuery query;
    query.sort = flow::SortKey::rate;
    query.limit = 8;
    query.as_of_ns = shard.now_ns();
    std::vector<flow::ConnView> rows;
    const flow::ViewTotals totals = flow::select_rows(shard, query, rows);
    if (rows.size() > totals.matching || shard.table().size() > 16) std::abort();
  } catch (const SetupError&) {
    // Not a capture libpcap accepts: the program would print one line and exit.
  }
  return 0;
}
