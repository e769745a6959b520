// Owns: ringtrack-blast's command line, its sender threads (pinned one per CPU with --cpus),
// pacing, stopping, and the one-line JSON report.
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
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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
    "Sends FILE's Ethernet frames onto IFACE in a loop, from N threads, then prints one\n"
    "JSON line: frames sent in total and per sender, sends retried for want of room,\n"
    "seconds, rate. A send the kernel refuses ends the run: one line, exit status 1.\n"
    "  --pps 0 (default): as fast as each sender goes; --seconds 5 unless --count is given\n"
    "  --frames: only FILE's frames FIRST to LAST-1, counted from 0 (say, no handshakes)\n";

// Frames per sendmmsg: amortises the system call, small enough that pacing stays smooth.
constexpr unsigned batch_frames = 64;
// A paced sender that fell behind (descheduled, say) catches up at most this much at full
// speed, so a stall does not turn into a burst.
constexpr uint64_t max_lag_ns = 2'000'000;
// Longest single sleep while paced: stop requests and the end time are noticed this fast.
constexpr uint64_t max_sleep_ns = 10'000'000;

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
    if (end == text || *end != '\0' || !(value >= 0 && value <= 1e15))
      throw std::invalid_argument(std::string("bad ") + what + ": " + text);
    return value;
  };
  opterr = 0;  // one line of ours instead of getopt's and ours
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
      default: throw std::invalid_argument(std::string("unknown option or missing value: ") + argv[optind - 1]);
    }
  }
  if (o.interface.empty() || o.file.empty()) throw std::invalid_argument("-i IFACE and -r FILE are required");
  if (optind != argc) throw std::invalid_argument(std::string("unexpected argument: ") + argv[optind]);
  if (o.senders == 0) throw std::invalid_argument("--senders must be at least 1");
  if (o.pps != 0 && o.pps < o.senders) throw std::invalid_argument("--pps must be at least --senders");
  if (o.count != 0 && o.count < o.senders) throw std::invalid_argument("--count must be at least --senders");
  if (o.seconds == 0 && o.count == 0) o.seconds = 5;
  return o;
}

uint64_t now_ns() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return uint64_t(t.tv_sec) * 1'000'000'000u + uint64_t(t.tv_nsec);
}

// One sender's loop: a batch, then (when paced) a wait until the next batch is due.
void run_sender(blast::PacketSender& sender, const std::string& interface, int cpu, uint64_t start_ns,
                uint64_t end_ns, uint64_t pps, uint64_t quota, std::string& failure) {
  // failure: why this sender gave up, for main to print (written before the thread ends;
  // join orders it).
  try {
    if (cpu >= 0) os::pin_current_thread(cpu);
  } catch (const std::exception& e) {
    failure = e.what();
    stop_requested.store(true, std::memory_order_relaxed);
    return;
  }
  while (now_ns() < start_ns) {
  }
  const double ns_per_frame = pps ? 1e9 / double(pps) : 0;
  // Paced slowly, smaller batches: about a millisecond's worth, so the rate holds at any scale.
  const unsigned batch = pps == 0 ? batch_frames : unsigned(std::clamp<uint64_t>(pps / 1000, 1, batch_frames));
  double due = double(start_ns);  // when the next batch may go (paced)
  uint64_t sent = 0;
  for (;;) {
    if (stop_requested.load(std::memory_order_relaxed)) break;
    if (quota != 0 && sent >= quota) break;
    const uint64_t now = now_ns();
    if (end_ns != 0 && now >= end_ns) break;
    if (pps != 0) {
      if (double(now) < due) {
        const uint64_t wait = std::min<uint64_t>(uint64_t(due - double(now)), max_sleep_ns);
        if (wait > 200'000) std::this_thread::sleep_for(std::chrono::nanoseconds(wait - 100'000));
        continue;
      }
      if (double(now) - due > double(max_lag_ns)) due = double(now - max_lag_ns);
    }
    unsigned want = batch;
    if (quota != 0 && quota - sent < want) want = unsigned(quota - sent);
    const int took = sender.send_batch(want);
    if (took < 0) [[unlikely]] {
      failure = "sendmmsg on " + interface + ": " + std::strerror(errno);
      stop_requested.store(true, std::memory_order_relaxed);
      return;
    }
    sent += unsigned(took);
    due += double(took) * ns_per_frame;
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
    std::vector<std::string> failures(o.senders);
    for (unsigned i = 0; i < o.senders; ++i) {
      const uint64_t pps = o.pps / o.senders + (i < o.pps % o.senders ? 1 : 0);
      const uint64_t quota = o.count / o.senders + (i < o.count % o.senders ? 1 : 0);
      threads.emplace_back(run_sender, std::ref(*senders[i]), std::cref(o.interface), cpus.empty() ? -1 : cpus[i],
                           start_ns, end_ns, pps, quota, std::ref(failures[i]));
    }
    for (auto& t : threads) t.join();
    for (const std::string& f : failures)
      if (!f.empty()) throw std::runtime_error(f);
    const double seconds = double(now_ns() - start_ns) / 1e9;
    uint64_t sent = 0, retries = 0;
    std::string per_sender;
    for (const auto& s : senders) {
      sent += s->counts().sent_frames;
      retries += s->counts().send_retries;
      if (!per_sender.empty()) per_sender += ',';
      per_sender += std::to_string(s->counts().sent_frames);
    }
    std::printf("{\"senders\":%u,\"sent_frames\":%llu,\"send_retries\":%llu,\"seconds\":%.3f,\"pps\":%.0f,"
                "\"per_sender\":[%s]}\n",
                o.senders, (unsigned long long)sent, (unsigned long long)retries, seconds, double(sent) / seconds,
                per_sender.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ringtrack-blast: %s\n", e.what());
    return 1;
  }
}
