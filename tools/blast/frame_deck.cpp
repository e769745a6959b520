// Owns: loading a capture's frames with libpcap into one buffer.
// Does not own: what the frames hold (tools/pcapgen writes them).
#include "frame_deck.hpp"

#include <pcap/pcap.h>

#include <memory>
#include <stdexcept>

namespace ringtrack::blast {

FrameDeck::FrameDeck(const std::string& path, uint64_t first, uint64_t last) {
  char error[PCAP_ERRBUF_SIZE] = {};
  std::unique_ptr<pcap_t, decltype(&pcap_close)> file(pcap_open_offline(path.c_str(), error), &pcap_close);
  if (!file) {
    const std::string why = error;  // libpcap names the path itself for a missing file
    throw std::runtime_error(why.starts_with(path) ? why : path + ": " + why);
  }
  if (pcap_datalink(file.get()) != DLT_EN10MB) throw std::runtime_error(path + ": not an Ethernet capture");
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // offsets first: _bytes grows
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  int got = 0;
  for (uint64_t n = 0; (last == 0 || n < last) && (got = pcap_next_ex(file.get(), &header, &data)) == 1; ++n) {
    if (n < first) continue;
    spans.emplace_back(_bytes.size(), header->caplen);
    _bytes.insert(_bytes.end(), data, data + header->caplen);
  }
  if (got == PCAP_ERROR) throw std::runtime_error(path + ": " + pcap_geterr(file.get()));
  if (spans.empty()) throw std::runtime_error(path + ": no frames in the range given");
  _frames.reserve(spans.size());
  for (const auto& [offset, length] : spans) _frames.push_back(iovec{_bytes.data() + offset, length});
}

}  // namespace ringtrack::blast
