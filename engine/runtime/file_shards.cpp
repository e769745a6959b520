// Owns: creating file-run shards and their threads.
// Does not own: the shard loop.
#include "runtime/file_shards.hpp"

#include "os/thread_name.hpp"
#include "runtime/file_pipeline.hpp"
#include "runtime/shard_worker.hpp"

namespace ringtrack::runtime {

FileShards::FileShards(uint32_t count, const flow::FlowConfig& config, uint64_t max_flows,
                       const flow::FlowHasher& hasher)
    : _shards(count) {
  const uint32_t capacity = capacity_per_shard(max_flows, count);
  for (uint32_t s = 0; s < count; ++s)
    _shards[s].shard = std::make_unique<flow::FlowShard>(config, capacity, hasher, s);
}

void FileShards::start(FileRunBells& bells) {
  for (uint32_t i = 0; i < uint32_t(_shards.size()); ++i)
    _threads.emplace_back([&s = _shards[i], &bells, i] {
      os::name_current_thread("rt-shard" + std::to_string(i));
      run_shard_worker(*s.shard, *s.batches, OutputPort{s.out.get(), &bells.aggregator, &bells.space},
                       ShardBells{s.work.get(), &bells.reader}, s.control.get());
    });
}

void FileShards::join() {
  for (std::thread& t : _threads)
    if (t.joinable()) t.join();
  _threads.clear();
}

std::vector<OutputLink*> FileShards::outputs() {
  std::vector<OutputLink*> links;
  for (FileShard& s : _shards) links.push_back(s.out.get());
  return links;
}

}  // namespace ringtrack::runtime
