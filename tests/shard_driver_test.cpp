// Tests the shard driver with a fake source (batches and control messages the test makes)
// and a fake sink (the test drains the output link): markers, the two output policies,
// reports streamed in pieces, view answers; and the record router's hand-off rules.
#include "runtime/shard_driver.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "runtime/record_router.hpp"
#include "frame_bytes.hpp"
#include "packet_script.hpp"

namespace ringtrack::testing {
namespace {

using runtime::Marker;
using runtime::OutputPolicy;
using runtime::RecordBatch;
using runtime::ShardOutput;

class DriverTest : public ::testing::Test {
 protected:
  void make(OutputPolicy policy, uint32_t capacity = 8192) {
    channels.shard = std::make_unique<flow::FlowShard>(config, capacity, hasher, 0);
    driver = std::make_unique<runtime::ShardDriver>(channels, aggregator, policy);
  }
  PacketScript conversation(uint16_t client_port) {
    PacketScript s{{ipv4(10, 0, 0, 1), client_port}, {ipv4(10, 0, 1, 1), 80}};
    s.hasher = &hasher;
    return s;
  }
  /// A batch of one SYN per connection, client ports from 10000.
  RecordBatch syns(uint32_t count, uint64_t ts, uint16_t first_port = 10000) {
    RecordBatch batch;
    for (uint32_t i = 0; i < count; ++i) batch.records[batch.count++] = conversation(uint16_t(first_port + i)).packet(true, flags::syn, 0, ts);
    return batch;
  }
  void take_syns(uint32_t count, uint64_t ts) {
    for (uint32_t done = 0; done < count;) {
      const uint32_t n = std::min<uint32_t>(RecordBatch::capacity, count - done);
      driver->take_batch(syns(n, ts, uint16_t(10000 + done)));
      done += n;
    }
  }
  std::vector<ShardOutput> drain() {
    std::vector<ShardOutput> out;
    ShardOutput m;
    while (channels.out->pop_some({&m, 1}) == 1) out.push_back(m);
    return out;
  }
  static RecordBatch marker(Marker m, uint64_t ns) {
    RecordBatch batch;
    batch.marker = m;
    batch.marker_ns = ns;
    return batch;
  }

  flow::FlowConfig config;
  flow::FlowHasher hasher{7};
  runtime::ShardChannels channels;
  runtime::Wake aggregator;
  std::unique_ptr<runtime::ShardDriver> driver;
};

TEST_F(DriverTest, ClockMarkersAgeConnectionsWithoutPackets) {
  make(OutputPolicy::wait);
  driver->take_batch(syns(1, t0));
  EXPECT_TRUE(drain().empty());
  for (uint64_t t = t0; t <= t0 + 32 * sec; t += 100 * ms) driver->take_batch(marker(Marker::clock, t));
  const auto out = drain();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, ShardOutput::Kind::removed);
  EXPECT_EQ(out[0].view.end, flow::EndReason::expired);
  EXPECT_EQ(driver->shard().table().size(), 0u);
}

TEST_F(DriverTest, ReportMarkerSendsEveryConnectionOnceThenItsEnd) {
  make(OutputPolicy::wait);
  RecordBatch batch = syns(3, t0);
  batch.marker = Marker::report;
  batch.marker_ns = t0 + 5 * ms;
  driver->take_batch(batch);  // the marker comes after the batch's packets
  const auto out = drain();
  ASSERT_EQ(out.size(), 4u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(out[i].kind, ShardOutput::Kind::interim);
    EXPECT_EQ(out[i].view.as_of_ns, t0 + 5 * ms);
    EXPECT_EQ(out[i].view.client_port, 10000 + i);
  }
  EXPECT_EQ(out[3].kind, ShardOutput::Kind::report_end);
  EXPECT_EQ(out[3].stats.tracked, 3u);
  EXPECT_FALSE(driver->finished());
  EXPECT_FALSE(driver->reporting());
}

TEST_F(DriverTest, CountersMarkerSendsTheCountersAloneWithoutRows) {
  make(OutputPolicy::wait, 1024);
  driver->take_batch(syns(3, t0));
  driver->take_batch(marker(Marker::counters, t0 + 5 * ms));
  const auto out = drain();
  ASSERT_EQ(out.size(), 1u);  // the metrics' report: no row, however many are tracked
  EXPECT_EQ(out[0].kind, ShardOutput::Kind::report_end);
  EXPECT_TRUE(out[0].counters_only);
  EXPECT_FALSE(out[0].exporters_only);
  EXPECT_EQ(out[0].stats.tracked, 3u);
  EXPECT_EQ(out[0].stats.capacity, 1024u);
  EXPECT_EQ(out[0].stats.tcp_packets, 3u);
  EXPECT_FALSE(driver->reporting());
  // The next report is whole again.
  driver->take_batch(marker(Marker::report, t0 + 6 * ms));
  const auto next = drain();
  ASSERT_EQ(next.size(), 4u);
  EXPECT_FALSE(next[3].counters_only);
}

TEST_F(DriverTest, CountersRequestIsAReportWithoutRows) {
  make(OutputPolicy::never_wait);
  driver->take_batch(syns(2, t0));
  runtime::ControlMessage message;
  message.kind = runtime::ControlMessage::Kind::report;
  message.counters_only = true;
  message.as_of_ns = t0 + 1 * ms;
  ASSERT_TRUE(channels.control->push_one(message));
  EXPECT_EQ(driver->serve_control(), runtime::ShardDriver::Served::report);  // the reader sends its counters
  EXPECT_TRUE(driver->continue_report());
  const auto out = drain();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, ShardOutput::Kind::report_end);
  EXPECT_TRUE(out[0].counters_only);
  EXPECT_EQ(out[0].stats.tracked, 2u);
}

TEST_F(DriverTest, FinishMarkerSendsTheFinalReportAndEndsTheLoop) {
  make(OutputPolicy::wait);
  driver->take_batch(syns(2, t0));
  driver->take_batch(marker(Marker::finish, t0 + 1 * sec));
  const auto out = drain();
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].kind, ShardOutput::Kind::final);
  EXPECT_EQ(out[1].kind, ShardOutput::Kind::final);
  EXPECT_EQ(out[2].kind, ShardOutput::Kind::report_end);
  EXPECT_TRUE(driver->finished());
}

TEST_F(DriverTest, RunTakesInboundBatchesInOrderAndReturnsThem) {
  runtime::BatchPool pool;
  runtime::Wake producer;
  channels.shard = std::make_unique<flow::FlowShard>(config, 64, hasher, 0);
  driver = std::make_unique<runtime::ShardDriver>(channels, aggregator, OutputPolicy::wait,
                                                  std::vector{runtime::InboundBatches{&pool, &producer}});
  std::thread shard_thread([this] { driver->run(); });
  // The fake source: two batches of packets, a report, then finish, from another thread.
  auto send = [&](const RecordBatch& contents) {
    RecordBatch* batch = nullptr;
    while (pool.recycled->pop_some({&batch, 1}) == 0) producer.wait([&] { return !pool.recycled->empty(); });
    *batch = contents;
    pool.filled->push_one(batch);
    channels.wake->notify();
  };
  send(syns(2, t0));
  send(syns(2, t0 + 1 * ms, 20000));
  send(marker(Marker::report, t0 + 2 * ms));
  send(marker(Marker::finish, t0 + 3 * ms));
  shard_thread.join();
  const auto out = drain();
  ASSERT_EQ(out.size(), 10u);  // 4 interim + end, 4 final + end
  EXPECT_EQ(out[4].kind, ShardOutput::Kind::report_end);
  EXPECT_EQ(out[9].kind, ShardOutput::Kind::report_end);
  EXPECT_EQ(out[9].stats.tcp_packets, 4u);
  EXPECT_EQ(pool.recycled->free_slots(), 0u);  // every batch came back
}

TEST_F(DriverTest, NeverWaitCountsLostRemovedRowsWhenTheOutputIsFull) {
  config.closed_linger_ns = 0;
  make(OutputPolicy::never_wait);
  ShardOutput filler{};
  while (channels.out->push_one(filler)) {
  }
  auto s = conversation(40000);
  RecordBatch batch;
  batch.records[batch.count++] = s.packet(true, flags::syn, 0, t0);
  batch.records[batch.count++] = s.packet(false, flags::rst_ack, 0, t0 + 1 * ms);
  driver->take_batch(batch);
  // A refused attempt waits out the half-open timer (its SYN may come again), then goes;
  // the driver does not wait for room.
  driver->take_batch(marker(Marker::clock, t0 + 40 * sec));
  EXPECT_EQ(driver->reports_lost(), 1u);
}

TEST_F(DriverTest, NeverWaitStreamsAReportLargerThanTheOutputInPieces) {
  make(OutputPolicy::never_wait);
  constexpr uint32_t connections = 6000;  // more than the output link holds
  take_syns(connections, t0);
  runtime::ControlMessage request;
  request.kind = runtime::ControlMessage::Kind::report;
  request.as_of_ns = t0 + 1 * sec;
  channels.control->push_one(request);
  ASSERT_EQ(driver->serve_control(), runtime::ShardDriver::Served::report);
  std::vector<ShardOutput> rows;
  int pieces = 0;
  while (!driver->continue_report()) {
    ++pieces;
    for (const ShardOutput& m : drain()) rows.push_back(m);
    // Meanwhile the clock moves past every half-open timer; removals wait until the
    // report is out, so no connection is both reported and removed in the middle of it.
    driver->take_batch(marker(Marker::clock, t0 + 200 * sec));
  }
  for (const ShardOutput& m : drain()) rows.push_back(m);
  EXPECT_GE(pieces, 1);
  ASSERT_GT(rows.size(), connections);
  EXPECT_EQ(rows[connections].kind, ShardOutput::Kind::report_end);
  for (std::size_t i = connections + 1; i < rows.size(); ++i) EXPECT_EQ(rows[i].kind, ShardOutput::Kind::removed);
  std::vector<bool> seen(connections);
  for (uint32_t i = 0; i < connections; ++i) {
    ASSERT_EQ(rows[i].kind, ShardOutput::Kind::interim);
    const uint32_t n = rows[i].view.client_port - 10000u;
    ASSERT_LT(n, connections);
    EXPECT_FALSE(seen[n]);
    seen[n] = true;
  }
}

TEST_F(DriverTest, WaitPolicyWaitsForTheSinkToMakeRoom) {
  make(OutputPolicy::wait, 16384);
  constexpr uint32_t connections = 10000;
  take_syns(connections, t0);
  std::vector<ShardOutput> rows;
  std::atomic<bool> done{false};
  std::thread sink([&] {  // the fake aggregator: drains, tells the driver it made room
    ShardOutput m;
    while (!done.load() || !channels.out->empty()) {
      if (channels.out->pop_some({&m, 1}) == 1) {
        rows.push_back(m);
        channels.wake->notify();
      } else {
        aggregator.wait([&] { return !channels.out->empty() || done.load(); }, 10);
      }
    }
  });
  driver->take_batch(marker(Marker::finish, t0 + 1 * sec));
  done.store(true);
  aggregator.notify();
  sink.join();
  ASSERT_EQ(rows.size(), connections + 1);
  EXPECT_EQ(rows.back().kind, ShardOutput::Kind::report_end);
  EXPECT_EQ(rows.back().stats.tracked, connections);
}

TEST_F(DriverTest, ViewQueryNeverWaitingSendsOnlyTotalsWhenRowsDoNotFit) {
  make(OutputPolicy::never_wait);
  take_syns(10, t0);
  ShardOutput filler{};
  while (channels.out->free_slots() > 5) channels.out->push_one(filler);
  flow::ViewQuery query;
  query.limit = 10;
  runtime::ControlMessage ask;
  ask.kind = runtime::ControlMessage::Kind::view;
  ask.query = &query;
  ask.query_id = 9;
  ask.as_of_ns = t0;
  channels.control->push_one(ask);
  EXPECT_EQ(driver->serve_control(), runtime::ShardDriver::Served::view);
  auto out = drain();
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.back().kind, ShardOutput::Kind::view_end);
  EXPECT_EQ(out.back().totals.matching, 10u);
  for (const ShardOutput& m : out) EXPECT_NE(m.kind, ShardOutput::Kind::view_row);
  // With room, the rows come too.
  channels.control->push_one(ask);
  driver->serve_control();
  out = drain();
  ASSERT_EQ(out.size(), 11u);
  EXPECT_EQ(out[0].kind, ShardOutput::Kind::view_row);
}

// The driver answers the order by bytes from its last answer's rows (flow::RowsMemo):
// questions of other kinds between two of them (another order, a paused screen's listed
// connections) must not make it miss what packets changed meanwhile, in order or late.
TEST_F(DriverTest, OrderByBytesFollowsPacketsAcrossOtherQuestions) {
  make(OutputPolicy::never_wait);
  std::vector<PacketScript> scripts;
  RecordBatch batch;
  for (uint16_t i = 0; i < 40; ++i) {
    scripts.push_back(conversation(uint16_t(20000 + i)));
    batch.records[batch.count++] = scripts.back().packet(true, flags::syn, 0, t0 + i);
    batch.records[batch.count++] = scripts.back().packet(false, flags::syn_ack, 0, t0 + 1 * ms + i);
    batch.records[batch.count++] = scripts.back().packet(true, flags::psh_ack, 100, t0 + 2 * ms + i, 100 + i);
  }
  driver->take_batch(batch);
  flow::ViewQuery by_bytes, by_rate, listed;
  by_bytes.sort = flow::SortKey::bytes;
  by_rate.sort = flow::SortKey::rate;
  by_bytes.limit = by_rate.limit = 3;
  listed.keys.push_back(batch.records[0].key);
  const auto ask = [&](const flow::ViewQuery& query, uint64_t as_of) {
    runtime::ControlMessage message;
    message.kind = runtime::ControlMessage::Kind::view;
    message.query = &query;
    message.as_of_ns = as_of;
    channels.control->push_one(message);
    EXPECT_EQ(driver->serve_control(), runtime::ShardDriver::Served::view);
    std::vector<uint16_t> ports;
    for (const ShardOutput& m : drain())
      if (m.kind == ShardOutput::Kind::view_row) ports.push_back(m.view.client_port);
    return ports;
  };
  const auto send = [&](unsigned i, uint64_t ts, uint32_t wire) {
    RecordBatch one;
    one.records[one.count++] = scripts[i].packet(true, flags::psh_ack, 100, ts, wire);
    driver->take_batch(one);
  };
  EXPECT_EQ(ask(by_bytes, t0 + 1 * sec), (std::vector<uint16_t>{20039, 20038, 20037}));
  send(5, t0 + 1500 * ms, 5000);  // a new second: not plain
  send(6, t0 + 1550 * ms, 60);
  ask(by_rate, t0 + 2 * sec);
  ask(listed, t0 + 2 * sec);
  EXPECT_EQ(ask(by_bytes, t0 + 2 * sec), (std::vector<uint16_t>{20005, 20006, 20039}));
  send(6, t0 + 1600 * ms, 6000);  // in order, in the second of its last packet and the clock's: plain
  ask(by_rate, t0 + 2 * sec);
  EXPECT_EQ(ask(by_bytes, t0 + 2 * sec), (std::vector<uint16_t>{20006, 20005, 20039}));
  send(7, t0 + 500 * ms, 7000);   // older than its connection's last packet
  ask(listed, t0 + 2 * sec);
  EXPECT_EQ(ask(by_bytes, t0 + 2 * sec), (std::vector<uint16_t>{20007, 20006, 20005}));
}

TEST(RecordRouter, DropPolicyCountsRecordsForAPoolWithNoFreeBatch) {
  flow::FlowHasher hasher{3};
  runtime::BatchPool pool;
  runtime::Wake own, consumer;
  runtime::RecordRouter router(decode::LinkType::ethernet, hasher, {runtime::Destination{nullptr, &pool, &consumer}},
                               0, runtime::Routing::home, runtime::WhenNoBatch::drop, own);
  // An Ethernet/IPv4/TCP SYN, built by the test support library.
  const Bytes frame = ethernet(0x0800) + ipv4({10, 0, 0, 1}, {10, 0, 0, 2}, tcp({}));
  const decode::FrameView view{frame.data(), uint32_t(frame.size()), uint32_t(frame.size()), t0};
  // Nobody takes the batches: 16 of 256 records fit, the rest are counted as dropped.
  const uint32_t sent = runtime::batches_per_pool * RecordBatch::capacity + 1000;
  for (uint32_t i = 0; i < sent; ++i) router.take(view);
  router.flush_all();
  EXPECT_EQ(router.decode_counters().of(decode::DecodeOutcome::tcp), sent);
  EXPECT_EQ(router.handoff_drops(), sent - runtime::batches_per_pool * RecordBatch::capacity);
  EXPECT_EQ(pool.filled->free_slots(), 0u);
}

}  // namespace
}  // namespace ringtrack::testing
