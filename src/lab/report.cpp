#include "actlab/lab/report.hpp"

#include <filesystem>
#include <sstream>

#include "actlab/core/atomic_file.hpp"
#include "actlab/core/error.hpp"

namespace actlab::lab {
namespace {

namespace fs = std::filesystem;

std::string md_cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

std::string relative_to(const std::string& path, const std::string& dir) {
  std::error_code ec;
  const fs::path rel = fs::relative(fs::absolute(path, ec), fs::absolute(dir, ec), ec);
  if (ec || rel.empty() || rel.string().rfind("..", 0) == 0) return path;
  return rel.generic_string();
}

std::string verdict_class(const std::string& v) {
  if (v == "confirmed" || v == "supported") return "ok";
  if (v == "not confirmed" || v == "contradicted") return "no";
  if (v == "mixed" || v == "inconclusive") return "mixed";
  return "na";
}

bool is_verdict(const std::string& v) {
  return v == "supported" || v == "contradicted" || v == "inconclusive" || v == "confirmed" || v == "not confirmed" ||
         v == "mixed";
}

std::string badge(const std::string& v) {
  return "<span class=\"badge " + verdict_class(v) + "\">" + html_escape(v) + "</span>";
}

constexpr const char* kCss = R"css(
body{font-family:-apple-system,"Segoe UI",DejaVu Sans,Helvetica,Arial,sans-serif;margin:0;background:#f7f7f5;color:#222}
main{max-width:1180px;margin:0 auto;padding:24px 32px 64px;background:#fff}
h1{font-size:28px;margin:8px 0 12px;border-bottom:3px solid #1f4e79;padding-bottom:8px}
h2{font-size:21px;margin:32px 0 10px;color:#1f4e79}
p{line-height:1.5}
table{border-collapse:collapse;margin:10px 0 18px;font-size:14px}
caption{caption-side:top;text-align:left;font-weight:600;padding:4px 0}
th{background:#1f4e79;color:#fff;padding:6px 10px;text-align:left}
td{padding:5px 10px;border-bottom:1px solid #ddd;font-variant-numeric:tabular-nums}
tr:nth-child(even) td{background:#f1f4f8}
tr.best td{background:#e3f1e0;font-weight:600}
figure{margin:14px 0 24px}
figure img{max-width:100%;border:1px solid #ddd}
figcaption{font-size:13px;color:#555;margin-top:4px}
ul.readings{padding-left:0;list-style:none}
ul.readings li{margin:6px 0;padding:6px 10px;border-left:5px solid #aaa;background:#fafafa}
ul.readings li.ok{border-color:#2e8b57}ul.readings li.no{border-color:#c0392b}ul.readings li.mixed{border-color:#e6a100}
.verdict{font-weight:700;text-transform:uppercase;font-size:12px;margin-right:6px}
.badge{display:inline-block;padding:2px 8px;border-radius:10px;font-size:12px;font-weight:700;text-transform:uppercase;color:#fff;background:#888}
.badge.ok{background:#2e8b57}.badge.no{background:#c0392b}.badge.mixed{background:#d68f00}
h2 .badge{vertical-align:middle;margin-left:10px}
td a{color:#1f4e79}
)css";

}  // namespace

std::string base64(const std::string& in) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (unsigned(static_cast<unsigned char>(in[i])) << 16) |
                       (unsigned(static_cast<unsigned char>(in[i + 1])) << 8) | static_cast<unsigned char>(in[i + 2]);
    out += t[v >> 18];
    out += t[(v >> 12) & 63];
    out += t[(v >> 6) & 63];
    out += t[v & 63];
  }
  if (i < in.size()) {
    unsigned v = unsigned(static_cast<unsigned char>(in[i])) << 16;
    if (i + 1 < in.size()) v |= unsigned(static_cast<unsigned char>(in[i + 1])) << 8;
    out += t[v >> 18];
    out += t[(v >> 12) & 63];
    out += i + 1 < in.size() ? t[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string report_markdown(const Report& r, const std::string& dir) {
  std::ostringstream md;
  md << "# " << r.title << "\n\n";
  for (const auto& p : r.intro) md << p << "\n\n";
  for (const auto& s : r.sections) {
    md << "## " << s.heading << (s.verdict.empty() ? "" : " — " + s.verdict) << "\n\n";
    for (const auto& p : s.paragraphs) md << p << "\n\n";
    for (const auto& t : s.tables) {
      if (!t.caption.empty()) md << "**" << t.caption << "**\n\n";
      md << "|";
      for (const auto& h : t.header) md << " " << md_cell(h) << " |";
      md << "\n|";
      for (std::size_t k = 0; k < t.header.size(); ++k) md << "---|";
      md << "\n";
      for (std::size_t i = 0; i < t.rows.size(); ++i) {
        const bool hi = i < t.highlight.size() && t.highlight[i];
        md << "|";
        for (const auto& c : t.rows[i]) md << " " << (hi ? "**" : "") << md_cell(c) << (hi ? "**" : "") << " |";
        md << "\n";
      }
      md << "\n";
    }
    for (const auto& rd : s.readings)
      md << "- **" << rd.claim << "** — *" << rd.verdict << "*: " << rd.text << "\n";
    if (!s.readings.empty()) md << "\n";
    for (const auto& f : s.figures) {
      md << "![" << f.caption << "](" << relative_to(f.png, dir) << ")\n\n*" << f.caption << "*";
      if (!f.svg.empty()) md << " ([SVG](" << relative_to(f.svg, dir) << "))";
      if (!f.csv.empty()) md << " ([data](" << relative_to(f.csv, dir) << "))";
      md << "\n\n";
    }
  }
  return md.str();
}

std::string report_html(const Report& r) {
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    << "<title>" << html_escape(r.title) << "</title><style>" << kCss << "</style></head>\n<body><main>\n"
    << "<h1>" << html_escape(r.title) << "</h1>\n";
  for (const auto& p : r.intro) h << "<p>" << html_escape(p) << "</p>\n";
  for (const auto& s : r.sections) {
    h << "<section" << (s.id.empty() ? "" : " id=\"" + html_escape(s.id) + "\"") << "><h2>" << html_escape(s.heading)
      << (s.verdict.empty() ? "" : badge(s.verdict)) << "</h2>\n";
    for (const auto& p : s.paragraphs) h << "<p>" << html_escape(p) << "</p>\n";
    for (const auto& t : s.tables) {
      h << (t.id.empty() ? "<table>" : "<table id=\"" + html_escape(t.id) + "\">");
      if (!t.caption.empty()) h << "<caption>" << html_escape(t.caption) << "</caption>";
      h << "<thead><tr>";
      for (const auto& c : t.header) h << "<th>" << html_escape(c) << "</th>";
      h << "</tr></thead><tbody>\n";
      for (std::size_t i = 0; i < t.rows.size(); ++i) {
        const bool hi = i < t.highlight.size() && t.highlight[i];
        h << (hi ? "<tr class=\"best\">" : "<tr>");
        for (const auto& c : t.rows[i]) h << "<td>" << (is_verdict(c) ? badge(c) : html_escape(c)) << "</td>";
        h << "</tr>\n";
      }
      h << "</tbody></table>\n";
    }
    if (!s.readings.empty()) {
      h << "<ul class=\"readings\">\n";
      for (const auto& rd : s.readings)
        h << "<li class=\"" << verdict_class(rd.verdict) << "\"><span class=\"verdict\">" << html_escape(rd.verdict)
          << "</span><b>" << html_escape(rd.claim) << "</b>: " << html_escape(rd.text) << "</li>\n";
      h << "</ul>\n";
    }
    for (const auto& f : s.figures) {
      const std::string png = read_file(f.png, "report figure");
      h << "<figure><img alt=\"" << html_escape(f.caption) << "\" src=\"data:image/png;base64," << base64(png)
        << "\"><figcaption>" << html_escape(f.caption)
        << (f.csv.empty() ? "" : " (data: data/" + html_escape(fs::path(f.csv).filename().string()) + ")") << "</figcaption></figure>\n";
    }
    h << "</section>\n";
  }
  h << "</main></body></html>\n";
  return h.str();
}

void write_report(const Report& r, const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw DataError("report folder '" + dir + "' cannot be created: " + ec.message());
  const std::string html = report_html(r);  // reads the figures first: fail before writing anything
  write_file_atomic((fs::path(dir) / "report.md").string(), report_markdown(r, dir));
  write_file_atomic((fs::path(dir) / "report.html").string(), html);
}

}  // namespace actlab::lab
