// Owns: a capture file replayed for the screen: paced by its own timestamps (or as fast as
// possible), its shards answering the screen's queries, the clock running on after the
// end of the file.
// Does not own: batch runs over files (file_pipeline), drawing.
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "capture/pcap_file_reader.hpp"
#include "flow/flow_hash.hpp"
#include "runtime/aggregator.hpp"
#include "runtime/file_pipeline.hpp"
#include "runtime/file_reader_loop.hpp"
#include "runtime/file_shards.hpp"
#include "runtime/view_source.hpp"

namespace ringtrack::runtime {

class FileReplaySession final : public ViewSource {
 public:
  /// Opens the file and starts replaying; throws SetupError (file, filter, capacity).
  /// speed: capture seconds per wall second, 0 = as fast as possible.
  FileReplaySession(const FileRunOptions& options, double speed);
  ~FileReplaySession() override;

  SourceStatus status() override;
  ViewResult query(flow::ViewQuery& query) override;

 private:
  FileRunOptions _options;
  capture::PcapFileReader _reader;
  flow::FlowHasher _hasher;
  FileShards _shards;
  std::unique_ptr<SnapshotLink> _snapshots = std::make_unique<SnapshotLink>();
  std::unique_ptr<FileRunBells> _bells = std::make_unique<FileRunBells>();
  DiscardingWriter _null_writer;
  Aggregator _aggregator;
  ReplayPacing _pacing;
  std::atomic<bool> _stop{false};
  std::thread _reader_thread;
  uint64_t _query_id = 0;
};

}  // namespace ringtrack::runtime
