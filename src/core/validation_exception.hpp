#pragma once
// The body IVS Chat answers (HTTP 400, ValidationException) for a request that breaks its
// rules, built from the core's field errors: what a token backend sends its callers, so that
// they read the same shape from it as from IVS.
#include <string>

#include "core/field_checks.hpp"

namespace ivschat {

/// `{"fieldList":[{"message":…,"name":…}],"message":…,"reason":"FIELD_VALIDATION_FAILED"}`:
/// members in sorted order; `message` is the first error's, with "(and N more problems)".
std::string buildValidationExceptionBody(const FieldErrors& errors);

}  // namespace ivschat
