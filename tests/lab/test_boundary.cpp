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
  BoundaryConfig c;
  c.acts = {spec("identity"), spec("relu")};
  c.train.data = "moons";
  c.train.synthetic_rows = 600;
  c.train.model = "mlp:32,32";
  c.train.epochs = 25;
  c.train.batch = 32;
  c.train.lr = 0.01f;
  c.train.threads = 1;
  c.train.probe_rows = 64;
  c.grid = 40;
  const auto split = load_data(c.train, 1);
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
