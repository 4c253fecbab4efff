// SPDX-License-Identifier: MIT
#pragma once
// One measured figure of the benchmark table, printed as one JSON object per line on stdout
// (scripts/bench turns the lines into the table of docs/BENCHMARKS.md).

#include <optional>
#include <string>

namespace agntos::bench {

struct Figure {
  std::string row;       // the row, e.g. "startup", "audit search"
  std::string what;      // the command or operation measured
  std::string size;      // "1M entries", "" when the row does not scale
  double median = 0;     // milliseconds, or MB for memory rows
  std::string unit = "ms";
  std::string comparator;                  // e.g. "/bin/true", "grep -i", "" for an absolute target
  std::optional<double> comparator_median;  // same unit as median
  std::optional<double> ratio;             // median / comparator (or comparator / median for "faster than")
  std::string target;                      // as the issue writes it
  std::optional<bool> met;                 // nullopt for context figures that have no target
  int runs = 0;
  std::string note;
};

void print(const Figure& figure);

}  // namespace agntos::bench
