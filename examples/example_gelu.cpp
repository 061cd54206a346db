// Ten lines with the installed library: GELU forward and backward on a vector.
#include <actlab/act/kernels.hpp>
#include <cstdio>

int main() {
  using namespace actlab::act;
  const float x[4] = {-2.f, -0.5f, 1.f, 3.f}, dy[4] = {1, 1, 1, 1};
  float y[4], dx[4];
  forward(Act::gelu, defaults(Act::gelu), x, y, 4);
  backward(Act::gelu, defaults(Act::gelu), x, y, dy, dx, 4);
  for (int i = 0; i < 4; ++i) std::printf("gelu(%g) = %.5f  gelu'(%g) = %.5f\n", x[i], y[i], x[i], dx[i]);
}
