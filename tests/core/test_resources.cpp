// Class 5 of issue 15: memory is estimated against what the machine has.
#include <gtest/gtest.h>

#include "actlab/core/resources.hpp"

TEST(Resources, AvailableMemoryIsKnownAndAHugeNeedIsRefusedWithNumbers) {
  EXPECT_GT(actlab::available_memory_bytes(), 1u << 20);
  EXPECT_TRUE(actlab::memory_shortfall(1024).empty());
  const std::string why = actlab::memory_shortfall(1e18);
  EXPECT_NE(why.find("needs about"), std::string::npos) << why;
  EXPECT_NE(why.find("available"), std::string::npos) << why;
  EXPECT_EQ(actlab::human_bytes(1536.0 * 1024 * 1024), "1.5 GiB");
}
