// Default sanitizer options for the GoogleTest binary when it is built with
// -DIVSCHAT_SANITIZE=address,undefined (build/native-asan; see CMakeLists.txt). They apply to
// ctest and to direct runs alike; ASAN_OPTIONS / UBSAN_OPTIONS in the environment still override
// them. Every report ends the run with a failure: the build also uses -fno-sanitize-recover=all.
// In a build without sanitizers nothing here is compiled.
#ifdef IVSCHAT_SANITIZED

extern "C" const char* __asan_default_options() {
  return "halt_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:"
         "check_initialization_order=1:strict_init_order=1:strict_string_checks=1:"
         "print_summary=1";
}

extern "C" const char* __ubsan_default_options() {
  return "halt_on_error=1:print_stacktrace=1";
}

#endif
