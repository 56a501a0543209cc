#include "core/validation_exception.hpp"

#include "core/json_write.hpp"

namespace ivschat {

std::string buildValidationExceptionBody(const FieldErrors& errors) {
  const std::vector<FieldError>& list = errors.list();
  std::string body = "{\"fieldList\":[";
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i > 0) body.push_back(',');
    body += "{\"message\":";
    appendJsonString(body, list[i].message);
    body += ",\"name\":";
    appendJsonString(body, list[i].field);
    body.push_back('}');
  }
  std::string message = list.empty() ? std::string("The request is not valid.") : list.front().message;
  if (list.size() > 1) message.append(formatMessage(" (and {})", {plural(list.size() - 1, "more problem")}));
  body += "],\"message\":";
  appendJsonString(body, message);
  body += ",\"reason\":\"FIELD_VALIDATION_FAILED\"}";
  return body;
}

}  // namespace ivschat
