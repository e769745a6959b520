// Owns: a BPF program compiled by libpcap from a filter expression, and running it in user
// space on a frame. Does not own: attaching it to kernel sockets (capture/ring code).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

typedef struct pcap pcap_t;
struct bpf_insn;

namespace ringtrack::capture {

class BpfFilter {
 public:
  /// Compiles expression on handle (a live or offline pcap_t, so the link type and VLAN
  /// handling match the source). Throws SetupError with libpcap's reason on rejection.
  /// An empty expression gives no program, unless even_if_empty: then a program that
  /// accepts everything and returns the handle's snap length (kernel truncation).
  static BpfFilter compile(pcap_t* handle, const std::string& expression, bool even_if_empty = false);

  /// True when the frame passes (or there is no program).
  bool matches(const uint8_t* data, uint32_t captured_bytes, uint32_t wire_bytes) const noexcept;

  /// The program as struct bpf_insn, ready for SO_ATTACH_FILTER.
  const bpf_insn* instructions() const noexcept { return reinterpret_cast<const bpf_insn*>(_instructions.data()); }
  uint32_t instruction_count() const noexcept { return static_cast<uint32_t>(_instructions.size()); }

 private:
  // bpf_insn is 8 bytes (u16 code, u8 jt, u8 jf, u32 k); kept as raw words so this header
  // needs no libpcap include.
  std::vector<uint64_t> _instructions;
};

}  // namespace ringtrack::capture
