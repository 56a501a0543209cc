// embind's start-up registration of the types a binding can name, limited to the numbers our
// bindings use (boundary/calls.js: free functions of integers and doubles; texts cross through the
// I/O area). It takes the place of libembind's bind.cpp, which is then never linked: that file
// also registers the string, emval and memory_view types (their names are ~0.9 KB of data, and
// their JavaScript would not be wanted in the glue) and gives type names for embind's unbound-type
// errors: built with RTTI it pulls in the C++ ABI's dynamic_cast machinery (~2 KB), built without,
// sprintf (~3 KB). Our glue (src/bindings/embind-glue.js) never asks for a type's name. The
// modules are built with -fno-rtti and EMSCRIPTEN_HAS_UNBOUND_TYPE_NAMES=0 (embind's documented
// no-RTTI mode), so TypeID<T> is an address per type and these registrations match the bindings'.
//
// Linked into each module only with src/bindings/embind-glue.js (CMakeLists.txt: Emscripten
// 3.1.6 only, like the glue); -DIVSCHAT_STOCK_EMBIND=ON links stock bind.cpp instead.
#include <emscripten/bind.h>

#include <limits>

namespace {

using emscripten::internal::TypeID;

template <typename T> void registerInteger(const char* name) {
  emscripten::internal::_embind_register_integer(TypeID<T>::get(), name, sizeof(T),
                                                 std::numeric_limits<T>::min(),
                                                 std::numeric_limits<T>::max());
}

template <typename T> void registerFloat(const char* name) {
  emscripten::internal::_embind_register_float(TypeID<T>::get(), name, sizeof(T));
}

}  // namespace

extern "C" {

// The same name as bind.cpp's constructor, so that a link that also pulled bind.cpp in would
// fail as a duplicate rather than register every type twice.
__attribute__((constructor, used)) void __embind_register_native_and_builtin_types() {
  using emscripten::internal::_embind_register_bool;
  using emscripten::internal::_embind_register_void;
  _embind_register_void(TypeID<void>::get(), "void");
  _embind_register_bool(TypeID<bool>::get(), "bool", sizeof(bool), true, false);
  registerInteger<char>("char");
  registerInteger<signed char>("signed char");
  registerInteger<unsigned char>("unsigned char");
  registerInteger<signed short>("short");
  registerInteger<unsigned short>("unsigned short");
  registerInteger<signed int>("int");
  registerInteger<unsigned int>("unsigned int");
  registerInteger<signed long>("long");
  registerInteger<unsigned long>("unsigned long");
  registerFloat<float>("float");
  registerFloat<double>("double");
}

}  // extern "C"
