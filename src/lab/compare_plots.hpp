// The figures of a compare report (PNG for the HTML report, SVG alongside).
#pragma once

#include <string>
#include <vector>

#include "actlab/lab/compare.hpp"

namespace actlab::lab {

std::vector<ReportFigure> write_compare_plots(const CompareConfig& c, const std::vector<ActSummary>& s,
                                              const std::string& dir);

}  // namespace actlab::lab
