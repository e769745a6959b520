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
}

PcapFileReader::PcapFileReader(std::FILE* stream, const std::string& name) : _path(name) {
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  _pcap = pcap_fopen_offline_with_tstamp_precision(stream, PCAP_TSTAMP_PRECISION_NANO, errbuf);
  if (_pcap == nullptr) {
    std::fclose(stream);
    throw SetupError(quoted(name) + " is not a readable capture: " + errbuf);
  }
  check_link_type();
}

void PcapFileReader::check_link_type() {
  const std::string& path = _path;
  const int dlt = pcap_datalink(_pcap);
  const auto link = decode::link_type_from_dlt(dlt);
  if (!link) {
    const char* name = pcap_datalink_val_to_name(dlt);
    pcap_close(_pcap);
    _pcap = nullptr;
    throw SetupError(quoted(path) + ": link type " + std::to_string(dlt) + " (" +
                     (name ? name : "unnamed") +
                     ") is not supported; supported: Ethernet, Linux SLL/SLL2, raw IP, BSD NULL/LOOP");
  }
  _link_type = *link;
}

PcapFileReader::~PcapFileReader() {
  if (_pcap) pcap_close(_pcap);
}

void PcapFileReader::set_filter(const std::string& expression) {
  _filter = BpfFilter::compile(_pcap, expression);
}

void PcapFileReader::on_pcap_frame(unsigned char* context, const pcap_pkthdr* header,
                                   const unsigned char* data) noexcept {
  auto& c = *reinterpret_cast<DispatchContext*>(context);
  PcapFileReader& self = *c.reader;
  ++self._frames_read;
  if (!self._filter.matches(data, header->caplen, header->len)) {
    ++self._frames_filtered_out;
    return;
  }
  decode::FrameView frame;
  frame.data = data;
  frame.captured_bytes = header->caplen;
  frame.wire_bytes = header->len;
  // Opened with nanosecond precision: tv_usec holds nanoseconds.
  frame.ts_ns = uint64_t(header->ts.tv_sec) * 1'000'000'000ull + uint64_t(header->ts.tv_usec);
  frame.stripped_vlan_id = -1;
  if (!c.fn(c.fn_context, frame)) {
    c.stopped = true;
    pcap_breakloop(self._pcap);
  }
}

ReadResult PcapFileReader::dispatch(int max_frames, FrameFn fn, void* fn_context) noexcept {
  DispatchContext context{this, fn, fn_context, false};
  // The filter is applied in on_pcap_frame, not by libpcap, so max_frames counts every
  // frame read and filtered-out frames are counted.
  const int rc = pcap_dispatch(_pcap, max_frames, on_pcap_frame, reinterpret_cast<unsigned char*>(&context));
  if (context.stopped) return ReadResult::end;
  if (rc > 0) return ReadResult::frame;
  if (rc == 0 || rc == PCAP_ERROR_BREAK) return ReadResult::end;
  _damage = "capture file " + quoted(_path) + " is damaged after frame " + std::to_string(_frames_read) +
            ": " + pcap_geterr(_pcap);
  return ReadResult::damaged;
}

}  // namespace ringtrack::capture
