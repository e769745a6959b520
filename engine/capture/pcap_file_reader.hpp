// Owns: reading a capture file (pcap either byte order, us/ns, pcapng) through libpcap, or
// pcapng_reader where libpcap refuses several interfaces; filtering; naming problems.
// Does not own: decoding frames (decode) or what is done with them (runtime).
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "capture/bpf_filter.hpp"
#include "capture/pcapng_reader.hpp"
#include "decode/frame_decoder.hpp"
#include "decode/link_type.hpp"

typedef struct pcap pcap_t;
struct pcap_pkthdr;

namespace ringtrack::capture {

enum class ReadResult { frame, end, damaged };

/// Owned by the one thread that reads the file.
class PcapFileReader {
 public:
  /// Opens path; throws SetupError naming the problem (missing, unreadable, not a capture
  /// file, unsupported link type).
  explicit PcapFileReader(const std::string& path);
  /// Reads a capture file already in memory (fuzzing); bytes outlive the reader; name is
  /// for messages.
  PcapFileReader(std::span<const uint8_t> bytes, const std::string& name);
  ~PcapFileReader();
  PcapFileReader(const PcapFileReader&) = delete;
  PcapFileReader& operator=(const PcapFileReader&) = delete;

  /// Compiles expression with libpcap for this file's link type (and for each interface's,
  /// should the file turn out to have several); throws SetupError when libpcap rejects
  /// it. An empty expression keeps every frame.
  void set_filter(const std::string& expression);

  /// Reads up to max_frames frames (max_frames > 0), handing each that passes the filter
  /// to on_frame(const decode::FrameView&) -> bool; the view is valid during that call
  /// only, and on_frame returns false to stop reading after it.
  /// frame: the file may have more; end: it ended, or on_frame stopped the reading (final:
  /// do not read on); damaged: it cannot be read further, damage_message() says why (the
  /// frames before the damage have all been handed over).
  /// on_frame runs inside libpcap's C code, so it must not throw.
  template <class OnFrame>
  ReadResult read_some(int max_frames, OnFrame&& on_frame) noexcept {
    using Fn = std::remove_reference_t<OnFrame>;
    static_assert(std::is_nothrow_invocable_r_v<bool, Fn&, const decode::FrameView&>,
                  "on_frame is called from C: it must be noexcept");
    return dispatch(max_frames, [](void* fn, const decode::FrameView& frame) { return (*static_cast<Fn*>(fn))(frame); },
                    &on_frame);
  }

  /// The link type of the file, or of the frame being handed over: pcapng interfaces may
  /// differ.
  decode::LinkType link_type() const noexcept { return _link_type; }
  uint64_t frames_read() const noexcept { return _frames_read; }
  /// The frames' original lengths summed (before the filter, as frames_read).
  uint64_t bytes_read() const noexcept { return _bytes_read; }
  uint64_t frames_filtered_out() const noexcept { return _frames_filtered_out; }
  const std::string& damage_message() const noexcept { return _damage; }

 private:
  using FrameFn = bool (*)(void* context, const decode::FrameView& frame);
  struct DispatchContext {
    PcapFileReader* reader;
    FrameFn fn;
    void* fn_context;
    bool stopped;
  };
  // libpcap's batch read, one call per batch: pcap_next_ex runs a whole one-frame
  // pcap_offline_read for every frame.
  ReadResult dispatch(int max_frames, FrameFn fn, void* fn_context) noexcept;
  /// libpcap refuses a pcapng file at an interface that differs from the first: read it
  /// again with pcapng_reader, past the frames already handed over. False when it cannot.
  bool switch_to_pcapng() noexcept;
  ReadResult dispatch_pcapng(int max_frames, FrameFn fn, void* fn_context) noexcept;
  /// Each interface's link type and filter, after an interface description.
  void describe_pcapng_interfaces();
  static void on_pcap_frame(unsigned char* context, const pcap_pkthdr* header,
                            const unsigned char* data) noexcept;
  void check_link_type();

  /// Per pcapng interface, read by pcapng_reader.
  struct InterfaceReading {
    decode::LinkType link;
    BpfFilter filter;
  };

  static constexpr std::size_t read_buffer_bytes = std::size_t(1) << 16;
  std::string _path;
  std::function<std::FILE*()> _reopen;  // the file from its start again; empty for stdin
  std::unique_ptr<char[]> _read_buffer;  // the FILE's buffer: outlives the pcap_t (declared first)
  pcap_t* _pcap = nullptr;
  decode::LinkType _link_type{};
  BpfFilter _filter;
  std::string _filter_expression;
  std::unique_ptr<PcapngReader> _pcapng;
  std::vector<InterfaceReading> _interfaces;
  uint32_t _interfaces_version = 0;
  uint64_t _frames_read = 0;
  uint64_t _bytes_read = 0;
  uint64_t _frames_filtered_out = 0;
  std::string _damage;
};

}  // namespace ringtrack::capture
