// actlab docs: the reference names every activation and its plot exists;
// the committed docs/activations.md is up to date with the catalogue.
#include <gtest/gtest.h>

#include <filesystem>

#include "actlab/act/catalogue.hpp"
#include "support/image_check.hpp"
#include "support/run_cli.hpp"

namespace fs = std::filesystem;
using actlab::test::run_actlab;
using actlab::test::sh_quote;
using actlab::test::slurp;

TEST(CliDocs, WritesTableSectionsAndOnePlotPerActivation) {
  const auto dir = actlab::test::scratch_dir("cli_docs") / "out";
  auto r = run_actlab("docs --out " + sh_quote(dir.string()), "docs");
  ASSERT_EQ(r.rc, 0) << r.err;
  const std::string md = slurp(dir / "activations.md");
  for (std::size_t i = 0; i < actlab::act::kNumActs; ++i) {
    const auto& in = actlab::act::info(static_cast<actlab::act::Act>(i));
    const std::string name = in.name;
    EXPECT_NE(md.find("## " + name + "\n"), std::string::npos) << name;
    EXPECT_NE(md.find("| [" + name + "](#" + name + ")"), std::string::npos) << name;
    EXPECT_NE(md.find(in.note), std::string::npos) << name;
    const auto info = actlab::test::png_info(slurp(dir / "img" / (name + ".png")));
    EXPECT_TRUE(info.ok) << name << ": " << info.error;
    EXPECT_EQ(info.width, 640u);
  }
  EXPECT_NE(md.find("negative_slope"), std::string::npos);
  EXPECT_NE(md.find("\\frac{1}{1 + e^{-x}}"), std::string::npos);  // LaTeX of sigmoid
}

TEST(CliDocs, CommittedReferenceIsUpToDate) {
  const auto dir = actlab::test::scratch_dir("cli_docs_fresh");
  auto r = run_actlab("docs --out " + sh_quote(dir.string()), "docs_fresh");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(slurp(dir / "activations.md"), slurp(fs::path(ACTLAB_SOURCE_DIR) / "docs" / "activations.md"))
      << "docs/activations.md is stale: run 'build/actlab docs --out docs' and commit";
}

TEST(CliDocs, UnwritableFolderIsADataError) {
  const auto dir = actlab::test::scratch_dir("cli_docs_bad");
  const auto file = dir / "afile";
  { std::ofstream(file) << "x"; }
  auto r = run_actlab("docs --out " + sh_quote((file / "sub").string()), "docs_bad");
  EXPECT_EQ(r.rc, 1) << r.err;
  EXPECT_NE(r.err.find("afile"), std::string::npos) << r.err;
}
