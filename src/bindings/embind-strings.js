// Faster std::string marshalling for embind (linked with --js-library; replaces Emscripten
// 3.1.6's own _embind_register_std_string, same wire format: a 4-byte length, the bytes, a 0).
// 3.1.6 walks every byte in JavaScript twice on the way out (looking for embedded NULs, then for
// the end) and encodes with a JavaScript loop on the way in (lengthBytesUTF8, then
// stringToUTF8); newer Emscripten releases do what this file does:
//   to JS:   ASCII bytes of a short string read directly, anything else one TextDecoder call
//            (embedded NULs kept, a leading U+FEFF kept, ill-formed UTF-8 as U+FFFD);
//   to wasm: ASCII of a short string written directly, anything else one TextEncoder.encodeInto
//            into the allocation (a lone surrogate becomes U+FFFD, which the core reports as
//            the non-ASCII character it is wherever ASCII is required).
// Every string still crosses by value: copied in, copied out, freed.
mergeInto(LibraryManager.library, {
  _embind_register_std_string__deps: ['$readLatin1String', '$registerType', '$simpleReadValueFromPointer', '$throwBindingError'],
  _embind_register_std_string: function(rawType, name) {
    name = readLatin1String(name);
    var stdStringIsUTF8 = name === 'std::string';
    // Below this many characters a loop beats the per-call cost of TextEncoder / TextDecoder.
    var SHORT = 48;
    var decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    var encoder = new TextEncoder();
    registerType(rawType, {
      name: name,
      'fromWireType': function(value) {
        var length = HEAPU32[value >> 2];
        var start = value + 4;
        var str;
        if (stdStringIsUTF8) {
          if (length < SHORT) {
            str = '';
            for (var i = 0; i < length; ++i) {
              var c = HEAPU8[start + i];
              if (c > 127) {
                str = undefined;
                break;
              }
              str += String.fromCharCode(c);
            }
          }
          if (str === undefined) str = decoder.decode(HEAPU8.subarray(start, start + length));
        } else {
          var a = new Array(length);
          for (var k = 0; k < length; ++k) a[k] = String.fromCharCode(HEAPU8[start + k]);
          str = a.join('');
        }
        _free(value);
        return str;
      },
      'toWireType': function(destructors, value) {
        if (value instanceof ArrayBuffer) value = new Uint8Array(value);
        var valueIsOfTypeString = typeof value == 'string';
        if (!(valueIsOfTypeString || value instanceof Uint8Array || value instanceof Uint8ClampedArray || value instanceof Int8Array)) {
          throwBindingError('Cannot pass non-string to std::string');
        }
        var ptr;
        var length;
        if (stdStringIsUTF8 && valueIsOfTypeString) {
          var units = value.length;
          // UTF-8 needs at most 3 bytes per UTF-16 code unit.
          ptr = _malloc(4 + units * 3 + 1);
          var out = ptr + 4;
          var i = 0;
          if (units < SHORT) {
            for (; i < units; ++i) {
              var code = value.charCodeAt(i);
              if (code > 127) break;
              HEAPU8[out + i] = code;
            }
          }
          length = i;
          if (i < units) {
            length += encoder.encodeInto(i === 0 ? value : value.slice(i), HEAPU8.subarray(out + i, out + units * 3)).written;
          }
        } else {
          length = value.length;
          ptr = _malloc(4 + length + 1);
          if (valueIsOfTypeString) {
            for (var j = 0; j < length; ++j) {
              var charCode = value.charCodeAt(j);
              if (charCode > 255) {
                _free(ptr);
                throwBindingError('String has UTF-16 code units that do not fit in 8 bits');
              }
              HEAPU8[ptr + 4 + j] = charCode;
            }
          } else {
            HEAPU8.set(value, ptr + 4);
          }
        }
        HEAPU32[ptr >> 2] = length;
        HEAPU8[ptr + 4 + length] = 0;
        if (destructors !== null) destructors.push(_free, ptr);
        return ptr;
      },
      'argPackAdvance': 8,
      'readValueFromPointer': simpleReadValueFromPointer,
      destructorFunction: function(ptr) {
        _free(ptr);
      },
    });
  },
});
