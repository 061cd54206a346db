// One thread for the engine in the tests: the machine is shared, and
// OpenMP threads spinning on a loaded core make small GEMMs 100x slower.
#include <gtest/gtest.h>

#include "actlab/nn/model.hpp"

namespace {
struct OneThread : ::testing::Environment {
  void SetUp() override { actlab::nn::set_num_threads(1); }
};
const auto* env = ::testing::AddGlobalTestEnvironment(new OneThread);
}  // namespace
