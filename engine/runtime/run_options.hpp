// Owns: everything a run is asked to do, in one struct that flows from the command line
// to the rings and the shards (frontend fills it; nothing copies it field by field).
// Does not own: parsing (frontend/cli_options) or acting on it (session).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "capture/rx_ring.hpp"
#include "flow/flow_config.hpp"

namespace ringtrack::runtime {

/// How the kernel spreads packets over live readers (PACKET_FANOUT modes).
enum class FanoutKind : uint8_t {
  hash,  ///< by flow hash, fragments reassembled: each connection stays with one reader
  cpu,   ///< by the CPU that received it: records are handed to their shard in user space
  qm,    ///< by the NIC's queue mapping: likewise
  lb,    ///< round robin: likewise
};

struct RunOptions {
  std::string interface;  ///< live: read this interface's rings
  std::string file;       ///< or a capture file ("-": standard input)
  std::string filter;     ///< libpcap expression; empty = everything
  uint32_t shards = 0;    ///< readers (live) or shard threads (file); 0 = from the CPUs
  std::string cpus;       ///< live: reader CPUs, "0-3,8"; empty: the CPUs this process may use
  FanoutKind fanout = FanoutKind::hash;
  /// live: ring_bytes, block_bytes, promiscuous; plan_live_capture fills in the
  /// interface, its index and the fanout mode.
  capture::RingConfig ring;
  uint64_t max_flows = 1 << 20;  ///< over all shards
  flow::FlowConfig flow;
  uint64_t hash_seed = 0;  ///< flow hash key; 0 = random per run
  uint64_t interval_ns = 0;  ///< interim reports: capture time (file) or wall clock (live); 0 = none
  /// Active-timeout reports for exporters only (same clocks as interval_ns); 0 = none.
  uint64_t active_timeout_ns = 0;
  /// Counters-only reports (ReportWriter::counters) every this much wall-clock time, live
  /// or from a file; 0 = none. The metrics endpoint's freshness.
  uint64_t counters_period_ns = 0;
  uint64_t duration_ns = 0;  ///< live: stop after this long; 0 = until stopped
  uint64_t count = 0;        ///< live: stop after this many TCP packets; 0 = no limit
  std::string drop_to_user;  ///< -Z: after the sockets are open
  /// A file on screen is replayed paced by its timestamps at replay_speed capture seconds
  /// per wall second (0 = as fast as possible); its clock stops at the last packet.
  bool paced = false;
  double replay_speed = 1.0;
  uint32_t slow_consumer_us = 0;  ///< test hook: a live reader sleeps this long per block
  const std::atomic<bool>* stop_signal = nullptr;  ///< SIGINT/SIGTERM/SIGHUP: end, with the final report
  /// One-line notices (ring shrunk, interface down/up) for stderr or a status line.
  std::function<void(const std::string&)> notice;
  /// Called once every live reader captures (tests and scripts wait for it).
  std::function<void(const std::string&)> on_started;

  bool live() const noexcept { return !interface.empty(); }
};

}  // namespace ringtrack::runtime
