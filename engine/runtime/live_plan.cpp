// Owns: the live plan's decisions.
// Does not own: carrying them out.
#include "runtime/live_plan.hpp"

#include <linux/if_packet.h>

#include "os/cpu_set.hpp"
#include "os/link_speed.hpp"
#include "os/setup_error.hpp"
#include "runtime/ring_size.hpp"

namespace ringtrack::runtime {
namespace {

// Bytes of each packet kept in the ring (the filter's return value): link, eight VLAN tags
// (the kernel strips one), PPPoE, IPv6 with ~140 bytes of extension headers and the TCP
// header fit. Counts come
// from the original length, so nothing is lost by not copying payload.
constexpr uint32_t live_snap_bytes = 256;

uint16_t fanout_mode_bits(FanoutKind kind) {
  switch (kind) {
    case FanoutKind::hash: return PACKET_FANOUT_HASH | PACKET_FANOUT_FLAG_DEFRAG;
    case FanoutKind::cpu: return PACKET_FANOUT_CPU;
    case FanoutKind::qm: return PACKET_FANOUT_QM;
    case FanoutKind::lb: return PACKET_FANOUT_LB;
  }
  return PACKET_FANOUT_HASH;
}

}  // namespace

LivePlan plan_live_capture(const RunOptions& options) {
  LivePlan plan;
  plan.interface = os::interface_info(options.interface);
  if (!plan.interface.up)
    throw SetupError("interface " + options.interface + " is down (ip link set " + options.interface + " up)");
  plan.filter = capture::compile_live_filter(options.interface, options.filter, live_snap_bytes);

  const std::vector<int> allowed = os::allowed_cpus();
  const std::vector<int> cpus = options.cpus.empty() ? allowed : os::parse_cpu_list(options.cpus, allowed);
  const uint32_t readers = options.shards != 0 ? options.shards : uint32_t(cpus.size());
  for (uint32_t i = 0; i < readers; ++i) plan.reader_cpus.push_back(cpus[i % cpus.size()]);

  plan.ring = options.ring;
  plan.ring.interface = options.interface;
  plan.ring.ifindex = plan.interface.ifindex;
  if (plan.ring.ring_bytes == 0) plan.ring.ring_bytes = ring_bytes_for_link(os::link_speed_mbps(options.interface));
  plan.ring.fanout_mode = fanout_mode_bits(options.fanout);
  plan.routing = readers == 1 ? Routing::home : options.fanout == FanoutKind::hash ? Routing::tunnelled : Routing::all;
  return plan;
}

}  // namespace ringtrack::runtime
