#include "core/json_write.hpp"

#include <vector>

namespace ivschat {

void appendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + start, i - start);
    start = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
    }
  }
  out.append(text.data() + start, text.size() - start);
  out.push_back('"');
}

}  // namespace ivschat

namespace ivschat {

void appendSortedStringMap(std::string& out, const JsonDocument& document, const JsonValue& object) {
  // Insertion sort of the members by name (maps hold at most 1 KB of text, so few members):
  // small code, no allocation beyond the index list.
  std::vector<const JsonValue*> members;
  members.reserve(object.size);
  for (const JsonValue& item : document.children(object)) {
    std::size_t at = members.size();
    while (at > 0 && item.key < members[at - 1]->key) --at;
    if (at > 0 && members[at - 1]->key == item.key) {
      members[at - 1] = &item;  // a repeated name: the later value wins
      continue;
    }
    members.insert(members.begin() + static_cast<std::ptrdiff_t>(at), &item);
  }
  out.push_back('{');
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i > 0) out.push_back(',');
    appendJsonString(out, members[i]->key);
    out.push_back(':');
    appendJsonString(out, members[i]->text);
  }
  out.push_back('}');
}

}  // namespace ivschat
