#pragma once
// Whether this build reads JSON with the tuned lexer members of src/core/nlohmann_tuning.hpp
// (written against the pinned nlohmann/json 3.11.2) or with nlohmann's own ones: any other
// version, or IVSCHAT_JSON_PLAIN, takes the plain path. Decided at compile time, so that the code
// only one path needs (json_lossless.cpp's rewriting) is not linked into the other.
#include <nlohmann/json_fwd.hpp>

#if !defined(IVSCHAT_JSON_PLAIN) && NLOHMANN_JSON_VERSION_MAJOR == 3 && \
    NLOHMANN_JSON_VERSION_MINOR == 11 && NLOHMANN_JSON_VERSION_PATCH == 2
#define IVSCHAT_JSON_TUNED 1
#else
#define IVSCHAT_JSON_TUNED 0
#endif
