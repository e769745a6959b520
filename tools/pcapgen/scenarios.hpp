// Owns: the scenario table (name, entry point, accepted options) and the context scenarios run with.
// Does not own: the traffic of any scenario (one scenario_*.cpp file each).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "cli_options.hpp"
#include "rng.hpp"
#include "session_traffic.hpp"

namespace pcapgen {

struct scenario_context {
    const cli_options& options;
    traffic_context& traffic;
    rng random;  // seeded from --seed; scenarios fork() it per purpose
};

using scenario_run = void (*)(scenario_context&);

namespace scenario_accepts {
inline constexpr std::uint8_t conns = 1;
inline constexpr std::uint8_t packets = 2;
inline constexpr std::uint8_t count = 4;
inline constexpr std::uint8_t established = 8;
}  // namespace scenario_accepts

/// both: every run mixes IPv4 and IPv6; ipv4_only; either: --ipv6 picks IPv6.
enum class scenario_family : std::uint8_t { both, ipv4_only, either };

/// Checks that need several options together, run before any file is opened.
using scenario_check = void (*)(const cli_options&);

struct scenario_entry {
    std::string_view name;
    scenario_run run;
    std::uint8_t accepts;        // scenario_accepts bits
    scenario_family family;
    bool needs_vlan_link;        // tags need an EtherType: ether, sll or sll2
    scenario_check check = nullptr;
};

std::span<const scenario_entry> all_scenarios() noexcept;

/// The scenario called name; throws usage_error listing the valid names.
const scenario_entry& find_scenario(std::string_view name);

/// Rejects options the scenario would ignore and link types it cannot express.
void check_scenario_options(const scenario_entry& scenario, const cli_options& options);

/// bench: --packets must cover 3 handshake and 3 close frames per connection.
void check_bench_options(const cli_options& options);

void run_mixed(scenario_context& context);
void run_vlan(scenario_context& context);
void run_qinq(scenario_context& context);
void run_frag(scenario_context& context);
void run_reuse(scenario_context& context);
void run_states(scenario_context& context);
void run_many(scenario_context& context);
void run_bench(scenario_context& context);
void run_synflood(scenario_context& context);
void run_malformed(scenario_context& context);

}  // namespace pcapgen
