// SPDX-License-Identifier: MIT
#include "support/report.h"

#include <cmath>
#include <iostream>

#include "common/json.h"

namespace agntos::bench {
namespace {

Json rounded(std::optional<double> value) {
  if (!value) return nullptr;
  return std::round(*value * 1000.0) / 1000.0;
}

}  // namespace

void print(const Figure& figure) {
  const Json line{{"row", figure.row},
                  {"what", figure.what},
                  {"size", figure.size},
                  {"median", rounded(figure.median)},
                  {"unit", figure.unit},
                  {"comparator", figure.comparator},
                  {"comparator_median", rounded(figure.comparator_median)},
                  {"ratio", rounded(figure.ratio)},
                  {"target", figure.target},
                  {"met", figure.met ? Json(*figure.met) : Json()},
                  {"runs", figure.runs},
                  {"note", figure.note}};
  std::cout << line.dump() << std::endl;
}

}  // namespace agntos::bench
