// Owns: compiling filter expressions with libpcap and running them in user space.
// Does not own: kernel attachment.
#include "capture/bpf_filter.hpp"

#include <pcap/pcap.h>

#include <cstring>

#include "os/setup_error.hpp"

namespace ringtrack::capture {

static_assert(sizeof(bpf_insn) == sizeof(uint64_t));

BpfFilter BpfFilter::compile(pcap_t* handle, const std::string& expression, bool even_if_empty) {
  BpfFilter filter;
  if (expression.empty() && !even_if_empty) return filter;
  bpf_program program{};
  if (pcap_compile(handle, &program, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
    throw SetupError("filter expression rejected: " + std::string(pcap_geterr(handle)));
  filter._instructions.resize(program.bf_len);
  std::memcpy(filter._instructions.data(), program.bf_insns, program.bf_len * sizeof(bpf_insn));
  pcap_freecode(&program);
  return filter;
}

bool BpfFilter::matches(const uint8_t* data, uint32_t captured_bytes,
                        uint32_t wire_bytes) const noexcept {
  if (_instructions.empty()) return true;
  return bpf_filter(instructions(), data, wire_bytes, captured_bytes) != 0;
}

}  // namespace ringtrack::capture
