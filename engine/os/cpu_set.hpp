// Owns: which CPUs readers may run on: the process's allowed CPUs, "0-3,8" lists, and
// pinning the calling thread.
// Does not own: choosing how many readers (runtime).
#pragma once

#include <string>
#include <vector>

namespace ringtrack::os {

/// CPUs this process may run on (sched_getaffinity), ascending.
std::vector<int> allowed_cpus();

/// Parses "0-3,8,10-11"; throws SetupError on syntax errors or CPUs not in allowed.
std::vector<int> parse_cpu_list(const std::string& text, const std::vector<int>& allowed);

/// Pins the calling thread to cpu; throws SetupError naming sched_setaffinity on failure.
void pin_current_thread(int cpu);

}  // namespace ringtrack::os
