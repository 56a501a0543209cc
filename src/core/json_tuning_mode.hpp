#pragma once
// Whether this build reads JSON with the tuned lexer members of src/core/nlohmann_tuning.hpp
// (written against the pinned nlohmann/json 3.11.2) or with nlohmann's own ones
// (IVSCHAT_JSON_PLAIN); any other version stops the build. Decided at compile time, so that the code
// only one path needs (json_lossless.cpp's rewriting) is not linked into the other.
#include <nlohmann/json_fwd.hpp>

#if defined(IVSCHAT_JSON_PLAIN)
#define IVSCHAT_JSON_TUNED 0
#elif NLOHMANN_JSON_VERSION_MAJOR == 3 && NLOHMANN_JSON_VERSION_MINOR == 11 && NLOHMANN_JSON_VERSION_PATCH == 2
#define IVSCHAT_JSON_TUNED 1
#else
// Not a silent change of path: the build stops and says what to do.
#error "src/core/nlohmann_tuning.hpp specialises private members of nlohmann/json 3.11.2, and this is another version: build with nlohmann/json 3.11.2 (Debian bookworm's nlohmann-json3-dev), or configure with -DIVSCHAT_JSON_PLAIN=ON to read JSON with nlohmann's own members (the same results, bigger and slower)."
#endif
