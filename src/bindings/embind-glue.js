// Three changes to embind's JavaScript for the bindings generated from boundary/calls.js, which
// are free functions of integers and doubles only (texts cross through the I/O area), with at
// most 10 arguments (boundary/generate.js checks). Linked with --js-library after embind's own
// JavaScript library; the C++ side is embind's bind.h, with src/bindings/embind_number_types.cpp
// in place of libembind. It replaces private library functions of embind, so CMakeLists.txt
// builds it only with the Emscripten it was written for (3.1.6) and otherwise stops, unless
// -DIVSCHAT_STOCK_EMBIND=ON asks for stock embind (bigger, slower glue; same results).
//
// 1. Only the number types are registered: src/bindings/embind_number_types.cpp takes the place
//    of libembind's start-up registration, which also registered the string, emval and
//    memory_view types and so pulled their JavaScript into the glue (the UTF-8 and UTF-16/32
//    codecs, the emval handle table, typed-array views). A binding that used one of these types
//    would fail to register (its function is then missing, which js/loader.js reports) rather
//    than work half.
// 2. Invokers of fixed arity. Embind 3.1.6 without code generation (-sDYNAMIC_EXECUTION=0, as
//    Workers and CSP pages require) wraps each call in a generic loop over `arguments` that
//    fills shared arrays and calls apply(); that costs about as many instructions as reading a
//    small chat frame, and its arrays, kept per function rather than per call, break a function
//    that is re-entered. These invokers call the C++ invoker directly with each argument
//    converted by its type, as embind's generated ones do.
// 3. Leaner registration: numbers as the plain conversions free functions need (this build has
//    no ASSERTIONS range checks to keep), and functions straight onto the module (none is
//    overloaded and none takes a 64-bit integer), so embind's overload tables, unbound-type
//    stubs, dynCall wrappers and pointer readers are not linked; its error classes are plain
//    subclasses of Error.
mergeInto(LibraryManager.library, {
  _embind_register_function__deps: ['$craftInvokerFunction', '$heap32VectorToArray', '$readLatin1String',
    '$whenDependentTypesAreResolved', '$throwBindingError'],
  _embind_register_function: function(name, argCount, rawArgTypesAddr, signature, rawInvoker, fn) {
    var argTypes = heap32VectorToArray(argCount, rawArgTypesAddr);
    name = readLatin1String(name);
    if (readLatin1String(signature).indexOf('j') >= 0) throwBindingError(name + ': a 64-bit integer is not bound here (src/bindings/embind-glue.js)');
    var invoker = wasmTable.get(rawInvoker);
    whenDependentTypesAreResolved([], argTypes, function(argTypes) {
      Module[name] = craftInvokerFunction(name, [argTypes[0], null].concat(argTypes.slice(1)), null, invoker, fn);
      return [];
    });
  },

  // Numbers as the VM converts them; no readValueFromPointer (only classes and value objects read it).
  _embind_register_integer__deps: ['$readLatin1String', '$registerType'],
  _embind_register_integer: function(rawType, name, size, minRange) {
    name = readLatin1String(name);
    var shift = 32 - 8 * size;
    registerType(rawType, {
      name: name,
      'fromWireType': minRange === 0 ? function(value) { return (value << shift) >>> shift; } : function(value) { return value; },
      'toWireType': name.indexOf('unsigned') >= 0 ? function(destructors, value) { return value >>> 0; } : function(destructors, value) { return value; },
      'argPackAdvance': 8,
      destructorFunction: null,
    });
  },
  _embind_register_float__deps: ['$readLatin1String', '$registerType'],
  _embind_register_float: function(rawType, name) {
    registerType(rawType, {
      name: readLatin1String(name),
      'fromWireType': function(value) { return value; },
      'toWireType': function(destructors, value) { return value; },
      'argPackAdvance': 8,
      destructorFunction: null,
    });
  },
  _embind_register_bool__deps: ['$readLatin1String', '$registerType'],
  _embind_register_bool: function(rawType, name, size, trueValue, falseValue) {
    registerType(rawType, {
      name: readLatin1String(name),
      'fromWireType': function(wire) { return !!wire; },
      'toWireType': function(destructors, value) { return value ? trueValue : falseValue; },
      'argPackAdvance': 8,
      destructorFunction: null,
    });
  },

  $extendError: function(baseErrorType, errorName) {
    return class extends baseErrorType {
      constructor(message) {
        super(message);
        this.name = errorName;
      }
    };
  },

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
