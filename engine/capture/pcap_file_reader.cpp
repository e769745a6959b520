// Owns: libpcap offline reading and the one-line description of every file problem.
// Does not own: decoding or counting beyond frames read and filtered out.
#include "capture/pcap_file_reader.hpp"

#include <pcap/pcap.h>
#include <stdio_ext.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "os/setup_error.hpp"

namespace ringtrack::capture {
namespace {

constexpr const char* standard_input = "-";

// How messages name the source: the quoted path, or standard input for "-".
std::string quoted(const std::string& path) {
  return "'" + path + "'" + (path == standard_input ? " (standard input)" : "");
}

// libpcap's open errors, reworded to say what is wrong with the file in one line.
std::string describe_open_failure(const std::string& path, const char* pcap_error) {
  const std::string reason = pcap_error;
  if (path == standard_input) {
    // A pipe has no size to look at: libpcap's own words tell an empty input apart.
    if (reason.find("only got 0") != std::string::npos)
      return "capture file " + quoted(path) + " is empty (not even a file header)";
  } else {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
      return "cannot open capture file " + quoted(path) + ": " + std::strerror(errno);
    if (S_ISDIR(st.st_mode)) return "cannot read capture file " + quoted(path) + ": it is a directory";
    if (st.st_size == 0) return "capture file " + quoted(path) + " is empty (not even a file header)";
  }
  if (reason.find("unknown file format") != std::string::npos)
    return quoted(path) + " is not a capture file (neither pcap nor pcapng)";
  if (reason.find("truncated") != std::string::npos)
    return "capture file " + quoted(path) + " is truncated inside its file header: " + reason;
  return "cannot read capture file " + quoted(path) + ": " + reason;
}

}  // namespace

PcapFileReader::PcapFileReader(const std::string& path) : _path(path) {
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  // libpcap reads the file with stdio, two fread calls a packet. A 64 KiB buffer needs 16
  // times fewer reads than the default 4 KiB and still stays in L2 between the kernel's
  // copy and fread's (1 MiB was three times slower than 64 KiB: bench/README.md).
  // glibc ignores the size unless it is given the buffer.
  // "-": standard input, as tcpdump -r - (a pipe from tcpdump -w -, a decompressor).
  std::FILE* file = path == standard_input ? stdin : std::fopen(path.c_str(), "rb");
  if (file == nullptr) throw SetupError(describe_open_failure(path, std::strerror(errno)));
  _read_buffer = std::make_unique<char[]>(read_buffer_bytes);
  if (std::setvbuf(file, _read_buffer.get(), _IOFBF, read_buffer_bytes) != 0) {
    std::fclose(file);
    throw SetupError("setvbuf for " + quoted(path) + " failed");
  }
  // Only the reader thread touches the stream: fread need not take its lock twice a packet.
  __fsetlocking(file, FSETLOCKING_BYCALLER);
  _pcap = pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO, errbuf);
  if (_pcap == nullptr) {
    std::fclose(file);
    throw SetupError(describe_open_failure(path, errbuf));
  }
  check_link_type();
  if (path != standard_input) _reopen = [path] { return std::fopen(path.c_str(), "rb"); };
}

PcapFileReader::PcapFileReader(std::span<const uint8_t> bytes, const std::string& name) : _path(name) {
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  _reopen = [bytes] { return ::fmemopen(const_cast<uint8_t*>(bytes.data()), bytes.size(), "rb"); };
  std::FILE* stream = _reopen();
  if (stream == nullptr) throw SetupError(quoted(name) + ": fmemopen failed");
  _pcap = pcap_fopen_offline_with_tstamp_precision(stream, PCAP_TSTAMP_PRECISION_NANO, errbuf);
  if (_pcap == nullptr) {
    std::fclose(stream);
    throw SetupError(quoted(name) + " is not a readable capture: " + errbuf);
  }
  check_link_type();
}

void PcapFileReader::check_link_type() {
  const int dlt = pcap_datalink(_pcap);
  const auto link = decode::link_type_from_dlt(dlt);
  if (!link) {
    const char* name = pcap_datalink_val_to_name(dlt);
    pcap_close(_pcap);
    _pcap = nullptr;
    throw SetupError(quoted(_path) + ": link type " + std::to_string(dlt) + " (" +
                     (name ? name : "unnamed") +
                     ") is not supported; supported: Ethernet, Linux SLL/SLL2, raw IP, BSD NULL/LOOP, PPP, "
                     "Cisco HDLC, IP over InfiniBand, NFLOG");
  }
  _link_type = *link;
}

PcapFileReader::~PcapFileReader() {
  if (_pcap) pcap_close(_pcap);
}

void PcapFileReader::set_filter(const std::string& expression) {
  _filter = BpfFilter::compile(_pcap, expression);
  _filter_expression = expression;
}

void PcapFileReader::on_pcap_frame(unsigned char* context, const pcap_pkthdr* header,
                                   const unsigned char* data) noexcept {
  auto& c = *reinterpret_cast<DispatchContext*>(context);
  PcapFileReader& self = *c.reader;
  ++self._frames_read;
  self._bytes_read += header->len;
  if (!self._filter.matches(data, header->caplen, header->len)) {
    ++self._frames_filtered_out;
    return;
  }
  // Opened with nanosecond precision: tv_usec holds nanoseconds.
  const decode::FrameView frame{data, header->caplen, header->len,
                                uint64_t(header->ts.tv_sec) * 1'000'000'000ull + uint64_t(header->ts.tv_usec)};
  if (!c.fn(c.fn_context, frame)) {
    c.stopped = true;
    pcap_breakloop(self._pcap);
  }
}

ReadResult PcapFileReader::dispatch(int max_frames, FrameFn fn, void* fn_context) noexcept {
  DispatchContext context{this, fn, fn_context, false};
  // The filter is applied in on_pcap_frame, not by libpcap, so max_frames counts every
  // frame read and filtered-out frames are counted.
  if (_pcapng) return dispatch_pcapng(max_frames, fn, fn_context);
  const int rc = pcap_dispatch(_pcap, max_frames, on_pcap_frame, reinterpret_cast<unsigned char*>(&context));
  if (context.stopped) return ReadResult::end;
  if (rc > 0) return ReadResult::frame;
  if (rc == 0 || rc == PCAP_ERROR_BREAK) return ReadResult::end;
  // libpcap's words for a second interface with another link type or snap length.
  if (std::strstr(pcap_geterr(_pcap), "different from the") != nullptr && switch_to_pcapng())
    return ReadResult::frame;
  _damage = "capture file " + quoted(_path) + " is damaged after frame " + std::to_string(_frames_read) +
            ": " + pcap_geterr(_pcap);
  return ReadResult::damaged;
}

bool PcapFileReader::switch_to_pcapng() noexcept {
  if (!_reopen) return false;  // standard input cannot be read again
  try {
    std::FILE* stream = _reopen();
    if (stream == nullptr) return false;
    _pcapng = std::make_unique<PcapngReader>(stream);
    PcapngPacket packet;
    for (uint64_t skipped = 0; skipped < _frames_read; ++skipped)
      if (_pcapng->next(packet) != PcapngReader::Next::packet) {
        _pcapng.reset();
        return false;
      }
    describe_pcapng_interfaces();
  } catch (const std::exception&) {
    _pcapng.reset();  // a filter that compiles for the first link type but not another
    return false;
  }
  return true;
}

void PcapFileReader::describe_pcapng_interfaces() {
  _interfaces.clear();
  for (const PcapngInterface& i : _pcapng->interfaces()) {
    // An interface ringtrack cannot decode: its frames are counted, not decoded.
    InterfaceReading reading{decode::link_type_from_dlt(i.dlt).value_or(decode::LinkType::unsupported), {}};
    if (!_filter_expression.empty() && reading.link != decode::LinkType::unsupported) {
      pcap_t* dead = pcap_open_dead(i.dlt, i.snap_bytes != 0 ? int(i.snap_bytes) : 262144);
      try {
        reading.filter = BpfFilter::compile(dead, _filter_expression);
      } catch (...) {
        pcap_close(dead);
        throw;
      }
      pcap_close(dead);
    }
    _interfaces.push_back(std::move(reading));
  }
  _interfaces_version = _pcapng->interfaces_version();
}

ReadResult PcapFileReader::dispatch_pcapng(int max_frames, FrameFn fn, void* fn_context) noexcept {
  PcapngPacket packet;
  for (int n = 0; n < max_frames; ++n) {
    const PcapngReader::Next next = _pcapng->next(packet);
    if (next == PcapngReader::Next::end) return ReadResult::end;
    if (next == PcapngReader::Next::damaged) {
      _damage = "capture file " + quoted(_path) + " is damaged after frame " + std::to_string(_frames_read) +
                ": " + _pcapng->damage();
      return ReadResult::damaged;
    }
    if (_pcapng->interfaces_version() != _interfaces_version) {
      try {
        describe_pcapng_interfaces();
      } catch (const std::exception& e) {
        _damage = "capture file " + quoted(_path) + ": the filter does not apply to a later interface: " + e.what();
        return ReadResult::damaged;
      }
    }
    ++_frames_read;
    _bytes_read += packet.wire_bytes;
    const InterfaceReading& reading = _interfaces[packet.interface];
    // A filter says nothing about frames of a link type ringtrack cannot decode.
    if (!reading.filter.matches(packet.data, packet.captured_bytes, packet.wire_bytes) ||
        (reading.link == decode::LinkType::unsupported && !_filter_expression.empty())) {
      ++_frames_filtered_out;
      continue;
    }
    _link_type = reading.link;
    const decode::FrameView frame{packet.data, packet.captured_bytes, packet.wire_bytes, packet.ts_ns};
    if (!fn(fn_context, frame)) return ReadResult::end;
  }
  return ReadResult::frame;
}

}  // namespace ringtrack::capture
