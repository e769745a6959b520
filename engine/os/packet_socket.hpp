// Owns: the AF_PACKET calls, one helper per bring-up step, each throwing a SetupError that
// names the call: socket, TPACKET_V3, RX ring + mmap, filters, bind, fanout, membership,
// statistics, poll.
// Does not own: the order of the steps (capture/rx_ring) or walking blocks (capture/block_walk).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "os/unique_fd.hpp"

struct sock_filter;

namespace ringtrack::os {

/// socket(AF_PACKET, SOCK_RAW, 0): protocol 0 registers no receive hook, so nothing is
/// queued until bind() names a protocol. EPERM becomes the CAP_NET_RAW message.
UniqueFd open_packet_socket();

void set_tpacket_v3(int fd);

/// Geometry of a TPACKET_V3 ring.
struct RingGeometry {
  uint32_t block_bytes;
  uint32_t block_count;
  uint32_t frame_bytes;        ///< V3 ignores it for placement; the kernel still checks it
  uint32_t retire_timeout_ms;  ///< a partly filled block is handed over after this long
};

/// A mapped ring: unmapped on destruction.
class RingMapping {
 public:
  RingMapping() = default;
  RingMapping(uint8_t* base, std::size_t bytes) noexcept : _base(base), _bytes(bytes) {}
  ~RingMapping();
  RingMapping(RingMapping&& o) noexcept;
  RingMapping& operator=(RingMapping&& o) noexcept;
  RingMapping(const RingMapping&) = delete;
  RingMapping& operator=(const RingMapping&) = delete;
  uint8_t* base() const noexcept { return _base; }
  std::size_t bytes() const noexcept { return _bytes; }

 private:
  uint8_t* _base = nullptr;
  std::size_t _bytes = 0;
};

/// PACKET_RX_RING then mmap. On ENOMEM halves the block count and tries again (down to
/// 8 blocks); geometry holds what was obtained.
RingMapping create_rx_ring(int fd, RingGeometry& geometry);

/// SO_ATTACH_FILTER with a classic BPF program.
void attach_filter(int fd, const sock_filter* program, uint16_t instruction_count);

/// Replaces the filter with one that accepts nothing (bring-up barrier).
void attach_drop_all_filter(int fd);

/// bind() to ETH_P_ALL on ifindex: the socket starts receiving.
void bind_to_interface(int fd, int ifindex, const std::string& interface);

/// PACKET_FANOUT: joins group id (mode | flags), or with no id asks the kernel for a new
/// group with a unique id (PACKET_FANOUT_FLAG_UNIQUEID). Returns the group id, which may
/// be 0: the kernel hands unique ids out from 0 up.
uint16_t join_fanout(int fd, std::optional<uint16_t> id, uint16_t mode_and_flags);

/// PACKET_ADD_MEMBERSHIP PACKET_MR_PROMISC: promiscuous while this socket lives.
void add_promiscuous_membership(int fd, int ifindex, const std::string& interface);

/// PACKET_STATISTICS (tpacket_stats_v3). The kernel clears the counters on every read.
struct PacketStatistics {
  uint32_t packets;
  uint32_t drops;
  uint32_t freezes;
};
PacketStatistics read_and_clear_statistics(int fd) noexcept;

/// poll() for a ring block, or for wake_fd (an eventfd, -1 for none) to become readable.
/// Returns 1 readable (either), 0 timeout, -1 socket error (ENETDOWN when the interface
/// went down; the error is cleared).
int wait_for_block(int fd, int timeout_ms, int wake_fd = -1) noexcept;

}  // namespace ringtrack::os
