// A small persistent thread pool shared by the kernels and the engine.
// act depends on nothing else of ours, so the pool lives here.
#pragma once

#include <cstddef>
#include <functional>

namespace actlab::act {

// Runs fn(chunk) for chunk in [0, chunks) on up to `threads` threads
// (the caller's thread included) and returns when all are done. Nested calls
// from inside fn run serially.
void parallel_for(std::size_t chunks, int threads, const std::function<void(std::size_t)>& fn);

}  // namespace actlab::act
