// Owns: ringtrack's command line: tcptrack's short options with their meaning, the long
// options that add the rest, validation, and the -h text.
// Does not own: acting on them (main, runtime).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "flow/flow_config.hpp"

namespace ringtrack::frontend {

/// A bad command line: what() is one line; main adds the -h hint and exits 2.
class UsageError : public std::runtime_error {
 public:
  explicit UsageError(const std::string& message) : std::runtime_error(message) {}
};

enum class OutputFormat { text, json };
enum class FanoutMode { hash, cpu, qm, lb };

struct Options {
  bool help = false;
  bool version = false;
  std::string interface;          ///< -i
  std::string file;               ///< -T
  std::string filter;             ///< trailing words, joined
  bool batch = false;
  OutputFormat format = OutputFormat::text;
  double interval_s = 0;          ///< --interval: interim reports (0 = only at the end)
  double duration_s = 0;          ///< --duration: live capture stops after this (0 = never)
  uint64_t count = 0;             ///< --count: live capture stops after this many TCP packets
  uint32_t threads = 0;           ///< --threads: readers/shards; 0 = online CPUs
  std::string cpus;               ///< --cpus: CPU list for readers ("0-3,8")
  FanoutMode fanout = FanoutMode::hash;
  uint32_t ring_mb = 64;          ///< --ring-mb: per reader
  uint32_t block_kb = 1024;       ///< --block-kb
  uint64_t max_flows = 1 << 20;   ///< --max-flows: over all shards
  bool promiscuous = true;        ///< -p clears it
  std::string user;               ///< -Z: drop privileges after opening sockets
  double replay_speed = 1.0;      ///< --speed: -T on screen; 0 = as fast as possible
  uint64_t seed = 0;              ///< --seed: flow hash seed; 0 = random per run
  bool verbose = false;
  uint32_t slow_reader_us = 0;    ///< --slow-reader-us: test hook, a reader sleeps per block
  flow::FlowConfig flow;
};

/// Parses argv; throws UsageError. -h/-v set help/version and skip the other checks.
Options parse_options(int argc, char** argv);

/// The -h text (fits a 24-line terminal, with the prompt).
const char* usage_text();

}  // namespace ringtrack::frontend
