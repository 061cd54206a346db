// Figures for the lab: line plots (several series, legend, optional log-y,
// shaded mean +- std bands), grouped bar charts and heat maps / images
// (decision boundaries, per-layer fractions), drawn with PLplot.
//
// Output format is chosen by the file extension: ".png" (PLplot's pngcairo
// device) or ".svg" (PLplot's svg device). Files are complete or absent:
// PLplot renders into a private temporary directory and the bytes are then
// written to the target with AtomicFile (temp + rename in the target's
// directory). Headless: no display is needed.
//
// PLplot keeps global state (current stream, driver tables), so every
// save_figure() call is serialised by one process-wide mutex and uses a
// fresh plstream that is destroyed before the call returns.
#pragma once

#include <string>
#include <variant>
#include <vector>

namespace actlab::lab {

// One curve. `color` < 0 picks the next colour of the palette.
struct Series {
  std::string label;  // legend text; empty: not in the legend
  std::vector<double> x, y;
  // Optional band drawn behind the line (e.g. mean - std, mean + std);
  // either empty or both of the size of x.
  std::vector<double> band_lo, band_hi;
  int color = -1;
  bool dashed = false;
  bool markers = false;  // draw a point marker at every sample as well
};

struct LinePanel {
  std::string title, xlabel, ylabel;
  std::vector<Series> series;
  bool log_y = false;        // log10 axis; non-positive values are skipped
  bool legend = true;
  bool legend_outside = false;  // legend right of the plot area (many series)
  // Axis limits; when lo >= hi they are taken from the data.
  double xmin = 0, xmax = 0, ymin = 0, ymax = 0;
  bool zero_line = false;    // thin horizontal line at y = 0
  bool integer_x = false;    // x ticks on whole numbers only (layers, epochs)
};

// Grouped bars: one group per category, one bar per group series.
struct BarPanel {
  std::string title, xlabel, ylabel;
  std::vector<std::string> categories;
  struct Group {
    std::string label;
    std::vector<double> values;  // one per category
    std::vector<double> err;     // optional error bars (same size)
  };
  std::vector<Group> groups;
  bool log_y = false;
  bool zoom = false;  // y axis from the data's range instead of from 0 (small differences)
};

// Points overlaid on a heat map (e.g. the training samples of a boundary).
struct Scatter {
  std::vector<double> x, y;
  std::vector<int> cls;  // class index per point, coloured like the map
};

// A nx x ny grid of values drawn as an image. z is row-major with y as the
// slow index: z[iy * nx + ix] is the cell centred at
// (xmin + (ix + 0.5) (xmax - xmin) / nx, ymin + (iy + 0.5) (ymax - ymin) / ny).
struct HeatPanel {
  std::string title, xlabel, ylabel;
  int nx = 0, ny = 0;
  std::vector<double> z;
  double xmin = 0, xmax = 1, ymin = 0, ymax = 1;
  double zmin = 0, zmax = 0;  // colour scale; from the data when zmin >= zmax
  // Categorical: z holds class indices 0..classes-1 drawn in distinct light
  // colours (decision regions); otherwise a continuous colour scale.
  int classes = 0;
  bool colorbar = true;               // continuous maps only
  std::string colorbar_label;
  std::vector<std::string> xticks, yticks;  // optional labels per cell column/row
  Scatter points;
};

using Panel = std::variant<LinePanel, BarPanel, HeatPanel>;

struct Figure {
  std::string title;  // drawn above the panels when non-empty
  std::vector<Panel> panels;
  int cols = 1;  // panels are laid out row by row
  int width = 900, height = 600;  // pixels (PNG) / user units (SVG)
};

// Renders `fig` to `path` (.png or .svg). Throws UsageError for another
// extension or an empty figure, DataError naming `path` when it cannot be
// written. Thread-safe (serialised).
void save_figure(const Figure& fig, const std::string& path);

// The palette used for series (RGB), so reports can match colours.
struct Rgb {
  int r, g, b;
};
const std::vector<Rgb>& palette();

// Escapes text for PLplot ('#' starts an escape sequence there).
std::string plplot_escape(const std::string& s);

}  // namespace actlab::lab
