// Owns: what a capture-file run keeps per shard (the shard, its batch pool, output link,
// wake-up bell, control queue) and the bells all its threads share; and starting and
// stopping the shard threads.
// Does not own: reading the file (file_reader_loop) or the shard loop (shard_worker).
#pragma once

#include <memory>
#include <thread>
#include <vector>

#include "flow/flow_config.hpp"
#include "flow/flow_hash.hpp"
#include "flow/flow_shard.hpp"
#include "runtime/control_message.hpp"
#include "runtime/doorbell.hpp"
#include "runtime/record_batch.hpp"
#include "runtime/shard_links.hpp"

namespace ringtrack::runtime {

struct FileShard {
  std::unique_ptr<flow::FlowShard> shard;
  std::unique_ptr<BatchPool> batches = std::make_unique<BatchPool>();
  std::unique_ptr<OutputLink> out = std::make_unique<OutputLink>();
  std::unique_ptr<ControlLink> control = std::make_unique<ControlLink>();
  std::unique_ptr<Doorbell> work = std::make_unique<Doorbell>();  // the shard sleeps on it
  RecordBatch* filling = nullptr;  // the reader's current batch for this shard
  uint32_t unrung = 0;             // batches handed over since the shard was last woken
};

// Bells every thread of a file run shares.
struct FileRunBells {
  Doorbell reader;      // a batch came back
  Doorbell aggregator;  // output or a snapshot arrived
  Doorbell space;       // the aggregator made room in the output links
};

/// The shards of a file run and their threads; the threads are joined on destruction
/// (after the reader sent them finish or quit records).
class FileShards {
 public:
  FileShards(uint32_t count, const flow::FlowConfig& config, uint64_t max_flows, const flow::FlowHasher& hasher);
  ~FileShards() { join(); }
  FileShards(const FileShards&) = delete;
  FileShards& operator=(const FileShards&) = delete;

  void start(FileRunBells& bells);
  void join();
  std::vector<FileShard>& shards() noexcept { return _shards; }
  std::vector<OutputLink*> outputs();

 private:
  std::vector<FileShard> _shards;
  std::vector<std::thread> _threads;
};

}  // namespace ringtrack::runtime
