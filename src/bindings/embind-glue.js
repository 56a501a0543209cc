// Two changes to embind's JavaScript for the bindings of src/bindings/embind.cpp, which are free
// functions of integers and doubles only (texts cross through the I/O area). Linked with
// --js-library; the C++ side is stock embind.
//
// 1. The types no binding uses register as no-ops. embind registers every type it knows at
//    start-up (libembind's EMSCRIPTEN_BINDINGS(builtin)), and each registration pulls its
//    JavaScript into the glue: the UTF-8 and UTF-16/32 string codecs, the emval handle table,
//    typed-array views. A binding that used one of these types would fail to register
//    ("unbound types") at once rather than work half.
// 2. Invokers of fixed arity. Embind 3.1.6 without code generation (-sDYNAMIC_EXECUTION=0, as
//    Workers and CSP pages require) wraps each call in a generic loop over `arguments` that
//    fills shared arrays and calls apply(); that costs about as many instructions as reading a
//    small chat frame, and its arrays, kept per function rather than per call, break a function
//    that is re-entered. These invokers call the C++ invoker directly with each argument
//    converted by its type, as embind's generated ones do.
mergeInto(LibraryManager.library, {
  _embind_register_std_string: function() {},
  _embind_register_std_wstring: function() {},
  _embind_register_emval: function() {},
  _embind_register_memory_view: function() {},

  $craftInvokerFunction__deps: ['$throwBindingError'],
  $craftInvokerFunction: function(humanName, argTypes, classType, cppInvokerFunc, cppTargetFunc) {
    var argCount = argTypes.length - 2;
    var plain = classType === null && argTypes[1] === null && argCount <= 10;
    for (var i = 2; i < argTypes.length; ++i) plain = plain && argTypes[i].destructorFunction === null;
    if (!plain) throwBindingError(humanName + ': only free functions of up to 10 plain values are bound here (src/bindings/embind-glue.js)');
    var result = argTypes[0];
    var returns = result.name !== 'void';
    var t = argTypes;
    var done = function(rv) { return returns ? result['fromWireType'](rv) : undefined; };
    var check = function(count) {
      if (count !== argCount) throwBindingError('function ' + humanName + ' called with ' + count + ' arguments, expected ' + argCount + ' args!');
    };
    var f = cppInvokerFunc;
    var p = cppTargetFunc;
    switch (argCount) {
      case 0: return function() { check(arguments.length); return done(f(p)); };
      case 1: return function(a) { check(arguments.length); return done(f(p, t[2]['toWireType'](null, a))); };
      case 2: return function(a, b) { check(arguments.length); return done(f(p, t[2]['toWireType'](null, a), t[3]['toWireType'](null, b))); };
      case 3: return function(a, b, c) {
        check(arguments.length);
        return done(f(p, t[2]['toWireType'](null, a), t[3]['toWireType'](null, b), t[4]['toWireType'](null, c)));
      };
      default: return function() {
        check(arguments.length);
        var wired = [p];
        for (var k = 0; k < argCount; ++k) wired.push(t[k + 2]['toWireType'](null, arguments[k]));
        return done(f.apply(null, wired));
      };
    }
  },
});
