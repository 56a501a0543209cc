#pragma once
// Reading a request without losing what a string held. nlohmann/json refuses text with lone
// UTF-16 surrogate escapes ("\ud800", which JSON.stringify writes for a lone surrogate in a
// JavaScript string) and raw ill-formed UTF-8. Refusing the whole document would lose which
// field was at fault, so such literals are decoded here by hand, with their bad parts kept as
// ill-formed UTF-8 bytes (lone surrogates as their three generalized-UTF-8 bytes), and handed to
// the scan in their place; validators then report INVALID_UTF8 at the right field. The tuned
// lexer does this as it reads; on the plain one, nearly every request has no such literal, and
// then this is one cheap check in front of scanJson().
#include <string>
#include <string_view>
#include <vector>

#include "core/json_scan.hpp"

namespace ivschat {

/// The plain lexer's way (see json_tuning_mode.hpp): one pass over the text numbers every
/// string literal (keys included); literals holding lone surrogate escapes or ill-formed raw
/// bytes are decoded by hand into the workspace's arena (`replacements`), and written to
/// `cleaned` with an escaped U+FFFD in place of each bad part, so that nlohmann accepts the
/// document; scanJson then substitutes them. kNone leaves `cleaned` unused.
enum class Rewrite { kNone, kDone, kArenaFull };
Rewrite rewriteInvalidLiterals(std::string_view text, JsonWorkspace& workspace, std::string& cleaned,
                               std::vector<LiteralReplacement>& replacements);

class LosslessJson {
 public:
  /// Scans `text` into `workspace`, with the shim's markers read when `markers` (json_scan.hpp).
  /// The document's views point into `text`, the workspace and this object, which is therefore
  /// neither copied nor moved: all three must outlive it.
  LosslessJson(std::string_view text, JsonWorkspace& workspace, bool markers = false);
  LosslessJson(const LosslessJson&) = delete;
  LosslessJson& operator=(const LosslessJson&) = delete;

  JsonDocument document;

 private:
  std::string cleaned_;  // the text with each bad literal's bad parts replaced by \uFFFD
  std::vector<LiteralReplacement> replacements_;
};

}  // namespace ivschat
