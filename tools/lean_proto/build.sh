#!/bin/sh
# usage: ./build.sh foo_proto.cpp  -> ./foo_proto
set -e
src=$1; out=${src%.cpp}
g++ -O2 -std=c++20 -march=x86-64-v4 -mpclmul -maes -I"$(dirname "$0")" -I"$(dirname "$src")" -I"$(dirname "$0")/../../include" "$src" -o "$out" \
  -L"$(dirname "$0")/../../build" -lactlab -Wl,-rpath,"$(dirname "$0")/../../build" -ldnnl -lhwy -lpthread -fopenmp
