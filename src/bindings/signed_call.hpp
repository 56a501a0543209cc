#pragma once
// The signing step shared by the calls that validate, build and SigV4-sign one control-plane
// request (signRequest in the backend module, signRoomRequest in the admin module): their inputs
// and outcomes are declared alike in boundary/calls.js (SIGNING), so one template writes both.
#include <cstdint>
#include <string_view>

#include "bindings/io_area.hpp"
#include "core/control_plane_requests.hpp"
#include "core/ivs_signed_request.hpp"

namespace ivschat::bindings {

/// Writes Invalid with the field errors of `built`, else `built`'s body signed for `operation`
/// in `region` (Ok), or Failed naming the input the signer refused (never quoting a secret).
template <typename Call>
void writeSignedCall(const typename Call::Inputs& in, const char* operation, const ControlPlaneRequest& built,
                     std::string_view region, Output& out) {
  if (!built.ok()) {
    typename Call::Invalid(out).errors(built.errors);
    return;
  }
  AwsCredentials credentials;
  credentials.accessKeyId = in.accessKeyId;
  credentials.secretAccessKey = in.secretAccessKey;
  credentials.sessionToken = in.sessionToken;
  // JavaScript checked epochMillis is finite; the cast is then defined.
  const SignedIvsRequest signedRequest = signIvsChatRequest(operation, built.body, region, {in.host, in.basePath},
                                                            credentials, static_cast<std::int64_t>(in.epochMillis));
  if (signedRequest.problem) {
    typename Call::Failed(out).field(signedRequest.problem->field).error(signedRequest.problem->message);
    return;
  }
  typename Call::Ok(out)
      .host(signedRequest.host)
      .path(signedRequest.path)
      .amzDate({signedRequest.amzDate.data(), signedRequest.amzDate.size()})
      .authorization(signedRequest.authorization)
      .body(built.body);
}

}  // namespace ivschat::bindings
