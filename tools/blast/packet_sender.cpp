// Owns: the sending socket's setup and its sendmmsg loop.
// Does not own: pacing or stopping (main).
#include "packet_sender.hpp"

#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace ringtrack::blast {
namespace {

std::runtime_error failed(const std::string& call, const std::string& interface) {
  return std::runtime_error(call + " on " + interface + ": " + std::strerror(errno));
}

}  // namespace

PacketSender::PacketSender(const std::string& interface, const FrameDeck& deck, std::size_t first_frame)
    : _next(first_frame % deck.size()) {
  const unsigned index = if_nametoindex(interface.c_str());
  if (index == 0) throw failed("if_nametoindex", interface);
  // Protocol 0: this socket only sends, so the kernel never queues received frames on it.
  _socket = os::UniqueFd(::socket(AF_PACKET, SOCK_RAW, 0));
  if (!_socket) throw failed("socket(AF_PACKET) (needs CAP_NET_RAW)", interface);
  // Past the qdisc: frames go straight to the driver, as trafgen and pktgen send them.
  const int bypass = 1;
  if (::setsockopt(_socket.get(), SOL_PACKET, PACKET_QDISC_BYPASS, &bypass, sizeof bypass) != 0)
    throw failed("setsockopt(PACKET_QDISC_BYPASS)", interface);
  sockaddr_ll address{};
  address.sll_family = AF_PACKET;
  address.sll_ifindex = int(index);
  if (::bind(_socket.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
    throw failed("bind", interface);
  _messages.resize(deck.size());
  for (std::size_t i = 0; i < deck.size(); ++i) {
    _messages[i] = mmsghdr{};
    _messages[i].msg_hdr.msg_iov = const_cast<iovec*>(&deck.frame(i));
    _messages[i].msg_hdr.msg_iovlen = 1;
  }
}

int PacketSender::send_batch(unsigned max_frames) noexcept {
  const std::size_t left = _messages.size() - _next;
  const unsigned want = unsigned(left < max_frames ? left : max_frames);
  const int took = ::sendmmsg(_socket.get(), &_messages[_next], want, 0);
  if (took <= 0) [[unlikely]] {
    if (took == 0 || errno == ENOBUFS || errno == EAGAIN || errno == EINTR) {
      ++_counts.send_retries;
      return 0;
    }
    return -1;
  }
  _counts.sent_frames += unsigned(took);
  _next += unsigned(took);
  if (_next == _messages.size()) _next = 0;
  return took;
}

}  // namespace ringtrack::blast
