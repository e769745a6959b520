// Owns: a capture-file source: the open file, its reader thread (file_source) and one
// driver thread per shard fed by it, with the pools between them.
// Does not own: the reading loop (file_source), the shard loop (shard_driver).
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "capture/pcap_file_reader.hpp"
#include "flow/flow_hash.hpp"
#include "runtime/capture_source.hpp"
#include "runtime/file_source.hpp"
#include "runtime/run_options.hpp"
#include "runtime/shard_driver.hpp"

namespace ringtrack::runtime {

class FileCapture final : public CaptureSource {
 public:
  /// Opens the file and starts reading it; throws SetupError (file, filter) before any
  /// thread starts. counters is the reader's channel; the channels and options outlive this source.
  FileCapture(const RunOptions& options, const std::vector<ShardChannels*>& shards, ReaderChannel& counters,
              const flow::FlowHasher& hasher, Wake& aggregator);
  ~FileCapture() override;
  FileCapture(const FileCapture&) = delete;
  FileCapture& operator=(const FileCapture&) = delete;

  void fill_status(SourceStatus& status) const override;
  std::string check() override { return ""; }
  uint64_t tcp_packets() const noexcept override { return _progress.tcp_packets.load(std::memory_order_relaxed); }
  bool reports_on_request() const noexcept override { return false; }
  uint64_t clock_ns() const noexcept override { return _progress.clock_ns.load(std::memory_order_relaxed); }

 private:
  capture::PcapFileReader _reader;
  Wake _reader_wake;  // the reader thread sleeps on it while every batch is out
  FileProgress _progress;
  std::vector<std::unique_ptr<BatchPool>> _pools;  // reader to shard i
  std::vector<std::unique_ptr<ShardDriver>> _drivers;
};

}  // namespace ringtrack::runtime
