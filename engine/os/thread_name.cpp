// Owns: prctl(PR_SET_NAME) for the calling thread.
// Does not own: the names.
#include "os/thread_name.hpp"

#include <sys/prctl.h>

namespace ringtrack::os {

void name_current_thread(const std::string& name) noexcept {
  char kept[16] = {};
  name.copy(kept, sizeof kept - 1);
  ::prctl(PR_SET_NAME, kept, 0, 0, 0);
}

}  // namespace ringtrack::os
