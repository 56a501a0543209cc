// Fuzz target: the control-plane requests the backend module validates and signs
// (control_plane_requests.hpp: CreateChatToken, SendEvent, DeleteMessage, DisconnectUser) and the
// room and logging-configuration calls the admin module does (room_requests.hpp: CreateRoom,
// GetRoom, ListRooms, UpdateRoom, DeleteRoom, CreateLoggingConfiguration,
// GetLoggingConfiguration, ListLoggingConfigurations, UpdateLoggingConfiguration,
// DeleteLoggingConfiguration), in both readings of the
// request text (markers off and on, as the JS shim asks), and the answers of the three
// moderation calls (readModerationAnswer, plain JSON as the binding scans it).
//   input: byte 0 picks the call ((byte - '0') mod 14, so that the seeds' characters read: '0'
//          CreateChatToken, '1' SendEvent, '2' DeleteMessage, '3' DisconnectUser, '4' CreateRoom,
//          '5' GetRoom, '6' ListRooms, '7' UpdateRoom, '8' DeleteRoom,
//          '9' CreateLoggingConfiguration, ':' GetLoggingConfiguration,
//          ';' ListLoggingConfigurations, '<' UpdateLoggingConfiguration,
//          '=' DeleteLoggingConfiguration);
//          the rest is the request's JSON text (any bytes), and for calls 1-3 also the text of
//          a 2xx answer of that call
// Invariants, for each reading:
//   - every error is well formed (fuzz_support.hpp) and serializable; its code is one its field
//     can have, its field one of the call's (or an unknown member's name, shortened as paths
//     are), its message names the field; errors come in field order (request, roomIdentifier,
//     the call's own fields, unknown members); text that is not JSON (and not too large) is
//     exactly one `request` TYPE error;
//   - CreateChatToken gives exactly what validateCreateChatTokenRequest and
//     buildCreateChatTokenBody give;
//   - a valid request's body is strict JSON, byte for byte nlohmann's compact dump of the
//     request's present members (nulls dropped, names and attribute names sorted, whole numbers
//     written as integers), the room is the request's (`identifier` for the room calls; none for
//     CreateRoom, ListRooms and their logging-configuration twins; a logging-configuration ARN
//     for the other logging-configuration calls), and the body validates again (same reading)
//     to the same bytes;
//   - text that nlohmann accepts reads losslessly as a strict scan reads it, a valid request
//     then holds exactly the members of nlohmann's DOM, and (markers off; markers on when no
//     marker is read) the fields with an error are exactly those that break the rules, worked
//     out here independently on nlohmann's DOM (room ARN by std::regex, code points counted
//     here, the 12-letters-and-digits id, 1 KB of UTF-8 names plus values over every member of
//     the map, repeated names included; for the rooms the name, Lambda and logging-configuration
//     patterns by std::regex, the ranges, the 3 logging configurations, the 50 tags and their
//     key and value lengths over every member; for the logging configurations the identifier,
//     and destinationConfiguration as a union of exactly one of s3, cloudWatchLogs and firehose
//     holding only its one name, of its length and pattern by std::regex): so validity equals
//     the rules;
//   - markers on: a request holding a marker that the readers see is never valid;
//   - the two readings differ only where the text holds a marker.
// Answers (calls 1-3): ok exactly when nlohmann's DOM is an object and (SendEvent,
// DeleteMessage) its `id` is 12 ASCII letters and digits, and then the id is the DOM's; the
// error is one of the fixed sentences (never the body's text).
#include <algorithm>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "core/control_plane_requests.hpp"
#include "core/create_chat_token.hpp"
#include "core/json_lossless.hpp"
#include "core/room_requests.hpp"
#include "fuzz_support.hpp"

using namespace ivschat;
using nlohmann::json;

namespace {

// The fourteen calls the target picks among: the backend module's four (ControlPlaneCall's
// numbers), then the admin module's ten (RoomCall's, plus 4).
enum class Call : int {
  CreateChatToken = 0, SendEvent = 1, DeleteMessage = 2, DisconnectUser = 3,
  CreateRoom = 4, GetRoom = 5, ListRooms = 6, UpdateRoom = 7, DeleteRoom = 8,
  CreateLoggingConfiguration = 9, GetLoggingConfiguration = 10, ListLoggingConfigurations = 11,
  UpdateLoggingConfiguration = 12, DeleteLoggingConfiguration = 13,
};
constexpr int kCallCount = kControlPlaneCallCount + kRoomCallCount;
static_assert(kCallCount == 14);

constexpr bool isRoomCall(Call call) noexcept { return static_cast<int>(call) >= kControlPlaneCallCount; }
RoomCall roomCallOf(Call call) noexcept { return static_cast<RoomCall>(static_cast<int>(call) - kControlPlaneCallCount); }
bool isLoggingCall(Call call) noexcept { return isRoomCall(call) && isLoggingConfigurationCall(roomCallOf(call)); }

const char* nameOf(Call call) noexcept {
  return isRoomCall(call) ? roomOperationName(roomCallOf(call)) : operationName(static_cast<ControlPlaneCall>(call));
}

// What the binding of the call's module runs: buildControlPlaneRequest, or buildRoomRequest.
ControlPlaneRequest build(Call call, const JsonDocument& document) {
  return isRoomCall(call) ? buildRoomRequest(roomCallOf(call), document)
                          : buildControlPlaneRequest(static_cast<ControlPlaneCall>(call), document);
}

// The members of each call, in the order its errors come.
const std::vector<std::string>& membersOf(Call call) {
  static const std::vector<std::string> kCreate = {"roomIdentifier", "userId", "capabilities",
                                                   "sessionDurationInMinutes", "attributes"};
  static const std::vector<std::string> kSendEvent = {"roomIdentifier", "eventName", "attributes"};
  static const std::vector<std::string> kDelete = {"roomIdentifier", "id", "reason"};
  static const std::vector<std::string> kDisconnect = {"roomIdentifier", "userId", "reason"};
  static const std::vector<std::string> kCreateRoom = {"name", "maximumMessageLength", "maximumMessageRatePerSecond",
                                                       "messageReviewHandler", "loggingConfigurationIdentifiers", "tags"};
  static const std::vector<std::string> kUpdateRoom = {"identifier", "name", "maximumMessageLength",
                                                       "maximumMessageRatePerSecond", "messageReviewHandler",
                                                       "loggingConfigurationIdentifiers"};
  static const std::vector<std::string> kListRooms = {"name", "nextToken", "maxResults", "messageReviewHandlerUri",
                                                      "loggingConfigurationIdentifier"};
  static const std::vector<std::string> kIdentifier = {"identifier"};
  static const std::vector<std::string> kCreateLogging = {"name", "destinationConfiguration", "tags"};
  static const std::vector<std::string> kUpdateLogging = {"identifier", "name", "destinationConfiguration"};
  static const std::vector<std::string> kListLogging = {"nextToken", "maxResults"};
  switch (call) {
    case Call::CreateChatToken: return kCreate;
    case Call::SendEvent: return kSendEvent;
    case Call::DeleteMessage: return kDelete;
    case Call::DisconnectUser: return kDisconnect;
    case Call::CreateRoom: return kCreateRoom;
    case Call::UpdateRoom: return kUpdateRoom;
    case Call::ListRooms: return kListRooms;
    case Call::CreateLoggingConfiguration: return kCreateLogging;
    case Call::UpdateLoggingConfiguration: return kUpdateLogging;
    case Call::ListLoggingConfigurations: return kListLogging;
    default: return kIdentifier;  // GetRoom, DeleteRoom, GetLoggingConfiguration, DeleteLoggingConfiguration
  }
}

bool endsWith(const std::string& text, std::string_view ending) {
  return text.size() >= ending.size() && text.compare(text.size() - ending.size(), ending.size(), ending) == 0;
}

// An unknown member of messageReviewHandler, of destinationConfiguration or of its destination is
// reported at its path, with its own sentence: it counts as an error of that member (not as an
// unknown member of the request). Returns the member, or empty.
std::string nestedUnknownOf(const fuzz::CopiedError& error) {
  if (error.code != error_code::kUnknownField) return {};
  if (error.field.rfind("messageReviewHandler", 0) == 0 && endsWith(error.message, "the fields are uri and fallbackResult.")) {
    return "messageReviewHandler";
  }
  constexpr std::string_view kUnion = "destinationConfiguration";  // then '.' or '["'
  if (error.field.size() > kUnion.size() && error.field.compare(0, kUnion.size(), kUnion) == 0 &&
      (endsWith(error.message, "the fields are s3, cloudWatchLogs and firehose.") ||
       error.message.find("; the only field is ") != std::string::npos)) {
    return "destinationConfiguration";
  }
  return {};
}

bool isNestedUnknown(const fuzz::CopiedError& error) { return !nestedUnknownOf(error).empty(); }

std::string topFieldOf(const fuzz::CopiedError& error) {
  const std::string nested = nestedUnknownOf(error);
  return nested.empty() ? fuzz::topField(error) : nested;
}

// The errors with nested unknown members recoded as errors of their member, for the support
// checks that read unknown members off the code.
std::vector<fuzz::CopiedError> withNestedUnknownsRecoded(std::vector<fuzz::CopiedError> errors) {
  for (fuzz::CopiedError& error : errors) {
    const std::string nested = nestedUnknownOf(error);
    if (!nested.empty()) {
      error.field = nested;
      error.code = error_code::kType;
    }
  }
  return errors;
}

bool isMember(Call call, std::string_view name) {
  for (const std::string& member : membersOf(call)) {
    if (member == name) return true;
  }
  return false;
}

// The codes each field's errors may have.
bool codeFits(const fuzz::CopiedError& error) {
  const std::string top = topFieldOf(error);
  const std::string& code = error.code;
  const auto oneOf = [&](std::initializer_list<const char*> codes) {
    for (const char* c : codes) {
      if (code == c) return true;
    }
    return false;
  };
  using namespace error_code;
  if (top == "*unknown*" || top == "*more*") return true;
  if (top == "request") return error.field == "request" && oneOf({kType, kTooLarge});
  if (top == "roomIdentifier") {
    return error.field == top && oneOf({kRequired, kType, kInvalidUtf8, kTooShort, kTooLong, kPattern});
  }
  if (top == "eventName" || top == "userId") {
    return error.field == top && oneOf({kRequired, kType, kInvalidUtf8, kTooShort, kTooLong});
  }
  if (top == "reason") return error.field == top && oneOf({kType, kInvalidUtf8, kTooShort, kTooLong});
  if (top == "id") return error.field == top && oneOf({kRequired, kType, kInvalidUtf8, kTooShort, kTooLong, kPattern});
  if (top == "attributes") {
    if (error.field == top) return oneOf({kType, kTooLarge});
    return oneOf({kType, kInvalidUtf8});  // attributes.x, attributes["x y"]
  }
  if (top == "capabilities") {
    if (error.field == top) return oneOf({kType, kTooLong});
    return oneOf({kType, kEnum, kDuplicate});  // capabilities[i]
  }
  if (top == "sessionDurationInMinutes") return error.field == top && oneOf({kType, kRange});
  // The room calls.
  if (top == "identifier") {
    return error.field == top && oneOf({kRequired, kType, kInvalidUtf8, kTooShort, kTooLong, kPattern});
  }
  if (top == "name" || top == "messageReviewHandlerUri" || top == "loggingConfigurationIdentifier") {
    return error.field == top && oneOf({kType, kInvalidUtf8, kTooShort, kTooLong, kPattern});
  }
  if (top == "nextToken") return error.field == top && oneOf({kType, kInvalidUtf8, kTooLong});
  if (top == "maximumMessageLength" || top == "maximumMessageRatePerSecond" || top == "maxResults") {
    return error.field == top && oneOf({kType, kRange});
  }
  if (top == "messageReviewHandler") {
    if (isNestedUnknown(error)) return true;
    if (error.field == top) return oneOf({kType});
    if (error.field == "messageReviewHandler.uri") return oneOf({kType, kInvalidUtf8, kTooLong, kPattern});
    if (error.field == "messageReviewHandler.fallbackResult") return oneOf({kType, kInvalidUtf8, kTooShort, kTooLong, kEnum});
    return false;
  }
  if (top == "loggingConfigurationIdentifiers") {
    if (error.field == top) return oneOf({kType, kTooLong});
    return oneOf({kRequired, kType, kInvalidUtf8, kTooShort, kTooLong, kPattern});  // [i]
  }
  if (top == "tags") {
    if (error.field == top) return oneOf({kType, kTooLarge});
    return oneOf({kType, kInvalidUtf8, kTooShort, kTooLong});  // tags.k, tags["k k"]
  }
  if (top == "destinationConfiguration") {
    if (isNestedUnknown(error)) return true;
    if (error.field == top) return oneOf({kRequired, kType});
    for (const char* member : {"s3", "cloudWatchLogs", "firehose"}) {
      const std::string path = std::string(top) + "." + member;
      if (error.field == path) return oneOf({kType});
      if (error.field == path + ".bucketName" || error.field == path + ".logGroupName" ||
          error.field == path + ".deliveryStreamName") {
        return oneOf({kRequired, kType, kInvalidUtf8, kTooShort, kTooLong, kPattern});
      }
    }
    return false;
  }
  return false;
}

// Errors are well formed for this call: codes, fields, messages and order.
void checkErrorShapes(Call call, const std::vector<fuzz::CopiedError>& errors) {
  fuzz::checkMessagesNameFields(errors);
  const std::vector<std::string>& members = membersOf(call);
  std::size_t lastRank = 0;
  for (std::size_t i = 0; i < errors.size(); ++i) {
    const fuzz::CopiedError& error = errors[i];
    FUZZ_CHECK(codeFits(error));
    const std::string top = topFieldOf(error);
    std::size_t rank = 0;
    if (top == "request") {
      FUZZ_CHECK(errors.size() == 1);  // no object: nothing else to say
    } else if (top == "*unknown*") {
      FUZZ_CHECK(!isMember(call, error.field));
      FUZZ_CHECK(fuzz::contains(error.message, nameOf(call)));
      // Listed with the member it was probably meant for, when that one is missing.
      const std::string meant = fuzz::explainedRequiredField(errors, i);
      rank = meant.empty() ? members.size() + 1
                           : 1 + static_cast<std::size_t>(std::find(members.begin(), members.end(), meant) - members.begin());
    } else if (top == "*more*") {
      rank = members.size() + 2;
    } else {
      FUZZ_CHECK(isMember(call, top));
      rank = 1 + static_cast<std::size_t>(std::find(members.begin(), members.end(), top) - members.begin());
    }
    FUZZ_CHECK(rank >= lastRank);
    lastRank = rank;
  }
}

// The rules, worked out on nlohmann's DOM (and, for string maps and number text, on the same
// parse with every member kept): the top-level fields that break them ("*unknown*" for members
// of no such name), or {"request"} when the request is no object.
std::set<std::string> brokenFields(Call call, const json& dom, const fuzz::MultiJson& multi) {
  if (!dom.is_object()) return {"request"};
  std::set<std::string> broken;
  for (const auto& item : dom.items()) {
    if (!isMember(call, item.key())) broken.insert("*unknown*");
  }
  const auto text = [&](const char* name, bool required, std::size_t min, std::size_t max) {
    const json* value = fuzz::domPresent(dom, name);
    if (!value) {
      if (required) broken.insert(name);
      return;
    }
    if (!value->is_string()) {
      broken.insert(name);
      return;
    }
    const std::size_t length = fuzz::codePoints(value->get_ref<const std::string&>());
    if (length < min || length > max) broken.insert(name);
  };
  const auto stringMap = [&](const char* name) {
    const fuzz::MultiJson* value = multi.present(name);
    FUZZ_CHECK((value != nullptr) == (fuzz::domPresent(dom, name) != nullptr));
    if (!value) return;
    if (!value->isObject() || !fuzz::allStrings(*value) || fuzz::stringMapBytes(*value) > 1024) broken.insert(name);
  };

  static const std::regex kRoomArn("^arn:aws:ivschat:[a-z0-9-]+:[0-9]+:room/[a-zA-Z0-9-]+$");
  const auto roomArn = [&](const char* name) {
    const json* room = fuzz::domPresent(dom, name);
    if (!room || !room->is_string()) {
      broken.insert(name);
    } else {
      const std::string& arn = room->get_ref<const std::string&>();
      const std::size_t length = fuzz::codePoints(arn);
      if (length < 1 || length > 128 || !std::regex_match(arn, kRoomArn)) broken.insert(name);
    }
  };
  if (!isRoomCall(call)) roomArn("roomIdentifier");

  // The room calls' rules, on strings of the DOM (nlohmann has checked their UTF-8).
  static const std::regex kRoomName("^[a-zA-Z0-9_-]*$");
  static const std::regex kLambda("^arn:aws:lambda:[a-z0-9-]+:[0-9]{12}:function:(?!\xE2\x80[\xA8\xA9]).");
  static const std::regex kLogging("^arn:aws:ivschat:[a-z0-9-]+:[0-9]+:logging-configuration/[a-zA-Z0-9-]+$");
  const auto fits = [](const json& value, std::size_t min, std::size_t max, const std::regex* pattern, bool search) {
    if (!value.is_string()) return false;
    const std::string& text = value.get_ref<const std::string&>();
    const std::size_t length = fuzz::codePoints(text);
    if (length < min || length > max) return false;
    if (!pattern) return true;
    return search ? text.empty() || std::regex_search(text, *pattern) : std::regex_match(text, *pattern);
  };
  const auto patterned = [&](const char* name, std::size_t min, std::size_t max, const std::regex* pattern, bool search) {
    const json* value = fuzz::domPresent(dom, name);
    if (value && !fits(*value, min, max, pattern, search)) broken.insert(name);
  };
  const auto whole = [&](const char* name, std::int64_t min, std::int64_t max) {
    const fuzz::MultiJson* number = multi.present(name);
    if (!number) return;
    std::int64_t value = 0;
    bool fine = true;
    if (number->type == json::value_t::number_unsigned) {
      fine = number->unsignedInteger <= static_cast<std::uint64_t>(max);
      value = static_cast<std::int64_t>(number->unsignedInteger);
    } else if (number->type == json::value_t::number_integer) {
      value = number->integer;
    } else if (number->type == json::value_t::number_float) {
      fine = fuzz::shapeOfNumberText(number->text, value) == fuzz::NumberShape::Whole;
    } else {
      fine = false;
    }
    if (!fine || value < min || value > max) broken.insert(name);
  };
  const auto settings = [&] {
    patterned("name", 0, 128, &kRoomName, false);
    whole("maximumMessageLength", 1, 500);
    whole("maximumMessageRatePerSecond", 1, 100);
    if (const json* handler = fuzz::domPresent(dom, "messageReviewHandler")) {
      bool fine = handler->is_object();
      if (fine) {
        for (const auto& item : handler->items()) fine = fine && (item.key() == "uri" || item.key() == "fallbackResult");
        const json* uri = fuzz::domPresent(*handler, "uri");
        fine = fine && (!uri || fits(*uri, 0, 170, &kLambda, true));
        const json* fallback = fuzz::domPresent(*handler, "fallbackResult");
        fine = fine && (!fallback || *fallback == "ALLOW" || *fallback == "DENY");
      }
      if (!fine) broken.insert("messageReviewHandler");
    }
    if (const json* logging = fuzz::domPresent(dom, "loggingConfigurationIdentifiers")) {
      bool fine = logging->is_array() && logging->size() <= 3;
      if (fine) {
        for (const json& item : *logging) fine = fine && fits(item, 1, 128, &kLogging, false);
      }
      if (!fine) broken.insert("loggingConfigurationIdentifiers");
    }
  };
  const auto tagsRule = [&] {
    if (const fuzz::MultiJson* tags = multi.present("tags")) {
      // Every member counts, repeated names included (as the core walks them).
      bool fine = tags->isObject() && tags->members.size() <= 50;
      if (fine) {
        for (const auto& [key, value] : tags->members) {
          const std::size_t keyLength = fuzz::codePoints(key);
          fine = fine && keyLength >= 1 && keyLength <= 128 && value.isString() && fuzz::codePoints(value.text) <= 256;
        }
      }
      if (!fine) broken.insert("tags");
    }
  };
  const auto loggingArn = [&](const char* name) {
    const json* value = fuzz::domPresent(dom, name);
    if (!value || !fits(*value, 1, 128, &kLogging, false)) broken.insert(name);
  };
  // The union: exactly one of its three members present, an object holding only its one name,
  // of the destination's length and pattern; no other member of the union, null or not.
  static const std::regex kBucket("^[a-z0-9.-]+$");
  static const std::regex kLogGroup("^[._/#A-Za-z0-9-]+$");
  static const std::regex kStream("^[a-zA-Z0-9_.-]+$");
  const auto destination = [&](bool required) {
    const json* value = fuzz::domPresent(dom, "destinationConfiguration");
    if (!value) {
      if (required) broken.insert("destinationConfiguration");
      return;
    }
    struct Rule {
      const char* member;
      const char* field;
      std::size_t min, max;
      const std::regex* pattern;
    };
    const Rule rules[] = {{"s3", "bucketName", 3, 63, &kBucket},
                          {"cloudWatchLogs", "logGroupName", 1, 512, &kLogGroup},
                          {"firehose", "deliveryStreamName", 1, 64, &kStream}};
    bool fine = value->is_object();
    std::size_t present = 0;
    if (fine) {
      for (const auto& item : value->items()) {
        fine = fine && (item.key() == "s3" || item.key() == "cloudWatchLogs" || item.key() == "firehose");
      }
      for (const Rule& rule : rules) {
        const json* inner = fuzz::domPresent(*value, rule.member);
        if (!inner) continue;
        ++present;
        bool innerFine = inner->is_object();
        if (innerFine) {
          for (const auto& item : inner->items()) innerFine = innerFine && item.key() == rule.field;
          const json* name = fuzz::domPresent(*inner, rule.field);
          innerFine = innerFine && name && fits(*name, rule.min, rule.max, rule.pattern, false);
        }
        fine = fine && innerFine;
      }
    }
    if (!fine || present != 1) broken.insert("destinationConfiguration");
  };


  switch (call) {
    case Call::SendEvent:
      text("eventName", true, 1, 100);
      stringMap("attributes");
      break;
    case Call::DeleteMessage: {
      const json* id = fuzz::domPresent(dom, "id");
      bool fine = id && id->is_string() && id->get_ref<const std::string&>().size() == 12;
      if (fine) {
        for (const char c : id->get_ref<const std::string&>()) {
          fine = fine && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
        }
      }
      if (!fine) broken.insert("id");
      text("reason", false, 1, 256);
      break;
    }
    case Call::DisconnectUser:
      text("userId", true, 1, 128);
      text("reason", false, 1, 256);
      break;
    case Call::CreateRoom:
      settings();
      tagsRule();
      break;
    case Call::CreateLoggingConfiguration:
      patterned("name", 0, 128, &kRoomName, false);
      destination(true);
      tagsRule();
      break;
    case Call::UpdateLoggingConfiguration:
      loggingArn("identifier");
      patterned("name", 0, 128, &kRoomName, false);
      destination(false);
      break;
    case Call::GetLoggingConfiguration:
    case Call::DeleteLoggingConfiguration:
      loggingArn("identifier");
      break;
    case Call::ListLoggingConfigurations:
      patterned("nextToken", 0, 1024, nullptr, false);
      whole("maxResults", 1, 50);
      break;
    case Call::UpdateRoom:
      roomArn("identifier");
      settings();
      break;
    case Call::ListRooms:
      patterned("name", 0, 128, &kRoomName, false);
      patterned("nextToken", 0, 1024, nullptr, false);
      whole("maxResults", 1, 50);
      patterned("messageReviewHandlerUri", 0, 170, &kLambda, true);
      patterned("loggingConfigurationIdentifier", 1, 128, &kLogging, false);
      break;
    case Call::GetRoom:
    case Call::DeleteRoom:
      roomArn("identifier");
      break;
    case Call::CreateChatToken: {
      text("userId", true, 1, 128);
      if (const json* capabilities = fuzz::domPresent(dom, "capabilities")) {
        std::set<std::string> seen;
        bool fine = capabilities->is_array();
        if (fine) {
          for (const json& item : *capabilities) {
            const bool known = item.is_string() && (item == "SEND_MESSAGE" || item == "DISCONNECT_USER" ||
                                                    item == "DELETE_MESSAGE");
            fine = fine && known && seen.insert(item.get<std::string>()).second;
          }
        }
        if (!fine) broken.insert("capabilities");
      }
      if (const fuzz::MultiJson* duration = multi.present("sessionDurationInMinutes")) {
        std::int64_t minutes = 0;
        bool fine = true;
        if (duration->type == json::value_t::number_unsigned) {
          fine = duration->unsignedInteger <= 180;
          minutes = static_cast<std::int64_t>(duration->unsignedInteger);
        } else if (duration->type == json::value_t::number_integer) {
          minutes = duration->integer;
        } else if (duration->type == json::value_t::number_float) {
          fine = fuzz::shapeOfNumberText(duration->text, minutes) == fuzz::NumberShape::Whole;
        } else {
          fine = false;
        }
        if (!fine || minutes < 1 || minutes > 180) broken.insert("sessionDurationInMinutes");
      }
      stringMap("attributes");
      break;
    }
  }
  return broken;
}

// The unknown members' errors: each name once, shown shortened; in byte order but for those moved
// before the REQUIRED error they explain (checkErrorShapes checks where those stand).
void checkUnknownMembers(Call call, const json& dom, const std::vector<fuzz::CopiedError>& errors) {
  if (!dom.is_object()) return;
  std::vector<std::string> expected;
  for (const auto& item : dom.items()) {  // std::map: each name once, in byte order
    if (!isMember(call, item.key())) expected.push_back(fuzz::shownNameOf(item.key()));
  }
  std::vector<std::string> listed;
  std::vector<std::string> inPlace;
  for (std::size_t i = 0; i < errors.size() && i < kMaxFieldErrors; ++i) {
    if (errors[i].code != error_code::kUnknownField || isNestedUnknown(errors[i])) continue;
    listed.push_back(errors[i].field);
    if (fuzz::explainedRequiredField(errors, i).empty()) inPlace.push_back(errors[i].field);
  }
  // Those in place keep the byte order: a subsequence of `expected`.
  std::size_t next = 0;
  for (const std::string& field : inPlace) {
    while (next < expected.size() && expected[next] != field) ++next;
    FUZZ_CHECK(next < expected.size());
    ++next;
  }
  std::vector<std::string> all = expected;
  std::sort(listed.begin(), listed.end());
  std::sort(all.begin(), all.end());
  if (fuzz::isCapped(errors)) {
    FUZZ_CHECK(listed.size() <= all.size());
    FUZZ_CHECK(std::includes(all.begin(), all.end(), listed.begin(), listed.end()));
  } else {
    FUZZ_CHECK(listed == all);
  }
}

// The body of a valid request as nlohmann writes the request's present members of the scan.
std::string bodyOfScan(Call call, const JsonDocument& document) {
  json body = json::object();
  for (const std::string& name : membersOf(call)) {
    const JsonValue* value = presentMember(document, document.root(), name);
    if (!value) continue;
    switch (value->kind) {
      case JsonKind::String: body[name] = std::string(value->text); break;
      case JsonKind::Object:
        if (name == "messageReviewHandler") {
          json handler = json::object();  // its present members
          for (const char* member : {"uri", "fallbackResult"}) {
            if (const JsonValue* item = presentMember(document, *value, member)) handler[member] = std::string(item->text);
          }
          body[name] = handler;
        } else if (name == "destinationConfiguration") {
          json union_ = json::object();  // its one present member, with its one name
          const std::pair<const char*, const char*> members[] = {
              {"s3", "bucketName"}, {"cloudWatchLogs", "logGroupName"}, {"firehose", "deliveryStreamName"}};
          for (const auto& [member, field] : members) {
            const JsonValue* item = presentMember(document, *value, member);
            if (!item) continue;
            const JsonValue* text = presentMember(document, *item, field);
            FUZZ_CHECK(text && text->kind == JsonKind::String);
            union_[member][field] = std::string(text->text);
          }
          FUZZ_CHECK(union_.size() == 1);
          body[name] = union_;
        } else {
          body[name] = fuzz::stringMapOf(document, value);
        }
        break;
      case JsonKind::Array: {
        json items = json::array();
        for (const JsonValue& item : document.children(*value)) {
          FUZZ_CHECK(item.kind == JsonKind::String);
          items.push_back(std::string(item.text));
        }
        body[name] = items;
        break;
      }
      case JsonKind::Number: {
        const ExactNumber exact = exactNumber(*value);
        FUZZ_CHECK(exact.shape == ExactNumber::Whole);
        body[name] = exact.value;
        break;
      }
      default: FUZZ_CHECK(!"a valid request holds only strings, string maps, arrays and numbers");
    }
  }
  return body.dump();
}

// The body of a valid request as nlohmann writes the request's present members of its DOM.
std::string bodyOfDom(Call call, const json& dom) {
  FUZZ_CHECK(dom.is_object());
  json body = json::object();
  for (const auto& item : dom.items()) {
    FUZZ_CHECK(isMember(call, item.key()));
    if (item.value().is_null()) continue;
    if (item.value().is_number()) {
      // A whole number in range whatever its spelling (60, 6e1, 60.0): written as such.
      body[item.key()] = static_cast<std::int64_t>(item.value().get<double>());
    } else if (item.key() == "messageReviewHandler" || item.key() == "destinationConfiguration") {
      json handler = item.value();
      for (auto it = handler.begin(); it != handler.end();) it = it->is_null() ? handler.erase(it) : std::next(it);
      body[item.key()] = handler;
    } else {
      body[item.key()] = item.value();
    }
  }
  return body.dump();
}

struct Outcome {
  bool documentOk = false;
  bool truncated = false;
  bool marker = false;
  std::vector<fuzz::CopiedError> errors;
  std::string body;
  std::string room;
};

Outcome checkReading(Call call, std::string_view text, const json& strict, const fuzz::MultiJson& multi,
                     bool markers) {
  const LosslessJson input(text, fuzz::workspace(), markers);
  const JsonDocument& document = input.document;
  const ControlPlaneRequest built = build(call, document);
  fuzz::checkFieldErrors(built.errors);
  Outcome outcome;
  outcome.documentOk = document.ok;
  outcome.truncated = document.truncated;
  outcome.marker = document.ok && fuzz::hasMarker(document, document.root());
  outcome.errors = fuzz::copyErrors(built.errors);
  outcome.body = built.body;
  outcome.room = std::string(built.roomIdentifier);
  checkErrorShapes(call, outcome.errors);
  const std::vector<fuzz::CopiedError> recoded = withNestedUnknownsRecoded(outcome.errors);
  fuzz::checkUnreadableRefused(document, built.ok(), recoded);
  fuzz::checkMarkers(document, markers, built.ok(), recoded,
                     call == Call::SendEvent || call == Call::CreateChatToken);

  if (call == Call::CreateChatToken) {
    // The binding's one entry point gives what the CreateChatToken functions give.
    const CreateChatTokenValidation direct = validateCreateChatTokenRequest(document);
    FUZZ_CHECK(fuzz::copyErrors(direct.errors) == outcome.errors);
    if (direct.ok()) {
      FUZZ_CHECK(buildCreateChatTokenBody(document, direct.request) == built.body);
      FUZZ_CHECK(direct.request.roomIdentifier == built.roomIdentifier);
    }
  }

  if (built.ok()) {
    FUZZ_CHECK(document.ok && document.root().kind == JsonKind::Object);
    FUZZ_CHECK(!built.body.empty() && json::accept(built.body));
    FUZZ_CHECK(built.body == bodyOfScan(call, document));
    if (isRoomCall(call) && namesNoResource(roomCallOf(call))) {
      FUZZ_CHECK(built.roomIdentifier.empty());  // the region must be given
    } else {
      const JsonValue* room = presentMember(document, document.root(), isRoomCall(call) ? "identifier" : "roomIdentifier");
      FUZZ_CHECK(room && room->kind == JsonKind::String && room->text == built.roomIdentifier);
      if (isLoggingCall(call)) {
        FUZZ_CHECK(matchesLoggingConfigurationArnPattern(built.roomIdentifier));
      } else {
        FUZZ_CHECK(matchesRoomArnPattern(built.roomIdentifier) && !regionFromRoomArn(built.roomIdentifier).empty());
      }
      FUZZ_CHECK(!regionFromIvsChatArn(built.roomIdentifier).empty());
    }
    // Read back as the shim would pass it: valid again, the same bytes.
    const LosslessJson again(built.body, fuzz::secondWorkspace(), markers);
    const ControlPlaneRequest rebuilt = build(call, again.document);
    FUZZ_CHECK(rebuilt.ok());
    FUZZ_CHECK(rebuilt.body == built.body);
    FUZZ_CHECK(rebuilt.roomIdentifier == built.roomIdentifier);
  } else {
    FUZZ_CHECK(built.body.empty());
  }

  if (!strict.is_discarded()) {
    FUZZ_CHECK(document.ok || document.truncated);
    const JsonDocument strictDocument = fuzz::scanStrict(text, fuzz::secondWorkspace(), markers);
    FUZZ_CHECK(strictDocument.ok == document.ok && strictDocument.truncated == document.truncated);
    const ControlPlaneRequest fromStrict = build(call, strictDocument);
    FUZZ_CHECK(fuzz::copyErrors(fromStrict.errors) == outcome.errors);
    FUZZ_CHECK(fromStrict.body == outcome.body);
    if (built.ok()) FUZZ_CHECK(bodyOfDom(call, strict) == built.body);
    if (document.ok && (!markers || !fuzz::hasReadMarker(document))) {
      checkUnknownMembers(call, strict, outcome.errors);
      fuzz::checkReportsBrokenFields(brokenFields(call, strict, multi), recoded, built.ok());
    }
  }
  return outcome;
}

// A 2xx answer of a moderation call, scanned as the binding scans it (plain JSON).
void checkAnswer(Call call, std::string_view text, const json& strict) {
  const JsonDocument document = fuzz::scanStrict(text, fuzz::workspace());
  const ModerationAnswer answer = readModerationAnswer(static_cast<ControlPlaneCall>(call), document);
  FUZZ_CHECK(document.ok == !strict.is_discarded() || document.truncated);
  if (answer.ok) {
    FUZZ_CHECK(std::string_view(answer.error).empty());
  } else {
    const std::string_view error = answer.error;
    FUZZ_CHECK(error == "the answer is not a JSON object" || error == "the answer has no id of 12 letters and digits");
    FUZZ_CHECK(answer.id.empty());
  }
  if (strict.is_discarded() || document.truncated) {
    FUZZ_CHECK(!answer.ok);
    return;
  }
  bool expected = strict.is_object();
  const json* id = fuzz::domMember(strict, "id");
  if (expected && call != Call::DisconnectUser) {
    expected = id && id->is_string() && id->get_ref<const std::string&>().size() == 12;
    if (expected) {
      for (const char c : id->get_ref<const std::string&>()) {
        expected = expected && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
      }
    }
  }
  FUZZ_CHECK(answer.ok == expected);
  if (answer.ok) {
    if (call == Call::DisconnectUser) {
      FUZZ_CHECK(answer.id.empty());
    } else {
      FUZZ_CHECK(answer.id == id->get_ref<const std::string&>());
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // '0' is 48, 6 mod 14: adding 8 reads the digit ('9' + 1 = ':' and on for the calls past 9).
  const auto call = static_cast<Call>((data[0] + 8) % kCallCount);
  const std::string_view text = fuzz::asText(data + 1, size - 1);
  const json strict = json::parse(text, nullptr, /*allow_exceptions=*/false);
  fuzz::MultiJson multi;
  const bool multiOk = fuzz::parseMulti(text, multi);
  FUZZ_CHECK(multiOk == !strict.is_discarded());
  const Outcome plain = checkReading(call, text, strict, multi, /*markers=*/false);
  const Outcome marked = checkReading(call, text, strict, multi, /*markers=*/true);
  FUZZ_CHECK(marked.documentOk == plain.documentOk && marked.truncated == plain.truncated);
  if (!marked.marker) {
    FUZZ_CHECK(marked.errors == plain.errors && marked.body == plain.body && marked.room == plain.room);
  }
  if (call != Call::CreateChatToken && !isRoomCall(call)) checkAnswer(call, text, strict);
  return 0;
}
