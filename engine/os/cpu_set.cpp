// Owns: sched_getaffinity/sched_setaffinity and CPU list parsing.
// Does not own: reader placement policy.
#include "os/cpu_set.hpp"

#include <sched.h>

#include <algorithm>
#include <charconv>

#include "os/syscall_error.hpp"

namespace ringtrack::os {

std::vector<int> allowed_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) != 0) throw syscall_error("sched_getaffinity", errno);
  std::vector<int> cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  return cpus;
}

std::vector<int> parse_cpu_list(const std::string& text, const std::vector<int>& allowed) {
  std::vector<int> cpus;
  auto bad = [&](const std::string& why) {
    return SetupError("--cpus '" + text + "': " + why);
  };
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    int first = 0, last = 0;
    auto r = std::from_chars(p, end, first);
    if (r.ec != std::errc()) throw bad("expected a CPU number");
    p = r.ptr;
    last = first;
    if (p < end && *p == '-') {
      r = std::from_chars(p + 1, end, last);
      if (r.ec != std::errc() || last < first) throw bad("bad range");
      p = r.ptr;
    }
    for (int cpu = first; cpu <= last; ++cpu) {
      if (std::find(allowed.begin(), allowed.end(), cpu) == allowed.end())
        throw bad("CPU " + std::to_string(cpu) + " is not available to this process");
      if (std::find(cpus.begin(), cpus.end(), cpu) == cpus.end()) cpus.push_back(cpu);
    }
    if (p < end) {
      if (*p != ',') throw bad("expected ',' between CPUs");
      ++p;
    }
  }
  if (cpus.empty()) throw bad("no CPU given");
  return cpus;
}

void pin_current_thread(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  if (::sched_setaffinity(0, sizeof set, &set) != 0)
    throw syscall_error("sched_setaffinity(CPU " + std::to_string(cpu) + ")", errno);
}

}  // namespace ringtrack::os
