// Owns: reading a capture file (pcap either byte order, us/ns, pcapng) through libpcap,
// applying a compiled filter in user space, and naming file problems in one line.
// Does not own: decoding frames (decode) or what is done with them (runtime).
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <type_traits>

#include "capture/bpf_filter.hpp"
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
  /// Reads an open stream (owned from now on, closed with the reader); name is for
  /// messages. For capture files already in memory (fuzzing).
  PcapFileReader(std::FILE* stream, const std::string& name);
  ~PcapFileReader();
  PcapFileReader(const PcapFileReader&) = delete;
  PcapFileReader& operator=(const PcapFileReader&) = delete;

  /// Compiles expression with libpcap for this file's link type; throws SetupError when
  /// libpcap rejects it. An empty expression keeps every frame.
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

  decode::LinkType link_type() const noexcept { return _link_type; }
  const std::string& path() const noexcept { return _path; }
  uint64_t frames_read() const noexcept { return _frames_read; }
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
  static void on_pcap_frame(unsigned char* context, const pcap_pkthdr* header,
                            const unsigned char* data) noexcept;
  void check_link_type();

  static constexpr std::size_t read_buffer_bytes = std::size_t(1) << 16;
  std::string _path;
  std::unique_ptr<char[]> _read_buffer;  // the FILE's buffer: outlives the pcap_t (declared first)
  pcap_t* _pcap = nullptr;
  decode::LinkType _link_type{};
  BpfFilter _filter;
  uint64_t _frames_read = 0;
  uint64_t _frames_filtered_out = 0;
  std::string _damage;
};

}  // namespace ringtrack::capture
