// Owns: the exception type setup code of every layer throws: one line naming the failing
// call and the fix. Here, at the bottom, so os/ words its errors without reaching up.
// Does not own: turning it into an exit code (frontend main).
#pragma once

#include <stdexcept>
#include <string>

namespace ringtrack {

/// Thrown only before threads start (and by capture file opening). what() is one line,
/// printed as "ringtrack: <what>".
class SetupError : public std::runtime_error {
 public:
  explicit SetupError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace ringtrack
