// Owns: dropping root to a named user (and its groups) once the sockets are open (-Z).
// Does not own: when to do it (runtime live session).
#pragma once

#include <string>

namespace ringtrack::os {

/// setgroups/initgroups, setgid, setuid to user; throws SetupError naming the failing call.
/// Afterwards the process cannot regain its privileges.
void drop_privileges_to(const std::string& user);

}  // namespace ringtrack::os
