// Decision boundaries: identity is a half-plane; a non-linear activation
// bends the boundary and fits the moons better.
#include <gtest/gtest.h>

#include "actlab/core/error.hpp"
#include "actlab/lab/boundary.hpp"

using namespace actlab;
using namespace actlab::lab;

namespace {

nn::ActSpec spec(const char* n) {
  const act::Act a = *act::find(n);
  return {a, act::defaults(a)};
}

// Class changes along a row or column of the grid.
int max_changes(const BoundaryResult& b, bool rows) {
  int worst = 0;
  const int outer = rows ? b.ny : b.nx, inner = rows ? b.nx : b.ny;
  for (int o = 0; o < outer; ++o) {
    int ch = 0;
    for (int i = 1; i < inner; ++i) {
      auto at = [&](int k) { return rows ? b.cls[std::size_t(o) * b.nx + k] : b.cls[std::size_t(k) * b.nx + o]; };
      ch += at(i) != at(i - 1);
    }
    worst = std::max(worst, ch);
  }
  return worst;
}

}  // namespace

TEST(Boundary, IdentityIsLinearAndReluBendsAndFitsBetter) {
  nn::set_num_threads(1);  // a shared machine: spinning OpenMP threads slow small GEMMs down
  BoundaryConfig c;
  c.acts = {spec("identity"), spec("relu")};
  c.run.data.name = "moons";
  c.run.data.synthetic_rows = 600;
  c.run.model = nn::parse_model_spec("mlp:32,32");
  c.run.epochs = 25;
  c.run.batch = 32;
  c.run.opt.lr = 0.01f;
  c.run.measure.probe_rows = 64;
  c.grid = 40;
  const auto split = load_run_data(c.run.data);
  const auto rs = run_boundary(c, split);
  ASSERT_EQ(rs.size(), 2u);
  const auto& id = rs[0];
  const auto& relu = rs[1];
  ASSERT_EQ(id.cls.size(), 1600u);
  // A linear boundary between two classes crosses every grid line at most once.
  EXPECT_LE(max_changes(id, true), 1);
  EXPECT_LE(max_changes(id, false), 1);
  const double acc_id = id.run.epochs.back().test_acc, acc_relu = relu.run.epochs.back().test_acc;
  EXPECT_GT(acc_relu, acc_id + 0.03) << "relu " << acc_relu << " identity " << acc_id;
  EXPECT_GT(acc_relu, 0.95);
}

TEST(Boundary, RejectsDataThatIsNot2D) {
  BoundaryConfig c;
  c.acts = {spec("relu")};
  data::Split s;
  s.train.features = 3;
  EXPECT_THROW(run_boundary(c, s), UsageError);
}

TEST(Boundary, OneUnitSigmoidHeadMapsBothClasses) {
  nn::set_num_threads(1);
  BoundaryConfig c;
  c.acts = {spec("relu")};
  c.run.data.name = "moons";
  c.run.data.synthetic_rows = 400;
  c.run.model = nn::parse_model_spec("mlp:16");
  c.run.model.head = nn::Head::sigmoid_bce;  // one output column: an arg-max over it would say class 0 everywhere
  c.run.epochs = 10;
  c.run.batch = 32;
  c.run.opt.lr = 0.01f;
  c.run.measure.probe_rows = 32;
  c.grid = 16;
  const auto rs = run_boundary(c, load_run_data(c.run.data));
  ASSERT_EQ(rs.size(), 1u);
  const auto& cls = rs[0].cls;
  EXPECT_GT(std::count(cls.begin(), cls.end(), 0), 16);
  EXPECT_GT(std::count(cls.begin(), cls.end(), 1), 16);
  EXPECT_GT(rs[0].run.epochs.back().test_acc, 0.8);
}
