// Reports: report.md and a self-contained report.html from one description.
//
// The HTML embeds every PNG as a base64 data URI and carries its CSS inline,
// so the single file opens offline in any browser and can be mailed around.
// The Markdown refers to the same images by relative path. Both files are
// written atomically.
#pragma once

#include <string>
#include <vector>

namespace actlab::lab {

// Cells whose whole text is a verdict ("supported", "contradicted",
// "inconclusive", "confirmed", ...) are drawn as coloured badges in HTML.
struct ReportTable {
  std::string caption;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  // Optional per-row emphasis (e.g. the winner), same size as rows or empty.
  std::vector<bool> highlight;
  std::string id;  // optional HTML id
};

struct ReportFigure {
  std::string caption;
  std::string png;  // path of the PNG (embedded in HTML)
  std::string svg;  // optional SVG version, linked from the Markdown
  std::string csv;  // optional: the data drawn, linked from both reports
};

// A reading: a claim from the literature and what the run says about it.
struct Reading {
  std::string claim;
  std::string verdict;  // "supported", "contradicted", "inconclusive" (compare: "confirmed", "not confirmed", "mixed", "n/a")
  std::string text;     // generated sentence(s) with the numbers
};

struct ReportSection {
  std::string heading;
  std::vector<std::string> paragraphs;
  std::vector<ReportTable> tables;
  std::vector<Reading> readings;
  std::vector<ReportFigure> figures;
  std::string id;       // optional HTML anchor (links from an overview table)
  std::string verdict;  // optional badge next to the heading ("supported", ...)
};

struct Report {
  std::string title;
  std::vector<std::string> intro;  // paragraphs under the title
  std::vector<ReportSection> sections;
};

// Markdown; figure paths are written relative to `dir` when they lie under it.
std::string report_markdown(const Report& r, const std::string& dir);
// Self-contained HTML; throws DataError naming a PNG that cannot be read.
std::string report_html(const Report& r);
// Writes <dir>/report.md and <dir>/report.html.
void write_report(const Report& r, const std::string& dir);

std::string base64(const std::string& bytes);
std::string html_escape(const std::string& s);

}  // namespace actlab::lab
