// Owns: one reader's TPACKET_V3 receive ring: its bring-up in the order that lets no
// unfiltered or unrouted packet in, its blocks, and handing blocks back to the kernel.
// Does not own: walking a block's packets (block_walk), threads (runtime/ring_reader).
#pragma once

#include <linux/if_packet.h>

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "capture/bpf_filter.hpp"
#include "os/packet_socket.hpp"
#include "os/unique_fd.hpp"

namespace ringtrack::capture {

struct RingConfig {
  std::string interface;
  int ifindex = 0;
  uint64_t ring_bytes = 0;  ///< 0: by the link's speed (runtime's live plan decides)
  uint32_t block_bytes = 1u << 20;
  // A partly filled block is handed over after 10 ms: the screen stays live on a quiet
  // link, and a busy one fills blocks long before.
  uint32_t retire_timeout_ms = 10;
  bool promiscuous = true;
  uint16_t fanout_mode = PACKET_FANOUT_HASH;  ///< plus flags, e.g. PACKET_FANOUT_FLAG_DEFRAG
};

/// Owned by one reader thread after construction (construct it on that thread, after
/// pinning, so the kernel allocates the ring near that CPU).
///
/// Bring-up (constructor), each step one call:
///   1. socket(AF_PACKET, SOCK_RAW, 0)   no protocol: nothing is queued yet
///   2. PACKET_VERSION = TPACKET_V3
///   3. PACKET_RX_RING + mmap           (ENOMEM: fewer blocks, see ring_note())
///   4. SO_ATTACH_FILTER drop-all       so nothing enters before the group is complete
///   5. bind(ETH_P_ALL, ifindex)
///   6. PACKET_FANOUT join               the first reader gets a unique id from the kernel
///   7. promiscuous membership (unless -p)
/// then, once every reader has joined: install_filter() with the real program.
/// Teardown is the reverse, by destruction: unmap, close.
class RxRing {
 public:
  /// fanout_id: none for the first reader (the kernel picks a unique id, 0 included),
  /// then that id.
  RxRing(const RingConfig& config, std::optional<uint16_t> fanout_id);

  uint16_t fanout_id() const noexcept { return _fanout_id; }
  int fd() const noexcept { return _fd.get(); }
  uint32_t block_count() const noexcept { return _geometry.block_count; }
  uint64_t ring_bytes() const noexcept { return _mapping.bytes(); }
  /// Set when the kernel could not give the requested ring and a smaller one was taken.
  const std::string& ring_note() const noexcept { return _ring_note; }

  /// Replaces the drop-all barrier with the user's program.
  void install_filter(const BpfFilter& program);

  /// Puts the drop-all filter back: no packet enters from now on, so once the blocks
  /// already filled are read, the kernel's counters and ours describe the same packets.
  void stop_intake() { os::attach_drop_all_filter(_fd.get()); }
  uint32_t retire_timeout_ms() const noexcept { return _geometry.retire_timeout_ms; }

  tpacket_block_desc* block(uint32_t index) const noexcept {
    return reinterpret_cast<tpacket_block_desc*>(_mapping.base() + std::size_t(index) * _geometry.block_bytes);
  }

  /// True when the kernel has closed the block and it is ours to read. Acquire: the
  /// packet data written before the kernel's status store is visible after this load.
  static bool user_may_pull(tpacket_block_desc* block) noexcept {
    return (std::atomic_ref<uint32_t>(block->hdr.bh1.block_status).load(std::memory_order_acquire) &
            TP_STATUS_USER) != 0;
  }

  /// Hands the block back. Release: our reads of it happen before the kernel may refill it.
  static void return_block_to_kernel(tpacket_block_desc* block) noexcept {
    std::atomic_ref<uint32_t>(block->hdr.bh1.block_status).store(TP_STATUS_KERNEL, std::memory_order_release);
  }

 private:
  os::UniqueFd _fd;
  os::RingGeometry _geometry{};
  os::RingMapping _mapping;
  uint16_t _fanout_id = 0;
  std::string _ring_note;
};

}  // namespace ringtrack::capture
