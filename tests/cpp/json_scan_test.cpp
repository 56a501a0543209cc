// Reading JSON: the value table of json_scan.hpp against nlohmann/json's own SAX events (so the
// lexer members specialised in nlohmann_tuning.hpp are checked against nlohmann's originals),
// the lossless reading against the plain lexer's rewriting pass, markers, exact numbers, views.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "core/json_lossless.hpp"
#include "core/json_scan.hpp"
#include "core_results.hpp"
#include "fixtures.hpp"
#include "support/stock_json_events.hpp"

namespace ivschat {
namespace {

using Tokens = std::vector<std::string>;
using oracles::integerToken;

// The table, in document order, as the oracle's tokens (support/stock_json_events.hpp).
void walk(const JsonDocument& document, const JsonValue& value, bool inObject, Tokens& out) {
  if (inObject) out.push_back("k:" + std::string(value.key));
  switch (value.kind) {
    case JsonKind::Null: out.push_back("null"); break;
    case JsonKind::Boolean: out.push_back(value.boolean ? "true" : "false"); break;
    case JsonKind::Number:
      out.push_back(value.integer ? integerToken(value.negative, value.magnitude) : "f:" + std::string(value.text));
      break;
    case JsonKind::String: out.push_back("s:" + std::string(value.text)); break;
    case JsonKind::Array:
    case JsonKind::Object: {
      const bool object = value.kind == JsonKind::Object;
      out.push_back((object ? "{" : "[") + std::to_string(value.size));
      for (const JsonValue& child : document.children(value)) walk(document, child, object, out);
      out.push_back(object ? "}" : "]");
      break;
    }
    default: out.push_back("marker"); break;
  }
}

struct Compared {
  bool ok;
  std::size_t errorOffset;
  Tokens tokens;
};

Compared ours(const std::string& text, const ScanOptions& options = {}) {
  JsonWorkspace& workspace = testing::workspace();
  workspace.resetArena();
  const JsonDocument document = scanJson(text, workspace, options);
  Compared out{document.ok, document.errorOffset, {}};
  if (document.ok) walk(document, document.root(), false, out.tokens);
  return out;
}

Compared stock(const std::string& text) {
  oracles::StockJsonEvents events;
  const bool ok = nlohmann::json::sax_parse(text, &events, nlohmann::json::input_format_t::json, true);
  return {ok, ok ? 0 : events.errorOffset, ok ? events.tokens : Tokens{}};
}

std::vector<std::string> fixtureTexts() {
  std::vector<std::string> texts;
  for (const char* name : {"chat-frames-parse.json", "chat-frames-build.json", "create-chat-token-validation.json",
                           "create-chat-token-responses.json"}) {
    const nlohmann::json fixture = testing::readFixture(name);
    std::vector<const nlohmann::json*> stack = {&fixture};
    while (!stack.empty()) {
      const nlohmann::json* value = stack.back();
      stack.pop_back();
      if (value->is_string()) {
        texts.push_back(value->get<std::string>());
      } else if (value->is_structured()) {
        texts.push_back(value->dump());
        for (const auto& item : *value) stack.push_back(&item);
      }
    }
  }
  return texts;
}

std::string mutate(std::string text, std::mt19937& random) {
  static const char* const kPieces[] = {"\"", "\\", "\\u", "d800", "dc00", "\\ud83d\\ude00", "00e9", "\\n", "\\/",
                                        "\xC3\xA9", "\xED\xA0\x80", "\xF0\x9F\x98\x80", "\x01", "\x7F", "{", "}", "[",
                                        "]", ":", ",", "1", "-", ".", "e", "E", "+", "0", "null", "true", " ", "\xFF",
                                        "\xC0", "1e400", "1.7976931348623157e308", "1.7976931348623159e308", "4e-330"};
  const int edits = 1 + static_cast<int>(random() % 4);
  for (int k = 0; k < edits; ++k) {
    const std::size_t at = text.empty() ? 0 : random() % (text.size() + 1);
    if (random() % 3 == 0 && !text.empty()) {
      text.erase(std::min(at, text.size() - 1), 1);
    } else {
      text.insert(at, kPieces[random() % (sizeof(kPieces) / sizeof(*kPieces))]);
    }
  }
  return text;
}

TEST(JsonScan, AgreesWithNlohmannOnEveryFixtureAndTheirDamage) {
  std::mt19937 random(7);
  std::size_t compared = 0;
  std::size_t accepted = 0;
  for (const std::string& text : fixtureTexts()) {
    if (text.size() > 20000) continue;
    for (int round = 0; round < 40; ++round) {
      const std::string input = round == 0 ? text : mutate(text, random);
      const Compared a = ours(input);
      const Compared b = stock(input);
      ++compared;
      accepted += b.ok;
      ASSERT_EQ(a.ok, b.ok) << input;
      ASSERT_EQ(a.errorOffset, b.errorOffset) << input;
      ASSERT_EQ(a.tokens, b.tokens) << input;
    }
  }
  EXPECT_GT(compared, 20000u);
  EXPECT_GT(accepted, 3000u);
}

TEST(JsonScan, OverflowIsDecidedAtTheExactThreshold) {
  // 2^1024 - 2^970 rounds to infinity (a tie, to even); the largest decimal below it does not.
  const std::string tie =
      "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286"
      "416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571"
      "366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792";
  const std::string below = tie.substr(0, tie.size() - 1) + "1";
  for (const std::string& number : std::vector<std::string>{tie, below, tie + ".0", below + ".9", "1.7976931348623157e308",
                                    "1.7976931348623158e308", "1.7976931348623159e308", "-1e309", "1e308",
                                    "0.000001e314", "17976931348623158.1e292", "2.2250738585072014e-308", "1e-400",
                                    "123456789012345678901234567890", "-0.0", "0e999999999"}) {
    EXPECT_EQ(ours(number).ok, stock(number).ok) << number;
    EXPECT_EQ(ours("[" + number + "]").tokens, stock("[" + number + "]").tokens) << number;
  }
  EXPECT_FALSE(ours(tie).ok);
  EXPECT_TRUE(ours(below).ok);
}

TEST(JsonScan, StringsWithoutEscapesAreViewsIntoTheText) {
  const std::string text = R"({"plain":"abc","escaped":"a\nb","\u006bey":"x"})";
  JsonWorkspace& workspace = testing::workspace();
  workspace.resetArena();
  const JsonDocument document = scanJson(text, workspace);
  ASSERT_TRUE(document.ok);
  const auto inText = [&](std::string_view view) {
    return view.data() >= text.data() && view.data() + view.size() <= text.data() + text.size();
  };
  const JsonValue* plain = document.member(document.root(), "plain");
  const JsonValue* escaped = document.member(document.root(), "escaped");
  const JsonValue* key = document.member(document.root(), "key");
  ASSERT_TRUE(plain && escaped && key);
  EXPECT_TRUE(inText(plain->text));
  EXPECT_TRUE(inText(plain->key));
  EXPECT_EQ(escaped->text, "a\nb");
  EXPECT_FALSE(inText(escaped->text));
  EXPECT_FALSE(inText(key->key));
}

TEST(JsonScan, MarkersBecomeKindsOfTheirOwn) {
  JsonWorkspace& workspace = testing::workspace();
  workspace.resetArena();
  const std::string text =
      R"([{"$nonFinite":"-Infinity"},{"$bigint":"12"},{"$oversizedString":5},{"$oversizedArray":6},)"
      R"({"$oversizedObject":7},{"$nonFinite":"nan"},{"$oversizedString":-1},{"$bigint":"1","x":1}])";
  ScanOptions withMarkers;
  withMarkers.markers = true;
  const JsonDocument document = scanJson(text, workspace, withMarkers);
  ASSERT_TRUE(document.ok);
  std::vector<JsonKind> kinds;
  std::vector<std::uint64_t> sizes;
  for (const JsonValue& item : document.children(document.root())) {
    kinds.push_back(item.kind);
    sizes.push_back(item.size);
  }
  EXPECT_EQ(kinds, (std::vector<JsonKind>{JsonKind::NonFinite, JsonKind::BigInt, JsonKind::OversizedString,
                                          JsonKind::OversizedArray, JsonKind::OversizedObject, JsonKind::Object,
                                          JsonKind::Object, JsonKind::Object}));
  EXPECT_EQ(sizes[2], 5u);
  EXPECT_EQ(sizes[3], 6u);
  EXPECT_EQ(sizes[4], 7u);
  // Without the option (server frames, AWS answers) they are the objects they are.
  workspace.resetArena();
  const JsonDocument plain = scanJson(text, workspace);
  ASSERT_TRUE(plain.ok);
  for (const JsonValue& item : plain.children(plain.root())) EXPECT_EQ(item.kind, JsonKind::Object);
}

TEST(JsonScan, ExactNumbersFromTheirText) {
  const auto shape = [](const std::string& number) {
    JsonWorkspace& workspace = testing::workspace();
    workspace.resetArena();
    const JsonDocument document = scanJson(number, workspace);
    EXPECT_TRUE(document.ok) << number;
    const ExactNumber exact = exactNumber(document.root());
    return exact.shape == ExactNumber::Whole ? "whole " + std::to_string(exact.value)
           : exact.shape == ExactNumber::LargeWhole ? std::string("large") : std::string("fraction");
  };
  EXPECT_EQ(shape("60"), "whole 60");
  EXPECT_EQ(shape("-60"), "whole -60");
  EXPECT_EQ(shape("60.0"), "whole 60");
  EXPECT_EQ(shape("6e1"), "whole 60");
  EXPECT_EQ(shape("600E-1"), "whole 60");
  EXPECT_EQ(shape("0.6e+2"), "whole 60");
  EXPECT_EQ(shape("-0.0"), "whole 0");
  EXPECT_EQ(shape("9007199254740992"), "whole 9007199254740992");
  EXPECT_EQ(shape("9007199254740993"), "large");
  EXPECT_EQ(shape("9.007199254740992e15"), "whole 9007199254740992");
  EXPECT_EQ(shape("9.007199254740993e15"), "large");
  EXPECT_EQ(shape("1e300"), "large");
  EXPECT_EQ(shape("60.5"), "fraction");
  EXPECT_EQ(shape("1e-7"), "fraction");
  EXPECT_EQ(shape("179.99999999999997"), "fraction");
}

TEST(JsonScan, TooManyValuesNearTheTopTruncateTheDocument) {
  JsonWorkspace small(10, 1024);
  EXPECT_TRUE(scanJson("[1,2,3,4,5,6,7,8,9]", small).ok);
  const JsonDocument full = scanJson("[1,2,3,4,5,6,7,8,9,10]", small);
  EXPECT_FALSE(full.ok);
  EXPECT_TRUE(full.truncated);
  // Values deeper than the recorded levels are only counted.
  const JsonDocument deep = scanJson("[[[[1,2,3,4,5,6,7,8,9,10,11,12]]]]", small);
  EXPECT_TRUE(deep.ok);
  small.resetArena();
  EXPECT_TRUE(scanJson("[\"" + std::string(1100, 'a') + "\\n\"]", small).truncated) << "the arena is full";
}

TEST(JsonLossless, LoneSurrogatesAndIllFormedBytesAreKeptAtTheirPlace) {
  const std::string text = std::string(R"({"a":"x\ud800y","b":"\ud83d\ude00","\udc00k":["\n\u00e9"],"c":"\ud800\ud800\udc00","r":")") +
                           "\xFF\xC3\xA9\"}";
  const LosslessJson input(text, testing::workspace());
  ASSERT_TRUE(input.document.ok);
  const JsonDocument& d = input.document;
  EXPECT_EQ(d.member(d.root(), "a")->text, "x\xED\xA0\x80y");
  EXPECT_EQ(d.member(d.root(), "b")->text, "\xF0\x9F\x98\x80");
  const JsonValue* list = d.member(d.root(), "\xED\xB0\x80k");
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(d.at(list->firstChild).text, "\n\xC3\xA9");
  EXPECT_EQ(d.member(d.root(), "c")->text, "\xED\xA0\x80\xF0\x90\x80\x80");
  EXPECT_EQ(d.member(d.root(), "r")->text, "\xFF\xC3\xA9");
}

TEST(JsonLossless, TheTunedLexerAgreesWithThePlainRewrite) {
  // Both ways of reading a request losslessly give the same values: the tuned lexer keeping
  // ill-formed text as it reads, and the rewriting pass the plain lexer needs.
  std::mt19937 random(11);
  std::size_t compared = 0;
  for (const std::string& text : fixtureTexts()) {
    if (text.size() > 20000) continue;
    for (int round = 0; round < 20; ++round) {
      const std::string input = round == 0 ? text : mutate(text, random);
      std::string cleaned;
      std::vector<LiteralReplacement> replacements;
      JsonWorkspace& workspace = testing::workspace();
      workspace.resetArena();
      const Rewrite rewrite = rewriteInvalidLiterals(input, workspace, cleaned, replacements);
      ASSERT_NE(rewrite, Rewrite::kArenaFull);
      const JsonDocument viaRewrite = scanJson(rewrite == Rewrite::kDone ? cleaned : input, workspace, {&replacements, false});
      Tokens rewritten;
      if (viaRewrite.ok) walk(viaRewrite, viaRewrite.root(), false, rewritten);
      if (!jsonLexerKeepsInvalidText()) continue;  // the plain build has only the rewrite
      const Compared kept = ours(input, {nullptr, true});
      ++compared;
      ASSERT_EQ(kept.ok, viaRewrite.ok) << input;
      ASSERT_EQ(kept.tokens, rewritten) << input;
    }
  }
  if (jsonLexerKeepsInvalidText()) EXPECT_GT(compared, 10000u);
}

}  // namespace
}  // namespace ivschat
