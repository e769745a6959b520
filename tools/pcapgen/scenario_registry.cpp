// Owns: the table of scenarios and the per-scenario option checks.
// Does not own: any scenario's traffic.
#include "scenarios.hpp"

#include <array>
#include <string>

namespace ringtrack::pcapgen {
namespace {

namespace accepts = scenario_accepts;

using Family = ScenarioFamily;

constexpr std::array<ScenarioEntry, 17> scenarios{{
    {"mixed", run_mixed, accepts::conns, Family::both, false},
    {"vlan", run_vlan, 0, Family::both, true},
    {"qinq", run_qinq, 0, Family::both, true},
    {"qinqinq", run_qinqinq, 0, Family::both, true},
    {"frag", run_frag, 0, Family::both, false},
    {"reuse", run_reuse, 0, Family::either, false},
    {"srcroute", run_srcroute, 0, Family::ipv4_only, false},
    {"states", run_states, 0, Family::either, false},
    {"many", run_many, accepts::conns, Family::either, false},
    {"bench", run_bench, accepts::conns | accepts::packets, Family::either, false, check_bench_options},
    {"synflood", run_synflood, accepts::count | accepts::established, Family::ipv4_only, false},
    {"malformed", run_malformed, accepts::count, Family::both, false},
    {"teredo", run_teredo, 0, Family::both, false},
    {"tunnel-overlap", run_tunnel_overlap, 0, Family::ipv4_only, false},
    {"gtp-bearers", run_gtp_bearers, 0, Family::ipv4_only, false},
    {"tunnel-nest", run_tunnel_nest, 0, Family::both, false},
    {"interfaces", run_interfaces, 0, Family::both, false, nullptr, true},
}};

void reject_unless(bool given, uint8_t accepted, uint8_t bit, const ScenarioEntry& scenario, std::string_view option) {
  if (given && (accepted & bit) == 0) {
    throw UsageError("scenario " + std::string(scenario.name) + " does not take " + std::string(option));
  }
}

}  // namespace

std::span<const ScenarioEntry> all_scenarios() noexcept { return scenarios; }

const ScenarioEntry& find_scenario(std::string_view name) {
  for (const ScenarioEntry& scenario : scenarios) {
    if (scenario.name == name) {
      return scenario;
    }
  }
  std::string names;
  for (const ScenarioEntry& scenario : scenarios) {
    names += names.empty() ? "" : ", ";
    names += scenario.name;
  }
  throw UsageError("unknown scenario '" + std::string(name) + "' (one of: " + names + ")");
}

void check_scenario_options(const ScenarioEntry& scenario, const CliOptions& options) {
  reject_unless(options.conns.has_value(), scenario.accepts, accepts::conns, scenario, "--conns");
  reject_unless(options.packets.has_value(), scenario.accepts, accepts::packets, scenario, "--packets");
  reject_unless(options.count.has_value(), scenario.accepts, accepts::count, scenario, "--count");
  reject_unless(options.established.has_value(), scenario.accepts, accepts::established, scenario, "--established");
  if (options.ipv6 && scenario.family != Family::either) {
    throw UsageError("scenario " + std::string(scenario.name) + " does not take --ipv6 (" +
                     (scenario.family == Family::both ? "it always mixes IPv4 and IPv6)" : "it is IPv4 only)"));
  }
  if (scenario.needs_vlan_link && !frames::link_carries_vlan_tags(options.link)) {
    throw UsageError("scenario " + std::string(scenario.name) + " needs VLAN tags, which --link " +
                     std::string(frames::link_type_name(options.link)) + " cannot carry (use ether, sll or sll2)");
  }
  if (scenario.check != nullptr) {
    scenario.check(options);
  }
}

}  // namespace ringtrack::pcapgen
