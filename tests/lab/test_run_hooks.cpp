// run_one's additions for experiments that measure inside a run: the step
// limit (RunSpec::max_steps -> nn::TrainConfig::max_steps) and the hooks.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "actlab/lab/run.hpp"

using namespace actlab;
using namespace actlab::lab;

namespace {

RunSpec spiral_spec() {
  RunSpec s;
  s.data.name = "spiral";
  s.data.synthetic_rows = 256;  // 2 batches of 128 per epoch
  s.model = nn::parse_model_spec("mlp:8", "tanh");
  s.batch = 128;
  s.epochs = 2;
  s.measure.probe_rows = 16;
  return s;
}

}  // namespace

TEST(RunHooks, MaxStepsStopsInsideAnEpochAndRecordsThePartialEpoch) {
  nn::set_num_threads(1);
  RunSpec s = spiral_spec();
  s.max_steps = 3;
  const data::Split split = load_run_data(s.data);
  std::vector<std::uint64_t> backward_at, stepped;
  RunHooks h;
  h.after_backward = [&](nn::Model& m, const nn::RunState& st) {
    backward_at.push_back(st.step);
    EXPECT_FALSE(m.probes().empty());
  };
  h.on_step = [&](const nn::StepInfo& i) {
    stepped.push_back(i.step);
    EXPECT_TRUE(std::isfinite(i.loss));
  };
  std::uint64_t last_total = 0;
  const RunRecord r = run_one(s, split, [&](std::uint64_t, std::uint64_t total) { last_total = total; }, {}, h);
  EXPECT_FALSE(r.diverged) << r.note;
  EXPECT_EQ(backward_at, (std::vector<std::uint64_t>{0, 1, 2}));
  EXPECT_EQ(stepped, (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(last_total, 3u);
  // init, the full epoch 1 (2 steps), the partial epoch 2 (1 step).
  ASSERT_EQ(r.epochs.size(), 3u);
  EXPECT_EQ(r.epochs[1].steps, 2u);
  EXPECT_EQ(r.epochs[2].epoch, 2);
  EXPECT_EQ(r.epochs[2].steps, 3u);
  EXPECT_EQ(r.epochs[2].layers.size(), 2u);  // probed like any epoch
  EXPECT_NO_THROW(record_from_json(to_json(r)));
}

TEST(RunHooks, MaxStepsAtAnEpochEndIsThatEpochAndTheKeyNamesItOnlyWhenSet) {
  nn::set_num_threads(1);
  RunSpec s = spiral_spec();
  const std::string full_key = s.key();
  EXPECT_EQ(full_key.find("max_steps"), std::string::npos);  // existing caches keep their keys
  s.max_steps = 2;
  EXPECT_NE(s.key(), full_key);
  EXPECT_NE(s.key().find("\"max_steps\":2"), std::string::npos) << s.key();
  const RunRecord r = run_one(s, load_run_data(s.data));
  ASSERT_EQ(r.epochs.size(), 2u);  // init and epoch 1, no empty partial epoch
  EXPECT_EQ(r.epochs[1].steps, 2u);
}
