// Owns: the scenario table (name, entry point, accepted options) and the context scenarios run with.
// Does not own: the traffic of any scenario (one scenario_*.cpp file each).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "cli_options.hpp"
#include "pcap_writer.hpp"
#include "rng.hpp"
#include "session_traffic.hpp"

namespace ringtrack::pcapgen {

struct ScenarioContext {
  const CliOptions& options;
  TrafficContext& traffic;
  Rng random;  // seeded from --seed; scenarios fork() it per purpose
};

using ScenarioRun = void (*)(ScenarioContext&);

namespace scenario_accepts {
inline constexpr uint8_t conns = 1;
inline constexpr uint8_t packets = 2;
inline constexpr uint8_t count = 4;
inline constexpr uint8_t established = 8;
}  // namespace scenario_accepts

/// both: every run mixes IPv4 and IPv6; ipv4_only; either: --ipv6 picks IPv6.
enum class ScenarioFamily : uint8_t { both, ipv4_only, either };

/// Checks that need several options together, run before any file is opened.
using ScenarioCheck = void (*)(const CliOptions&);

struct ScenarioEntry {
  std::string_view name;
  ScenarioRun run;
  uint8_t accepts;  // scenario_accepts bits
  ScenarioFamily family;
  bool needs_vlan_link;  // tags need an EtherType: ether, sll or sll2
  ScenarioCheck check = nullptr;
  bool two_interfaces = false;  // writes pcapng: interface 0 is --link, interface 1 second_interface_of it
};

/// The second interface of a two-interface scenario: another link type than --link (raw IP,
/// or Ethernet when --link is raw) and a snap length that cuts full-size segments.
CaptureInterface second_interface_of(const CliOptions& options) noexcept;

std::span<const ScenarioEntry> all_scenarios() noexcept;

/// The scenario called name; throws UsageError listing the valid names.
const ScenarioEntry& find_scenario(std::string_view name);

/// Rejects options the scenario would ignore and link types it cannot express.
void check_scenario_options(const ScenarioEntry& scenario, const CliOptions& options);

/// bench: --packets must cover 3 handshake and 3 close frames per connection.
void check_bench_options(const CliOptions& options);

void run_mixed(ScenarioContext& context);
void run_vlan(ScenarioContext& context);
void run_qinq(ScenarioContext& context);
void run_qinqinq(ScenarioContext& context);
void run_frag(ScenarioContext& context);
void run_reuse(ScenarioContext& context);
void run_srcroute(ScenarioContext& context);
void run_states(ScenarioContext& context);
void run_many(ScenarioContext& context);
void run_bench(ScenarioContext& context);
void run_synflood(ScenarioContext& context);
void run_malformed(ScenarioContext& context);
void run_teredo(ScenarioContext& context);
void run_tunnel_overlap(ScenarioContext& context);
void run_gtp_bearers(ScenarioContext& context);
void run_tunnel_nest(ScenarioContext& context);
void run_interfaces(ScenarioContext& context);

}  // namespace ringtrack::pcapgen
