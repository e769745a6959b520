// Owns: the one kind of cross-thread channel: a fixed-capacity single-producer
// single-consumer queue (Boost.Lockfree), pushed and popped in batches.
// Does not own: what to do when it is full or empty (callers: Wake, drop counters).
#pragma once

#include <boost/lockfree/spsc_queue.hpp>
#include <cstddef>
#include <span>

namespace ringtrack::runtime {

/// Capacity is fixed at compile time. Boost's spsc_queue keeps the producer's write index
/// and the consumer's read index on separate cache lines; push publishes elements with a
/// release store of the write index and pop reads it with acquire (and the reverse for the
/// read index), which is all the ordering the hand-off needs.
template <class T, std::size_t Capacity>
class SpscLink {
 public:
  static constexpr std::size_t capacity = Capacity;

  /// Producer thread only.
  bool push_one(const T& item) noexcept { return _queue.push(item); }

  /// Consumer thread only. Pops up to out.size() items into out; returns how many.
  std::size_t pop_some(std::span<T> out) noexcept { return _queue.pop(out.data(), out.size()); }

  /// Consumer thread only.
  bool empty() const noexcept { return _queue.read_available() == 0; }

  /// Producer thread only: how many pushes would succeed now (at least).
  std::size_t free_slots() const noexcept { return _queue.write_available(); }

 private:
  boost::lockfree::spsc_queue<T, boost::lockfree::capacity<Capacity>> _queue;
};

}  // namespace ringtrack::runtime
