// Owns: wiring a file run's reader and shard threads, and their status.
// Does not own: either loop.
#include "runtime/file_capture.hpp"

#include "os/thread_name.hpp"

namespace ringtrack::runtime {

FileCapture::FileCapture(const RunOptions& options, const std::vector<ShardChannels*>& shards,
                         ReaderChannel& counters, const flow::FlowHasher& hasher, Wake& aggregator)
    : _reader(options.file) {
  _reader.set_filter(options.filter);
  counters.producer = &_reader_wake;
  std::vector<Destination> destinations;
  for (uint32_t i = 0; i < shards.size(); ++i) {
    _pools.push_back(std::make_unique<BatchPool>());
    destinations.push_back(Destination{nullptr, _pools.back().get(), shards[i]->wake.get()});
    _drivers.push_back(std::make_unique<ShardDriver>(
        *shards[i], aggregator, OutputPolicy::wait, std::vector{InboundBatches{_pools.back().get(), &_reader_wake}}));
  }
  for (uint32_t i = 0; i < _drivers.size(); ++i)
    _threads.emplace_back([driver = _drivers[i].get(), i] {
      os::name_current_thread("rt-shard" + std::to_string(i));
      driver->run();
    });

  _threads.emplace_back([this, &hasher, destinations, &options, &counters, &aggregator] {
    os::name_current_thread("rt-file-reader");
    FileSource(_reader, hasher, destinations, options, _stop, counters, aggregator, _progress, _reader_wake).run();
  });
}

FileCapture::~FileCapture() {
  stop();
  join();
}

void FileCapture::fill_status(SourceStatus& status) const {
  status.input_ended = _progress.ended.load(std::memory_order_acquire);
  if (status.input_ended) status.problem = _progress.damage;  // written before ended was set
}

}  // namespace ringtrack::runtime
