// Owns: naming the calling thread, as top -H, ps -L and /proc/PID/task/TID/comm show it.
// Does not own: which threads get which names (runtime).
#pragma once

#include <string>

namespace ringtrack::os {

/// Names the calling thread; the kernel keeps the first 15 bytes. Best effort: a name is
/// for people and benchmarks, so a failure is ignored.
void name_current_thread(const std::string& name) noexcept;

}  // namespace ringtrack::os
