// Owns: a non-owning reference to whatever receives a shard's removed connections.
// Does not own: the receiver (a runtime queue, a test's vector).
#pragma once

#include "flow/conn_view.hpp"

namespace ringtrack::flow {

/// Called once per removed connection (never per packet), on the shard's owner thread.
class RemovalSink {
 public:
  RemovalSink() = default;
  template <class Receiver>
  explicit RemovalSink(Receiver& receiver) noexcept
      : _receiver(&receiver),
        _call([](void* r, const ConnView& v) noexcept { (*static_cast<Receiver*>(r))(v); }) {}

  explicit operator bool() const noexcept { return _call != nullptr; }
  void operator()(const ConnView& view) const noexcept { _call(_receiver, view); }

 private:
  void* _receiver = nullptr;
  void (*_call)(void*, const ConnView&) noexcept = nullptr;
};

}  // namespace ringtrack::flow
