// Owns: dropping root to a named user (and its groups) once the sockets are open (-Z), and
// giving up every capability (CAP_NET_RAW included) once nothing more needs opening.
// Does not own: when to do it (runtime live session).
#pragma once

#include <string>

namespace ringtrack::os {

/// setgroups/initgroups, setgid, setuid to user; throws SetupError naming the failing call.
/// Afterwards the process cannot regain its privileges.
void drop_privileges_to(const std::string& user);

/// Empties the calling thread's effective, permitted, inheritable and ambient capability
/// sets (capabilities are per thread: every thread that holds some calls this) and sets
/// no-new-privileges. Root without -Z, or a binary given cap_net_raw+ep, keeps nothing
/// once its sockets are open.
void drop_capabilities();

}  // namespace ringtrack::os
