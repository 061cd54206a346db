// actlab list: table and JSON, and a bad flag value.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "actlab/act/catalogue.hpp"
#include "support/run_cli.hpp"

using actlab::test::run_actlab;

TEST(CliList, TableNamesEveryActivation) {
  auto r = run_actlab("list", "list_table");
  ASSERT_EQ(r.rc, 0) << r.err;
  for (std::size_t i = 0; i < actlab::act::kNumActs; ++i)
    EXPECT_NE(r.out.find(actlab::act::name(static_cast<actlab::act::Act>(i))), std::string::npos);
}

TEST(CliList, JsonIsValidAndComplete) {
  auto r = run_actlab("list --format json", "list_json");
  ASSERT_EQ(r.rc, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), actlab::act::kNumActs);
  EXPECT_EQ(j[0]["name"], "identity");
  for (auto& e : j) {
    EXPECT_TRUE(e.contains("formula"));
    EXPECT_TRUE(e.contains("ulp_fwd"));
    EXPECT_TRUE(e.contains("init"));
  }
}

TEST(CliList, BadFormatIsAUsageError) {
  auto r = run_actlab("list --format xml", "list_bad");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("xml"), std::string::npos) << r.err;
}

TEST(Cli, UnknownCommandIsAUsageError) {
  auto r = run_actlab("frobnicate", "unknown");
  EXPECT_EQ(r.rc, 2);
}
