#include "core/chat_rules.hpp"

#include "core/utf8.hpp"

namespace ivschat {

std::optional<std::string_view> checkMessageId(const JsonValue* value, std::string_view field, FieldErrors& errors) {
  const std::optional<std::string_view> id = checkText(value, field, true, {kMessageIdLength, kMessageIdLength, ""}, errors);
  // The pattern is checked whenever the text is valid, so a 5-character "a b!c" gets both errors.
  if (value && value->kind == JsonKind::String && !value->text.empty() && isValidUtf8(value->text)) {
    for (const char c : value->text) {
      const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum) {
        errors.add(field, error_code::kPattern, "{} must be made of ASCII letters and digits, as the Id of a received message is.",
                   {field});
        return std::nullopt;
      }
    }
  }
  return id;
}

}  // namespace ivschat
