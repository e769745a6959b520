// Owns: ringtrack-blast's command line, its sender threads (one pinned per CPU), pacing,
// stopping, and the one-line JSON report.
// Does not own: the frames (frame_deck) or the socket (packet_sender).
//
// A load generator for the live capture benchmarks: replays an Ethernet capture's frames
// onto an interface (the namespace end of a veth pair) from several cores at once, as fast
// as they go or at a set total rate, for a time or a frame count.
#include <getopt.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "frame_deck.hpp"
#include "os/cpu_set.hpp"
#include "packet_sender.hpp"

namespace {

using namespace ringtrack;

constexpr const char* usage =
    "Usage: ringtrack-blast -i IFACE -r FILE [--senders N] [--cpus LIST] [--seconds S]\n"
    "                       [--pps TOTAL] [--count TOTAL] [--frames FIRST-LAST]\n"
    "Sends FILE's Ethernet frames onto IFACE in a loop, from N pinned threads, then prints\n"
    "one JSON line: frames sent in total and per sender, refused sends, seconds, rate.\n"
    "  --pps 0 (default): as fast as each sender goes; --seconds 5 unless --count is given\n"
    "  --frames: only FILE's frames FIRST to LAST-1, counted from 0 (say, no handshakes)\n";

// Frames per sendmmsg: amortises the system call, small enough that pacing stays smooth.
constexpr unsigned batch_frames = 64;

std::atomic<bool> stop_requested{false};  // relaxed: a flag polled once per batch

struct Options {
  std::string interface, file, cpus;
  unsigned senders = 1;
  double seconds = 0;
  uint64_t pps = 0, count = 0;
  uint64_t first_frame = 0, last_frame = 0;
};

Options parse(int argc, char** argv) {
  static const option longs[] = {{"senders", required_argument, nullptr, 'n'},
                                 {"cpus", required_argument, nullptr, 'c'},
                                 {"seconds", required_argument, nullptr, 's'},
                                 {"pps", required_argument, nullptr, 'p'},
                                 {"count", required_argument, nullptr, 'N'},
                                 {"frames", required_argument, nullptr, 'F'},
                                 {"help", no_argument, nullptr, 'h'},
                                 {nullptr, 0, nullptr, 0}};
  Options o;
  int c = 0;
  auto number = [](const char* text, const char* what) {
    char* end = nullptr;
    const double value = std::strtod(text, &end);
    if (end == text || *end != '\0' || value < 0) throw std::invalid_argument(std::string("bad ") + what + ": " + text);
    return value;
  };
  while ((c = getopt_long(argc, argv, "i:r:h", longs, nullptr)) != -1) {
    switch (c) {
      case 'i': o.interface = optarg; break;
      case 'r': o.file = optarg; break;
      case 'n': o.senders = unsigned(number(optarg, "--senders")); break;
      case 'c': o.cpus = optarg; break;
      case 's': o.seconds = number(optarg, "--seconds"); break;
      case 'p': o.pps = uint64_t(number(optarg, "--pps")); break;
      case 'N': o.count = uint64_t(number(optarg, "--count")); break;
      case 'F': {
        const std::string range = optarg;
        const auto dash = range.find('-');
        if (dash == std::string::npos) throw std::invalid_argument("--frames wants FIRST-LAST: " + range);
        o.first_frame = uint64_t(number(range.substr(0, dash).c_str(), "--frames"));
        o.last_frame = uint64_t(number(range.substr(dash + 1).c_str(), "--frames"));
        if (o.last_frame <= o.first_frame) throw std::invalid_argument("--frames: LAST must exceed FIRST: " + range);
        break;
      }
      case 'h': std::fputs(usage, stdout); std::exit(0);
      default: throw std::invalid_argument("unknown option");
    }
  }
  if (o.interface.empty() || o.file.empty()) throw std::invalid_argument("-i IFACE and -r FILE are required");
  if (optind != argc) throw std::invalid_argument(std::string("unexpected argument: ") + argv[optind]);
  if (o.senders == 0) throw std::invalid_argument("--senders must be at least 1");
  if (o.seconds == 0 && o.count == 0) o.seconds = 5;
  return o;
}

uint64_t now_ns() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return uint64_t(t.tv_sec) * 1'000'000'000u + uint64_t(t.tv_nsec);
}

// One sender's loop: a batch, then (when paced) a wait until the next batch is due.
void run_sender(blast::PacketSender& sender, int cpu, uint64_t start_ns, uint64_t end_ns, uint64_t pps,
                uint64_t quota) {
  if (cpu >= 0) os::pin_current_thread(cpu);
  while (now_ns() < start_ns) {
  }
  const double ns_per_frame = pps ? 1e9 / double(pps) : 0;
  uint64_t sent = 0;
  for (;;) {
    if (stop_requested.load(std::memory_order_relaxed)) break;
    if (quota != 0 && sent >= quota) break;
    const uint64_t now = now_ns();
    if (end_ns != 0 && now >= end_ns) break;
    if (pps != 0) {
      const uint64_t due = start_ns + uint64_t(double(sent) * ns_per_frame);
      if (now < due) {
        if (due - now > 200'000) std::this_thread::sleep_for(std::chrono::nanoseconds(due - now - 100'000));
        continue;
      }
    }
    unsigned want = batch_frames;
    if (quota != 0 && quota - sent < want) want = unsigned(quota - sent);
    sent += sender.send_batch(want);
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  try {
    o = parse(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ringtrack-blast: %s\n%s", e.what(), usage);
    return 2;
  }
  std::signal(SIGINT, [](int) { stop_requested.store(true, std::memory_order_relaxed); });
  std::signal(SIGTERM, [](int) { stop_requested.store(true, std::memory_order_relaxed); });
  try {
    std::vector<int> cpus;
    if (!o.cpus.empty()) {
      cpus = os::parse_cpu_list(o.cpus, os::allowed_cpus());
      if (cpus.size() < o.senders) throw std::runtime_error("--cpus names fewer CPUs than --senders");
    }
    const blast::FrameDeck deck(o.file, o.first_frame, o.last_frame);
    std::vector<std::unique_ptr<blast::PacketSender>> senders;
    for (unsigned i = 0; i < o.senders; ++i)
      senders.push_back(std::make_unique<blast::PacketSender>(o.interface, deck, deck.size() * i / o.senders));
    // Every sender starts at the same instant, 50 ms from now, once all are pinned.
    const uint64_t start_ns = now_ns() + 50'000'000;
    const uint64_t end_ns = o.seconds > 0 ? start_ns + uint64_t(o.seconds * 1e9) : 0;
    std::vector<std::thread> threads;
    for (unsigned i = 0; i < o.senders; ++i) {
      const uint64_t pps = o.pps / o.senders + (i < o.pps % o.senders ? 1 : 0);
      const uint64_t quota = o.count / o.senders + (i < o.count % o.senders ? 1 : 0);
      threads.emplace_back(run_sender, std::ref(*senders[i]), cpus.empty() ? -1 : cpus[i], start_ns, end_ns, pps,
                           o.count != 0 ? std::max<uint64_t>(quota, 1) : 0);
    }
    for (auto& t : threads) t.join();
    const double seconds = double(now_ns() - start_ns) / 1e9;
    uint64_t sent = 0, errors = 0;
    std::string per_sender;
    for (const auto& s : senders) {
      sent += s->counts().sent_frames;
      errors += s->counts().send_errors;
      if (!per_sender.empty()) per_sender += ',';
      per_sender += std::to_string(s->counts().sent_frames);
    }
    std::printf("{\"senders\":%u,\"sent_frames\":%llu,\"send_errors\":%llu,\"seconds\":%.3f,\"pps\":%.0f,"
                "\"per_sender\":[%s]}\n",
                o.senders, (unsigned long long)sent, (unsigned long long)errors, seconds, double(sent) / seconds,
                per_sender.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ringtrack-blast: %s\n", e.what());
    return 1;
  }
}
