// Fuzz target: the message review contract (message_review.hpp): IVS's review event read
// (readReviewInput, plain JSON as the binding scans it) and an app's decision checked and
// answered (buildReviewAnswer, read losslessly with markers off and on, as the shim asks).
//   input: byte 0 picks the function (even: the review event, odd: the decision); the rest is
//          the event's or the decision's JSON text (any bytes)
// Invariants, review event:
//   - it is read exactly when nlohmann's DOM is an object whose Content is a string, whose
//     MessageId and RoomArn are absent, null or strings, whose Attributes is absent, null or an
//     object of string values only (every member, repeated names included), and whose Sender is
//     absent, null or an object of the same shape (UserId, Ip, Attributes); other members are
//     ignored; the error is the fixed sentence for the first rule broken (never the text);
//   - what is read is the DOM's: the strings, and the attribute pairs in the text's order,
//     repeats included.
// Invariants, decision (each reading):
//   - every error is well formed (fuzz_support.hpp): a code its field can have, its field one of
//     allow, content, attributes(.name), reason or an unknown member's name, a message naming it,
//     in field order; text that is not JSON (and not too large) is exactly one `request` TYPE;
//   - an answer is strict JSON of exactly Attributes, Content and ReviewResult (in this order),
//     byte for byte as nlohmann writes its parts: ReviewResult is ALLOW exactly when allow is
//     true, Content is the decision's content (1-500 code points), Attributes is the decision's
//     attributes (sorted, repeats as the last one) plus Reason (last) on a refusal with a reason,
//     at most 1024 bytes of names plus values; the answer, taken back as a decision, answers
//     the same;
//   - text that nlohmann accepts reads losslessly as a strict scan reads it, and (markers off;
//     markers on when no marker is read) the fields with errors are exactly those that break the
//     rules, worked out here on nlohmann's DOM: so validity equals the rules. On a refusal a
//     reason is also refused when the attributes (valid, given) have a Reason already, or when
//     the attributes with Reason would pass 1024 bytes (an allowed message drops the reason);
//   - markers on: a decision holding a marker that the reader sees is never answered;
//   - the two readings differ only where the text holds a marker.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/json_lossless.hpp"
#include "core/message_review.hpp"
#include "fuzz_support.hpp"

using namespace ivschat;
using nlohmann::json;

namespace {

// ---- the review event ----

constexpr const char* kNotObject = "the review event is not a JSON object";
constexpr const char* kNoContent = "the review event has no Content string";
constexpr const char* kWrongType = "the review event's MessageId, RoomArn or Attributes is of the wrong type";
constexpr const char* kBadSender = "the review event's Sender is not { UserId, Ip, Attributes }";

// Absent, null or a string.
bool optionalText(const fuzz::MultiJson& object, const char* name) {
  const fuzz::MultiJson* value = object.present(name);
  return !value || value->isString();
}
// Absent, null or an object of strings (every member).
bool optionalMap(const fuzz::MultiJson& object, const char* name) {
  const fuzz::MultiJson* value = object.present(name);
  return !value || (value->isObject() && fuzz::allStrings(*value));
}

// The DOM's string, or empty when absent or null.
std::string domText(const json& object, const char* name) {
  const json* value = fuzz::domPresent(object, name);
  return value ? value->get<std::string>() : std::string();
}

// The attribute pairs as read, in order, against the text's.
void checkPairs(const JsonDocument& document, const JsonValue* read, const fuzz::MultiJson* map) {
  FUZZ_CHECK((read != nullptr) == (map != nullptr));
  if (!read) return;
  FUZZ_CHECK(read->kind == JsonKind::Object && map->isObject());
  std::size_t index = 0;
  for (const JsonValue& item : document.children(*read)) {
    FUZZ_CHECK(index < map->members.size());
    FUZZ_CHECK(item.kind == JsonKind::String);
    FUZZ_CHECK(item.key == map->members[index].first && item.text == map->members[index].second.text);
    ++index;
  }
  FUZZ_CHECK(index == map->members.size() && read->size == index);
}

void checkReviewInput(std::string_view text) {
  const json dom = json::parse(text, nullptr, /*allow_exceptions=*/false);
  fuzz::MultiJson multi;
  FUZZ_CHECK(fuzz::parseMulti(text, multi) == !dom.is_discarded());
  const JsonDocument document = fuzz::scanStrict(text, fuzz::workspace());
  fuzz::checkNoMarker(document);
  FUZZ_CHECK(document.ok == !dom.is_discarded() || document.truncated);
  const ReviewInput input = readReviewInput(document);
  const std::string_view error = input.error;
  FUZZ_CHECK(input.ok == error.empty());
  if (dom.is_discarded() || document.truncated) {
    FUZZ_CHECK(!input.ok && error == kNotObject);
    return;
  }

  // The rules, on the DOM (and the parse that keeps repeated names, for the maps).
  const char* expected = "";
  if (!multi.isObject()) {
    expected = kNotObject;
  } else if (const fuzz::MultiJson* content = multi.present("Content"); !content || !content->isString()) {
    expected = kNoContent;
  } else if (!optionalText(multi, "MessageId") || !optionalText(multi, "RoomArn") || !optionalMap(multi, "Attributes")) {
    expected = kWrongType;
  } else if (const fuzz::MultiJson* sender = multi.present("Sender");
             sender && !(sender->isObject() && optionalText(*sender, "UserId") && optionalText(*sender, "Ip") &&
                         optionalMap(*sender, "Attributes"))) {
    expected = kBadSender;
  }
  FUZZ_CHECK(error == expected);
  FUZZ_CHECK(dom.is_object() == multi.isObject());
  if (!input.ok) return;

  // What was read is the DOM's.
  FUZZ_CHECK(input.content == domText(dom, "Content"));
  FUZZ_CHECK(input.messageId == domText(dom, "MessageId"));
  FUZZ_CHECK(input.roomArn == domText(dom, "RoomArn"));
  checkPairs(document, input.attributes, multi.present("Attributes"));
  FUZZ_CHECK(fuzz::stringMapOf(document, input.attributes) == fuzz::domStringMap(fuzz::domMember(dom, "Attributes")));
  const json* sender = fuzz::domPresent(dom, "Sender");
  const fuzz::MultiJson* multiSender = multi.present("Sender");
  FUZZ_CHECK((sender != nullptr) == (multiSender != nullptr));
  if (sender) {
    FUZZ_CHECK(input.senderUserId == domText(*sender, "UserId"));
    FUZZ_CHECK(input.senderIp == domText(*sender, "Ip"));
    checkPairs(document, input.senderAttributes, multiSender->present("Attributes"));
    FUZZ_CHECK(fuzz::stringMapOf(document, input.senderAttributes) ==
               fuzz::domStringMap(fuzz::domMember(*sender, "Attributes")));
  } else {
    FUZZ_CHECK(input.senderUserId.empty() && input.senderIp.empty() && !input.senderAttributes);
  }
}

// ---- the decision ----

const std::vector<std::string> kMembers = {"allow", "content", "attributes", "reason"};

bool isMember(std::string_view name) { return std::find(kMembers.begin(), kMembers.end(), name) != kMembers.end(); }

bool codeFits(const fuzz::CopiedError& error) {
  const std::string top = fuzz::topField(error);
  const auto oneOf = [&](std::initializer_list<const char*> codes) {
    for (const char* c : codes) {
      if (error.code == c) return true;
    }
    return false;
  };
  using namespace error_code;
  if (top == "*unknown*" || top == "*more*") return true;
  if (top == "request") return error.field == top && oneOf({kType, kTooLarge});
  if (top == "allow") return error.field == top && oneOf({kRequired, kType});
  if (top == "content") return error.field == top && oneOf({kRequired, kType, kInvalidUtf8, kTooShort, kTooLong});
  if (top == "attributes") return error.field == top ? oneOf({kType, kTooLarge}) : oneOf({kType, kInvalidUtf8});
  if (top == "reason") {
    return error.field == top && oneOf({kType, kInvalidUtf8, kTooShort, kTooLong, kDuplicate, kTooLarge});
  }
  return false;
}

void checkErrorShapes(const std::vector<fuzz::CopiedError>& errors) {
  fuzz::checkMessagesNameFields(errors);
  std::size_t lastRank = 0;
  for (std::size_t i = 0; i < errors.size(); ++i) {
    const fuzz::CopiedError& error = errors[i];
    FUZZ_CHECK(codeFits(error));
    const std::string top = fuzz::topField(error);
    std::size_t rank = 0;
    if (top == "request") {
      FUZZ_CHECK(errors.size() == 1);
    } else if (top == "*unknown*") {
      FUZZ_CHECK(!isMember(error.field));
      FUZZ_CHECK(fuzz::contains(error.message, "review decision"));
      // Listed with the member it was probably meant for, when that one is missing.
      const std::string meant = fuzz::explainedRequiredField(errors, i);
      rank = meant.empty() ? kMembers.size() + 1
                           : 1 + static_cast<std::size_t>(std::find(kMembers.begin(), kMembers.end(), meant) - kMembers.begin());
    } else if (top == "*more*") {
      rank = kMembers.size() + 2;
    } else {
      rank = 1 + static_cast<std::size_t>(std::find(kMembers.begin(), kMembers.end(), top) - kMembers.begin());
    }
    FUZZ_CHECK(rank >= lastRank);
    lastRank = rank;
  }
}

// The rules on the DOM: the top-level fields that break them.
std::set<std::string> brokenFields(const json& dom, const fuzz::MultiJson& multi) {
  if (!dom.is_object()) return {"request"};
  std::set<std::string> broken;
  for (const auto& item : dom.items()) {
    if (!isMember(item.key())) broken.insert("*unknown*");
  }
  const json* allow = fuzz::domPresent(dom, "allow");
  if (!allow || !allow->is_boolean()) broken.insert("allow");
  const json* content = fuzz::domPresent(dom, "content");
  if (!content || !content->is_string() || fuzz::codePoints(content->get_ref<const std::string&>()) < 1 ||
      fuzz::codePoints(content->get_ref<const std::string&>()) > 500) {
    broken.insert("content");
  }
  const fuzz::MultiJson* attributes = multi.present("attributes");
  const bool attributesFine =
      !attributes || (attributes->isObject() && fuzz::allStrings(*attributes) && fuzz::stringMapBytes(*attributes) <= 1024);
  if (!attributesFine) broken.insert("attributes");
  const json* reason = fuzz::domPresent(dom, "reason");
  if (reason) {
    const bool fine = reason->is_string() && fuzz::codePoints(reason->get_ref<const std::string&>()) >= 1 &&
                      fuzz::codePoints(reason->get_ref<const std::string&>()) <= 256;
    if (!fine) {
      broken.insert("reason");
    } else if (attributesFine) {
      // Where a refusal writes the reason: Attributes.Reason, within the attributes' 1 KB.
      const bool refused = allow && allow->is_boolean() && !allow->get<bool>();
      if (refused && attributes && attributes->present("Reason")) broken.insert("reason");
      const std::size_t total =
          (attributes ? fuzz::stringMapBytes(*attributes) : 0) + 6 + reason->get_ref<const std::string&>().size();
      if (refused && total > 1024) broken.insert("reason");
    }
  }
  return broken;
}

struct Outcome {
  bool documentOk = false;
  bool truncated = false;
  bool marker = false;
  std::vector<fuzz::CopiedError> errors;
  std::string body;
  bool allow = false;
};

// An answer, as the decision's parts make it (nlohmann writing each string and the map).
void checkAnswer(const JsonDocument& decision, const ReviewAnswer& answer, bool markers) {
  const JsonValue& root = decision.root();
  FUZZ_CHECK(decision.ok && root.kind == JsonKind::Object);
  const JsonValue* allow = presentMember(decision, root, "allow");
  FUZZ_CHECK(allow && allow->kind == JsonKind::Boolean && allow->boolean == answer.allow);
  const JsonValue* content = presentMember(decision, root, "content");
  FUZZ_CHECK(content && content->kind == JsonKind::String);
  const std::optional<std::size_t> contentLength = codePointCount(content->text);
  FUZZ_CHECK(contentLength && *contentLength >= 1 && *contentLength <= 500);
  const JsonValue* attributes = presentMember(decision, root, "attributes");
  const JsonValue* reason = presentMember(decision, root, "reason");
  FUZZ_CHECK(!attributes || attributes->kind == JsonKind::Object);
  FUZZ_CHECK(!reason || reason->kind == JsonKind::String);

  std::map<std::string, std::string> expectedAttributes = fuzz::stringMapOf(decision, attributes);
  std::string attributesText = json(expectedAttributes).dump();
  if (reason && !answer.allow) {
    FUZZ_CHECK(expectedAttributes.count("Reason") == 0);
    expectedAttributes["Reason"] = std::string(reason->text);
    attributesText.pop_back();
    if (attributesText.size() > 1) attributesText += ',';
    attributesText += "\"Reason\":" + json(std::string(reason->text)).dump() + "}";
  }
  const std::string expected = "{\"Attributes\":" + attributesText + ",\"Content\":" +
                               json(std::string(content->text)).dump() + ",\"ReviewResult\":" +
                               (answer.allow ? "\"ALLOW\"" : "\"DENY\"") + "}";
  FUZZ_CHECK(answer.body == expected);

  // As IVS reads it: exactly the three members, once each, of the right kinds.
  fuzz::MultiJson body;
  FUZZ_CHECK(fuzz::parseMulti(answer.body, body) && body.isObject());
  FUZZ_CHECK(body.members.size() == 3 && body.members[0].first == "Attributes" && body.members[1].first == "Content" &&
             body.members[2].first == "ReviewResult");
  const fuzz::MultiJson& answered = body.members[0].second;
  FUZZ_CHECK(answered.isObject() && fuzz::allStrings(answered));
  std::set<std::string> names;
  std::map<std::string, std::string> answeredMap;
  for (const auto& member : answered.members) {
    FUZZ_CHECK(names.insert(member.first).second);
    answeredMap[member.first] = member.second.text;
  }
  FUZZ_CHECK(answeredMap == expectedAttributes);
  FUZZ_CHECK(fuzz::stringMapBytes(answered) <= kMaxAttributesBytes);
  FUZZ_CHECK(body.members[1].second.isString() && body.members[1].second.text == content->text);
  const std::size_t length = fuzz::codePoints(body.members[1].second.text);
  FUZZ_CHECK(length >= 1 && length <= 500);
  FUZZ_CHECK(body.members[2].second.isString() && body.members[2].second.text == (answer.allow ? "ALLOW" : "DENY"));

  // The answer taken back as a decision (Reason now one of the attributes) answers the same.
  const std::string again = json::object({{"allow", answer.allow},
                                          {"attributes", answeredMap},
                                          {"content", body.members[1].second.text}})
                                .dump();
  const LosslessJson reread(again, fuzz::secondWorkspace(), markers);
  const ReviewAnswer second = buildReviewAnswer(reread.document);
  FUZZ_CHECK(second.ok() && second.allow == answer.allow);
  fuzz::MultiJson secondBody;
  FUZZ_CHECK(fuzz::parseMulti(second.body, secondBody) && secondBody.members.size() == 3);
  FUZZ_CHECK(fuzz::domStringMap(&json::parse(second.body)["Attributes"]) == answeredMap);
  FUZZ_CHECK(secondBody.members[1].second.text == body.members[1].second.text);
  FUZZ_CHECK(secondBody.members[2].second.text == body.members[2].second.text);
}

Outcome checkDecisionReading(std::string_view text, const json& strict, const fuzz::MultiJson& multi, bool markers) {
  const LosslessJson input(text, fuzz::workspace(), markers);
  const JsonDocument& document = input.document;
  const ReviewAnswer answer = buildReviewAnswer(document);
  fuzz::checkFieldErrors(answer.errors);
  Outcome outcome;
  outcome.documentOk = document.ok;
  outcome.truncated = document.truncated;
  outcome.marker = document.ok && fuzz::hasMarker(document, document.root());
  outcome.errors = fuzz::copyErrors(answer.errors);
  outcome.body = answer.body;
  outcome.allow = answer.allow;
  checkErrorShapes(outcome.errors);
  fuzz::checkUnreadableRefused(document, answer.ok(), outcome.errors);
  fuzz::checkMarkers(document, markers, answer.ok(), outcome.errors);
  if (answer.ok()) {
    checkAnswer(document, answer, markers);
  } else {
    FUZZ_CHECK(answer.body.empty());
  }

  if (!strict.is_discarded()) {
    FUZZ_CHECK(document.ok || document.truncated);
    const JsonDocument strictDocument = fuzz::scanStrict(text, fuzz::secondWorkspace(), markers);
    FUZZ_CHECK(strictDocument.ok == document.ok && strictDocument.truncated == document.truncated);
    const ReviewAnswer fromStrict = buildReviewAnswer(strictDocument);
    FUZZ_CHECK(fuzz::copyErrors(fromStrict.errors) == outcome.errors);
    FUZZ_CHECK(fromStrict.body == outcome.body);
    if (answer.ok()) {
      // The answer holds the DOM's values.
      const json& content = strict.at("content");
      FUZZ_CHECK(json::parse(answer.body).at("Content") == content);
      FUZZ_CHECK(answer.allow == strict.at("allow").get<bool>());
    }
    if (document.ok && (!markers || !fuzz::hasReadMarker(document))) {
      fuzz::checkReportsBrokenFields(brokenFields(strict, multi), outcome.errors, answer.ok());
    }
  }
  return outcome;
}

void checkDecision(std::string_view text) {
  const json strict = json::parse(text, nullptr, /*allow_exceptions=*/false);
  fuzz::MultiJson multi;
  FUZZ_CHECK(fuzz::parseMulti(text, multi) == !strict.is_discarded());
  const Outcome plain = checkDecisionReading(text, strict, multi, /*markers=*/false);
  const Outcome marked = checkDecisionReading(text, strict, multi, /*markers=*/true);
  FUZZ_CHECK(marked.documentOk == plain.documentOk && marked.truncated == plain.truncated);
  if (!marked.marker) {
    FUZZ_CHECK(marked.errors == plain.errors && marked.body == plain.body && marked.allow == plain.allow);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text = fuzz::asText(data + 1, size - 1);
  if (data[0] % 2 == 0) {
    checkReviewInput(text);
  } else {
    checkDecision(text);
  }
  return 0;
}
