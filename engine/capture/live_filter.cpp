// Owns: the activated-handle compile of live filters.
// Does not own: kernel attachment.
#include "capture/live_filter.hpp"

#include <pcap/pcap.h>

#include <memory>

#include "os/setup_error.hpp"
#include "os/syscall_error.hpp"

namespace ringtrack::capture {

LiveFilter compile_live_filter(const std::string& interface, const std::string& expression,
                               uint32_t snap_bytes) {
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  std::unique_ptr<pcap_t, void (*)(pcap_t*)> handle(pcap_create(interface.c_str(), errbuf), pcap_close);
  if (!handle) throw SetupError("pcap_create(" + interface + "): " + errbuf);
  pcap_set_snaplen(handle.get(), int(snap_bytes));
  pcap_set_timeout(handle.get(), 1);
  pcap_set_buffer_size(handle.get(), 64 * 1024);  // never read: keep its ring tiny
  const int rc = pcap_activate(handle.get());
  if (rc == PCAP_ERROR_PERM_DENIED)
    throw SetupError("cannot open interface " + interface + ": " + os::need_cap_net_raw_fix());
  if (rc == PCAP_ERROR_NO_SUCH_DEVICE)
    throw SetupError("no such interface '" + interface + "' (see `ip link`)");
  if (rc == PCAP_ERROR_IFACE_NOT_UP)
    throw SetupError("interface " + interface + " is down (ip link set " + interface + " up)");
  if (rc < 0) throw SetupError("pcap_activate(" + interface + "): " + pcap_geterr(handle.get()));

  const int dlt = pcap_datalink(handle.get());
  const auto link = decode::link_type_from_dlt(dlt);
  if (!link) {
    const char* name = pcap_datalink_val_to_name(dlt);
    throw SetupError("interface " + interface + " has link type " + (name ? name : std::to_string(dlt)) +
                     ", which ringtrack cannot decode");
  }
  // libpcap reads these interfaces (PPP, unknown hardware types) in cooked mode, making up
  // a Linux SLL header in user space; a ring of raw frames holds no such header, so
  // neither the decoder nor the compiled filter would find their fields.
  if (*link == decode::LinkType::linux_sll || *link == decode::LinkType::linux_sll2)
    throw SetupError("interface " + interface +
                     " has no link-layer header that ringtrack's rings can read (libpcap reads it in cooked "
                     "mode); capture it with tcpdump -w and replay the file with -T");
  return {BpfFilter::compile(handle.get(), expression, /*even_if_empty=*/true), *link};
}

}  // namespace ringtrack::capture
