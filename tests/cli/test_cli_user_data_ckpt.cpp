// A checkpoint trained on the user's CSV named by a relative path still
// evaluates from another folder (the working folder is stored as its data
// folder), and a wrong stored path names the checkpoint.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/run_cli.hpp"

namespace fs = std::filesystem;
using actlab::test::scratch_dir;
using actlab::test::sh_quote;
using actlab::test::slurp;

TEST(CliUserDataCheckpoint, RelativeCsvPathWorksFromAnotherFolder) {
  const auto dir = scratch_dir("ckpt_rel_csv");
  fs::create_directories(dir / "work" / "data");
  fs::create_directories(dir / "elsewhere");
  {
    std::ofstream f(dir / "work" / "data" / "pts.csv");
    f << "x,y,label\n";
    for (int i = 0; i < 200; ++i) f << (i % 7) * 0.3 << ',' << (i % 5) * 0.2 << ',' << (i % 2) << '\n';
  }
  const std::string train = "cd " + sh_quote((dir / "work").string()) + " && " + ACTLAB_BIN +
                            " train --data csv:data/pts.csv --model mlp:8 --epochs 1 --quiet --save m.ckpt >" +
                            sh_quote((dir / "train.log").string()) + " 2>&1";
  ASSERT_EQ(std::system(train.c_str()), 0) << slurp(dir / "train.log");
  const std::string eval = "cd " + sh_quote((dir / "elsewhere").string()) + " && " + ACTLAB_BIN +
                           " evaluate --model-file ../work/m.ckpt >" + sh_quote((dir / "eval.log").string()) + " 2>&1";
  EXPECT_EQ(std::system(eval.c_str()), 0) << slurp(dir / "eval.log");
  EXPECT_NE(slurp(dir / "eval.log").find("test_acc="), std::string::npos) << slurp(dir / "eval.log");
  // The data moved: the error names the checkpoint and the fix.
  fs::rename(dir / "work" / "data", dir / "work" / "moved");
  const int rc = std::system(eval.c_str());
  EXPECT_NE(rc, 0);
  EXPECT_NE(slurp(dir / "eval.log").find("m.ckpt"), std::string::npos) << slurp(dir / "eval.log");
}
