// Owns: the table of scenarios and the per-scenario option checks.
// Does not own: any scenario's traffic.
#include "scenarios.hpp"

#include <array>
#include <string>

namespace pcapgen {
namespace {

namespace accepts = scenario_accepts;

using family = scenario_family;

constexpr std::array<scenario_entry, 10> scenarios{{
    {"mixed", run_mixed, accepts::conns, family::both, false},
    {"vlan", run_vlan, 0, family::both, true},
    {"qinq", run_qinq, 0, family::both, true},
    {"frag", run_frag, 0, family::both, false},
    {"reuse", run_reuse, 0, family::either, false},
    {"states", run_states, 0, family::either, false},
    {"many", run_many, accepts::conns, family::either, false},
    {"bench", run_bench, accepts::conns | accepts::packets, family::either, false, check_bench_options},
    {"synflood", run_synflood, accepts::count | accepts::established, family::ipv4_only, false},
    {"malformed", run_malformed, accepts::count, family::both, false},
}};

void reject_unless(bool given, std::uint8_t accepted, std::uint8_t bit, const scenario_entry& scenario,
                   std::string_view option) {
    if (given && (accepted & bit) == 0) {
        throw usage_error("scenario " + std::string(scenario.name) + " does not take " + std::string(option));
    }
}

}  // namespace

std::span<const scenario_entry> all_scenarios() noexcept { return scenarios; }

const scenario_entry& find_scenario(std::string_view name) {
    for (const scenario_entry& scenario : scenarios) {
        if (scenario.name == name) {
            return scenario;
        }
    }
    std::string names;
    for (const scenario_entry& scenario : scenarios) {
        names += names.empty() ? "" : ", ";
        names += scenario.name;
    }
    throw usage_error("unknown scenario '" + std::string(name) + "' (one of: " + names + ")");
}

void check_scenario_options(const scenario_entry& scenario, const cli_options& options) {
    reject_unless(options.conns.has_value(), scenario.accepts, accepts::conns, scenario, "--conns");
    reject_unless(options.packets.has_value(), scenario.accepts, accepts::packets, scenario, "--packets");
    reject_unless(options.count.has_value(), scenario.accepts, accepts::count, scenario, "--count");
    reject_unless(options.established.has_value(), scenario.accepts, accepts::established, scenario, "--established");
    if (options.ipv6 && scenario.family != family::either) {
        throw usage_error("scenario " + std::string(scenario.name) + " does not take --ipv6 (" +
                          (scenario.family == family::both ? "it always mixes IPv4 and IPv6)" : "it is IPv4 only)"));
    }
    if (scenario.needs_vlan_link && !link_carries_vlan_tags(options.link)) {
        throw usage_error("scenario " + std::string(scenario.name) + " needs VLAN tags, which --link " +
                          std::string(link_type_name(options.link)) + " cannot carry (use ether, sll or sll2)");
    }
    if (scenario.check != nullptr) {
        scenario.check(options);
    }
}

}  // namespace pcapgen
