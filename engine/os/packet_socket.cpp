// Owns: the raw AF_PACKET system calls and their error messages.
// Does not own: ring policy.
#include "os/packet_socket.hpp"

#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include <cerrno>
#include <utility>

#include "os/syscall_error.hpp"

namespace ringtrack::os {

std::string need_cap_net_raw_fix() {
  return "capturing needs CAP_NET_RAW: run as root, or once as root: "
         "setcap cap_net_raw+ep \"$(command -v ringtrack)\"";
}

UniqueFd open_packet_socket() {
  const int fd = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    const int err = errno;
    if (err == EPERM || err == EACCES) throw syscall_error("socket(AF_PACKET)", err, need_cap_net_raw_fix());
    throw syscall_error("socket(AF_PACKET)", err);
  }
  return UniqueFd(fd);
}

void set_tpacket_v3(int fd) {
  const int version = TPACKET_V3;
  if (::setsockopt(fd, SOL_PACKET, PACKET_VERSION, &version, sizeof version) != 0)
    throw syscall_error("setsockopt(PACKET_VERSION, TPACKET_V3)", errno, "kernel 3.2 or later is needed");
}

RingMapping::~RingMapping() {
  if (_base) ::munmap(_base, _bytes);
}
RingMapping::RingMapping(RingMapping&& o) noexcept
    : _base(std::exchange(o._base, nullptr)), _bytes(std::exchange(o._bytes, 0)) {}
RingMapping& RingMapping::operator=(RingMapping&& o) noexcept {
  if (this != &o) {
    if (_base) ::munmap(_base, _bytes);
    _base = std::exchange(o._base, nullptr);
    _bytes = std::exchange(o._bytes, 0);
  }
  return *this;
}

RingMapping create_rx_ring(int fd, RingGeometry& geometry) {
  constexpr uint32_t min_blocks = 8;
  for (;;) {
    tpacket_req3 req{};
    req.tp_block_size = geometry.block_bytes;
    req.tp_block_nr = geometry.block_count;
    req.tp_frame_size = geometry.frame_bytes;
    req.tp_frame_nr = (geometry.block_bytes / geometry.frame_bytes) * geometry.block_count;
    req.tp_retire_blk_tov = geometry.retire_timeout_ms;
    if (::setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) == 0) break;
    const int err = errno;
    if (err == ENOMEM && geometry.block_count / 2 >= min_blocks) {
      geometry.block_count /= 2;
      continue;
    }
    throw syscall_error("setsockopt(PACKET_RX_RING, " + std::to_string(geometry.block_count) +
                            " blocks of " + std::to_string(geometry.block_bytes / 1024) + " KiB)",
                        err, err == ENOMEM ? "lower --ring-mb or --block-kb" : "");
  }
  const std::size_t bytes = std::size_t(geometry.block_bytes) * geometry.block_count;
  void* base = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (base == MAP_FAILED) throw syscall_error("mmap(packet ring)", errno);
  return RingMapping(static_cast<uint8_t*>(base), bytes);
}

void attach_filter(int fd, const sock_filter* program, uint16_t instruction_count) {
  sock_fprog fprog{instruction_count, const_cast<sock_filter*>(program)};
  if (::setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof fprog) != 0)
    throw syscall_error("setsockopt(SO_ATTACH_FILTER, " + std::to_string(instruction_count) +
                            " instructions)",
                        errno, errno == ENOMEM ? "raise net.core.optmem_max" : "");
}

void attach_drop_all_filter(int fd) {
  sock_filter drop_all = BPF_STMT(BPF_RET | BPF_K, 0);
  attach_filter(fd, &drop_all, 1);
}

void bind_to_interface(int fd, int ifindex, const std::string& interface) {
  sockaddr_ll addr{};
  addr.sll_family = AF_PACKET;
  addr.sll_protocol = htons(ETH_P_ALL);
  addr.sll_ifindex = ifindex;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    throw syscall_error("bind(AF_PACKET, " + interface + ")", errno);
}

uint16_t join_fanout(int fd, std::optional<uint16_t> id, uint16_t mode_and_flags) {
  uint16_t flags = mode_and_flags;
  if (!id) flags |= PACKET_FANOUT_FLAG_UNIQUEID;  // the kernel wants id 0 with it
  const uint32_t arg = uint32_t(id.value_or(0)) | (uint32_t(flags) << 16);
  if (::setsockopt(fd, SOL_PACKET, PACKET_FANOUT, &arg, sizeof arg) != 0)
    throw syscall_error(id ? "setsockopt(PACKET_FANOUT, group " + std::to_string(*id) + ")"
                           : std::string("setsockopt(PACKET_FANOUT, new group)"),
                        errno,
                        errno == EINVAL && !id ? "kernel 4.12 or later is needed for unique fanout ids" : "");
  if (id) return *id;
  uint32_t got = 0;
  socklen_t len = sizeof got;
  if (::getsockopt(fd, SOL_PACKET, PACKET_FANOUT, &got, &len) != 0)
    throw syscall_error("getsockopt(PACKET_FANOUT)", errno);
  return uint16_t(got & 0xffff);
}

void add_promiscuous_membership(int fd, int ifindex, const std::string& interface) {
  packet_mreq mreq{};
  mreq.mr_ifindex = ifindex;
  mreq.mr_type = PACKET_MR_PROMISC;
  if (::setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mreq, sizeof mreq) != 0)
    throw syscall_error("setsockopt(PACKET_ADD_MEMBERSHIP, promiscuous, " + interface + ")", errno,
                        "use -p to capture without promiscuous mode");
}

PacketStatistics read_and_clear_statistics(int fd) noexcept {
  tpacket_stats_v3 stats{};
  socklen_t len = sizeof stats;
  if (::getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &stats, &len) != 0) return {0, 0, 0};
  return {stats.tp_packets, stats.tp_drops, stats.tp_freeze_q_cnt};
}

int wait_for_block(int fd, int timeout_ms, int wake_fd) noexcept {
  pollfd fds[2] = {{fd, POLLIN | POLLERR, 0}, {wake_fd, POLLIN, 0}};
  pollfd& p = fds[0];
  const int rc = ::poll(fds, wake_fd >= 0 ? 2 : 1, timeout_ms);
  if (rc < 0) return errno == EINTR ? 0 : -1;
  if (rc == 0) return 0;
  if (!(p.revents & (POLLIN | POLLERR))) return 1;  // woken by wake_fd
  if (p.revents & POLLERR) {
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);  // reading clears the error
    return -1;
  }
  return 1;
}

}  // namespace ringtrack::os
