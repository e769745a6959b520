// Owns: RxRing bring-up and filter installation.
// Does not own: block consumption (the reader loop).
#include "capture/rx_ring.hpp"

#include <linux/filter.h>

namespace ringtrack::capture {

RxRing::RxRing(const RingConfig& config, std::optional<uint16_t> fanout_id) {
  _fd = os::open_packet_socket();
  os::set_tpacket_v3(_fd.get());

  _geometry.block_bytes = config.block_bytes;
  _geometry.block_count = uint32_t(std::max<uint64_t>(8, config.ring_bytes / config.block_bytes));
  // V3 packs variable-sized frames and ignores frame_size for placement; the kernel only
  // checks it divides the block, so any power of two of at least a header will do.
  _geometry.frame_bytes = 2048;
  _geometry.retire_timeout_ms = config.retire_timeout_ms;
  const uint32_t wanted_blocks = _geometry.block_count;
  _mapping = os::create_rx_ring(_fd.get(), _geometry);
  if (_geometry.block_count != wanted_blocks)
    _ring_note = "ring on " + config.interface + ": " +
                 std::to_string(_mapping.bytes() >> 20) + " MiB (the kernel refused " +
                 std::to_string((uint64_t(wanted_blocks) * _geometry.block_bytes) >> 20) + " MiB)";

  os::attach_drop_all_filter(_fd.get());
  os::bind_to_interface(_fd.get(), config.ifindex, config.interface);
  _fanout_id = os::join_fanout(_fd.get(), fanout_id, config.fanout_mode);
  if (config.promiscuous) os::add_promiscuous_membership(_fd.get(), config.ifindex, config.interface);
}

void RxRing::install_filter(const BpfFilter& program) {
  static_assert(sizeof(sock_filter) == 8, "libpcap's bpf_insn and the kernel's sock_filter match");
  os::attach_filter(_fd.get(), reinterpret_cast<const sock_filter*>(program.instructions()),
                    uint16_t(program.instruction_count()));
}

}  // namespace ringtrack::capture
